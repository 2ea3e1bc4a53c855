"""The public board (六公开) and nameplates: no login, and nothing but the whitelist leaves."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.org import services as org_services
from tests.factories import make_org, make_person
from tests.harness import assert_max_queries, assert_num_queries
from tests.public.conftest import (
    SECRET_BIRTH,
    SECRET_ID,
    SECRET_PHONE,
    SECRET_UNIT,
    YEAR,
    make_post,
)

pytestmark = pytest.mark.django_db

SECRETS = [
    SECRET_ID,
    SECRET_ID[:6],  # no fragment of it either
    SECRET_PHONE,
    SECRET_BIRTH.isoformat(),
    f"{SECRET_BIRTH:%Y年%-m月%-d日}",
    SECRET_UNIT,
]
UNPUBLISHED = ["set岗位", "claimed岗位", "confirmed岗位", "set职责", "claimed进展"]


def _assert_whitelisted(text):
    for secret in SECRETS:
        assert secret not in text, secret
    for hidden in UNPUBLISHED:
        assert hidden not in text, hidden
    for hidden in ("未公开的承诺", "未公开的任务", "未公开承诺内容", "内部措施不公开"):
        assert hidden not in text, hidden
    for hidden in ("不公开的意见", "不公开的答复", "提交人张三", "13800000000"):
        assert hidden not in text, hidden


# --- Index ---------------------------------------------------------------------------------


def test_index_lists_branches_under_their_general_branch_without_login(world, as_user):
    response = as_user(None).get(reverse("public:board_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "机关党总支" in html and "机关一支部" in html
    assert "信息工程学院学生支部" in html
    assert "第一党小组" not in html  # groups have no board
    assert html.index("机关党总支") < html.index("机关一支部")


def test_index_search_and_dissolved_orgs(world, as_user):
    extra = make_org(world.gb_b, name="已撤销支部", code="GONE")
    org_services.organisation_dissolve(actor=None, org=extra, dissolved_on=date(2024, 1, 1))
    html = as_user(None).get(reverse("public:board_index"), {"q": "学生"}).content.decode()
    assert "信息工程学院学生支部" in html
    assert "机关一支部" not in html
    assert "已撤销支部" not in as_user(None).get(reverse("public:board_index")).content.decode()


def test_index_pages_through_general_branches_with_a_fixed_number_of_queries(world, as_user):
    from dangjian.public import selectors

    direct = make_org(world.committee, "branch", name="直属一支部", code="DIR1", category="staff")
    for n in range(selectors.BOARD_INDEX_PAGE + 2):
        make_org(make_org(world.committee, name=f"第{n:02d}党总支", code=f"G{n:02d}"),
                 name=f"第{n:02d}支部", code=f"B{n:02d}")  # fmt: skip
    client = as_user(None)
    with assert_max_queries(8):
        first = client.get(reverse("public:board_index"))
    html = first.content.decode()
    assert "第00支部" in html and "下一页" in html and "第25支部" not in html
    next_after = first.context["next_after"]
    rest = client.get(reverse("public:board_index"), {"after": next_after}).content.decode()
    assert "第25支部" in rest and "第00支部" not in rest and "第一页" in rest
    seen = html + rest
    assert "直属党支部" in seen and direct.name in seen
    # a search finds a branch under its general branch
    found = client.get(reverse("public:board_index"), {"q": "第07支"}).content.decode()
    assert "第07党总支" in found and "第07支部" in found and "第08支部" not in found


# --- Board page ----------------------------------------------------------------------------


def test_board_shows_the_six_disclosures_of_published_posts(board_world, as_user):
    response = as_user(None).get(reverse("public:board", args=["BA"]))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("姓名", "岗位（职责）", "目标任务", "工作进展", "考核评议", "奖惩结果"):
        assert label in html
    assert "赵党员" in html
    for state in ("published", "performing", "evaluated"):
        assert f"{state}岗位" in html
        assert f"{state}进展" in html
    assert "优秀" in html and "优秀共产党员" in html
    assert "公开的思想政治承诺" in html
    assert "公开的任务" in html and "公开承诺内容" in html and "40%" in html
    assert "公开答复的意见" in html and "已公开答复" in html
    _assert_whitelisted(html)


def test_board_year_switcher(board_world, as_user):
    make_post(board_world.branch_a, board_world.member_a, year=YEAR - 2, name="往年岗位")
    html = as_user(None).get(reverse("public:board", args=["BA"])).content.decode()
    assert f"?year={YEAR - 2}" in html
    assert "往年岗位" not in html
    html = (
        as_user(None).get(reverse("public:board", args=["BA"]), {"year": YEAR - 2}).content.decode()
    )
    assert "往年岗位" in html and "published岗位" not in html


def test_board_of_unknown_dissolved_or_group_is_404(world, as_user):
    client = as_user(None)
    assert client.get(reverse("public:board", args=["NOPE"])).status_code == 404
    assert client.get(reverse("public:board", args=["GRA"])).status_code == 404  # a group
    assert client.get(reverse("public:board", args=["C"])).status_code == 404  # committee
    extra = make_org(world.gb_b, name="撤销支部", code="GONE")
    org_services.organisation_dissolve(actor=None, org=extra, dissolved_on=date(2024, 1, 1))
    assert client.get(reverse("public:board", args=["GONE"])).status_code == 404


def test_board_query_count_is_constant(world, as_user):
    client = as_user(None)
    url = reverse("public:board", args=["BA"])

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            assert client.get(url).status_code == 200
        return ctx

    for _ in range(2):
        make_post(world.branch_a, make_person(world.branch_a), state="published")
    few = count()
    for _ in range(4):
        make_post(world.branch_a, make_person(world.branch_a), state="performing")
    count(few)


def test_general_branch_board_links_to_its_branches(world, as_user):
    html = as_user(None).get(reverse("public:board", args=["GA"])).content.decode()
    assert reverse("public:board", args=["BA"]) in html


# --- Board API -----------------------------------------------------------------------------


def test_board_api_same_whitelist(board_world):
    response = APIClient().get("/api/v1/public/boards/BA/")
    assert response.status_code == 200
    data = response.json()
    assert data["organisation"] == {"name": "机关一支部", "code": "BA", "kind": "branch"}
    assert {p["name"] for p in data["posts"]} == {
        "published岗位",
        "performing岗位",
        "evaluated岗位",
    }
    assert set(data["posts"][0]) == {
        "id",
        "year",
        "holder_name",
        "name",
        "duties",
        "targets",
        "progress",
        "grade",
        "grade_label",
        "evaluation",
        "reward",
        "published_on",
        "evaluated_on",
    }
    assert [c["person_name"] for c in data["commitments"]] == ["赵党员"]
    assert [t["title"] for t in data["tasks"]] == ["公开的任务"]
    assert [r["reply"] for r in data["replies"]] == ["已公开答复"]
    assert set(data["replies"][0]) == {
        "id",
        "category",
        "category_label",
        "content",
        "reply",
        "replied_on",
    }
    _assert_whitelisted(response.content.decode())


def test_board_api_unknown_is_404_and_ignores_credentials(world):
    assert APIClient().get("/api/v1/public/boards/NOPE/").status_code == 404
    client = APIClient()
    client.force_login(world.secretary_a)
    # A signed-in officer sees exactly the public board, nothing more.
    assert (
        client.get("/api/v1/public/boards/BA/").json()
        == APIClient().get("/api/v1/public/boards/BA/").json()
    )


# --- Nameplate -----------------------------------------------------------------------------


@pytest.mark.parametrize("n", ["1", "2", "4"])
def test_nameplate_prints_for_published_post(board_world, as_user, n):
    post = board_world.posts["performing"]
    response = as_user(None).get(reverse("public:nameplate", args=[post.pk]), {"n": n})
    assert response.status_code == 200
    html = response.content.decode()
    assert "共产党员" in html and "赵党员" in html and "performing岗位" in html
    assert "机关一支部" in html and f"{YEAR}年度" in html
    assert html.count('class="plate"') == int(n)
    _assert_whitelisted(html)


@pytest.mark.parametrize("state", ["set", "claimed", "confirmed"])
def test_nameplate_404_for_unpublished_post(board_world, as_user, state):
    post = board_world.posts[state]
    assert as_user(None).get(reverse("public:nameplate", args=[post.pk])).status_code == 404


def test_nameplate_404_for_unknown_post(world, as_user):
    assert as_user(None).get(reverse("public:nameplate", args=[999999])).status_code == 404
