"""Screens of the posts app: scoping of every view, the six steps, forms, exports, query counts."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.posts import services
from dangjian.posts.exports import ANNEX2_HEADERS, DUTY_RECORD_HEADERS, REGISTRATION_HEADERS
from dangjian.posts.models import DutyCheck, DutyRecord, Post, PostState
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries, assert_role_matrix

pytestmark = pytest.mark.django_db

AREAS = {
    "political": "认真学习",
    "duties": "履行岗位职责",
    "development": "服务发展",
    "pairing": "结对帮扶",
    "integrity": "廉洁自律",
    "org_life": "按时参加组织生活",
}

OFFICER_LISTS = [
    "posts:post_list",
    "posts:post_create",
    "posts:post_rollover",
    "posts:catalogue",
    "posts:duty_record_list",
    "posts:duty_record_export",
    "posts:duty_check_list",
    "posts:duty_check_create",
    "posts:commitment_list",
    "posts:summary_list",
    "posts:summary_org_create",
    "posts:registration",
    "posts:registration_xlsx",
    "posts:annex2",
    "posts:annex2_xlsx",
]
MEMBER_PAGES = [
    "posts:my_posts",
    "posts:duty_record_create",
    "posts:duty_record_mine",
    "posts:commitment_mine",
    "posts:summary_mine",
]


@pytest.mark.parametrize("name", OFFICER_LISTS)
def test_officer_pages_by_role(as_role, name):
    assert_role_matrix(as_role, reverse(name), {"officer": 200, "member": 403, "anonymous": 302})


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_pages(as_role, name):
    assert_role_matrix(as_role, reverse(name), {"member": 200, "anonymous": 302})


# (url name, kwargs builder) of the officer views on a branch_a post.
POST_VIEWS = [
    ("posts:post_edit", lambda p: {"pk": p.pk}),
    ("posts:post_assign", lambda p: {"pk": p.pk}),
    ("posts:post_evaluate", lambda p: {"pk": p.pk}),
]


@pytest.mark.parametrize("name,kwargs", POST_VIEWS)
def test_post_views_scoped(world, as_role, make_post, name, kwargs):
    post = services.post_claim(actor=world.member_user, post=make_post())
    assert_role_matrix(
        as_role,
        reverse(name, kwargs=kwargs(post)),
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )


def test_post_detail_scoping(world, as_user, make_post):
    post = make_post()
    url = reverse("posts:post_detail", args=[post.pk])
    page = as_user(world.secretary_a).get(url)
    assert page.status_code == 200 and "操作记录" in page.content.decode()
    assert as_user(world.secretary_b).get(url).status_code == 404
    # an open post of the member's own branch is readable (to claim it); another branch's is not
    assert as_user(world.member_user).get(url).status_code == 200
    assert as_user(make_user(world.member_b)).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302


def test_detail_shows_only_allowed_buttons(world, as_user, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    url = reverse("posts:post_detail", args=[post.pk])
    branch_page = as_user(world.secretary_a).get(url).content.decode()
    assert 'data-action="confirm"' not in branch_page
    assert 'data-action="release"' in branch_page
    assert 'data-action="confirm"' in as_user(world.gb_secretary_a).get(url).content.decode()


def test_six_steps_through_the_screens(world, as_user, make_post):
    post = make_post()
    act = lambda user, action: as_user(user).post(  # noqa: E731
        reverse("posts:post_action", args=[post.pk, action])
    )
    assert act(world.member_user, "claim")["Location"] == reverse("posts:my_posts")
    refused = act(world.secretary_a, "confirm")
    assert refused.status_code == 403
    assert "定岗由党总支确定" in refused.content.decode()
    assert act(world.gb_secretary_a, "confirm").status_code == 302
    assert act(world.secretary_a, "publish").status_code == 302
    assert act(world.member_user, "perform").status_code == 302
    response = as_user(world.secretary_a).post(
        reverse("posts:post_evaluate", args=[post.pk]), {"score": "90", "evaluation": "优秀"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == PostState.EVALUATED and post.grade == "excellent"


def test_refused_state_is_flashed_not_500(world, as_user, make_post):
    post = make_post()
    response = as_user(world.secretary_a).post(
        reverse("posts:post_action", args=[post.pk, "publish"]), follow=True
    )
    assert response.status_code == 200
    assert "只有已定岗的岗位可以明岗公示" in response.content.decode()


def test_claim_of_other_branch_post_via_screen_is_404(world, as_user, make_post):
    post = make_post(world.branch_b)
    response = as_user(world.member_user).post(
        reverse("posts:post_action", args=[post.pk, "claim"])
    )
    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).state == PostState.SET


def test_other_branch_officer_cannot_act(world, as_user, make_post):
    post = make_post()
    response = as_user(world.secretary_b).post(
        reverse("posts:post_action", args=[post.pk, "delete"])
    )
    assert response.status_code == 404


def test_create_post_form_keeps_input_on_error(world, as_user, post_type, year):
    response = as_user(world.secretary_a).post(
        reverse("posts:post_create"),
        {"organisation": world.branch_a.pk, "year": 1990, "post_type": post_type().pk},
    )
    assert response.status_code == 200
    assert "1990" in response.content.decode()
    response = as_user(world.secretary_a).post(
        reverse("posts:post_create"),
        {"organisation": world.branch_a.pk, "year": year, "post_type": post_type().pk},
    )
    assert response.status_code == 302


def test_rollover_screen(world, as_user, make_post, year):
    make_post(post_year=year - 1)
    client = as_user(world.secretary_a)
    data = {"organisation": world.branch_a.pk, "year": year}
    assert client.post(reverse("posts:post_rollover"), data).status_code == 302
    again = client.post(reverse("posts:post_rollover"), data)
    assert again.status_code == 200 and "不能重复" in again.content.decode()


def test_catalogue_edit_and_deactivate(world, as_user, post_type):
    kind = post_type("安全保卫岗")
    url = reverse("posts:post_type_edit", args=[kind.pk])
    assert as_user(world.secretary_a).get(url).status_code == 403
    assert as_user(world.org_officer).get(url).status_code == 200
    as_user(world.org_officer).post(reverse("posts:post_type_toggle", args=[kind.pk]))
    kind.refresh_from_db()
    assert not kind.is_active
    response = as_user(world.gb_secretary_a).post(
        reverse("posts:post_type_create"),
        {
            "organisation": world.gb_a.pk,
            "name": "机关服务岗",
            "audience": "staff",
            "duties": "x",
            "display_order": 100,
        },
    )
    assert response.status_code == 302


def _posts(make_post, n, **kw):
    for i in range(n):
        make_post(name=f"岗位{i}", **kw)


def _count(client, url, expected=None):
    with assert_num_queries(expected, url) as ctx:
        assert client.get(url).status_code == 200
    return ctx


def test_post_list_constant_queries(world, as_user, make_post):
    client = as_user(world.secretary_a)
    url = reverse("posts:post_list")
    _posts(make_post, 2)
    few = _count(client, url)
    for post in Post.objects.all():
        services.post_assign(actor=world.secretary_a, post=post, holder=make_person(world.branch_a))
    _posts(make_post, 4)
    _count(client, url, few)


def _records(user, n):
    for i in range(n):
        services.duty_record_create(
            actor=user, occurred_on=timezone.localdate(), place="教室", content=f"内容{i}"
        )


def test_duty_record_list_constant_queries_and_filters(world, as_user, published_post):
    client = as_user(world.secretary_a)
    url = reverse("posts:duty_record_list")
    _records(world.member_user, 2)
    few = _count(client, url)
    _records(world.member_user, 4)
    _count(client, url, few)
    assert "内容3" in client.get(url + "?checked=0").content.decode()
    assert "内容3" not in client.get(url + "?checked=1").content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    assert "内容3" in client.get(url + f"?month={month}&org={world.branch_a.pk}").content.decode()
    # other branch's officer sees none of them
    assert "内容3" not in as_user(world.secretary_b).get(url).content.decode()


def test_duty_record_keyset_pagination(world, as_user):
    _records(world.member_user, 55)
    client = as_user(world.secretary_a)
    first = client.get(reverse("posts:duty_record_list"))
    token = first.context["page"].next_token
    assert token and len(first.context["page"].rows) == 50
    second = client.get(reverse("posts:duty_record_list") + f"?after={token}")
    assert len(second.context["page"].rows) == 5


def test_commitment_and_summary_lists_constant_queries(world, as_user, year):
    client = as_user(world.secretary_a)
    people = [make_user(make_person(world.branch_a)) for _ in range(6)]
    for user in people[:2]:
        services.commitment_create(actor=user, year=year, **AREAS)
        services.summary_member_create(actor=user, year=year, semester=1, content="x")
    url_c = reverse("posts:commitment_list")
    url_s = reverse("posts:summary_list") + f"?org={world.branch_a.pk}&year={year}&show=all"
    few_c, few_s = _count(client, url_c), _count(client, url_s)
    for user in people[2:]:
        services.commitment_create(actor=user, year=year, **AREAS)
        services.summary_member_create(actor=user, year=year, semester=1, content="x")
    _count(client, url_c, few_c)
    _count(client, url_s, few_s)


def test_summary_list_shows_who_has_not_submitted(world, as_user, year):
    services.summary_member_create(actor=world.member_user, year=year, semester=1, content="x")
    missing = make_person(world.branch_a, name="未交小结者")
    response = as_user(world.secretary_a).get(
        reverse("posts:summary_list") + f"?org={world.branch_a.pk}&year={year}&semester=1"
    )
    html = response.content.decode()
    assert missing.name in html and world.member_a.name not in html


def test_my_posts_shows_own_and_open_posts(world, as_user, make_post, year):
    mine = services.post_claim(actor=world.member_user, post=make_post(name="我的岗"))
    make_post(name="空岗位")
    make_post(world.branch_b, name="外支部岗位")
    html = as_user(world.member_user).get(reverse("posts:my_posts")).content.decode()
    assert mine.name in html and "空岗位" in html and "外支部岗位" not in html
    assert "认领" in html


def test_my_posts_constant_queries(world, as_user, make_post):
    client = as_user(world.member_user)
    url = reverse("posts:my_posts")
    _posts(make_post, 2)
    few = _count(client, url)
    _posts(make_post, 4, type_name="文明建设岗")
    _count(client, url, few)


def test_duty_record_create_mobile_form(world, as_user):
    client = as_user(world.member_user)
    page = client.get(reverse("posts:duty_record_create")).content.decode()
    assert 'name="viewport"' in page and "form-control-lg" in page
    future = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("posts:duty_record_create"),
        {"occurred_on": future.isoformat(), "place": "宿舍", "content": "文明巡查"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "活动日期不能晚于今天" in html and "文明巡查" in html
    response = client.post(
        reverse("posts:duty_record_create"),
        {"occurred_on": timezone.localdate().isoformat(), "place": "宿舍", "content": "文明巡查"},
    )
    assert response.status_code == 302
    assert DutyRecord.objects.filter(person=world.member_a).count() == 1


def test_duty_record_edit_only_own(world, as_user):
    _records(world.member_user, 1)
    rec = DutyRecord.objects.get()
    url = reverse("posts:duty_record_edit", args=[rec.pk])
    assert as_user(world.member_user).get(url).status_code == 200
    assert as_user(world.secretary_a).get(url).status_code == 403
    assert as_user(world.secretary_b).get(url).status_code == 404


def test_checked_record_shows_badge(world, as_user):
    _records(world.member_user, 1)
    today = timezone.localdate()
    response = as_user(world.secretary_a).post(
        reverse("posts:duty_check_create"),
        {"organisation": world.branch_a.pk, "month": today.strftime("%Y-%m"), "findings": "完整"},
    )
    assert response.status_code == 302
    assert DutyCheck.objects.get().records_checked == 1
    assert (
        "已检查"
        in as_user(world.member_user).get(reverse("posts:duty_record_mine")).content.decode()
    )


def test_quarterly_screen_department_only(world, as_user):
    assert (
        as_user(world.gb_secretary_a).get(reverse("posts:duty_check_quarterly")).status_code == 403
    )
    assert as_user(world.org_officer).get(reverse("posts:duty_check_quarterly")).status_code == 200


def _xlsx_header(response, row=2):
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return [c.value for c in list(sheet.iter_rows(min_row=row, max_row=row))[0]]


def test_registration_and_annex2_export_and_print(world, as_user, published_post, year):
    client = as_user(world.gb_secretary_a)
    q = f"?org={world.gb_a.pk}&year={year}"
    assert _xlsx_header(client.get(reverse("posts:registration_xlsx") + q)) == REGISTRATION_HEADERS
    assert _xlsx_header(client.get(reverse("posts:annex2_xlsx") + q)) == ANNEX2_HEADERS
    html = client.get(reverse("posts:registration") + q).content.decode()
    assert "党员定岗情况登记表" in html and world.member_a.name in html and "正式" in html
    html = client.get(reverse("posts:annex2") + q).content.decode()
    assert "年度党员亮岗履职一览表" in html and published_post.name in html
    # another general branch's officer does not see gb_a's posts
    other = as_user(world.secretary_b).get(reverse("posts:registration") + q)
    assert world.member_a.name not in other.content.decode()


def test_duty_record_export_header(world, as_user):
    _records(world.member_user, 2)
    response = as_user(world.secretary_a).get(reverse("posts:duty_record_export"))
    assert _xlsx_header(response) == DUTY_RECORD_HEADERS


def test_commitment_screens(world, as_user, year):
    client = as_user(world.member_user)
    response = client.post(
        reverse("posts:commitment_mine") + f"?year={year}", {"year": year, **AREAS}
    )
    assert response.status_code == 302
    again = client.post(reverse("posts:commitment_mine"), {"year": year, **AREAS})
    assert "每人每年一份" in again.content.decode()
    commitment = world.member_a.commitments.get()
    detail = reverse("posts:commitment_detail", args=[commitment.pk])
    assert as_user(world.secretary_a).get(detail).status_code == 200
    assert as_user(world.secretary_b).get(detail).status_code == 404
    assert (
        as_user(world.secretary_a)
        .post(reverse("posts:commitment_publish", args=[commitment.pk]))
        .status_code
        == 302
    )
    printed = as_user(world.member_user).get(
        reverse("posts:commitment_print", args=[commitment.pk])
    )
    assert printed.status_code == 200 and "党员岗位责任承诺书" in printed.content.decode()
    response = as_user(world.member_user).post(
        detail, {"reported_on": timezone.localdate(), "note": "践诺"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "posts:post_list",
        "posts:duty_record_list",
        "posts:duty_check_list",
        "posts:commitment_list",
        "posts:summary_list",
        "posts:registration",
        "posts:annex2",
    ],
)
def test_filter_bars_pick_the_organisation_by_typeahead_not_a_select(world, as_user, name):
    client = as_user(world.org_officer)
    page = client.get(reverse(name)).content.decode()
    element_id = "p-org" if name in ("posts:registration", "posts:annex2") else "f-org"
    assert f'id="{element_id}"' in page and f'for="{element_id}"' in page
    assert reverse("org:pick_organisations") in page
    assert "信息工程学院学生支部</option>" not in page
    chosen = client.get(reverse(name), {"org": world.branch_a.pk}).content.decode()
    assert 'name="org"' in chosen and f'value="{world.branch_a.pk}"' in chosen
    assert f'value="{world.branch_a.name}"' in chosen
