"""党内统计: the rules of its dates, the computed tables, the page, export and API by role,
and the tables' totals against the people list they drill into."""

import io
from datetime import date
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.org import services as org_services
from dangjian.org.models import Person, StatusChange
from dangjian.statistics import rules, selectors, services
from dangjian.statistics.models import StatisticsRun
from dangjian.statistics.tables import TABLES
from tests.factories import make_person
from tests.harness import assert_num_queries, assert_role_matrix

TODAY = date(2026, 12, 7)


# --- rules --------------------------------------------------------------------------------


def test_cut_offs():
    assert rules.default_cut_off(TODAY) == date(2026, 12, 31)
    assert rules.period_start(date(2026, 6, 30)) == date(2026, 1, 1)
    assert rules.cut_off_error(date(2026, 6, 30), TODAY) is None
    assert rules.cut_off_error(date(2022, 12, 31), TODAY) is None
    assert "年度" in rules.cut_off_error(date(2021, 12, 31), TODAY)
    assert "年度" in rules.cut_off_error(date(2027, 6, 30), TODAY)
    assert "6月30日" in rules.cut_off_error(date(2026, 3, 31), TODAY)
    assert len(rules.cut_off_choices(TODAY)) == 10


# --- computing ------------------------------------------------------------------------------


def _run(world, org=None, cut_off=None):
    cut_off = cut_off or rules.default_cut_off(timezone.localdate())
    run = services.run_request(actor=None, organisation=org or world.committee, cut_off=cut_off)
    # The task is queued when the transaction commits (the test's never does): run it here.
    services.run_compute(run.pk)
    return run


def _row(run, org):
    run.refresh_from_db()
    return next(r["figures"] for r in run.figures["rows"] if r["org_id"] == org.pk)


@pytest.mark.django_db
def test_figures_of_a_small_world(world):
    today = timezone.localdate()
    cut_off = rules.default_cut_off(today)
    year = cut_off.year
    young = make_person(world.branch_a, name="青年", birth_date=date(year - 25, 12, 31))
    make_person(
        world.branch_a, name="女党员", gender="F", ethnicity="回族", education="postgraduate"
    )
    make_person(world.branch_a, name="群众甲", status="masses")
    newcomer = make_person(
        world.branch_b, status="probationary", name="新党员", joined_on=date(year, 1, 1)
    )
    StatusChange.objects.create(
        person=young, from_status="probationary", to_status="full", effective_on=date(year, 1, 2)
    )
    org_services.person_leave(
        actor=None, person=newcomer, cause="deceased", on=date(year, 1, 3), reason="病故"
    )
    run = _run(world)
    assert run.pk and StatisticsRun.objects.get(pk=run.pk).state == "done"
    total = _row(run, world.committee)
    # On the roll: the five officers/members of the fixture plus 青年 and 女党员; 新党员 died.
    members = Person.objects.members().filter(is_active=True).count()
    assert total["total"] == members == 7
    assert total["gender_F"] == 1 and total["ethnic_minority"] == 1
    assert total["education_postgraduate"] == 1 and total["education_unknown"] == 6
    assert total["age_le25"] == 1  # 25 on the cut-off day
    assert total["admitted"] == 1 and total["converted"] == 1 and total["change_deceased"] == 1
    assert total["org_committee"] == 1 and total["org_branch"] == 2 and total["org_group"] == 1
    assert total["branch_organ"] == 1 and total["branch_student"] == 1
    gb_a = _row(run, world.gb_a)
    assert gb_a["total"] == 5  # 张书记, 王总支书记, 赵党员, 青年, 女党员
    # A cut-off before this year's changes counts the dead member back and the admission out.
    if year - 1 >= today.year - 4:
        earlier = _run(world, cut_off=date(year - 1, 12, 31))
        before = _row(earlier, world.committee)
        assert before["admitted"] == 0 and before["change_deceased"] == 0


