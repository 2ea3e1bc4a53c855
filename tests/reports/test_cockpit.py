"""数据驾驶舱: figures on a small world, scoping, constant queries, drill-down links, export."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.development.models import Case
from dangjian.orglife.models import Meeting, StudyRecord
from dangjian.posts.models import DutyRecord
from dangjian.reports import cockpit
from dangjian.reports.models import QuarterlyReport, ReportStatus
from tests.factories import make_org, make_person
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries, role_user
from tests.reports.helpers import make_meeting, make_post

pytestmark = pytest.mark.django_db

URL = reverse("reports:cockpit")


def today() -> date:
    return timezone.localdate()


def records(world) -> None:
    """A few records of this year: branch_a runs the mechanism, keeps records, studies and
    meets; branch_b has a development case and a submitted quarterly report."""
    year = today().year
    make_post(world.branch_a, "published", year=year, holder=world.member_a)
    make_post(world.branch_a, "set", year=year)
    make_post(world.branch_b, "claimed", year=year)
    DutyRecord.objects.create(
        person=world.member_a,
        organisation=world.branch_a,
        occurred_on=today().replace(month=1, day=2),
        content="整理党费台账",
    )
    StudyRecord.objects.create(
        person=world.member_a,
        studied_on=today().replace(month=1, day=3),
        title="党章学习",
        category="theory",
        hours=Decimal("30"),
        integrity=True,
    )
    make_meeting(world.branch_a, today(), kind="committee", topic="支委会")
    applicant = make_person(world.branch_b, status="activist", name="孙积极")
    Case.objects.create(
        person=applicant, organisation=world.branch_b, stage=2, applied_on=date(2024, 1, 1)
    )
    QuarterlyReport.objects.create(
        organisation=world.branch_b,
        year=year,
        quarter=cockpit.rules.quarter_of(today()),
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
        figures={},
    )


def test_figures_of_a_small_world(world):
    records(world)
    per_node, total, period, _latest = cockpit.figures(cockpit.children_frame(world.committee))
    a, b = per_node[world.gb_a.pk], per_node[world.gb_b.pk]
    assert (a.branches, a.covered, a.coverage_percent) == (1, 1, 100.0)
    assert (b.branches, b.covered) == (1, 0)
    assert (total.branches, total.covered, total.coverage_percent) == (2, 1, 50.0)
    assert a.posts == {"published": 1, "set": 1} and b.posts == {"claimed": 1}
    assert (a.posts_total, a.posts_published, total.posts_total) == (2, 1, 3)
    # gb_a: the general-branch secretary, the branch secretary and 赵党员 are members
    assert a.members == 3 and a.duty_records == 1 and a.duty_per_member == 0.3
    assert b.members == 2  # 李书记 and 钱党员 (the activist is no member)
    assert a.hours_met == 1 and a.required_members == 3 and a.hours_percent == 33.3
    assert total.hours_met == 1 and total.required_members == 5
    assert b.funnel == {2: 1} and total.funnel == {2: 1} and a.funnel == {}
    assert a.rules_applicable > 0 and a.rules_done >= 1 and b.rules_done == 0
    assert total.rules_done == a.rules_done + b.rules_done
    assert (b.reporting, b.reports_on_time + b.reports_late) == (2, 1)
    assert total.reporting == 5  # the committee, two general branches, two branches
    assert a.status in ("red", "amber", "green")
    assert period.year == today().year


def test_in_scope_officer_member_anonymous(world, as_role):
    records(world)
    url = f"{URL}?org={world.branch_a.pk}"
    assert_role_matrix(
        as_role,
        url,
        {
            "officer": 200,
            "gb_officer": 200,
            "org_officer": 200,
            "other_officer": 404,
            "member": 403,
            "anonymous": 302,
        },
    )
    assert_role_matrix(as_role, URL, {"officer": 200, "org_officer": 200, "member": 403})


def test_branch_secretary_defaults_to_own_branch(world, as_role):
    response = as_role("officer").get(URL)
    assert response.context["org"] == world.branch_a
    assert response.context["rows"] == []  # a branch has no committee/branch below it


def test_one_root_opens_that_root(world, as_role):
    records(world)
    response = as_role("org_officer").get(URL)
    assert response.context["org"] == world.committee
    assert [r.org for r in response.context["rows"]] == [world.gb_a, world.gb_b]


def test_department_sees_a_page_of_roots_and_the_total(world, as_role):
    records(world)
    other = make_org(None, name="第二党委")
    make_post(make_org(make_org(other), name="第二党委支部"), "published", year=today().year)
    response = as_role("org_officer").get(URL)
    assert response.context["org"] is None
    assert [r.org for r in response.context["rows"]] == [world.committee, other]
    assert response.context["total"].figures.posts_total == 4
    assert response.context["total"].figures.branches == 3
    assert "管辖范围合计" in response.content.decode()


def test_drill_down_links(world, as_role):
    records(world)
    response = as_role("org_officer").get(f"{URL}?org={world.committee.pk}")
    html = response.content.decode()
    gb = world.gb_a.pk
    assert f"{URL}?org={gb}" in html
    assert f"/orglife/compliance/?organisation={gb}&amp;attention=1" in html
    assert f"/posts/?org={gb}&amp;year={today().year}" in html
    assert f"/development/?org={world.gb_b.pk}" in html
    assert "attention=1" in html and f"/orglife/hours/?org={gb}" in html
    children = response.context["charts"]["children"]
    assert children["series"][0]["data"][0]["url"] == f"{URL}?org={gb}"
    funnel = response.context["charts"]["funnel"]["series"][0]["data"]
    assert funnel[1]["url"].endswith(f"?org={world.committee.pk}&stage=2")
    assert 'data-echart="chart-children"' in html


def test_constant_queries_whatever_the_number_of_children(world, as_role):
    records(world)
    client = as_role("org_officer")
    url = f"{URL}?org={world.committee.pk}"
    client.get(url)
    with capture_queries() as two:
        assert client.get(url).status_code == 200
    for i in range(4):
        gb = make_org(world.committee, name=f"新党总支{i}")
        make_post(make_org(gb, name=f"新支部{i}"), "published", year=today().year)
    with assert_max_queries(two, "cockpit with 6 children"):
        response = client.get(url)
    assert len(response.context["rows"]) == 6


def test_out_of_range_org_is_404_not_500(world, as_role):
    client = as_role("org_officer")
    assert client.get(f"{URL}?org=999999999").status_code == 404
    assert client.get(f"{URL}?org=abc").status_code == 200  # ignored: the scope's roots


def test_export(world, as_role):
    records(world)
    client = as_role("org_officer")
    response = client.get(reverse("reports:cockpit_export") + f"?org={world.committee.pk}")
    assert response.status_code == 200
    book = load_workbook(
        BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    rows = list(book.active.values)
    names = [r[0] for r in rows]
    assert "机关党总支" in names and "信息工程学院党总支" in names
    assert names[-1] == world.committee.name
    assert all("赵党员" not in str(cell) for row in rows for cell in row)


def test_export_scoped(world, as_role):
    client = as_role("other_officer")
    response = client.get(reverse("reports:cockpit_export") + f"?org={world.branch_a.pk}")
    assert response.status_code == 404
    assert role_user(world, "member") is not None
    assert as_role("member").get(reverse("reports:cockpit_export")).status_code == 403


def test_menu_entry_for_officers_only(world, as_role):
    assert "数据驾驶舱" in as_role("officer").get(reverse("home")).content.decode()
    assert "数据驾驶舱" not in as_role("member").get(reverse("home")).content.decode()


def test_days_shift_nothing_before_due(world):
    """Before the quarter's due date nothing is overdue."""
    frame = cockpit.children_frame(world.committee)
    year = today().year
    _nodes, total, period, _l = cockpit.figures(frame, today=date(year, 1, 5))
    assert period.due == date(year, 3, 20) and total.reports_overdue == 0
    _nodes, total, _p, _l = cockpit.figures(frame, today=date(year, 3, 21) + timedelta(days=1))
    assert total.reports_overdue == total.reporting


