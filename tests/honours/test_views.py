"""Pages and API of honours: each as the in-scope officer, another branch's officer, a plain
member and an anonymous visitor; bad input; query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.honours import services
from dangjian.honours.models import Nomination, NominationState
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix

pytestmark = pytest.mark.django_db


def test_round_pages_role_matrix(world, as_role, round_, nominated):
    assert_role_matrix(
        as_role,
        reverse("honours:round_list"),
        {"officer": 200, "other_officer": 200, "member": 200, "anonymous": 302},
    )
    detail = reverse("honours:round_detail", args=[round_.pk])
    # Members see a round once it is published
    assert_role_matrix(
        as_role, detail, {"officer": 200, "other_officer": 200, "member": 404, "anonymous": 302}
    )
    assert_role_matrix(
        as_role,
        reverse("honours:round_create"),
        {"org_officer": 200, "officer": 403, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("honours:quota_set", args=[round_.pk]),
        {"org_officer": 200, "gb_officer": 403, "member": 403, "anonymous": 302},
    )
    nominate = reverse("honours:nominate", args=[round_.pk])
    assert_role_matrix(
        as_role, nominate, {"officer": 200, "other_officer": 200, "member": 403, "anonymous": 302}
    )
    page = reverse("honours:nomination_detail", args=[nominated.pk])
    assert_role_matrix(
        as_role,
        page,
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 404, "anonymous": 302},
    )
    review = reverse("honours:review", args=[nominated.pk])
    assert_role_matrix(
        as_role,
        review,
        {"gb_officer": 200, "officer": 403, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    for name in ("round_export", "round_print"):
        assert_role_matrix(
            as_role,
            reverse(f"honours:{name}", args=[round_.pk]),
            {"officer": (200, 302), "other_officer": (200, 302), "member": 404, "anonymous": 302},
        )
    assert_role_matrix(
        as_role,
        reverse("honours:nomination_print", args=[nominated.pk]),
        {"officer": 200, "other_officer": 404, "member": 404, "anonymous": 302},
    )


def test_other_branch_does_not_see_the_nomination_in_the_list(world, as_role, round_, nominated):
    response = as_role("other_officer").get(reverse("honours:round_detail", args=[round_.pk]))
    assert world.member_a.name not in response.content.decode()
    response = as_role("officer").get(reverse("honours:round_detail", args=[round_.pk]))
    assert world.member_a.name in response.content.decode()


def test_nominate_page_keeps_input_and_names_the_quota(world, as_role, round_, nominated):
    client = as_role("officer")
    other = make_person(world.branch_a, name="孙党员")
    response = client.post(
        reverse("honours:nominate", args=[round_.pk]),
        {"category": "excellent_member", "person": other.pk, "deeds": "我的事迹原文"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "名额为1名" in text and "我的事迹原文" in text
    response = client.post(
        reverse("honours:nominate", args=[round_.pk]), {"category": "advanced_org", "deeds": ""}
    )
    text = response.content.decode()
    assert "推荐先进基层党组织须选择党组织" in text


def test_review_page_by_general_branch(world, as_role, nominated):
    client = as_role("gb_officer")
    response = client.post(
        reverse("honours:review", args=[nominated.pk]), {"approve": "1", "note": "同意"}
    )
    assert response.status_code == 302
    nominated.refresh_from_db()
    assert nominated.state == NominationState.APPROVED


def test_round_pages_after_publication(world, as_role, on_notice):
    today = timezone.localdate()
    services.round_decide(actor=world.org_officer, round=on_notice.round, decided_on=today)
    services.round_publish(actor=world.org_officer, round=on_notice.round, published_on=today)
    detail = reverse("honours:round_detail", args=[on_notice.round.pk])
    responses = assert_role_matrix(
        as_role, detail, {"member": 200, "other_officer": 200, "anonymous": 302}
    )
    assert world.member_a.name in responses["member"].content.decode()


def test_decide_page_refuses_during_the_notice(world, as_role, round_, nominated):
    services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=True)
    today = timezone.localdate()
    services.notice_post(
        actor=world.org_officer, round=round_, starts_on=today, ends_on=today + timedelta(days=4)
    )
    response = as_role("org_officer").post(
        reverse("honours:decide", args=[round_.pk]),
        {"decided_on": today.isoformat(), "decision_number": "院委〔2026〕1号"},
    )
    text = response.content.decode()
    assert (
        response.status_code == 200
        and "公示期满后方可作出表彰决定" in text
        and "院委〔2026〕1号" in text
    )


def test_round_detail_queries_do_not_grow(world, as_role, round_):
    services.quota_set(
        actor=world.org_officer,
        round=round_,
        organisation=world.gb_a,
        category="excellent_member",
        quota=30,
    )
    client = as_role("org_officer")
    url = reverse("honours:round_detail", args=[round_.pk])
    for i in range(3):
        services.nomination_create(
            actor=world.org_officer,
            round=round_,
            category="excellent_member",
            person=make_person(world.branch_a, name=f"党员{i}"),
            deeds="x",
        )
    client.get(url)
    with assert_max_queries(25) as log:
        client.get(url)
    few = log.count
    for i in range(3, 15):
        services.nomination_create(
            actor=world.org_officer,
            round=round_,
            category="excellent_member",
            person=make_person(world.branch_a, name=f"党员{i}"),
            deeds="x",
        )
    with assert_max_queries(few):
        client.get(url)


# --- the API ----------------------------------------------------------------------------------


def test_api_round_matrix(world, api_as_role, round_, nominated):
    assert_role_matrix(
        api_as_role,
        "/api/v1/honours/rounds/",
        {"officer": 200, "member": 200, "anonymous": (401, 403)},
    )
    assert_role_matrix(
        api_as_role,
        f"/api/v1/honours/rounds/{round_.pk}/",
        {"officer": 200, "other_officer": 200, "member": 404, "anonymous": (401, 403)},
    )
    assert_role_matrix(
        api_as_role,
        "/api/v1/honours/rounds/",
        {"org_officer": 201, "officer": 403, "member": 403, "anonymous": (401, 403)},
        method="post",
        data={"title": "2028年评选", "year": 2028, "nomination_deadline": "2028-06-01"},
        format="json",
    )
    assert_role_matrix(
        api_as_role,
        f"/api/v1/honours/nominations/{nominated.pk}/",
        {
            "officer": 200,
            "gb_officer": 200,
            "other_officer": 404,
            "member": 404,
            "anonymous": (401, 403),
        },
    )
    review = f"/api/v1/honours/nominations/{nominated.pk}/review/"
    assert_role_matrix(
        api_as_role,
        review,
        {
            "gb_officer": 200,
            "officer": 403,
            "other_officer": 404,
            "member": 403,
            "anonymous": (401, 403),
        },
        method="post",
        data={"approve": True},
        format="json",
    )


def test_api_bad_input_is_400(world, api_as_role, round_):
    api = api_as_role("officer")
    response = api.post(
        "/api/v1/honours/nominations/",
        {"round": round_.pk, "category": "excellent_member", "deeds": "x"},
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()
    response = api.post(
        "/api/v1/honours/nominations/",
        {
            "round": round_.pk,
            "category": "excellent_member",
            "person": world.member_b.pk,
            "deeds": "x",
        },
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()
    response = api.post(
        "/api/v1/honours/nominations/",
        {"round": round_.pk, "category": "bogus", "person": world.member_a.pk, "deeds": "x"},
        format="json",
    )
    assert response.status_code == 400 and "category" in response.json()
    created = api.post(
        "/api/v1/honours/nominations/",
        {
            "round": round_.pk,
            "category": "excellent_member",
            "person": world.member_a.pk,
            "deeds": "事迹",
        },
        format="json",
    )
    assert created.status_code == 201
    second = make_person(world.branch_a, name="孙党员")
    response = api.post(
        "/api/v1/honours/nominations/",
        {"round": round_.pk, "category": "excellent_member", "person": second.pk, "deeds": "事迹"},
        format="json",
    )
    assert response.status_code == 400 and "名额" in str(response.json())
    admin = api_as_role("org_officer")
    response = admin.post(
        f"/api/v1/honours/rounds/{round_.pk}/notice/", {"starts_on": "2026-13-01"}, format="json"
    )
    assert response.status_code == 400
    response = admin.post(
        f"/api/v1/honours/rounds/{round_.pk}/decide/", {"decided_on": "2026-07-01"}, format="json"
    )
    assert response.status_code == 400


def test_api_flow_to_publication(world, api_as_role, round_, nominated):
    today = timezone.localdate()
    assert (
        api_as_role("gb_officer")
        .post(
            f"/api/v1/honours/nominations/{nominated.pk}/review/",
            {"approve": True, "note": "同意"},
            format="json",
        )
        .status_code
        == 200
    )
    admin = api_as_role("org_officer")
    r = admin.post(
        f"/api/v1/honours/rounds/{round_.pk}/notice/",
        {
            "starts_on": (today - timedelta(days=9)).isoformat(),
            "ends_on": (today - timedelta(days=2)).isoformat(),
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    r = api_as_role("gb_officer").post(
        f"/api/v1/honours/nominations/{nominated.pk}/objections/",
        {"received_on": (today - timedelta(days=3)).isoformat(), "content": "反映问题"},
        format="json",
    )
    assert r.status_code == 201
    objection = r.json()["id"]
    r = api_as_role("gb_officer").post(
        f"/api/v1/honours/nominations/{nominated.pk}/resolve/",
        {"objection": objection, "upheld": False, "resolution": "不属实"},
        format="json",
    )
    assert r.status_code == 200
    assert (
        admin.post(
            f"/api/v1/honours/rounds/{round_.pk}/decide/",
            {"decided_on": today.isoformat()},
            format="json",
        ).status_code
        == 200
    )
    assert (
        admin.post(
            f"/api/v1/honours/rounds/{round_.pk}/publish/",
            {"published_on": today.isoformat()},
            format="json",
        ).json()["state"]
        == "published"
    )
    assert Nomination.objects.get(pk=nominated.pk).state == NominationState.AWARDED
    r = api_as_role("member").get("/api/v1/honours/nominations/")
    assert [row["id"] for row in r.json()["results"]] == [nominated.pk]


# --- model units ------------------------------------------------------------------------------


@pytest.fixture
def unit(world):
    return services.unit_create(
        actor=world.gb_secretary_a,
        organisation=world.branch_a,
        chosen_by=world.gb_a,
        kind="typical",
        feature="综合典型",
        goals="建成样板支部",
        leader=world.gb_secretary_a.person,
        starts_on=timezone.localdate() - timedelta(days=10),
    )


def test_unit_pages_role_matrix(world, as_role, unit):
    assert_role_matrix(
        as_role,
        reverse("honours:unit_list"),
        {"officer": 200, "other_officer": 200, "member": 200, "anonymous": 302},
    )
    detail = reverse("honours:unit_detail", args=[unit.pk])
    assert_role_matrix(
        as_role,
        detail,
        {"gb_officer": 200, "officer": 200, "other_officer": 404, "member": 404, "anonymous": 302},
    )
    check = reverse("honours:unit_check", args=[unit.pk])
    assert_role_matrix(
        as_role,
        check,
        {"gb_officer": 200, "officer": 403, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("honours:unit_print", args=[unit.pk]),
        {"gb_officer": 200, "other_officer": 404, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("honours:unit_counts"),
        {"gb_officer": 200, "member": 200, "anonymous": 302},
    )


def test_unit_check_page_keeps_input(world, as_role, unit):
    client = as_role("gb_officer")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("honours:unit_check", args=[unit.pk]),
        {"checked_on": future, "kind": "random", "findings": "抽查台账记录"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "不能晚于今天" in text and "抽查台账记录" in text


def test_unit_create_page_names_the_count(world, as_role, unit):
    from tests.factories import make_org

    for i in range(2):
        services.unit_create(
            actor=world.gb_secretary_a,
            organisation=make_org(world.gb_a, name=f"支部{i}", code=f"Y{i}"),
            chosen_by=world.gb_a,
            kind="typical",
            feature="综合典型",
            goals="g",
            leader=world.member_a,
            starts_on=timezone.localdate(),
        )
    extra = make_org(world.gb_a, name="第四支部", code="Y9")
    response = as_role("gb_officer").post(
        reverse("honours:unit_create"),
        {
            "organisation": extra.pk,
            "chosen_by": world.gb_a.pk,
            "kind": "typical",
            "feature": "单项典型",
            "goals": "目标原文",
            "leader": world.member_a.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "至多3个" in text and "目标原文" in text


def test_unit_api(world, api_as_role, unit):
    assert_role_matrix(
        api_as_role,
        f"/api/v1/honours/units/{unit.pk}/",
        {
            "gb_officer": 200,
            "officer": 200,
            "other_officer": 404,
            "member": 404,
            "anonymous": (401, 403),
        },
    )
    url = f"/api/v1/honours/units/{unit.pk}/checks/"
    today = timezone.localdate().isoformat()
    assert_role_matrix(
        api_as_role,
        url,
        {
            "gb_officer": 201,
            "officer": 403,
            "other_officer": 404,
            "member": 403,
            "anonymous": (401, 403),
        },
        method="post",
        data={"checked_on": today, "kind": "random", "findings": "好"},
        format="json",
    )
    api = api_as_role("gb_officer")
    assert api.post(url, {"checked_on": "x", "kind": "nope"}, format="json").status_code == 400
    assert (
        api.post(
            f"/api/v1/honours/units/{unit.pk}/review/",
            {"outcome": "confirm", "reviewed_on": today},
            format="json",
        ).status_code
        == 400
    )
    api.post(url, {"checked_on": today, "kind": "random", "findings": "好"}, format="json")
    r = api.post(
        f"/api/v1/honours/units/{unit.pk}/review/",
        {"outcome": "confirm", "reviewed_on": today},
        format="json",
    )
    assert r.status_code == 200 and r.json()["state"] == "confirmed"


def test_api_and_unit_lists_queries_do_not_grow(world, as_role, api_as_role, round_):
    from tests.factories import make_org

    services.quota_set(
        actor=world.org_officer,
        round=round_,
        organisation=world.gb_a,
        category="excellent_member",
        quota=30,
    )
    api = api_as_role("org_officer")
    client = as_role("org_officer")

    def add_rows(start, stop):
        for i in range(start, stop):
            services.nomination_create(
                actor=world.org_officer,
                round=round_,
                category="excellent_member",
                person=make_person(world.branch_a, name=f"党员{i}"),
                deeds="x",
            )
            services.unit_create(
                actor=world.org_officer,
                organisation=make_org(world.gb_a, name=f"支部{i}", code=f"U{i}"),
                chosen_by=world.gb_a,
                kind="contact_point",
                feature="联系点",
                goals="g",
                leader=world.member_a,
                starts_on=timezone.localdate(),
            )

    add_rows(0, 2)
    urls = ["/api/v1/honours/nominations/", "/api/v1/honours/units/"]
    pages = [reverse("honours:unit_list"), reverse("honours:round_list")]
    counts = {}
    for url in urls:
        with assert_max_queries(20) as log:
            assert api.get(url).status_code == 200
        counts[url] = log.count
    for url in pages:
        with assert_max_queries(25) as log:
            assert client.get(url).status_code == 200
        counts[url] = log.count
    add_rows(2, 12)
    for url in urls:
        with assert_max_queries(counts[url]):
            api.get(url)
    for url in pages:
        with assert_max_queries(counts[url]):
            client.get(url)


def test_step_pages_role_matrix(world, as_role, on_notice):
    r, n = on_notice.round, on_notice.nomination
    for name in ("notice_post", "decide", "publish", "quota_set"):
        assert_role_matrix(
            as_role,
            reverse(f"honours:{name}", args=[r.pk]),
            {
                "org_officer": 200,
                "gb_officer": 403,
                "officer": 403,
                "member": 403,
                "anonymous": 302,
            },
        )
    objection = reverse("honours:objection", args=[n.pk])
    assert_role_matrix(
        as_role,
        objection,
        {"gb_officer": 200, "officer": 403, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    row = services.objection_record(
        actor=world.gb_secretary_a,
        nomination=n,
        received_on=timezone.localdate() - timedelta(days=9),
        content="反映",
    )
    resolve = reverse("honours:resolve", args=[row.pk])
    assert_role_matrix(
        as_role,
        resolve,
        {"gb_officer": 200, "officer": 403, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    # Bad input on the resolve page keeps what was typed
    response = as_role("gb_officer").post(resolve, {"upheld": "1", "resolution": ""})
    text = response.content.decode()
    assert response.status_code == 200 and "请修正下面标出的错误" in text
    assert 'value="1" selected' in text  # 反映属实 stays chosen
    withdraw = reverse("honours:withdraw", args=[n.pk])
    assert_role_matrix(
        as_role, withdraw, {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302}
    )
