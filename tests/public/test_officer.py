"""Officers' handling of suggestions: transitions, feeding step 1, scoping, lists, export."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dangjian.core.models import AuditEvent
from dangjian.public import services
from dangjian.public.models import Suggestion
from dangjian.targets.models import Opinion
from tests.factories import make_person
from tests.harness import assert_num_queries
from tests.public.conftest import make_suggestion, make_work_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(world):
    return make_suggestion(
        world.branch_a, name="提交人甲", contact="13700000000", category="conduct"
    )


def refresh(obj):
    obj.refresh_from_db()
    return obj


# --- Services: transitions -----------------------------------------------------------------


def test_full_handling_path(world, s):
    actor = world.secretary_a
    services.suggestion_classify(actor=actor, suggestion=s, category="teaching")
    assert refresh(s).category == "teaching" and s.status == "received"
    services.suggestion_assign(actor=actor, suggestion=s, assigned_to=world.member_a)
    assert refresh(s).status == "assigned" and s.assigned_to == world.member_a
    services.suggestion_reply(actor=actor, suggestion=s, reply="已经整改", reply_public=True)
    s = refresh(s)
    assert s.status == "answered" and s.replied_by == actor
    assert s.replied_on == timezone.localdate() and s.reply_public
    services.suggestion_close(actor=actor, suggestion=s)
    assert refresh(s).status == "closed"
    actions = list(
        AuditEvent.objects.filter(object_id=s.pk, content_type__model="suggestion")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["update", "status", "status", "status"]


def test_cannot_close_before_reply(world, s):
    with pytest.raises(ValidationError) as exc:
        services.suggestion_close(actor=world.secretary_a, suggestion=s)
    assert "尚未答复，不能办结" in str(exc.value)
    assert refresh(s).status == "received"


def test_cannot_assign_after_reply_or_touch_closed(world, s):
    actor = world.secretary_a
    services.suggestion_reply(actor=actor, suggestion=s, reply="答复")
    with pytest.raises(ValidationError, match="已答复的意见建议不能再交办"):
        services.suggestion_assign(actor=actor, suggestion=s, assigned_to=world.member_a)
    services.suggestion_close(actor=actor, suggestion=s)
    for call in (
        lambda: services.suggestion_reply(actor=actor, suggestion=s, reply="再答复"),
        lambda: services.suggestion_classify(actor=actor, suggestion=s, category="other"),
        lambda: services.suggestion_close(actor=actor, suggestion=s),
    ):
        with pytest.raises(ValidationError, match="已办结"):
            call()


def test_reply_can_be_amended_and_needs_text(world, s):
    actor = world.secretary_a
    with pytest.raises(ValidationError, match="请填写答复内容"):
        services.suggestion_reply(actor=actor, suggestion=s, reply="  ")
    services.suggestion_reply(actor=actor, suggestion=s, reply="第一次")
    services.suggestion_reply(actor=actor, suggestion=s, reply="修改后", reply_public=True)
    assert refresh(s).reply == "修改后" and s.status == "answered"


def test_assign_only_to_people_in_scope(world, s):
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        services.suggestion_assign(
            actor=world.secretary_a, suggestion=s, assigned_to=world.member_b
        )
    # A general-branch secretary may hand it to someone of the general branch itself.
    gb_person = make_person(world.gb_a, name="总支干事")
    services.suggestion_assign(actor=world.gb_secretary_a, suggestion=s, assigned_to=gb_person)
    assert refresh(s).assigned_to == gb_person


# --- Services: step 1 of the six-step method -----------------------------------------------


def test_to_opinion_creates_opinion(world, s):
    item = make_work_item(world.gb_a)  # the organisation above the branch
    opinion = services.suggestion_to_opinion(
        actor=world.gb_secretary_a, suggestion=s, work_item=item
    )
    assert opinion.work_item == item
    assert opinion.source == "suggestion_box"
    assert opinion.category == "party"  # conduct → party
    assert opinion.content == s.content
    assert opinion.raised_by == "提交人甲"
    assert opinion.received_on == timezone.localtime(s.created_at).date()
    assert opinion.suggestion == s
    assert AuditEvent.objects.filter(object_id=opinion.pk, action="create").exists()


def test_to_opinion_anonymous_and_mapped_category(world):
    s = make_suggestion(world.branch_a, category="logistics")
    item = make_work_item(world.branch_a)
    opinion = services.suggestion_to_opinion(actor=world.secretary_a, suggestion=s, work_item=item)
    assert opinion.raised_by == "匿名" and opinion.category == "logistics"


def test_to_opinion_refused_twice(world, s):
    item = make_work_item(world.branch_a)
    services.suggestion_to_opinion(actor=world.secretary_a, suggestion=s, work_item=item)
    with pytest.raises(ValidationError, match="不能重复转入"):
        services.suggestion_to_opinion(actor=world.secretary_a, suggestion=s, work_item=item)
    assert Opinion.objects.count() == 1


def test_to_opinion_refused_past_step_one(world, s):
    item = make_work_item(world.branch_a, step=2)
    with pytest.raises(ValidationError, match="已过“征求意见”步骤"):
        services.suggestion_to_opinion(actor=world.secretary_a, suggestion=s, work_item=item)
    assert not Opinion.objects.exists()


def test_to_opinion_refused_out_of_scope_or_below(world, s):
    # A branch secretary does not see the general branch's items.
    above = make_work_item(world.gb_a)
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        services.suggestion_to_opinion(actor=world.secretary_a, suggestion=s, work_item=above)
    # Another branch's item, even for the department officer who sees everything.
    other = make_work_item(world.branch_b)
    with pytest.raises(ValidationError, match="本党组织或上级党组织"):
        services.suggestion_to_opinion(actor=world.org_officer, suggestion=s, work_item=other)
    # A group below the branch is not "the organisation or above" either.
    below = make_work_item(world.group_a)
    with pytest.raises(ValidationError, match="本党组织或上级党组织"):
        services.suggestion_to_opinion(actor=world.secretary_a, suggestion=s, work_item=below)
    assert not Opinion.objects.exists()


# --- Views: scoping ------------------------------------------------------------------------

READ = [("public:suggestion_detail", True)]
WRITE = [
    ("public:suggestion_classify", {"category": "other"}),
    ("public:suggestion_assign", {}),
    ("public:suggestion_reply", {"reply": "好"}),
    ("public:suggestion_close", {}),
    ("public:suggestion_to_opinion", {}),
]


def test_detail_in_scope_shows_submitter(world, as_user, s):
    for user in (world.secretary_a, world.gb_secretary_a, world.org_officer):
        response = as_user(user).get(reverse("public:suggestion_detail", args=[s.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "提交人甲" in html and "13700000000" in html


def test_detail_other_branch_404_member_403_anonymous_302(world, as_user, s):
    url = reverse("public:suggestion_detail", args=[s.pk])
    assert as_user(world.secretary_b).get(url).status_code == 404
    assert as_user(world.member_user).get(url).status_code == 403
    response = as_user(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name,data", WRITE)
def test_actions_scoping(world, as_user, s, name, data):
    url = reverse(name, args=[s.pk])
    assert as_user(world.secretary_b).post(url, data).status_code == 404
    assert as_user(world.member_user).post(url, data).status_code == 403
    assert as_user(None).post(url, data).status_code == 302
    assert refresh(s).status == "received" and s.category == "conduct"


def test_list_scoping(world, as_user, s):
    url = reverse("public:suggestion_list")
    html = as_user(world.secretary_a).get(url).content.decode()
    assert s.content in html
    response = as_user(world.secretary_b).get(url)
    assert response.status_code == 200 and s.content not in response.content.decode()
    assert as_user(world.member_user).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302
    assert as_user(world.member_user).get(reverse("public:suggestion_export")).status_code == 403


def test_views_run_the_handling(world, as_user, s):
    client = as_user(world.secretary_a)
    detail = reverse("public:suggestion_detail", args=[s.pk])
    r = client.post(
        reverse("public:suggestion_assign", args=[s.pk]), {"assigned_to": world.member_a.pk}
    )
    assert r.status_code == 302 and r["Location"] == detail
    assert refresh(s).status == "assigned"
    # Closing before the reply is refused with the rule's words.
    r = client.post(reverse("public:suggestion_close", args=[s.pk]))
    assert r.status_code == 200 and "尚未答复，不能办结" in r.content.decode()
    r = client.post(
        reverse("public:suggestion_reply", args=[s.pk]),
        {
            "reply": "感谢，已处理",
            "reply_public": "on",
            "replied_on": timezone.localdate().isoformat(),
        },
    )
    assert r.status_code == 302
    assert refresh(s).status == "answered" and s.reply_public
    r = client.post(reverse("public:suggestion_close", args=[s.pk]))
    assert r.status_code == 302 and refresh(s).status == "closed"


def test_view_reply_keeps_input_on_error(world, as_user, s):
    r = as_user(world.secretary_a).post(
        reverse("public:suggestion_reply", args=[s.pk]), {"reply": "", "replied_on": "不是日期"}
    )
    assert r.status_code == 200
    assert refresh(s).status == "received"


def test_view_to_opinion(world, as_user, s):
    item = make_work_item(world.branch_a, title="支部年度计划")
    past = make_work_item(world.branch_a, step=3, title="已分解的事项")
    client = as_user(world.secretary_a)
    html = client.get(reverse("public:suggestion_detail", args=[s.pk])).content.decode()
    assert "支部年度计划" in html and "已分解的事项" not in html
    r = client.post(reverse("public:suggestion_to_opinion", args=[s.pk]), {"work_item": past.pk})
    assert r.status_code == 200 and not Opinion.objects.exists()
    r = client.post(reverse("public:suggestion_to_opinion", args=[s.pk]), {"work_item": item.pk})
    assert r.status_code == 302
    assert Opinion.objects.get().suggestion == s
    html = client.get(reverse("public:suggestion_detail", args=[s.pk])).content.decode()
    assert "已转入工作事项“支部年度计划”" in html


# --- List: filters, counts, query count, export --------------------------------------------


def test_list_filters_and_counts(world, as_user):
    make_suggestion(world.branch_a, content="关于食堂", category="logistics")
    make_suggestion(world.branch_a, content="关于教学", category="teaching", status="answered")
    make_suggestion(world.branch_b, content="别的支部", category="teaching")
    client = as_user(world.org_officer)
    url = reverse("public:suggestion_list")
    html = client.get(url, {"category": "teaching"}).content.decode()
    assert "关于教学" in html and "别的支部" in html and "关于食堂" not in html
    html = client.get(url, {"org": world.branch_a.pk, "status": "answered"}).content.decode()
    assert "关于教学" in html and "别的支部" not in html and "关于食堂" not in html
    html = client.get(url, {"q": "食堂"}).content.decode()
    assert "关于食堂" in html and "关于教学" not in html
    response = client.get(url, {"org": world.branch_a.pk})
    counts = {value: n for value, _label, n in response.context["counts"]}
    assert counts == {"received": 1, "assigned": 0, "answered": 1, "closed": 0}


def test_list_keyset_pages(world, as_user, monkeypatch):
    from dangjian.public import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    rows = [make_suggestion(world.branch_a, content=f"第{i}条意见") for i in range(5)]
    client = as_user(world.secretary_a)
    url = reverse("public:suggestion_list")
    first = client.get(url).context["page"]
    assert [r.pk for r in first.rows] == [rows[4].pk, rows[3].pk]
    second = client.get(url, {"after": first.next_token}).context["page"]
    assert [r.pk for r in second.rows] == [rows[2].pk, rows[1].pk]
    third = client.get(url, {"after": second.next_token}).context["page"]
    assert [r.pk for r in third.rows] == [rows[0].pk] and third.next_token is None
    back = client.get(url, {"before": second.prev_token}).context["page"]
    assert [r.pk for r in back.rows] == [rows[4].pk, rows[3].pk] and back.prev_token is None
    assert client.get(url, {"after": "garbage"}).status_code == 200


def test_list_query_count_is_constant(world, as_user):
    client = as_user(world.secretary_a)
    url = reverse("public:suggestion_list")

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            assert client.get(url).status_code == 200
        return ctx

    for _ in range(2):
        make_suggestion(world.branch_a, assigned_to=world.member_a, status="assigned")
    few = count()
    for _ in range(4):
        make_suggestion(world.branch_a, assigned_to=make_person(world.branch_a), status="assigned")
    count(few)


def test_export_xlsx(world, as_user, s):
    make_suggestion(world.branch_b, content="别的支部的意见")
    response = as_user(world.secretary_a).get(reverse("public:suggestion_export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:5] == ("查询码", "提交时间", "党组织", "类别", "意见建议")
    assert rows[1][-1] == "公开答复"
    assert len(rows) == 3  # title, header, one row in scope
    assert rows[2][4] == s.content and rows[2][5] == "提交人甲"


# --- API -----------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_api_list_and_retrieve_scoping(world, s):
    data = api(world.secretary_a).get("/api/v1/suggestions/").json()
    assert [r["id"] for r in data["results"]] == [s.pk]
    assert data["results"][0]["contact"] == "13700000000"
    assert "client_hash" not in data["results"][0]
    assert api(world.secretary_b).get("/api/v1/suggestions/").json()["results"] == []
    assert api(world.secretary_b).get(f"/api/v1/suggestions/{s.pk}/").status_code == 404
    assert api(world.member_user).get("/api/v1/suggestions/").status_code == 403
    assert api(world.member_user).get(f"/api/v1/suggestions/{s.pk}/").status_code == 403
    assert api(None).get("/api/v1/suggestions/").status_code in (401, 403)
    assert api(world.gb_secretary_a).get(f"/api/v1/suggestions/{s.pk}/").status_code == 200


def test_api_filters(world, s):
    make_suggestion(world.branch_a, category="teaching", content="教学意见")
    data = api(world.secretary_a).get("/api/v1/suggestions/", {"category": "teaching"}).json()
    assert [r["content"] for r in data["results"]] == ["教学意见"]
    assert (
        api(world.secretary_a).get("/api/v1/suggestions/", {"status": "bogus"}).status_code == 400
    )


def test_api_handling(world, s):
    client = api(world.secretary_a)
    base = f"/api/v1/suggestions/{s.pk}/"
    r = client.patch(base, {"category": "teaching"}, format="json")
    assert r.status_code == 200 and r.json()["category"] == "teaching"
    r = client.post(base + "close/", format="json")
    assert r.status_code == 400 and "尚未答复" in str(r.json())
    r = client.post(base + "assign/", {"assigned_to": world.member_a.pk}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    r = client.post(base + "assign/", {"assigned_to": world.member_b.pk}, format="json")
    assert r.status_code == 400
    r = client.post(base + "reply/", {"reply": "答复", "reply_public": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "answered"
    item = make_work_item(world.branch_a)
    r = client.post(base + "to-opinion/", {"work_item": item.pk}, format="json")
    assert r.status_code == 201 and r.json()["opinion"] == Opinion.objects.get().pk
    r = client.post(base + "to-opinion/", {"work_item": item.pk}, format="json")
    assert r.status_code == 400 and "不能重复转入" in str(r.json())
    r = client.post(base + "close/", format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_api_writes_scoping(world, s):
    base = f"/api/v1/suggestions/{s.pk}/"
    assert (
        api(world.secretary_b).patch(base, {"category": "other"}, format="json").status_code == 404
    )
    assert (
        api(world.secretary_b).post(base + "reply/", {"reply": "x"}, format="json").status_code
        == 404
    )
    assert (
        api(world.member_user).post(base + "reply/", {"reply": "x"}, format="json").status_code
        == 403
    )
    assert api(None).post(base + "reply/", {"reply": "x"}, format="json").status_code in (401, 403)
    other_item = make_work_item(world.gb_b)
    r = api(world.secretary_a).post(
        base + "to-opinion/", {"work_item": other_item.pk}, format="json"
    )
    assert r.status_code == 400
    assert refresh(s).status == "received" and not Opinion.objects.exists()


def test_api_list_query_count_is_constant(world):
    client = api(world.secretary_a)

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            assert client.get("/api/v1/suggestions/").status_code == 200
        return ctx

    count()  # the officer's scope is computed once and kept on the user object
    for _ in range(2):
        make_suggestion(world.branch_a, assigned_to=world.member_a)
    few = count()
    for _ in range(4):
        make_suggestion(world.branch_a, assigned_to=make_person(world.branch_a))
    count(few)
    assert Suggestion.objects.count() == 6
