"""REST API of member duty evaluation: scoping as in the screens, 400/403 in Chinese, members
read only their own published results, query counts."""

from decimal import Decimal as D

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.appraisal import services
from dangjian.appraisal.models import (
    BranchRating,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    MemberRectification,
    SelfReport,
)
from tests.appraisal.conftest import window_today
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/appraisal"
LISTS = ["cycles", "results", "self-reports", "ratings", "honours", "rectifications"]


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def result_of(cycle, person):
    return EvaluationResult.objects.get(cycle=cycle, person=person)


@pytest.mark.parametrize("path", LISTS)
def test_anonymous_refused(world, path):
    assert api(None).get(f"{BASE}/{path}/").status_code in (401, 403)


def test_create_cycle_and_refusals(world, chief):
    start, end = window_today()
    payload = {
        "organisation": world.committee.pk,
        "kind": "quarter",
        "year": 2026,
        "period": 2,
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "weight_self": "20",
        "weight_masses": "30",
        "weight_branch": "50",
        "min_responses": 3,
    }
    bad = api(chief).post(f"{BASE}/cycles/", {**payload, "weight_self": "20.1"}, format="json")
    assert bad.status_code == 400 and "100.1" in bad.json()["weight_branch"][0]
    response = api(chief).post(f"{BASE}/cycles/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind_display"] == "一季一评" and body["period_label"] == "2026年第二季度"
    assert len(body["surveys"]) == 3 and body["bands"][0] == [90, "优秀"]
    # out of scope: the organisation is not editable by them (400, not found in their scope)
    other = api(world.secretary_b).post(
        f"{BASE}/cycles/", {**payload, "organisation": world.branch_a.pk}, format="json"
    )
    assert other.status_code == 400 and "organisation" in other.json()
    assert api(world.member_user).post(f"{BASE}/cycles/", payload, format="json").status_code == 403
    duplicate = api(chief).post(f"{BASE}/cycles/", payload, format="json")
    assert duplicate.status_code == 400 and "不能重复创建" in duplicate.json()["period"][0]


def test_cycle_visibility(world, live, make_cycle):
    own = make_cycle(actor=world.secretary_a, organisation=world.branch_a, period=1)
    ids = lambda user: {c["id"] for c in api(user).get(f"{BASE}/cycles/").json()["results"]}  # noqa: E731
    assert ids(world.org_officer) == {live.pk, own.pk}
    assert ids(world.secretary_a) == {live.pk, own.pk}
    assert ids(world.secretary_b) == {live.pk}  # the committee's, not branch_a's
    assert ids(world.member_user) == {live.pk, own.pk}  # cycles they are evaluated in
    assert ids(make_user(make_person(world.branch_b, status="activist"))) == set()
    assert api(world.secretary_b).get(f"{BASE}/cycles/{own.pk}/").status_code == 404


def test_progress_compute_publish(world, live, rate_all, vote):
    today = timezone.localdate()
    progress = api(world.org_officer).get(f"{BASE}/cycles/{live.pk}/progress/")
    assert progress.status_code == 200
    data = progress.json()
    assert data["totals"]["members"] == 6 and data["blockers"]
    assert {r["organisation_name"] for r in data["rows"]} == {
        "机关一支部",
        "信息工程学院学生支部",
        "机关党总支",
    }
    branch_b = api(world.secretary_b).get(f"{BASE}/cycles/{live.pk}/progress/").json()
    assert [r["organisation_name"] for r in branch_b["rows"]] == ["信息工程学院学生支部"]
    assert branch_b["blockers"] == []  # not theirs to compute
    assert api(world.member_user).get(f"{BASE}/cycles/{live.pk}/progress/").status_code == 403
    refused = api(world.org_officer).post(f"{BASE}/cycles/{live.pk}/compute/")
    assert refused.status_code == 400 and "综合评定" in " ".join(refused.json()["non_field_errors"])
    early = api(world.org_officer).post(f"{BASE}/cycles/{live.pk}/publish/")
    assert early.status_code == 400 and "尚未计算" in early.json()["state"][0]
    rate_all(live, today=today)
    vote(live, today=today)
    forbidden = api(world.secretary_a).post(f"{BASE}/cycles/{live.pk}/compute/")
    assert forbidden.status_code == 403 and "书记" in forbidden.json()["detail"]
    assert api(world.member_user).post(f"{BASE}/cycles/{live.pk}/compute/").status_code == 403
    done = api(world.org_officer).post(f"{BASE}/cycles/{live.pk}/compute/")
    assert done.status_code == 200 and done.json()["state"] == "computed"
    published = api(world.org_officer).post(f"{BASE}/cycles/{live.pk}/publish/")
    assert published.status_code == 200 and published.json()["state_display"] == "已公布"


