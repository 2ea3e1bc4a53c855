"""Pages of 联述联评联考: scoping of every view (in-scope officer, other branch, member,
anonymous), bad input kept on the form, the export and print, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.review import services
from dangjian.review.models import ReportState
from dangjian.review.views import EXPORT_HEADERS
from tests.factories import make_officer, make_org
from tests.harness import assert_role_matrix, capture_queries
from tests.review.conftest import TEXT

pytestmark = pytest.mark.django_db


def xlsx_rows(response):
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.fixture
def gb_round(world, today):
    """A round organised by 机关党总支 (gb_a): branch_a reports to it."""
    return services.round_create(
        actor=world.gb_secretary_a, organisation=world.gb_a, year=today.year, level="branch"
    )


def test_lists_and_round_pages(as_role, gb_round, round_):
    assert_role_matrix(
        as_role,
        reverse("review:round_list"),
        {"officer": 200, "gb_officer": 200, "member": 200, "org_officer": 200, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("review:report_list"),
        {"officer": 200, "other_officer": 200, "member": 200, "anonymous": 302},
    )
    for name in ("round_detail", "round_results_export", "round_print"):
        assert_role_matrix(
            as_role,
            reverse(f"review:{name}", args=[gb_round.pk]),
            {
                "officer": 200,  # the reporting secretary reads the round
                "gb_officer": 200,
                "org_officer": 200,
                "other_officer": 404,
                "member": 404,
                "anonymous": 302,
            },
        )


def test_round_list_shows_what_the_user_sees(as_role, gb_round, round_):
    page = as_role("other_officer").get(reverse("review:round_list")).content.decode()
    assert round_.title in page and gb_round.title not in page or gb_round.title == round_.title
    page = as_role("member").get(reverse("review:round_list")).content.decode()
    assert "还没有联述联评联考" in page


def test_report_pages_and_steps(world, as_role, report_a, submit):
    detail = reverse("review:report_detail", args=[report_a.pk])
    scoped = {
        "officer": 200,
        "gb_officer": 200,
        "org_officer": 200,
        "other_officer": 404,
        "member": 404,
        "anonymous": 302,
    }
    assert_role_matrix(as_role, detail, scoped)
    assert_role_matrix(as_role, reverse("review:report_print", args=[report_a.pk]), scoped)
    assert_role_matrix(as_role, reverse("review:report_submit", args=[report_a.pk]), scoped)
    submit(report_a)
    assert_role_matrix(
        as_role,
        reverse("review:report_rating", args=[report_a.pk]),
        {
            "officer": 403,
            "gb_officer": 200,
            "org_officer": 200,
            "other_officer": 404,
            "member": 404,
            "anonymous": 302,
        },
    )
    assert_role_matrix(
        as_role,
        reverse("review:report_review", args=[report_a.pk]),
        {"officer": 403, "gb_officer": 200, "other_officer": 404, "member": 404, "anonymous": 302},
    )


def test_submit_form_keeps_what_was_typed(world, as_role, report_a):
    url = reverse("review:report_submit", args=[report_a.pk])
    response = as_role("officer").post(url, {"text": "今年做了一些工作。"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "今年做了一些工作。" in page and "述职报告至少50字" in page
    report_a.refresh_from_db()
    assert report_a.state == ReportState.PENDING
    response = as_role("officer").post(url, {"text": TEXT})
    assert response.status_code == 302
    report_a.refresh_from_db()
    assert report_a.state == ReportState.REPORTED


def test_rating_and_review_forms(world, as_role, report_a, submit, today):
    submit(report_a)
    client = as_role("gb_officer")
    url = reverse("review:report_rating", args=[report_a.pk])
    bad = client.post(url, {"opens_on": today, "closes_on": today, "min_responses": 1, "links": 5})
    assert bad.status_code == 200 and "最少有效票数不能少于3票" in bad.content.decode()
    ok = client.post(url, {"opens_on": today, "closes_on": today, "min_responses": 3, "links": 5})
    assert ok.status_code == 302
    report_a.refresh_from_db()
    assert report_a.state == ReportState.RATING and report_a.survey.tokens.count() == 5
    review = client.post(
        reverse("review:report_review", args=[report_a.pk]), {"score": "90", "comment": "好"}
    )
    assert review.status_code == 200
    assert "未达到最少有效票数3份" in review.content.decode()
    assert 'value="90"' in review.content.decode()


def test_publish_button(world, as_role, round_, report_a, report_b, review):
    url = reverse("review:round_publish", args=[round_.pk])
    assert_role_matrix(
        as_role,
        url,
        {"gb_officer": 403, "other_officer": 403, "member": 403, "anonymous": 302},
        method="post",
    )
    response = as_role("org_officer").post(url, follow=True)
    assert "还有2份述职未经上级评定" in response.content.decode()
    review(report_a)
    review(report_b)
    response = as_role("org_officer").post(url, follow=True)
    assert "结果已发布" in response.content.decode()


def test_export_in_column_order(world, as_role, round_, report_a, review):
    review(report_a, score=90)
    rows = xlsx_rows(
        as_role("org_officer").get(reverse("review:round_results_export", args=[round_.pk]))
    )
    assert rows[1] == EXPORT_HEADERS
    assert rows[2][:9] == ["机关一支部", "张书记", "已评定", rows[2][3], 3, 95, 90, 92, "优秀"]
    rows = xlsx_rows(
        as_role("gb_officer").get(reverse("review:round_results_export", args=[round_.pk]))
    )
    assert [r[0] for r in rows[2:]] == ["机关一支部"]  # only the reports in scope


def test_round_page_queries_do_not_grow(world, as_role, today):
    def count():
        round_ = services.round_create(
            actor=world.org_officer,
            organisation=world.committee,
            year=today.year - count.n,
            level="branch",
        )
        count.n += 1
        client = as_role("org_officer")
        url = reverse("review:round_detail", args=[round_.pk])
        client.get(url)
        with capture_queries() as log:
            assert client.get(url).status_code == 200
        return len(log)

    count.n = 0
    few = count()
    for i in range(8):
        branch = make_org(world.gb_b, name=f"第{i}支部", code=f"BQ{i}")
        make_officer(branch, name=f"书记{i}")
    assert count() == few


def test_round_register_pages_scoped(world, as_role, gb_round):
    assert_role_matrix(
        as_role,
        reverse("review:round_create"),
        {"officer": 200, "gb_officer": 200, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("review:round_edit", args=[gb_round.pk]),
        {
            "gb_officer": 200,
            "org_officer": 200,
            "officer": 403,
            "other_officer": 404,
            "member": 403,  # officers' pages
            "anonymous": 302,
        },
    )
    assert_role_matrix(
        as_role,
        reverse("review:round_delete", args=[gb_round.pk]),
        {"officer": 403, "other_officer": 404, "member": 403, "anonymous": 302, "gb_officer": 302},
        method="post",
    )


def test_round_edit_keeps_what_was_typed(world, as_role, gb_round):
    url = reverse("review:round_edit", args=[gb_round.pk])
    response = as_role("gb_officer").post(
        url, {"title": "改后的标题", "due_on": f"{gb_round.year + 1}-01-05"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "述职截止日期须在该年度内" in page and "改后的标题" in page
