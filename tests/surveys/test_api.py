"""REST API of the surveys app: officers scoped as in the screens, the public answer sheet and
ballot endpoints with no login, and no response that ties an answer to a respondent."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from dangjian.surveys import services
from dangjian.surveys.models import SurveyBallot, SurveyKind, SurveyToken
from tests.factories import make_person
from tests.harness import assert_num_queries, capture_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/surveys"


def api(user=None, **kwargs):
    client = APIClient(**kwargs)
    if user is not None:
        client.force_authenticate(user)
    return client


def _keys(data):
    """Every key anywhere in a JSON answer."""
    if isinstance(data, dict):
        return set(data) | set().union(*(_keys(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_keys(v) for v in data)) if data else set()
    return set()


def test_officer_endpoints_refuse_members_and_anonymous(world, rating):
    for path in ("", f"{rating.pk}/", f"{rating.pk}/result/"):
        assert api().get(f"{BASE}/{path}").status_code in (401, 403)
        assert api(world.member_user).get(f"{BASE}/{path}").status_code == 403
    for path in (f"{rating.pk}/issue/", f"{rating.pk}/close/"):
        assert api().post(f"{BASE}/{path}", {"count": 1}).status_code in (401, 403)
        assert api(world.member_user).post(f"{BASE}/{path}", {"count": 1}).status_code == 403
    assert not SurveyToken.objects.exists()


def test_other_branch_gets_404_and_filtered_lists(world, rating, satisfaction):
    for path in (f"{rating.pk}/", f"{rating.pk}/result/"):
        assert api(world.secretary_b).get(f"{BASE}/{path}").status_code == 404
        assert api(world.secretary_a).get(f"{BASE}/{path}").status_code == 200
    for path in (f"{rating.pk}/issue/", f"{rating.pk}/close/"):
        assert api(world.secretary_b).post(f"{BASE}/{path}", {"count": 1}).status_code == 404
    assert [s["id"] for s in api(world.secretary_a).get(f"{BASE}/").json()["results"]] == [
        rating.pk
    ]
    assert [s["id"] for s in api(world.secretary_b).get(f"{BASE}/").json()["results"]] == [
        satisfaction.pk
    ]
    everything = api(world.org_officer).get(f"{BASE}/").json()["results"]
    assert {s["id"] for s in everything} == {rating.pk, satisfaction.pk}
    out_of_scope = api(world.secretary_b).get(f"{BASE}/", {"org": world.branch_a.pk}).json()
    assert out_of_scope["results"] == []
    kinds = api(world.org_officer).get(f"{BASE}/", {"kind": "member_rating"}).json()["results"]
    assert [s["id"] for s in kinds] == [rating.pk]
    bad = api(world.org_officer).get(f"{BASE}/", {"state": "done"})
    assert bad.status_code == 400 and "无效的取值" in bad.json()["state"][0]


def test_create_issue_close(world, today):
    client = api(world.secretary_a)
    payload = {
        "organisation": world.branch_a.pk,
        "kind": "member_rating",
        "title": "党员民意测评",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=7)).isoformat(),
        "min_responses": 3,
        "subjects": [world.member_a.pk],
    }
    refused = client.post(f"{BASE}/", {**payload, "min_responses": 2}, format="json")
    assert refused.status_code == 400 and "不能少于3票" in refused.json()["min_responses"][0]
    none = client.post(f"{BASE}/", {**payload, "subjects": []}, format="json")
    assert none.status_code == 400 and "须选择被测评的党员" in none.json()["subjects"][0]
    outside = client.post(f"{BASE}/", {**payload, "subjects": [world.member_b.pk]}, format="json")
    assert outside.status_code == 400 and "管理范围" in outside.json()["subjects"][0]
    other = api(world.secretary_b).post(f"{BASE}/", payload, format="json")
    assert other.status_code == 400 and "organisation" in other.json()
    created = client.post(f"{BASE}/", payload, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["subjects"] == [{"id": world.member_a.pk, "name": "赵党员"}]
    assert (body["issued"], body["responses"], body["result_visible"]) == (0, 0, False)
    assert body["kind_display"] == "党员民意测评" and body["batches"] == []
    pk = body["id"]
    issued = client.post(f"{BASE}/{pk}/issue/", {"count": 3}, format="json")
    assert issued.status_code == 201
    data = issued.json()
    assert data["batch"] == 1 and data["count"] == 3
    assert [link["number"] for link in data["links"]] == [1, 2, 3]
    assert all(link["url"].startswith("http://testserver/surveys/t/") for link in data["links"])
    too_many = client.post(f"{BASE}/{pk}/issue/", {"count": 501}, format="json")
    assert too_many.status_code == 400 and "每批发放1～500个链接" in too_many.json()["count"][0]
    detail = client.get(f"{BASE}/{pk}/").json()
    assert detail["batches"] == [{"batch": 1, "issued": 3, "used": 0}]
    closed = client.post(f"{BASE}/{pk}/close/")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    again = client.post(f"{BASE}/{pk}/close/")
    assert again.status_code == 400 and "已经结束" in again.json()["state"][0]


def test_result_only_counts_below_the_minimum(world, rating, issue, cast):
    tokens = issue(rating, 4)
    cast(tokens[0], rating, value="basic", comment="多联系群众")
    client = api(world.secretary_a)
    hidden = client.get(f"{BASE}/{rating.pk}/result/").json()
    assert hidden == {
        "survey": rating.pk,
        "issued": 4,
        "responses": 1,
        "minimum": 3,
        "visible": False,
        "subjects": [],
        "satisfaction_rate": None,
        "comments": [],
    }
    for token in tokens[1:3]:
        cast(token, rating, value="excellent")
    shown = client.get(f"{BASE}/{rating.pk}/result/").json()
    assert shown["visible"] and shown["responses"] == 3 and shown["comments"] == ["多联系群众"]
    first = shown["subjects"][0]
    assert first["name"] == "张书记" and first["count"] == 3 and first["grade"] == "称职"
    assert first["score"] == "86.66"  # 260 / 3, cut (never rounded up: it feeds a member's grade)
    assert first["distribution"][0] == {"rating": "excellent", "label": "优秀", "count": 2}
    assert not {"cast_on", "ballot", "token", "created_at", "ballots"} & _keys(shown)


def test_satisfaction_result_rate(world, satisfaction, issue, cast):
    tokens = issue(satisfaction, 3)
    for token, value in zip(tokens, ["satisfied", "dissatisfied", "fairly_satisfied"], strict=True):
        cast(token, satisfaction, value=value)
    shown = api(world.secretary_b).get(f"{BASE}/{satisfaction.pk}/result/").json()
    assert shown["satisfaction_rate"] == "66.67"
    assert shown["subjects"][0]["subject"] is None
    assert shown["subjects"][0]["satisfaction_rate"] == "66.67"


def test_list_query_count_does_not_grow(world, today):
    def make(n):
        for i in range(n):
            s = services.survey_create(
                actor=world.secretary_a,
                organisation=world.branch_a,
                kind=SurveyKind.MEMBER_RATING,
                title=f"测评{i}",
                opens_on=today,
                closes_on=today,
                min_responses=3,
                subjects=[world.member_a, world.secretary_a.person],
            )
            services.tokens_issue(actor=world.secretary_a, survey=s, count=2)

    client = api(world.secretary_a)
    make(2)
    with capture_queries() as small:
        assert len(client.get(f"{BASE}/").json()["results"]) == 2
    make(8)
    with assert_num_queries(small):
        assert len(client.get(f"{BASE}/").json()["results"]) == 10


# --- public --------------------------------------------------------------------------------


def test_public_form(world, rating, issue):
    (token,) = issue(rating, 1)
    response = api().get(f"{BASE}/forms/{token}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    body = response.json()
    assert body["title"] == rating.title and body["organisation_name"] == "机关一支部"
    assert body["answerable"] is True and body["message"] == ""
    assert body["subjects"] == [
        {"id": world.secretary_a.person_id, "name": "张书记"},
        {"id": world.member_a.pk, "name": "赵党员"},
    ]
    assert [c["label"] for c in body["ratings"]] == ["优秀", "称职", "基本称职", "不称职"]
    unknown = api().get(f"{BASE}/forms/nothing/")
    assert unknown.status_code == 404 and unknown.json()["detail"] == services.TOKEN_INVALID


def test_public_ballot_then_used(world, rating, issue):
    (token,) = issue(rating, 1)
    payload = {
        "token": token,
        "ratings": [
            {"subject": world.member_a.pk, "rating": "excellent"},
            {"subject": world.secretary_a.person_id, "rating": "competent"},
        ],
        "comment": "好",
    }
    # credentials are not read at all: a signed-in client needs no CSRF token either
    signed_in = APIClient(enforce_csrf_checks=True)
    signed_in.force_login(world.secretary_a)
    response = signed_in.post(f"{BASE}/ballots/", payload, format="json")
    assert response.status_code == 201
    assert (
        response.json() == {"detail": response.json()["detail"]}
        and "匿名" in response.json()["detail"]
    )
    again = api().post(f"{BASE}/ballots/", payload, format="json")
    assert again.status_code == 400 and again.json()["token"] == [services.TOKEN_USED]
    assert SurveyBallot.objects.count() == 1
    used = api().get(f"{BASE}/forms/{token}/")
    assert used.status_code == 410 and used.json()["detail"] == services.TOKEN_USED


def test_public_ballot_refusals_in_chinese(world, rating, satisfaction, issue):
    (token,) = issue(rating, 1)
    client = api()
    missing = client.post(
        f"{BASE}/ballots/",
        {"token": token, "ratings": [{"subject": world.member_a.pk, "rating": "excellent"}]},
        format="json",
    )
    assert missing.status_code == 400 and "未评价" in missing.json()["ratings"][0]
    twice = client.post(
        f"{BASE}/ballots/",
        {
            "token": token,
            "ratings": [
                {"subject": world.member_a.pk, "rating": "excellent"},
                {"subject": world.member_a.pk, "rating": "basic"},
            ],
        },
        format="json",
    )
    assert twice.status_code == 400 and "只能评价一次" in str(twice.json()["ratings"])
    bogus = client.post(
        f"{BASE}/ballots/",
        {"token": token, "ratings": [{"subject": world.member_a.pk, "rating": "great"}]},
        format="json",
    )
    assert bogus.status_code == 400 and "无效的取值" in str(bogus.json()["ratings"])
    long = client.post(
        f"{BASE}/ballots/",
        {"token": token, "ratings": [], "comment": "字" * 501},
        format="json",
    )
    assert long.status_code == 400 and long.json()["comment"] == ["意见建议不能超过500字。"]
    unknown = client.post(f"{BASE}/ballots/", {"token": "x", "ratings": []}, format="json")
    assert unknown.status_code == 400 and unknown.json()["token"] == [services.TOKEN_INVALID]
    assert not SurveyBallot.objects.exists() and not SurveyToken.objects.filter(used=True).exists()
    (branch_token,) = issue(satisfaction, 1)
    ok = client.post(
        f"{BASE}/ballots/",
        {"token": branch_token, "ratings": [{"rating": "satisfied"}]},
        format="json",
    )
    assert ok.status_code == 201


def test_public_form_of_a_survey_not_open(world, today, issue):
    later = services.survey_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        kind="branch_satisfaction",
        title="下月的满意度测评",
        opens_on=today + timedelta(days=3),
        closes_on=today + timedelta(days=10),
        min_responses=3,
    )
    (token,) = issue(later, 1)
    body = api().get(f"{BASE}/forms/{token}/").json()
    assert body["answerable"] is False and "尚未开始" in body["message"]
    assert body["subjects"] == [] and len(body["ratings"]) == 3
    refused = api().post(
        f"{BASE}/ballots/", {"token": token, "ratings": [{"rating": "satisfied"}]}, format="json"
    )
    assert refused.status_code == 400 and "尚未开始" in refused.json()["token"][0]


def test_public_endpoints_throttled(world, rating, issue, settings):
    settings.SURVEY_PUBLIC_RATE = "3/min"
    (token,) = issue(rating, 1)
    client = api()
    statuses = [client.get(f"{BASE}/forms/{token}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    throttled = client.post(f"{BASE}/ballots/", {"token": token, "ratings": []}, format="json")
    assert throttled.status_code == 429
    assert not SurveyToken.objects.get(token=token).used


def test_throttle_counts_the_visitor_not_a_forged_header(world, rating, issue, settings):
    settings.SURVEY_PUBLIC_RATE = "2/min"
    (token,) = issue(rating, 1)
    client = api()
    for n in range(2):
        forged = {"HTTP_X_FORWARDED_FOR": f"10.0.0.{n}"}
        assert client.get(f"{BASE}/forms/{token}/", **forged).status_code == 200
    forged = {"HTTP_X_FORWARDED_FOR": "10.0.0.9"}
    assert client.get(f"{BASE}/forms/{token}/", **forged).status_code == 429
    # another visitor (address) has a budget of their own
    other = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.get(f"{BASE}/forms/{token}/", **other).status_code == 200


# --- review: bad input, rules, small batches ----------------------------------------------------


def test_malformed_token_is_404_or_400_never_500(world, rating, issue):
    response = api().get(f"{BASE}/forms/a%00b/")
    assert response.status_code == 404 and response.json()["detail"] == services.TOKEN_INVALID
    assert response["Cache-Control"] == "no-store"
    for token in ("a\x00b", "x" * 65, ["x"]):
        refused = api().post(f"{BASE}/ballots/", {"token": token, "ratings": []}, format="json")
        assert refused.status_code == 400 and "token" in refused.json()


def test_create_refuses_non_members_and_groups(world, today):
    masses = make_person(world.branch_a, name="孙群众", status="masses")
    payload = {
        "organisation": world.branch_a.pk,
        "kind": "member_rating",
        "title": "党员民意测评",
        "opens_on": today.isoformat(),
        "closes_on": today.isoformat(),
        "min_responses": 3,
        "subjects": [world.member_a.pk, masses.pk],
    }
    client = api(world.secretary_a)
    refused = client.post(f"{BASE}/", payload, format="json")
    assert refused.status_code == 400 and "孙群众" in refused.json()["subjects"][0]
    group = {**payload, "organisation": world.group_a.pk, "kind": "branch_satisfaction"}
    del group["subjects"]
    refused = client.post(f"{BASE}/", group, format="json")
    assert refused.status_code == 400 and "党小组" in refused.json()["organisation"][0]


def test_detail_gives_no_per_batch_count_when_a_batch_is_small(world, rating, issue, cast):
    tokens = issue(rating, 3)
    cast(tokens[0], rating)
    client = api(world.secretary_a)
    assert client.get(f"{BASE}/{rating.pk}/").json()["batches"] == [
        {"batch": 1, "issued": 3, "used": 1}
    ]
    issue(rating, 1)
    assert client.get(f"{BASE}/{rating.pk}/").json()["batches"] == [
        {"batch": 1, "issued": 3, "used": None},
        {"batch": 2, "issued": 1, "used": None},
    ]


def test_no_officer_response_names_a_link_or_a_ballot(world, rating, issue, cast):
    tokens = issue(rating, 3)
    for token in tokens:
        cast(token, rating, comment="意见")
    client = api(world.secretary_a)
    for path in ("", f"{rating.pk}/", f"{rating.pk}/result/"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 200
        text = response.content.decode()
        assert not any(token in text for token in tokens)
        assert not {"cast_on", "ballot", "ballots", "token", "tokens", "used_at"} & _keys(
            response.json()
        )
