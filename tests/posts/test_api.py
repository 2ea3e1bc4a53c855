"""REST API of the posts app: scoping as in the screens, actions, 400 with Chinese errors."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.posts import services
from dangjian.posts.models import DutyRecord, Post, PostState
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries, capture_queries

pytestmark = pytest.mark.django_db

AREAS = {
    "political": "认真学习",
    "duties": "履行岗位职责",
    "development": "服务发展",
    "pairing": "结对帮扶",
    "integrity": "廉洁自律",
    "org_life": "按时参加组织生活",
}


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_refused(world):
    for path in [
        "/api/v1/posts/",
        "/api/v1/post-types/",
        "/api/v1/duty-records/",
        "/api/v1/commitments/",
        "/api/v1/duty-checks/",
    ]:
        assert api(None).get(path).status_code in (401, 403)


def test_post_detail_scoping(world, make_post):
    post = make_post()
    url = f"/api/v1/posts/{post.pk}/"
    assert api(world.secretary_a).get(url).status_code == 200
    assert api(world.gb_secretary_a).get(url).status_code == 200
    assert api(world.secretary_b).get(url).status_code == 404
    assert api(world.member_user).get(url).status_code == 200  # open post of own branch
    assert api(make_user(world.member_b)).get(url).status_code == 404


def test_post_list_scoped_and_constant_queries(world, make_post):
    for i in range(2):
        make_post(name=f"岗{i}")
    make_post(world.branch_b, name="外支部")
    client = api(world.secretary_a)
    client.get("/api/v1/posts/")  # the scope is computed once per user object
    with capture_queries() as few:
        data = client.get("/api/v1/posts/").json()
    assert {p["name"] for p in data["results"]} == {"岗0", "岗1"}
    for i in range(4):
        make_post(name=f"岗x{i}")
    with assert_num_queries(few):
        assert len(client.get("/api/v1/posts/").json()["results"]) == 6
    assert (
        api(world.secretary_a)
        .get(f"/api/v1/posts/?state=set&organisation={world.branch_a.pk}")
        .json()["results"]
    )


def test_create_post_and_400_in_chinese(world, post_type, year):
    client = api(world.secretary_a)
    ok = client.post(
        "/api/v1/posts/",
        {"organisation": world.branch_a.pk, "post_type": post_type().pk, "year": year},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["state"] == "set"
    bad = client.post(
        "/api/v1/posts/",
        {"organisation": world.branch_b.pk, "post_type": post_type().pk, "year": year},
        format="json",
    )
    assert bad.status_code == 400 and "organisation" in bad.json()
    member = api(world.member_user).post(
        "/api/v1/posts/",
        {"organisation": world.branch_a.pk, "post_type": post_type().pk, "year": year},
        format="json",
    )
    assert member.status_code == 403


def test_six_steps_through_the_api(world, make_post):
    post = make_post()
    base = f"/api/v1/posts/{post.pk}/"
    assert api(world.member_user).post(base + "claim/").json()["state"] == "claimed"
    refused = api(world.secretary_a).post(base + "confirm/", {}, format="json")
    assert refused.status_code == 403 and "定岗由党总支确定" in refused.json()["detail"]
    assert api(world.gb_secretary_a).post(base + "confirm/", {}, format="json").status_code == 200
    assert api(world.member_user).post(base + "publish/", {}, format="json").status_code == 403
    assert api(world.secretary_a).post(base + "publish/", {}, format="json").status_code == 200
    assert api(world.member_user).post(base + "perform/").json()["state"] == "performing"
    bad = api(world.secretary_a).post(base + "evaluate/", {"evaluation": "x"}, format="json")
    assert bad.status_code == 400 and "grade" in bad.json()
    done = api(world.secretary_a).post(
        base + "evaluate/", {"score": "79.9", "evaluation": "基本完成"}, format="json"
    )
    assert done.status_code == 200 and done.json()["grade"] == "basic"


def test_refused_state_is_400(world, make_post):
    post = make_post()
    response = api(world.secretary_a).post(f"/api/v1/posts/{post.pk}/publish/", {}, format="json")
    assert response.status_code == 400
    assert "只有已定岗的岗位可以明岗公示" in response.json()["state"][0]


def test_claim_other_branch_and_double_claim(world, make_post):
    other = make_post(world.branch_b)
    assert api(world.member_user).post(f"/api/v1/posts/{other.pk}/claim/").status_code == 404
    post = make_post()
    assert api(world.member_user).post(f"/api/v1/posts/{post.pk}/claim/").status_code == 200
    second = make_user(make_person(world.branch_a))
    assert api(second).post(f"/api/v1/posts/{post.pk}/claim/").status_code == 404  # no longer open


def test_student_post_refused_for_staff_api(world, make_post):
    post = make_post(type_name="文明监督岗")
    response = api(world.member_user).post(f"/api/v1/posts/{post.pk}/claim/")
    assert response.status_code == 400 and "学生党员" in response.json()["holder"][0]


def test_assign_release_rollover(world, make_post, year):
    post = make_post(post_year=year - 1)
    base = f"/api/v1/posts/{post.pk}/"
    assert (
        api(world.secretary_b)
        .post(base + "assign/", {"holder": world.member_a.pk}, format="json")
        .status_code
        == 404
    )
    r = api(world.secretary_a).post(base + "assign/", {"holder": world.member_a.pk}, format="json")
    assert r.status_code == 200 and r.json()["holder"] == world.member_a.pk
    assert api(world.member_user).post(base + "release/").json()["state"] == "set"
    r = api(world.secretary_a).post(
        "/api/v1/posts/rollover/", {"organisation": world.branch_a.pk, "year": year}, format="json"
    )
    assert r.status_code == 201 and len(r.json()) == 1
    again = api(world.secretary_a).post(
        "/api/v1/posts/rollover/", {"organisation": world.branch_a.pk, "year": year}, format="json"
    )
    assert again.status_code == 400 and "不能重复" in again.json()["year"][0]


def test_post_types_api(world):
    listed = api(world.member_user).get("/api/v1/post-types/").json()["results"]
    assert any(t["name"] == "学习互助岗" for t in listed)
    r = api(world.gb_secretary_a).post(
        "/api/v1/post-types/",
        {"organisation": world.gb_a.pk, "name": "总支岗", "duties": "x"},
        format="json",
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    assert (
        api(world.gb_secretary_a).post(f"/api/v1/post-types/{pk}/deactivate/").json()["is_active"]
        is False
    )
    assert api(world.secretary_b).post(f"/api/v1/post-types/{pk}/deactivate/").status_code == 404
    dept = api(world.gb_secretary_a).post(
        "/api/v1/post-types/", {"name": "示范", "duties": "x"}, format="json"
    )
    assert dept.status_code == 403
    bad = api(world.org_officer).post(
        "/api/v1/post-types/", {"name": "x", "duties": "x", "audience": "nobody"}, format="json"
    )
    assert bad.status_code == 400 and "audience" in bad.json()


def test_duty_records_api(world):
    member = api(world.member_user)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = member.post(
        "/api/v1/duty-records/",
        {"occurred_on": future, "place": "教室", "content": "x"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["occurred_on"] == ["活动日期不能晚于今天。"]
    ok = member.post(
        "/api/v1/duty-records/",
        {"occurred_on": timezone.localdate().isoformat(), "place": "教室", "content": "辅导"},
        format="json",
    )
    assert ok.status_code == 201
    pk = ok.json()["id"]
    assert api(world.secretary_a).get(f"/api/v1/duty-records/{pk}/").status_code == 200
    assert api(world.secretary_b).get(f"/api/v1/duty-records/{pk}/").status_code == 404
    assert (
        api(world.secretary_a)
        .patch(f"/api/v1/duty-records/{pk}/", {"place": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        member.patch(f"/api/v1/duty-records/{pk}/", {"place": "图书馆"}, format="json").json()[
            "place"
        ]
        == "图书馆"
    )
    assert api(world.secretary_a).get("/api/v1/duty-records/?checked=false").json()["results"]
    assert member.delete(f"/api/v1/duty-records/{pk}/").status_code == 204
    assert not DutyRecord.objects.exists()


def test_duty_checks_api(world):
    services.duty_record_create(
        actor=world.member_user, occurred_on=timezone.localdate(), place="x", content="y"
    )
    today = timezone.localdate()
    payload = {
        "organisation": world.branch_a.pk,
        "year": today.year,
        "month": today.month,
        "findings": "好",
    }
    assert (
        api(world.member_user).post("/api/v1/duty-checks/", payload, format="json").status_code
        == 403
    )
    r = api(world.secretary_a).post("/api/v1/duty-checks/", payload, format="json")
    assert r.status_code == 201 and r.json()["records_checked"] == 1
    pk = r.json()["id"]
    assert api(world.secretary_b).get(f"/api/v1/duty-checks/{pk}/").status_code == 404
    assert (
        api(world.secretary_a)
        .post(f"/api/v1/duty-checks/{pk}/circulate/", {}, format="json")
        .json()["circulated_on"]
    )
    quarterly = {
        "organisation": world.gb_a.pk,
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
        "findings": "x",
    }
    assert (
        api(world.gb_secretary_a)
        .post("/api/v1/duty-checks/quarterly/", quarterly, format="json")
        .status_code
        == 403
    )
    assert (
        api(world.org_officer)
        .post("/api/v1/duty-checks/quarterly/", quarterly, format="json")
        .status_code
        == 201
    )


def test_commitments_api(world, year):
    member = api(world.member_user)
    r = member.post("/api/v1/commitments/", {"year": year, **AREAS}, format="json")
    assert r.status_code == 201
    again = member.post("/api/v1/commitments/", {"year": year, **AREAS}, format="json")
    assert again.status_code == 400 and "每人每年一份" in again.json()["year"][0]
    pk = r.json()["id"]
    assert api(world.secretary_b).get(f"/api/v1/commitments/{pk}/").status_code == 404
    assert (
        api(world.secretary_a)
        .patch(f"/api/v1/commitments/{pk}/", {"duties": "x"}, format="json")
        .status_code
        == 403
    )
    assert member.post(f"/api/v1/commitments/{pk}/publish/", {}, format="json").status_code == 403
    assert (
        api(world.secretary_a)
        .post(f"/api/v1/commitments/{pk}/publish/", {}, format="json")
        .json()["published_on"]
    )
    progress = member.post(f"/api/v1/commitments/{pk}/progress/", {"note": "已践诺"}, format="json")
    assert progress.status_code == 201 and progress.json()["updates"][0]["note"] == "已践诺"


def test_member_sees_only_own_posts_and_open_ones(world, make_post):
    mine = services.post_claim(actor=world.member_user, post=make_post(name="我的"))
    held_by_other = services.post_assign(
        actor=world.secretary_a,
        post=make_post(type_name="文明建设岗"),
        holder=make_person(world.branch_a),
    )
    names = {p["name"] for p in api(world.member_user).get("/api/v1/posts/").json()["results"]}
    assert mine.name in names and held_by_other.name not in names
    assert Post.objects.get(pk=mine.pk).state == PostState.CLAIMED