def test_results_members_read_only_their_own_published(world, computed):
    member = api(world.member_user)
    assert member.get(f"{BASE}/results/").json()["results"] == []
    a = result_of(computed, world.member_a)
    assert member.get(f"{BASE}/results/{a.pk}/").status_code == 404
    services.cycle_publish(actor=world.org_officer, cycle=computed)
    rows = member.get(f"{BASE}/results/").json()["results"]
    assert [r["person_name"] for r in rows] == ["赵党员"]
    assert rows[0]["final_score"] == "95.5" and rows[0]["grade"] == "优秀"
    b = result_of(computed, world.member_b)
    assert member.get(f"{BASE}/results/{b.pk}/").status_code == 404
    officer = api(world.secretary_b).get(f"{BASE}/results/", {"cycle": computed.pk}).json()
    assert {r["person_name"] for r in officer["results"]} == {"李书记", "钱党员"}
    graded = api(world.org_officer).get(f"{BASE}/results/", {"grade": "不称职"}).json()
    assert [r["person_name"] for r in graded["results"]] == ["钱党员"]
    in_org = api(world.org_officer).get(f"{BASE}/results/", {"organisation": world.gb_a.pk}).json()
    assert {r["person_name"] for r in in_org["results"]} == {
        "张书记",
        "赵党员",
        "孙书记",
        "王总支书记",
    }
    assert api(world.secretary_b).get(f"{BASE}/results/{a.pk}/").status_code == 404


def test_self_reports(world, live):
    member = api(world.member_user)
    payload = {"cycle": live.pk, "report": "认真履职", "self_score": "90.5"}
    response = member.post(f"{BASE}/self-reports/", payload, format="json")
    assert response.status_code == 201, response.json()
    again = member.post(f"{BASE}/self-reports/", {**payload, "self_score": "91"}, format="json")
    assert again.status_code == 200 and again.json()["self_score"] == "91.0"
    pk = response.json()["id"]
    patched = member.patch(f"{BASE}/self-reports/{pk}/", {"report": "修改"}, format="json")
    assert patched.status_code == 200 and patched.json()["report"] == "修改"
    bad = member.post(f"{BASE}/self-reports/", {**payload, "self_score": "101"}, format="json")
    assert bad.status_code == 400 and "self_score" in bad.json()
    # someone else's report: not visible, so not changeable
    other = make_user(world.member_b)
    assert api(other).patch(f"{BASE}/self-reports/{pk}/", {"report": "x"}).status_code == 404
    assert api(world.secretary_a).get(f"{BASE}/self-reports/{pk}/").status_code == 200
    assert api(world.secretary_b).get(f"{BASE}/self-reports/{pk}/").status_code == 404
    # an officer changing a member's report through the API: refused naming the rule
    refused = api(world.secretary_a).patch(f"{BASE}/self-reports/{pk}/", {"report": "x"})
    assert refused.status_code == 403 and "本人" in refused.json()["detail"]
    assert SelfReport.objects.get().report == "修改"