def test_tree_status_colours_a_page_of_nodes(world, as_role):
    records(world)
    client = as_role("org_officer")
    tree = client.get(reverse("org:org_tree")).content.decode()
    assert f'id="org-status-{world.committee.pk}"' in tree
    assert reverse("reports:tree_status") in tree
    ids = f"{world.committee.pk},{world.gb_a.pk},{world.group_a.pk},abc"
    url = reverse("reports:tree_status") + f"?ids={ids}"
    client.get(url)
    with assert_max_queries(8, "tree status"):
        response = client.get(url)
    html = response.content.decode()
    assert f'id="org-status-{world.gb_a.pk}" hx-swap-oob="true"' in html
    assert f"org-status-{world.group_a.pk}" not in html  # groups carry no colour
    # another branch's officer gets nothing outside their scope
    html = as_role("other_officer").get(url).content.decode()
    assert "org-status" not in html
    assert as_role("member").get(url).status_code == 403


def test_tree_status_constant_queries(world, as_role):
    client = as_role("org_officer")
    few = [world.committee, world.gb_a]
    url = reverse("reports:tree_status") + "?ids=" + ",".join(str(o.pk) for o in few)
    client.get(url)
    with capture_queries() as baseline:
        client.get(url)
    many = [*few, *(make_org(world.committee) for _ in range(5))]
    url = reverse("reports:tree_status") + "?ids=" + ",".join(str(o.pk) for o in many)
    with assert_max_queries(baseline, "tree status of 7 nodes"):
        client.get(url)


