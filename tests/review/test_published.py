"""The published result: on the public board (page and API) and in 一支部一档; nothing before
publication."""

import pytest
from django.urls import reverse

from dangjian.review import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(world, round_, report_a, report_b, review):
    review(report_a, score=90)
    review(report_b, score=70, rating="basic")
    return round_


def test_board_shows_published_results_only(world, as_user, reviewed, today):
    url = reverse("public:board", args=["BA"])
    page = as_user(None).get(url, {"year": today.year}).content.decode()
    assert "暂无公布的书记述职评议结果" in page
    services.round_publish(actor=world.org_officer, round=reviewed)
    page = as_user(None).get(url, {"year": today.year}).content.decode()
    assert "书记张书记" in page and "综合得分92.0" in page
    assert "李书记" not in page  # another branch's board
    gb_page = (
        as_user(None)
        .get(reverse("public:board", args=["GB"]), {"year": today.year})
        .content.decode()
    )
    assert "书记李书记" in gb_page and "基本称职" in gb_page  # 70×40% + 70×60%
    api = as_user(None).get(f"/api/v1/public/boards/BA/?year={today.year}")
    assert api.status_code == 200
    assert api.json()["secretary_reviews"][0]["grade"] == "优秀"


def test_branch_file_lists_published_results(world, as_role, reviewed):
    url = reverse("reports:branch_file", args=[world.branch_a.pk])
    assert "无已发布的述职评议结果" in as_role("officer").get(url).content.decode()
    services.round_publish(actor=world.org_officer, round=reviewed)
    page = as_role("officer").get(url).content.decode()
    assert 'id="secretary-reviews"' in page and "张书记" in page and "优秀" in page