@pytest.mark.django_db
def test_every_figure_matches_the_people_list(world, as_user):
    year = rules.default_cut_off(timezone.localdate()).year
    for n in range(6):
        make_person(
            world.branch_a if n % 2 else world.branch_b,
            name=f"统计{n}",
            gender="F" if n % 3 else "M",
            birth_date=date(1960 + n * 8, 6, 1),
            education=["university", "college", ""][n % 3],
            title_level=["senior", "", "junior"][n % 3],
            category=["staff", "student", "retiree"][n % 3],
        )
    leaver = make_person(world.branch_a, name="退党者", joined_on=date(2010, 7, 1))
    org_services.person_leave(
        actor=None, person=leaver, cause="withdrawn", on=date(year, 1, 1), reason="本人申请"
    )
    run = _run(world)
    run.refresh_from_db()
    client = as_user(world.admin)
    checked = 0
    for table in selectors.tables_of(run):
        for row in table["rows"]:
            for column, cell in zip(table["columns"], row["cells"], strict=True):
                if not cell["query"]:
                    continue
                response = client.get(reverse("org:person_list") + "?" + cell["query"])
                assert response.status_code == 200
                assert response.context["total"] == cell["value"], (
                    table["title"],
                    row["name"],
                    column.label,
                    parse_qs(cell["query"]),
                )
                checked += 1
    assert checked > 100


# --- pages and API by role -----------------------------------------------------------------


@pytest.mark.django_db
def test_page_by_role(world, as_role):
    url = reverse("statistics:page") + f"?org={world.branch_a.pk}"
    assert_role_matrix(
        as_role, url, {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302}
    )


@pytest.mark.django_db
def test_run_by_role(world, as_role):
    cut_off = rules.default_cut_off(timezone.localdate()).isoformat()
    data = {"org": world.branch_a.pk, "cut_off": cut_off}
    responses = assert_role_matrix(
        as_role,
        reverse("statistics:run"),
        {"officer": 302, "other_officer": 302, "member": 403, "anonymous": 302},
        method="post",
        data=data,
    )
    # The other branch's secretary is sent back with the error, nothing counted.
    assert "org=" not in responses["other_officer"]["Location"]
    assert StatisticsRun.objects.count() == 0  # each role's request was rolled back


