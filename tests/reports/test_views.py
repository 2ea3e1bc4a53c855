"""Quarterly report pages: scoping of every view, workflow buttons, list, print and XLSX."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.reports import rules, services, views
from dangjian.reports.models import QuarterlyReport
from tests.factories import make_org
from tests.harness import assert_num_queries
from tests.reports.conftest import QUARTER, YEAR

pytestmark = pytest.mark.django_db

LIST = reverse("reports:report_list")
PERIOD = {"year": YEAR, "quarter": QUARTER}

READ_VIEWS = [
    "reports:report_detail",
    "reports:report_edit",
    "reports:report_print",
    "reports:report_export",
]
POST_VIEWS = [
    "reports:report_refresh",
    "reports:report_submit",
    "reports:report_accept",
    "reports:report_return",
]


@pytest.mark.parametrize("name", READ_VIEWS)
def test_in_scope_officer_opens(world, as_user, draft, name):
    assert as_user(world.secretary_a).get(reverse(name, args=[draft.pk])).status_code == 200
    assert as_user(world.gb_secretary_a).get(reverse(name, args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("name", READ_VIEWS + POST_VIEWS)
def test_other_branch_officer_gets_404(world, as_user, draft, name):
    client = as_user(world.secretary_b)
    method = client.post if name in POST_VIEWS else client.get
    assert method(reverse(name, args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("name", READ_VIEWS + POST_VIEWS)
def test_member_is_refused(world, as_user, draft, name):
    client = as_user(world.member_user)
    method = client.post if name in POST_VIEWS else client.get
    assert method(reverse(name, args=[draft.pk])).status_code == 403


@pytest.mark.parametrize("name", READ_VIEWS + POST_VIEWS)
def test_anonymous_is_sent_to_login(world, as_user, draft, name):
    client = as_user(None)
    method = client.post if name in POST_VIEWS else client.get
    response = method(reverse(name, args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["reports:report_list", "reports:summary_export"])
def test_list_pages_by_role(world, as_user, name):
    url = reverse(name)
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.member_user).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302


def test_generate_posts_by_role(world, as_user):
    url = reverse("reports:report_generate")
    data = {**PERIOD, "org": world.branch_a.pk}
    assert as_user(None).post(url, data).status_code == 302
    assert as_user(world.member_user).post(url, data).status_code == 403
    assert as_user(world.secretary_b).post(url, data).status_code == 404
    response = as_user(world.secretary_a).post(url, data)
    report = QuarterlyReport.objects.get()
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])


def test_generate_missing_drafts_of_the_level_below(world, as_user):
    client = as_user(world.gb_secretary_a)
    data = {**PERIOD, "org": world.gb_a.pk, "below": "1"}
    client.post(reverse("reports:report_generate"), data)
    assert set(QuarterlyReport.objects.values_list("organisation__code", flat=True)) == {
        "GA",
        "BA",
    }
    response = client.post(reverse("reports:report_generate"), data, follow=True)
    assert QuarterlyReport.objects.count() == 2
    assert response.status_code == 200


def test_second_generation_names_the_rule(world, as_user, draft):
    response = as_user(world.secretary_a).post(
        reverse("reports:report_generate"), {**PERIOD, "org": world.branch_a.pk}, follow=True
    )
    assert "每个季度只填报一份" in response.content.decode()


def test_list_shows_overdue_to_the_level_above(world, as_user, draft):
    html = as_user(world.gb_secretary_a).get(LIST, PERIOD).content.decode()
    assert "机关党总支" in html and "机关一支部" in html
    assert "逾期未报" in html  # branch_a's draft, due 2025-06-20, not submitted
    assert "table-danger" in html
    assert "推广面" in html and "12月底前达到100%" in html


def test_list_of_the_current_quarter_by_default(world, as_user):
    response = as_user(world.secretary_a).get(LIST)
    assert response.status_code == 200
    assert "没有需要填报季报表的下级党组织" in response.content.decode()


def test_list_empty_state_for_an_unknown_org(world, as_user):
    html = as_user(world.secretary_a).get(LIST, {**PERIOD, "org": world.branch_b.pk}).content
    assert "您的管理范围内没有需要填报季报表的党组织" in html.decode()


def _list_queries(client, expected=None):
    with assert_num_queries(expected) as ctx:
        assert client.get(LIST, PERIOD).status_code == 200
    return ctx


def test_list_query_count_is_constant(world, as_user):
    client = as_user(world.org_officer)
    for org in (world.committee, world.gb_a):
        services.report_generate(
            actor=world.org_officer, organisation=org, year=YEAR, quarter=QUARTER
        )
    two = _list_queries(client)
    for n in range(4):
        gb = make_org(world.committee, name=f"总支{n}", code=f"G{n}")
        make_org(gb, name=f"支部{n}", code=f"B{n}")
        services.report_generate(
            actor=world.org_officer, organisation=gb, year=YEAR, quarter=QUARTER
        )
    _list_queries(client, two)


def test_submit_and_return_through_the_pages(world, as_user, draft):
    client = as_user(world.secretary_a)
    client.post(reverse("reports:report_edit", args=[draft.pk]), {"progress": "进展"})
    client.post(reverse("reports:report_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "submitted"
    # the branch secretary may not review their own branch's report
    response = client.post(reverse("reports:report_accept", args=[draft.pk]))
    assert response.status_code == 403
    assert "上级党组织审核" in response.content.decode()
    # the edit page of a submitted report refuses, naming the rule
    response = client.get(reverse("reports:report_edit", args=[draft.pk]), follow=True)
    assert "须由上级党组织退回" in response.content.decode()
    # the general branch returns it; a note is required
    gb = as_user(world.gb_secretary_a)
    page = gb.get(reverse("reports:report_detail", args=[draft.pk])).content.decode()
    assert "退回修改" in page
    response = gb.post(reverse("reports:report_return", args=[draft.pk]), follow=True)
    assert "退回时须填写审核意见" in response.content.decode()
    gb.post(reverse("reports:report_return", args=[draft.pk]), {"note": "请补充"})
    draft.refresh_from_db()
    assert draft.status == "returned"


def test_edit_form_keeps_input(world, as_user, draft):
    response = as_user(world.secretary_a).post(
        reverse("reports:report_edit", args=[draft.pk]), {"progress": "x" * 10, "problems": "问题"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.problems == "问题"


def test_detail_shows_figures_narrative_and_audit(world, as_user, draft):
    html = as_user(world.secretary_a).get(reverse("reports:report_detail", args=[draft.pk]))
    text = html.content.decode()
    assert "已实行“168”机制的党组织数" in text
    assert "下一步工作打算" in text
    assert "操作记录" in text
    assert "报送上级党组织" in text


def test_print_page_renders_the_annex_form(world, as_user, draft):
    text = as_user(world.secretary_a).get(reverse("reports:report_print", args=[draft.pk]))
    html = text.content.decode()
    assert views.TITLE in html
    for word in (
        "填报单位",
        "填报时间",
        "工作进展情况",
        "特色做法和成效",
        "存在问题",
        "下一步工作打算",
    ):
        assert word in html
    for word in ("填表人", "审核人", "单位盖章"):
        assert word in html


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_report_xlsx_has_header_row(world, as_user, draft):
    response = as_user(world.secretary_a).get(reverse("reports:report_export", args=[draft.pk]))
    ws = _workbook(response).active
    rows = list(ws.iter_rows(values_only=True))
    assert views.TITLE in rows[0][0]
    assert list(rows[1]) == views.REPORT_HEADERS
    assert rows[2][1] == "党组织数（党支部）"


def test_summary_xlsx_has_header_row(world, as_user, draft):
    response = as_user(world.gb_secretary_a).get(reverse("reports:summary_export"), PERIOD)
    rows = list(_workbook(response).active.iter_rows(values_only=True))
    assert list(rows[1]) == views.SUMMARY_HEADERS
    names = [r[0] for r in rows[2:]]
    assert names == ["机关党总支", "机关一支部"]
    assert rows[3][5] == "逾期未报"


def test_only_overdue_on_the_page_and_in_the_export(world, as_user, draft):
    client = as_user(world.gb_secretary_a)
    page = client.get(reverse("reports:report_list"), {**PERIOD, "attention": 1})
    [section] = page.context["sections"]
    assert [r.org.name for r in section.children] == ["机关一支部"]  # 逾期未报
    assert all(r.deadline_state in ("overdue", "late") for r in section.children)
    response = client.get(reverse("reports:summary_export"), {**PERIOD, "attention": 1})
    rows = list(_workbook(response).active.iter_rows(values_only=True))
    assert "逾期" in rows[0][0]
    # the general branch itself has not reported either
    assert [(r[0], r[5]) for r in rows[2:]] == [
        ("机关党总支", "逾期未报"),
        ("机关一支部", "逾期未报"),
    ]


@pytest.mark.parametrize(
    "state,chased",
    [("pending", False), ("on_time", False), ("late", True), ("overdue", True)],
)
def test_needs_attention(state, chased):
    assert rules.needs_attention(state) is chased
