"""Pages and API of the Party school by role, bad input, query counts."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from dangjian.orglife import services as orglife
from dangjian.partyschool import services
from dangjian.partyschool.models import ClassSession, ExamResult
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

ANON_API = (401, 403)
# The class is run by branch_a's general branch: its secretary is the officer in scope; the
# secretary of branch_a (below it) and of branch_b (elsewhere) do not see it.
PAGE = {
    "gb_officer": 200,
    "org_officer": 200,
    "officer": 404,
    "other_officer": 404,
    "member": 403,
    "anonymous": 302,
}


@pytest.fixture
def session(school):
    s = services.session_create(
        actor=school.officer,
        training=school.training,
        held_on=school.today - timedelta(days=3),
        topic="党章学习",
        hours=D("4"),
    )
    services.attendance_record(actor=school.officer, session=s, present=[school.activist])
    return s


@pytest.fixture
def result(school):
    return services.result_create(
        actor=school.officer,
        training=school.training,
        person=school.activist,
        taken_on=school.today - timedelta(days=1),
        score=D("88"),
    )


def test_pages_by_role(as_role, school, session, result):
    pk = school.training.pk
    for name in ("class_detail", "class_print", "class_session", "class_result"):
        assert_role_matrix(as_role, reverse(f"partyschool:{name}", args=[pk]), PAGE)
    assert_role_matrix(as_role, reverse("partyschool:class_export", args=[pk]), PAGE)
    assert_role_matrix(as_role, reverse("partyschool:attendance", args=[session.pk]), PAGE)
    listing = {**PAGE, "officer": 200, "other_officer": 200}
    assert_role_matrix(as_role, reverse("partyschool:class_list"), listing)
    assert_role_matrix(
        as_role,
        reverse("partyschool:result_list"),
        {**listing, "member": 200},
    )
    assert_role_matrix(
        as_role,
        reverse("partyschool:result_detail", args=[result.pk]),
        {**PAGE, "member": 404},
    )
    assert_role_matrix(
        as_role,
        reverse("partyschool:session_detail", args=[session.pk]),
        {**PAGE, "member": 404},
    )
    assert_role_matrix(
        as_role,
        reverse("partyschool:result_delete", args=[result.pk]),
        {"gb_officer": 302, "other_officer": 404, "officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )
    assert_role_matrix(
        as_role,
        reverse("partyschool:my_results"),
        {"member": 200, "gb_officer": 200, "anonymous": 302},
    )


def test_class_page_shows_attendance_hours_and_score(as_role, school, session, result):
    page = as_role("gb_officer").get(reverse("partyschool:class_detail", args=[school.training.pk]))
    html = page.content.decode()
    assert "孙积极" in html and "88.0" in html and "合格" in html
    assert "1/1" in html  # attended one of one session


def test_recording_a_pass_on_the_page_fills_the_candidate_step(as_role, school):
    client = as_role("gb_officer")
    url = reverse("partyschool:class_result", args=[school.training.pk])
    taken = (school.today - timedelta(days=1)).isoformat()
    response = client.post(
        url,
        {
            "training": school.training.pk,
            "person": school.activist.pk,
            "taken_on": taken,
            "score": "92",
        },
    )
    assert response.status_code == 302
    case_page = client.get(reverse("development:case_detail", args=[school.case.pk]))
    html = case_page.content.decode()
    assert f'value="{taken}"' in html  # the candidate form is filled in
    assert "党校考试合格（成绩92" in html


def test_bad_input_on_the_page_keeps_what_was_typed(as_role, school):
    client = as_role("gb_officer")
    url = reverse("partyschool:class_result", args=[school.training.pk])
    response = client.post(
        url,
        {
            "training": school.training.pk,
            "person": school.activist.pk,
            "taken_on": (school.today + timedelta(days=1)).isoformat(),
            "score": "120",
            "note": "补考",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "0至100分" in html and "补考" in html
    assert not ExamResult.objects.exists()
    response = client.post(
        reverse("partyschool:class_session", args=[school.training.pk]),
        {"training": school.training.pk, "held_on": "2000-01-01", "topic": "党史", "hours": "3"},
    )
    assert response.status_code == 200
    assert "起止日期" in response.content.decode() and "党史" in response.content.decode()


def test_attendance_page(as_role, school, session):
    client = as_role("gb_officer")
    url = reverse("partyschool:attendance", args=[session.pk])
    assert "周学员" in client.get(url).content.decode()
    response = client.post(url, {"present": [str(school.activist.pk), str(school.other.pk)]})
    assert response.status_code == 302
    assert set(session.present.values_list("pk", flat=True)) == {
        school.activist.pk,
        school.other.pk,
    }


def test_lists_do_not_grow_queries_with_rows(as_role, world, school, session, result):
    client = as_role("gb_officer")
    urls = [
        reverse("partyschool:class_list"),
        reverse("partyschool:class_detail", args=[school.training.pk]),
        reverse("partyschool:result_list"),
        reverse("partyschool:session_list"),
    ]
    baseline = {}
    for url in urls:
        with capture_queries() as log:
            assert client.get(url).status_code == 200
        baseline[url] = log
    more = [make_person(world.branch_a, status="activist", name=f"学员{i}") for i in range(6)]
    orglife.training_update(
        actor=school.officer,
        training=school.training,
        participants=[school.activist, school.other, *more],
    )
    for i, person in enumerate(more):
        services.result_create(
            actor=school.officer,
            training=school.training,
            person=person,
            taken_on=school.today,
            score=D(50 + i * 5),
        )
        services.session_create(
            actor=school.officer,
            training=school.training,
            held_on=school.today - timedelta(days=10 + i),
            topic=f"第{i}讲",
            hours=D("2"),
        )
    for url in urls:
        with assert_max_queries(baseline[url], url):
            assert client.get(url).status_code == 200


def test_export_and_print(as_role, school, session, result):
    client = as_role("gb_officer")
    response = client.get(reverse("partyschool:class_export", args=[school.training.pk]))
    assert response.status_code in (200, 302)
    page = client.get(reverse("partyschool:class_print", args=[school.training.pk]))
    assert "学员考勤与成绩登记表" in page.content.decode()


# --- the API -------------------------------------------------------------------------------

API = "/api/v1/partyschool/"


def test_api_by_role(api_as_role, school, session, result):
    classes = f"{API}classes/"
    assert_role_matrix(
        api_as_role,
        classes,
        {"gb_officer": 200, "other_officer": 200, "member": 403, "anonymous": ANON_API},
    )
    assert_role_matrix(
        api_as_role,
        f"{classes}{school.training.pk}/roster/",
        {
            "gb_officer": 200,
            "other_officer": 404,
            "officer": 404,
            "member": 403,
            "anonymous": ANON_API,
        },
    )
    one = f"{API}results/{result.pk}/"
    assert_role_matrix(
        api_as_role,
        one,
        {"gb_officer": 200, "other_officer": 404, "member": 404, "anonymous": ANON_API},
    )
    assert_role_matrix(
        api_as_role,
        one,
        {"gb_officer": 200, "other_officer": 404, "member": 403, "anonymous": ANON_API},
        method="patch",
        data={"score": "91"},
        format="json",
    )
    new = {
        "training": school.training.pk,
        "person": school.other.pk,
        "taken_on": school.today.isoformat(),
        "score": "70",
    }
    assert_role_matrix(
        api_as_role,
        f"{API}results/",
        {"gb_officer": 201, "other_officer": 400, "member": 403, "anonymous": ANON_API},
        method="post",
        data=new,
        format="json",
    )
    attendance = f"{API}sessions/{session.pk}/attendance/"
    assert_role_matrix(
        api_as_role,
        attendance,
        {
            "gb_officer": 200,
            "other_officer": 404,
            "officer": 404,
            "member": 403,
            "anonymous": ANON_API,
        },
        method="post",
        data={"present": [school.other.pk]},
        format="json",
    )


def test_api_roster_and_bad_input(api_as_role, school, session, result):
    api = api_as_role("gb_officer")
    rows = api.get(f"{API}classes/{school.training.pk}/roster/").json()
    me = next(r for r in rows if r["name"] == "孙积极")
    assert me["attended"] == 1 and me["hours"] == "4.0" and me["passed"] is True
    bad = api.post(
        f"{API}results/",
        {
            "training": school.training.pk,
            "person": school.other.pk,
            "taken_on": "x",
            "score": "101",
        },
        format="json",
    )
    assert bad.status_code == 400 and "taken_on" in bad.json()
    bad = api.post(
        f"{API}results/",
        {
            "training": school.training.pk,
            "person": school.other.pk,
            "taken_on": school.today.isoformat(),
            "score": "101",
        },
        format="json",
    )
    assert bad.status_code == 400 and "0至100分" in bad.json()["score"][0]
    bad = api.post(f"{API}sessions/{session.pk}/attendance/", {"present": "all"}, format="json")
    assert bad.status_code == 400
    bad = api.post(f"{API}sessions/{session.pk}/attendance/", {"present": [999999]}, format="json")
    assert bad.status_code == 400 and "present" in bad.json()
    bad = api.get(f"{API}results/?passed=maybe")
    assert bad.status_code == 400
    created = api.post(
        f"{API}sessions/",
        {
            "training": school.training.pk,
            "held_on": school.today.isoformat(),
            "topic": "党史",
            "hours": "2",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert ClassSession.objects.count() == 2
