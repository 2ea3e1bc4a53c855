"""REST API of the branches app: scoping as in the screens, 400/403 in Chinese, query counts."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from dangjian.branches import services
from dangjian.branches.models import BranchGrading, GradingScore, GradingStandard
from tests.branches.conftest import YEAR
from tests.branches.test_views import _more_branches
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/branches"
LISTS = ["standards", "grading-years", "gradings", "rectification-plans", "rectification-items"]


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("path", [*LISTS, "summary"])
def test_anonymous_refused(world, path):
    assert api(None).get(f"{BASE}/{path}/").status_code in (401, 403)


@pytest.mark.parametrize("path", ["standards", "grading-years", "gradings", "rectification-plans"])
def test_members_refused_management_lists(world, path):
    response = api(world.member_user).get(f"{BASE}/{path}/")
    assert response.status_code == 403 and "仅党组织书记" in response.json()["detail"]


def test_lists_scoped(world, submitted):
    grading = submitted.plan.grading
    for path, pk in (
        ("gradings", grading.pk),
        ("rectification-plans", submitted.plan.pk),
        ("rectification-items", submitted.item.pk),
    ):
        mine = api(world.secretary_a).get(f"{BASE}/{path}/").json()["results"]
        assert [r["id"] for r in mine] == [pk], path
        assert api(world.secretary_b).get(f"{BASE}/{path}/").json()["results"] == [], path
        assert api(world.secretary_b).get(f"{BASE}/{path}/{pk}/").status_code == 404, path
        assert api(world.gb_secretary_a).get(f"{BASE}/{path}/{pk}/").status_code == 200, path
    # the responsible member reads their own item, not the plan
    own = api(world.member_user).get(f"{BASE}/rectification-items/").json()["results"]
    assert [r["id"] for r in own] == [submitted.item.pk]
    assert own[0]["status"] == "overdue" and own[0]["status_display"] == "逾期未完成"
    detail = api(world.secretary_a).get(f"{BASE}/gradings/{grading.pk}/").json()
    assert len(detail["scores"]) == 12 and detail["grade_display"] == "较好"


def test_standards_read_by_officers_written_by_the_department(world):
    rows = api(world.secretary_a).get(f"{BASE}/standards/").json()["results"]
    assert {r["applies_to"] for r in rows} == {"staff", "student"}
    assert all(len(r["criteria"]) == 12 for r in rows)
    pk = rows[0]["id"]
    refused = api(world.secretary_a).patch(f"{BASE}/standards/{pk}/", {"name": "x"}, format="json")
    assert refused.status_code == 403 and "党委组织部" in refused.json()["detail"]
    bad = api(world.org_officer).patch(
        f"{BASE}/standards/{pk}/",
        {"bands": [[90, "先进"], [95, "较好"], [60, "一般"]]},
        format="json",
    )
    assert bad.status_code == 400 and "依次降低" in bad.json()["bands"][0]
    ok = api(world.org_officer).patch(
        f"{BASE}/standards/{pk}/",
        {"bands": [[85, "先进"], [70, "较好"], [55, "一般"]]},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["bands"] == [
        [85, "先进"],
        [70, "较好"],
        [55, "一般"],
    ]
    standard = GradingStandard.objects.get(pk=pk)
    criteria = [
        {"id": c.pk, "group": c.group, "name": c.name, "points": str(c.points)}
        for c in standard.criteria.all()
    ]
    criteria[0]["points"] = "1"
    bad = api(world.org_officer).patch(
        f"{BASE}/standards/{pk}/", {"criteria": criteria}, format="json"
    )
    assert bad.status_code == 400 and "合计应为100分" in bad.json()["criteria"][0]


def test_grading_years(world, today):
    created = api(world.org_officer).post(
        f"{BASE}/grading-years/", {"organisation": world.committee.pk, "year": YEAR}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["grading_due"] == f"{YEAR}-03-30" and body["items_due"] == f"{YEAR}-12-31"
    refused = api(world.gb_secretary_a).post(
        f"{BASE}/grading-years/", {"organisation": world.gb_a.pk, "year": YEAR}, format="json"
    )
    assert refused.status_code == 403 and "党委组织部" in refused.json()["detail"]
    duplicate = api(world.org_officer).post(
        f"{BASE}/grading-years/", {"organisation": world.committee.pk, "year": YEAR}, format="json"
    )
    assert duplicate.status_code == 400 and "已经建立" in duplicate.json()["year"][0]
    # the branches below read the committee's year
    assert len(api(world.secretary_b).get(f"{BASE}/grading-years/").json()["results"]) == 1
    patched = api(world.org_officer).patch(
        f"{BASE}/grading-years/{body['id']}/", {"grading_due": f"{YEAR}-04-02"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["grading_due"] == f"{YEAR}-04-02"


def test_survey_and_decision(world, year):
    created = api(world.secretary_a).post(
        f"{BASE}/gradings/", {"grading_year": year.pk, "branch": world.branch_a.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = api(world.secretary_b).post(
        f"{BASE}/gradings/", {"grading_year": year.pk, "branch": world.branch_a.pk}, format="json"
    )
    assert refused.status_code == 400 and "branch" in refused.json()  # not in their scope
    rows = GradingScore.objects.filter(grading_id=pk).select_related("criterion")
    too_high = [{"criterion": rows[0].criterion_id, "score": "99"}]
    bad = api(world.secretary_a).post(
        f"{BASE}/gradings/{pk}/scores/", {"scores": too_high}, format="json"
    )
    assert bad.status_code == 400 and "得分应在0～" in bad.json()["scores"][0]
    scores = [
        {"criterion": r.criterion_id, "score": str(r.criterion.points), "finding": "好"}
        for r in rows
    ]
    saved = api(world.secretary_a).post(
        f"{BASE}/gradings/{pk}/scores/",
        {"scores": scores, "self_grade": "advanced", "problems": "无"},
        format="json",
    )
    assert saved.status_code == 200
    assert saved.json()["total"] == "100.0" and saved.json()["suggested_grade"] == "advanced"
    own = api(world.secretary_a).post(
        f"{BASE}/gradings/{pk}/decide/", {"grade": "advanced"}, format="json"
    )
    assert own.status_code == 403
    assert "党总支对党支部按先进、较好、一般和后进进行分类定级" in own.json()["detail"]
    no_reason = api(world.gb_secretary_a).post(
        f"{BASE}/gradings/{pk}/decide/", {"grade": "good"}, format="json"
    )
    assert no_reason.status_code == 400 and "须填写理由" in no_reason.json()["reason"][0]
    bad_grade = api(world.gb_secretary_a).post(
        f"{BASE}/gradings/{pk}/decide/", {"grade": "excellent"}, format="json"
    )
    assert bad_grade.status_code == 400 and "无效的取值" in bad_grade.json()["grade"][0]
    decided = api(world.gb_secretary_a).post(
        f"{BASE}/gradings/{pk}/decide/", {"grade": "advanced"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["state"] == "graded"
    reopened = api(world.gb_secretary_a).post(
        f"{BASE}/gradings/{pk}/reopen/", {"reason": "更正"}, format="json"
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "draft"


def test_regrade_before_june_is_400(world, graded, today):
    today(date(YEAR, 5, 31))
    response = api(world.secretary_a).post(
        f"{BASE}/gradings/",
        {"grading_year": graded.grading_year.pk, "branch": world.branch_a.pk, "round": "regrade"},
        format="json",
    )
    assert response.status_code == 400 and "6月—10月" in response.json()["round"][0]


def test_plans_and_items(world, graded, general_meeting):
    plan = api(world.secretary_a).post(
        f"{BASE}/rectification-plans/",
        {"branch": world.branch_a.pk, "year": YEAR, "goals": "晋位升级"},
        format="json",
    )
    assert plan.status_code == 201 and plan.json()["grading"] == graded.pk
    pk = plan.json()["id"]
    late = api(world.secretary_a).post(
        f"{BASE}/rectification-items/",
        {
            "plan": pk,
            "problem": "活动室不足",
            "measures": "协调",
            "responsible": world.member_a.pk,
            "deadline": f"{YEAR + 1}-01-01",
        },
        format="json",
    )
    assert late.status_code == 400 and "除长期性项目外" in late.json()["deadline"][0]
    item = api(world.secretary_a).post(
        f"{BASE}/rectification-items/",
        {
            "plan": pk,
            "problem": "活动室不足",
            "measures": "协调",
            "responsible": world.member_a.pk,
            "deadline": f"{YEAR}-12-31",
        },
        format="json",
    )
    assert item.status_code == 201
    item_pk = item.json()["id"]
    submit = api(world.secretary_a).post(f"{BASE}/rectification-plans/{pk}/submit/")
    assert submit.status_code == 400 and "召开党员大会进行讨论" in submit.json()["state"][0]
    meeting = general_meeting()
    discussed = api(world.secretary_a).post(
        f"{BASE}/rectification-plans/{pk}/discuss/", {"meeting": meeting.pk}, format="json"
    )
    assert discussed.status_code == 200 and discussed.json()["discussed_on"] == f"{YEAR}-05-20"
    submitted = api(world.secretary_a).post(f"{BASE}/rectification-plans/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert api(world.secretary_b).post(f"{BASE}/rectification-plans/{pk}/submit/").status_code == (
        404
    )
    # the responsible member reports it done; the level above verifies
    done = api(world.member_user).post(
        f"{BASE}/rectification-items/{item_pk}/done/", {"result": "已协调活动室"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    own = api(world.secretary_a).post(f"{BASE}/rectification-items/{item_pk}/verify/", {})
    assert own.status_code == 403 and "核实销号" in own.json()["detail"]
    member = api(world.member_user).post(f"{BASE}/rectification-items/{item_pk}/verify/", {})
    assert member.status_code == 403
    verified = api(world.gb_secretary_a).post(
        f"{BASE}/rectification-items/{item_pk}/verify/", {"note": "属实"}, format="json"
    )
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    plan = api(world.secretary_a).get(f"{BASE}/rectification-plans/{pk}/").json()
    assert plan["state"] == "done" and len(plan["items"]) == 1


def test_summary(world, submitted):
    year = submitted.plan.grading.grading_year
    assert api(world.member_user).get(
        f"{BASE}/summary/", {"grading_year": year.pk}
    ).status_code == (403)
    assert api(world.org_officer).get(f"{BASE}/summary/").status_code == 400
    rows = api(world.org_officer).get(f"{BASE}/summary/", {"grading_year": year.pk}).json()
    by_name = {r["general_branch"]: r for r in rows}
    assert by_name["机关党总支"]["initial"]["较好"] == 1
    assert by_name["机关党总支"]["items_overdue"] == 1
    assert by_name["信息工程学院党总支"]["initial"]["未定级"] == 1
    mine = api(world.secretary_b).get(f"{BASE}/summary/", {"grading_year": year.pk}).json()
    assert [r["general_branch"] for r in mine] == ["信息工程学院党总支"]
    assert api(world.org_officer).get(f"{BASE}/summary/", {"grading_year": 999}).status_code == 404


@pytest.mark.parametrize("path", ["gradings", "rectification-plans", "rectification-items"])
def test_api_list_query_count_does_not_grow(world, year, path):
    client = api(world.org_officer)
    _more_branches(world, year, 2)

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            assert client.get(f"{BASE}/{path}/").status_code == 200
        return ctx

    few = count()
    _more_branches(world, year, 8)
    count(few)
    assert BranchGrading.objects.count() == 10


def test_the_level_above(world, grading):
    assert services.is_level_above(world.org_officer, world.branch_a)
    assert services.is_level_above(world.gb_secretary_a, world.branch_a)
    assert not services.is_level_above(world.secretary_a, world.branch_a)