def test_organisational_life_matches_the_compliance_roll_up(world):
    """The cockpit's SQL counts what orglife.selectors.compliance_for finds, rule by rule —
    including a rule that counts the subtree's meetings (师生员工座谈会 of a general branch,
    held by one of its branches)."""
    from dangjian.org.models import Organisation
    from dangjian.orglife import selectors as orglife

    records(world)
    for org, kind, state in (
        (world.branch_a, "forum", "held"),
        (world.gb_b, "committee", "held"),
        (world.group_a, "general", "held"),
        # two planned: a student branch's month would be done if they counted (they do not)
        (world.branch_b, "general", "planned"),
        (world.branch_b, "group", "planned"),
        (world.gb_a, "lecture", "cancelled"),
    ):
        make_meeting(org, today(), kind=kind, minutes=120, state=state)
    orgs = list(Organisation.objects.active().filter(path__startswith=world.committee.path))
    statuses = orglife.compliance_for(orgs, None, today(), today(), orglife.active_rules())
    by_gb = {}
    for gb in (world.gb_a, world.gb_b):
        rows = [s for s in statuses if s.org.path.startswith(gb.path)]
        by_gb[gb.pk] = (sum(len(s.rows) for s in rows), sum(s.done for s in rows))
    per_node, total, _p, _l = cockpit.figures(cockpit.children_frame(world.committee))
    for pk, (applicable, done) in by_gb.items():
        assert (per_node[pk].rules_applicable, per_node[pk].rules_done) == (applicable, done)
    assert by_gb[world.gb_a.pk][1] >= 2  # the branch's committee meeting and the gb's forum
    assert total.rules_done == sum(s.done for s in statuses)


def test_runs_considered_are_those_above_and_under_the_frame(world):
    """latest_runs(paths) reads the cycles and rounds of the frame's ancestors and subtree only:
    another general branch's runs can never describe it."""
    below = make_org(world.branch_a, name="机关一支部下属", code="BAX")
    orgs = [world.committee, world.gb_a, world.branch_a, below, world.gb_b, world.branch_b]
    for org in orgs:
        make_meeting(org, today())

    def organisations(near):
        return set(Meeting.objects.filter(near).values_list("organisation_id", flat=True))

    near_gb_a = {world.committee.pk, world.gb_a.pk, world.branch_a.pk, below.pk}
    assert organisations(cockpit._near((world.gb_a.path,))) == near_gb_a
    assert organisations(cockpit._near(None)) == {org.pk for org in orgs}
