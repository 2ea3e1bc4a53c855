"""REST API of the assessment app: scoping as in the screens, 400/403 in Chinese, query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.assessment import services
from dangjian.assessment.models import BonusClaim, BranchAssessment
from tests.assessment.conftest import base_items, bonus_item, notified, submitted
from tests.factories import make_org
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/assessment"
D = Decimal


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def scores(template, short=0):
    rows = [{"item": i.pk, "score": str(i.points), "note": "好"} for i in base_items(template)]
    rows[0]["score"] = str(base_items(template)[0].points - short)
    return {"scores": rows}


@pytest.mark.parametrize("path", ["templates", "rounds", "branch-assessments"])
def test_anonymous_refused(world, path):
    assert api(None).get(f"{BASE}/{path}/").status_code in (401, 403)


def test_templates_read_by_officers(world, template):
    response = api(world.secretary_a).get(f"{BASE}/templates/{template.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert len(data["indicators"]) == 6
    assert data["indicators"][0]["items"][0]["elements"][0] == {"name": "健全", "points": 2.0}
    assert data["indicators"][5]["items"][0]["bonus_rule"][0] == {"option": "国家级", "points": 3}


@pytest.mark.parametrize("path", ["templates/", "rounds/", "branch-assessments/"])
def test_members_are_refused_like_on_the_screens(world, template, path):
    # review: a plain member was given 200 with an empty list (the screens say 403)
    response = api(world.member_user).get(f"{BASE}/{path}")
    assert response.status_code == 403 and "书记、委员" in response.json()["detail"]


def test_round_create_by_department_only(world, template):
    payload = {
        "template": template.pk,
        "year": 2025,
        "organisation": world.committee.pk,
        "self_due": "2025-11-30",
    }
    refused = api(world.gb_secretary_a).post(f"{BASE}/rounds/", payload, format="json")
    assert refused.status_code == 403 and "党委组织部" in refused.json()["detail"]
    assert api(world.member_user).post(f"{BASE}/rounds/", payload, format="json").status_code == 403
    bad = api(world.org_officer).post(
        f"{BASE}/rounds/", {**payload, "self_due": "2025-12-31"}, format="json"
    )
    assert bad.status_code == 400 and "自评截止日期" in bad.json()["self_due"][0]
    created = api(world.org_officer).post(f"{BASE}/rounds/", payload, format="json")
    assert created.status_code == 201 and created.json()["finish_by"] == "2025-12-15"
    rid = created.json()["id"]
    assert api(world.secretary_a).get(f"{BASE}/rounds/{rid}/").status_code == 200
    assert len(api(world.secretary_a).get(f"{BASE}/rounds/", {"year": 2025}).json()["results"]) == 1
    assert api(world.secretary_a).get(f"{BASE}/rounds/", {"year": 2024}).json()["results"] == []
    assert api(world.member_user).get(f"{BASE}/rounds/{rid}/").status_code == 403


def test_branch_assessments_scoped(world, round_, ass_a, ass_b):
    rows = api(world.secretary_a).get(f"{BASE}/branch-assessments/").json()["results"]
    assert [r["id"] for r in rows] == [ass_a.pk]
    assert api(world.secretary_b).get(f"{BASE}/branch-assessments/{ass_a.pk}/").status_code == 404
    rows = api(world.org_officer).get(f"{BASE}/branch-assessments/", {"round": round_.pk}).json()
    assert len(rows["results"]) == 2
    detail = api(world.gb_secretary_a).get(f"{BASE}/branch-assessments/{ass_a.pk}/").json()
    assert len(detail["scores"]) == 16 and detail["state"] == "self_scoring"
    bad = api(world.org_officer).get(f"{BASE}/branch-assessments/", {"state": "x"})
    assert bad.status_code == 400 and "无效的取值" in bad.json()["state"][0]


def test_the_whole_cycle_through_the_api(world, template, ass_a):
    url = f"{BASE}/branch-assessments/{ass_a.pk}"
    branch, group = api(world.secretary_a), api(world.gb_secretary_a)
    # the group cannot self-score; the branch can
    refused = group.post(f"{url}/self-scores/", scores(template), format="json")
    assert refused.status_code == 403 and "本支部的书记、委员" in refused.json()["detail"]
    bad = scores(template)
    bad["scores"][0]["score"] = "5.5"
    response = branch.post(f"{url}/self-scores/", bad, format="json")
    assert response.status_code == 400 and "0～5分" in str(response.json())
    assert branch.post(f"{url}/self-scores/", scores(template), format="json").status_code == 200
    claim = branch.post(
        f"{url}/bonus-claims/",
        {
            "item": bonus_item(template, 18).pk,
            "option": "省部级",
            "description": "报道",
            "count": 2,
        },
        format="json",
    )
    assert claim.status_code == 201 and claim.json()["points"] == 4
    response = branch.post(f"{url}/submit/")
    assert response.status_code == 200 and response.json()["self_total"] == 104
    # the branch cannot score itself
    refused = branch.post(f"{url}/group-scores/", scores(template), format="json")
    assert refused.status_code == 403 and "不能考评本支部" in refused.json()["detail"]
    assert (
        group.post(f"{url}/group-scores/", scores(template, short=1), format="json").status_code
        == 200
    )
    not_reviewed = group.post(f"{url}/score/")
    assert not_reviewed.status_code == 400 and "尚未认定" in not_reviewed.json()["state"][0]
    review = group.post(
        f"{url}/review-claim/", {"claim": claim.json()["id"], "accepted": True}, format="json"
    )
    assert review.status_code == 200 and review.json()["accepted"] is True
    scored = group.post(f"{url}/score/").json()
    assert scored["total"] == 103 and scored["grade"] == "优秀" and scored["funding"] == 240
    veto = group.post(f"{url}/veto/", {"vetoed": True}, format="json")
    assert veto.status_code == 400 and "否决事由" in veto.json()["veto_reason"][0]
    veto = group.post(f"{url}/veto/", {"vetoed": True, "reason": "党员受处分"}, format="json")
    assert veto.json()["grade"] == "不合格"
    notice = group.post(f"{url}/notify/", {}, format="json").json()
    assert notice["state"] == "notified"
    assert notice["appeal_due"] == (timezone.localdate() + timedelta(days=7)).isoformat()
    assert "不合格" in notice["notice_text"]
    appeal = branch.post(f"{url}/appeal/", {"reason": "处分不在本考核年度"}, format="json")
    assert appeal.status_code == 200 and appeal.json()["appeal"]["state"] == "pending"
    answer = group.post(f"{url}/answer/", {"answer": "维持"}, format="json")
    assert answer.json()["state"] == "reviewed" and answer.json()["result_fixed"] is True
    assert answer.json()["appeal"]["answered_late"] is False


def test_appeal_day_8_refused_in_chinese(world, template, ass_a):
    notified(world, template, ass_a, days_ago=8)
    response = api(world.secretary_a).post(
        f"{BASE}/branch-assessments/{ass_a.pk}/appeal/", {"reason": "异议"}, format="json"
    )
    assert response.status_code == 400
    assert "一周内向考核领导小组申请复核" in response.json()["reason"][0]


def test_claims_withdraw_and_other_assessments_claims(world, template, ass_a, ass_b):
    c = services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=ass_a,
        item=bonus_item(template, 19),
        option="有推广价值的先进工作经验",
        description="经验",
    )
    # a claim of another assessment is not found through this one
    response = api(world.secretary_b).post(
        f"{BASE}/branch-assessments/{ass_b.pk}/withdraw-claim/", {"claim": c.pk}, format="json"
    )
    assert response.status_code == 404
    response = api(world.secretary_a).post(
        f"{BASE}/branch-assessments/{ass_a.pk}/withdraw-claim/", {"claim": c.pk}, format="json"
    )
    assert response.status_code == 204 and not BonusClaim.objects.exists()
    wrong = api(world.secretary_a).post(
        f"{BASE}/branch-assessments/{ass_a.pk}/bonus-claims/",
        {"item": base_items(template)[0].pk, "option": "校级", "description": "x"},
        format="json",
    )
    assert wrong.status_code == 400 and "附加分项目" in wrong.json()["item"][0]


def test_funding_and_secretary_grades(world, template, round_, ass_a):
    notified(world, template, ass_a)
    rows = api(world.org_officer).get(f"{BASE}/rounds/{round_.pk}/funding/").json()
    assert [(r["branch_name"], r["amount"], r["estimated"]) for r in rows] == [
        ("机关一支部", 240, False),
        ("信息工程学院学生支部", 200, True),
    ]
    mine = api(world.secretary_a).get(f"{BASE}/rounds/{round_.pk}/funding/").json()
    assert [r["branch_name"] for r in mine] == ["机关一支部"]
    grades = api(world.org_officer).get(f"{BASE}/rounds/{round_.pk}/secretary-grades/").json()
    assert grades[0]["general_branch_name"] == "机关党总支" and grades[0]["grade"] == "优秀"
    assert grades[1]["grade"] is None


def test_reopen_by_group(world, template, ass_a):
    submitted(world, template, ass_a)
    url = f"{BASE}/branch-assessments/{ass_a.pk}/reopen/"
    assert api(world.secretary_a).post(url, {}, format="json").status_code == 403
    response = api(world.org_officer).post(url, {"reason": "补充材料"}, format="json")
    assert response.json()["state"] == "self_scoring"


def test_list_query_counts_do_not_grow(world, template):
    def make(n, code):
        gb = make_org(world.committee, name=f"总支{code}", code=code)
        for i in range(n):
            make_org(gb, name=f"支部{code}{i}", code=f"{code}{i}")
        r = services.round_create(
            actor=world.org_officer,
            template=template,
            year=2025,
            organisation=gb,
            self_due=date(2025, 11, 30),
            kind="special",
            title=f"专项{code}",
        )
        return r

    client = api(world.org_officer)
    counts = []
    for r in (make(2, "S"), make(10, "L")):
        urls = [
            f"{BASE}/branch-assessments/?round={r.pk}",
            f"{BASE}/rounds/{r.pk}/funding/",
            f"{BASE}/rounds/{r.pk}/secretary-grades/",
            f"{BASE}/rounds/",
            f"{BASE}/templates/",
        ]
        with assert_num_queries(counts[0] if counts else None) as ctx:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(ctx)
    assert BranchAssessment.objects.count() == 12


def test_huge_or_malformed_ids_are_400_not_500(world, template, round_, ass_a):
    # review: ?round=<21 digits> and an item id of 21 digits overflowed the database (500)
    huge = 10**21
    lists = api(world.org_officer).get(f"{BASE}/branch-assessments/", {"round": huge})
    assert lists.status_code == 400 and "round" in lists.json()
    lists = api(world.org_officer).get(f"{BASE}/branch-assessments/", {"branch": huge})
    assert lists.status_code == 400 and "branch" in lists.json()
    assert api(world.org_officer).get(f"{BASE}/rounds/", {"year": huge}).status_code == 400
    url = f"{BASE}/branch-assessments/{ass_a.pk}"
    branch = api(world.secretary_a)
    response = branch.post(
        f"{url}/self-scores/", {"scores": [{"item": huge, "score": "1"}]}, format="json"
    )
    assert response.status_code == 400 and "item" in response.json()["scores"]["0"]
    response = branch.post(
        f"{url}/bonus-claims/",
        {"item": huge, "option": "国家级", "description": "x"},
        format="json",
    )
    assert response.status_code == 400
    for action in ("review-claim", "withdraw-claim"):
        response = api(world.org_officer).post(
            f"{url}/{action}/", {"claim": huge, "accepted": True}, format="json"
        )
        assert response.status_code == 400, action
    assert api(world.org_officer).get(f"{BASE}/branch-assessments/{huge}/").status_code == 404