def test_ratings_bulk(world, live):
    officer = api(world.secretary_a)
    payload = {
        "cycle": live.pk,
        "ratings": [
            {"ratee": world.member_a.pk, "score": "88", "comment": "好"},
            {"ratee": live.results.get(person__name="孙书记").person_id, "score": "90"},
        ],
    }
    response = officer.post(f"{BASE}/ratings/bulk/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert len(response.json()) == 2 and BranchRating.objects.count() == 2
    own = officer.post(
        f"{BASE}/ratings/bulk/",
        {"cycle": live.pk, "ratings": [{"ratee": world.secretary_a.person_id, "score": "99"}]},
        format="json",
    )
    assert own.status_code == 403 and "本人" in own.json()["detail"]
    # member_b is not visible to secretary_a: 400 (out of scope), nothing saved
    scope = officer.post(
        f"{BASE}/ratings/bulk/",
        {"cycle": live.pk, "ratings": [{"ratee": world.member_b.pk, "score": "80"}]},
        format="json",
    )
    assert scope.status_code == 400
    empty = officer.post(f"{BASE}/ratings/bulk/", {"cycle": live.pk, "ratings": []}, format="json")
    assert empty.status_code == 400
    assert api(world.member_user).get(f"{BASE}/ratings/").status_code == 403
    assert len(api(world.secretary_b).get(f"{BASE}/ratings/").json()["results"]) == 0
    assert len(api(world.gb_secretary_a).get(f"{BASE}/ratings/").json()["results"]) == 2


def test_honours_and_rectifications(world, computed):
    a, b = result_of(computed, world.member_a), result_of(computed, world.member_b)
    refused = api(world.secretary_b).post(
        f"{BASE}/honours/", {"result": b.pk, "kind": "excellent_member"}, format="json"
    )
    assert refused.status_code == 400 and "只有考评等次为优秀" in refused.json()["kind"][0]
    created = api(world.secretary_a).post(
        f"{BASE}/honours/", {"result": a.pk, "kind": "pioneer_post"}, format="json"
    )
    assert created.status_code == 201 and created.json()["kind_display"] == "党员示范（先锋）岗"
    pk = created.json()["id"]
    # the member reads their honour and their rectification with the published result
    assert api(world.member_user).get(f"{BASE}/honours/{pk}/").status_code == 404
    services.cycle_publish(actor=world.org_officer, cycle=computed)
    assert api(world.member_user).get(f"{BASE}/honours/{pk}/").status_code == 200  # own
    assert api(world.member_user).delete(f"{BASE}/honours/{pk}/").status_code == 403
    assert api(world.secretary_b).delete(f"{BASE}/honours/{pk}/").status_code == 404
    assert api(world.secretary_a).delete(f"{BASE}/honours/{pk}/").status_code == 204
    assert not Honour.objects.exists()

    item = MemberRectification.objects.get()
    member_b = api(make_user(world.member_b))
    early = member_b.post(f"{BASE}/rectifications/{item.pk}/complete/", {"measures": "改"})
    assert early.status_code == 400 and "解释和说明" in early.json()["state"][0]
    assert member_b.post(f"{BASE}/rectifications/{item.pk}/explain/", {}).status_code == 403
    no_date = api(world.secretary_b).post(f"{BASE}/rectifications/{item.pk}/explain/", {})
    assert no_date.status_code == 400 and "explained_on" in no_date.json()
    today = timezone.localdate().isoformat()
    explained = api(world.secretary_b).post(
        f"{BASE}/rectifications/{item.pk}/explain/", {"explained_on": today}
    )
    assert explained.status_code == 200 and explained.json()["state"] == "explained"
    done = member_b.post(f"{BASE}/rectifications/{item.pk}/complete/", {"measures": "已整改"})
    assert done.status_code == 200 and done.json()["state_display"] == "已整改"
    assert member_b.post(f"{BASE}/rectifications/{item.pk}/verify/").status_code == 403
    assert (
        api(world.secretary_a).post(f"{BASE}/rectifications/{item.pk}/verify/").status_code == 404
    )
    verified = api(world.secretary_b).post(f"{BASE}/rectifications/{item.pk}/verify/")
    assert verified.status_code == 200 and verified.json()["verified_on"] == today
    assert api(world.member_user).get(f"{BASE}/rectifications/").json()["results"] == []


def _count(user, path, expected=None):
    """The queries of listing `path` as `user`; with `expected` (a baseline), the same count."""
    user = type(user).objects.get(pk=user.pk)  # no scope cached from an earlier request
    with assert_num_queries(expected, path) as log:
        assert api(user).get(path).status_code == 200
    return log


def _evaluated(world, ready, period, poor):
    """A computed cycle with a self-report, ratings, ballots, an honour for the best and a
    rectification for each of `poor`."""
    from tests.appraisal.conftest import IN_WINDOW

    cycle = ready(period=period)
    services.self_report_submit(
        actor=world.member_user, cycle=cycle, report="好", self_score=D(100), today=IN_WINDOW
    )
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_a).update(score=D(100))
    BranchRating.objects.filter(cycle=cycle, ratee__in=poor).update(score=D(10))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    services.honour_award(
        actor=world.org_officer,
        result=result_of(cycle, world.member_a),
        kind=["excellent_member", "pioneer_post", "reserve_cadre"][period - 1],
    )
    return cycle


def test_api_list_query_counts(world, ready):
    _evaluated(world, ready, 1, [world.member_b])
    counts = {p: _count(world.org_officer, f"{BASE}/{p}/") for p in LISTS}
    member_counts = {p: _count(world.member_user, f"{BASE}/{p}/") for p in ("cycles", "honours")}
    for i in range(8):
        make_person(world.branch_b, name=f"新党员{i}")
    _evaluated(world, ready, 2, [world.member_b, world.secretary_b.person])
    _evaluated(world, ready, 3, [world.member_b])
    assert EvaluationCycle.objects.count() == 3 and MemberRectification.objects.count() == 4
    for path in LISTS:
        _count(world.org_officer, f"{BASE}/{path}/", counts[path])
    for path, n in member_counts.items():
        _count(world.member_user, f"{BASE}/{path}/", n)