@pytest.mark.django_db
def test_page_shows_stored_tables_in_few_queries_and_export(world, as_user):
    run = _run(world, org=world.branch_a)
    client = as_user(world.secretary_a)
    url = reverse("statistics:page") + f"?org={world.branch_a.pk}&cut_off={run.cut_off}"
    client.get(url)
    with assert_num_queries(7):  # no select of organisations (a type-ahead)
        response = client.get(url)
    html = response.content.decode()
    assert "党员总量、性别和民族" in html and "重新统计" in html
    response = client.get(
        reverse("statistics:export") + f"?org={world.branch_a.pk}&cut_off={run.cut_off}"
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == [t.title for t in TABLES]
    ws = wb["党员总量、性别和民族"]
    assert ws["A2"].value == "单位" and ws["B2"].value == "党员总数"
    assert ws["B3"].value == _row(run, world.branch_a)["total"]


@pytest.mark.django_db
def test_empty_state_and_bad_cut_off(world, as_user):
    client = as_user(world.secretary_a)
    response = client.get(reverse("statistics:page") + "?cut_off=2026-03-31")
    assert response.status_code == 200
    assert "尚无" in response.content.decode()
    response = client.get(reverse("statistics:page") + "?org=abc")
    assert response.status_code == 404
    response = client.get(reverse("statistics:export") + f"?org={world.branch_a.pk}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_api_by_role_and_bad_input(world, api_as_role, django_capture_on_commit_callbacks):
    cut_off = rules.default_cut_off(timezone.localdate()).isoformat()
    payload = {"organisation": world.branch_a.pk, "cut_off": cut_off}
    assert api_as_role("anonymous").post("/api/v1/statistics/", payload).status_code in (401, 403)
    assert api_as_role("member").post("/api/v1/statistics/", payload).status_code == 403
    assert api_as_role("other_officer").post("/api/v1/statistics/", payload).status_code == 404
    bad = api_as_role("officer").post("/api/v1/statistics/", {**payload, "cut_off": "2026-03-31"})
    assert bad.status_code == 400 and "cut_off" in bad.json()
    bad = api_as_role("officer").post("/api/v1/statistics/", {"organisation": "x"})
    assert bad.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        created = api_as_role("officer").post("/api/v1/statistics/", payload)
    assert created.status_code == 201
    run_id = created.json()["id"]
    got = api_as_role("officer").get(f"/api/v1/statistics/{run_id}/")
    assert got.status_code == 200 and got.json()["state"] == "done"
    assert got.json()["figures"]["rows"][0]["figures"]["total"] >= 2
    assert api_as_role("other_officer").get(f"/api/v1/statistics/{run_id}/").status_code == 404
    assert api_as_role("member").get("/api/v1/statistics/").json()["results"] == []
    listed = api_as_role("officer").get("/api/v1/statistics/", {"organisation": "x"})
    assert listed.status_code == 400


def test_drill_params_none_for_organisations():
    table = next(t for t in TABLES if t.slug == "organisations")
    from dangjian.statistics.tables import drill_params

    assert drill_params(table, table.columns[0], 1, {"cut_off": "x", "start": "y"}) is None


@pytest.mark.django_db
def test_status_and_gender_are_those_at_the_cut_off(world, as_user):
    """A member converted after the cut-off counts as 预备 in the tables of that cut-off, and the
    people list the figure drills into lists them (issue 15 item 6; org.StatusChange history)."""
    cut_off = date(2026, 6, 30)
    late = make_person(
        world.branch_a,
        name="后转正",
        status="probationary",
        gender="F",
        joined_on=date(2025, 9, 1),
    )
    on_time = make_person(
        world.branch_a, name="已转正", status="probationary", joined_on=date(2025, 3, 1)
    )
    org_services.person_change_status(
        actor=None, person=on_time, new_status="full", effective_on=cut_off
    )
    org_services.person_change_status(
        actor=None, person=late, new_status="full", effective_on=date(2026, 7, 1)
    )
    late.refresh_from_db()
    assert late.party_status == "full"  # now; 预备 on 30 June
    run = _run(world, org=world.branch_a, cut_off=cut_off)
    figures = _row(run, world.branch_a)
    members_now = Person.objects.under_path(world.branch_a.path).members().filter(is_active=True)
    assert figures["total"] == members_now.count()
    assert figures["probationary"] == 1 and figures["full"] == figures["total"] - 1
    assert figures["gender_F"] == members_now.filter(gender="F").count()
    later = _row(_run(world, org=world.branch_a, cut_off=date(2026, 12, 31)), world.branch_a)
    assert later["probationary"] == 0
    # The drill-down lists 后转正 as the 预备党员 of 30 June.
    run.refresh_from_db()
    table = next(t for t in selectors.tables_of(run) if t["slug"] == "members")
    row = next(r for r in table["rows"] if r["org_id"] == world.branch_a.pk)
    column = [c.key for c in table["columns"]].index("probationary")
    query = row["cells"][column]["query"]
    response = as_user(world.admin).get(reverse("org:person_list") + "?" + query)
    assert response.context["total"] == 1 and "后转正" in response.content.decode()


@pytest.mark.django_db
def test_organisation_filter_is_a_typeahead_not_a_select(world, as_user):
    client = as_user(world.org_officer)
    page = client.get(reverse("statistics:page")).content.decode()
    assert 'id="f-org"' in page and reverse("org:pick_organisations") in page
    assert "信息工程学院学生支部</option>" not in page
    assert 'value="中共示范学院委员会"' in page  # no choice: the first organisation
    chosen = client.get(reverse("statistics:page"), {"org": world.branch_a.pk})
    assert f'value="{world.branch_a.name}"' in chosen.content.decode()
