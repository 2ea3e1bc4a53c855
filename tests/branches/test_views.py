"""Screens of the branches app: scoping of every view, forms, the three annex forms (print and
XLSX), query counts."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.branches import selectors, services
from dangjian.branches.exports import SCORE_HEADERS
from dangjian.branches.models import BranchGrading, GradingStandard, GradingYear
from dangjian.branches.views import ITEM_HEADERS, YEAR_HEADERS
from tests.branches.conftest import YEAR, fill
from tests.factories import make_org, make_person, make_user
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def row_values(sheet, number):
    return [c.value for c in sheet[number] if c.value is not None]


# --- permission matrix ------------------------------------------------------------------------

LIST_PAGES = [
    "branches:year_list",
    "branches:item_list",
    "branches:item_export",
    "branches:standard_list",
]
YEAR_PAGES = [
    "branches:year_detail",
    "branches:year_export",
    "branches:year_summary",
    "branches:year_summary_xlsx",
    "branches:year_rectification",
    "branches:year_rectification_xlsx",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_by_role(world, as_user, submitted, name):
    url = reverse(name)
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.org_officer).get(url).status_code == 200
    assert as_user(world.secretary_b).get(url).status_code == 200
    assert as_user(world.member_user).get(url).status_code == 403
    response = as_user(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_item_list_filtered_by_scope(world, as_user, submitted):
    url = reverse("branches:item_list")
    assert "组织生活次数不足" in as_user(world.secretary_a).get(url).content.decode()
    assert "组织生活次数不足" not in as_user(world.secretary_b).get(url).content.decode()
    assert as_user(world.secretary_b).get(url, {"org": world.branch_a.pk}).status_code == 404
    overdue = as_user(world.secretary_a).get(url, {"status": "overdue"}).content.decode()
    assert "组织生活次数不足" in overdue  # due 9-30, open on 11-10
    done = as_user(world.secretary_a).get(url, {"status": "done"}).content.decode()
    assert "组织生活次数不足" not in done


@pytest.mark.parametrize("name", YEAR_PAGES)
def test_year_pages_by_role(world, as_user, year, name):
    url = reverse(name, args=[year.pk])
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.org_officer).get(url).status_code == 200
    # another branch sees the committee's year (its own rows only), not gb_a's rows
    assert as_user(world.secretary_b).get(url).status_code == 200
    assert as_user(world.secretary_b).get(url, {"gb": world.gb_a.pk}).status_code == 404
    assert as_user(world.member_user).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302


def test_a_year_of_another_committee_is_404(world, as_user, today):
    other = make_org(None, name="另一党委", code="X")
    other_year = services.grading_year_create(
        actor=world.org_officer, organisation=other, year=YEAR
    )
    url = reverse("branches:year_detail", args=[other_year.pk])
    assert as_user(world.secretary_a).get(url).status_code == 404
    assert as_user(world.org_officer).get(url).status_code == 200


def test_year_page_lists_only_the_branches_in_scope(world, as_user, graded):
    url = reverse("branches:year_detail", args=[graded.grading_year.pk])
    mine = as_user(world.secretary_a).get(url).content.decode()
    assert world.branch_a.name in mine and world.branch_b.name not in mine.split('id="branches"')[1]
    theirs = as_user(world.secretary_b).get(url).content.decode()
    assert world.branch_a.name not in theirs.split('id="branches"')[1]
    everything = as_user(world.org_officer).get(url).content.decode()
    assert "chart-grades" in everything and "chart-progress" not in everything  # no items yet
    assert "vendor/echarts/echarts.min.js" in everything


def test_year_page_filters_and_timeline(world, as_user, graded, submitted):
    url = reverse("branches:year_detail", args=[graded.grading_year.pk])
    client = as_user(world.org_officer)
    page = client.get(url, {"grade": "good"}).content.decode()
    table = page.split('id="branches"')[1]
    assert world.branch_a.name in table and world.branch_b.name not in table
    ungraded = client.get(url, {"grade": "ungraded"}).content.decode().split('id="branches"')[1]
    assert world.branch_b.name in ungraded and world.branch_a.name not in ungraded
    # today 2025-11-10: in 对标整改 and 考核总结; branch_b's grading is late
    assert "今天（2025-11-10）处于：对标整改、晋位升级、考核总结、健全制度" in page
    deadlines = page.split('id="deadlines"')[1]
    assert "逾期 1" in deadlines  # branch_b not graded by 3-30
    assert "chart-progress" in page


def test_row_pages_by_role(world, as_user, submitted):
    grading = submitted.plan.grading
    pages = [
        ("branches:grading_detail", grading.pk),
        ("branches:grading_print", grading.pk),
        ("branches:grading_xlsx", grading.pk),
        ("branches:branch_history", world.branch_a.pk),
        ("branches:plan_detail", submitted.plan.pk),
        ("branches:plan_edit", submitted.plan.pk),
        ("branches:item_create", submitted.plan.pk),
        ("branches:item_edit", submitted.item.pk),
    ]
    for name, pk in pages:
        url = reverse(name, args=[pk])
        assert as_user(world.secretary_a).get(url).status_code == 200, name
        assert as_user(world.gb_secretary_a).get(url).status_code == 200, name
        assert as_user(world.secretary_b).get(url).status_code == 404, name
        assert as_user(world.member_user).get(url).status_code == 403, name
        assert as_user(None).get(url).status_code == 302, name


def test_member_pages(world, as_user, submitted):
    mine = reverse("branches:my_items")
    done = reverse("branches:item_done", args=[submitted.item.pk])
    assert "组织生活次数不足" in as_user(world.member_user).get(mine).content.decode()
    assert as_user(world.member_user).get(done).status_code == 200
    assert as_user(world.secretary_a).get(done).status_code == 200
    assert as_user(world.secretary_b).get(done).status_code == 404
    other = make_user(make_person(world.branch_a))
    assert as_user(other).get(done).status_code == 404
    assert "没有需要您落实的整改事项" in as_user(other).get(mine).content.decode()
    assert as_user(None).get(mine).status_code == 302
    response = as_user(world.member_user).post(done, {"done_on": "2025-11-09", "result": "已落实"})
    assert response.status_code == 302 and response["Location"] == mine
    submitted.item.refresh_from_db()
    assert submitted.item.state == "done"


def test_department_pages(world, as_user, year):
    create = reverse("branches:year_create")
    edit = reverse("branches:year_edit", args=[year.pk])
    standard = GradingStandard.objects.get(applies_to="staff", is_active=True)
    standard_edit = reverse("branches:standard_edit", args=[standard.pk])
    for url in (create, edit, standard_edit):
        assert as_user(world.org_officer).get(url).status_code == 200
        assert as_user(world.gb_secretary_a).get(url).status_code == 403
        assert as_user(world.member_user).get(url).status_code == 403
        assert as_user(None).get(url).status_code == 302
    response = as_user(world.org_officer).post(
        create, {"organisation": world.committee.pk, "year": YEAR + 1, "theme": "基层组织建设年"}
    )
    new = GradingYear.objects.get(year=YEAR + 1)
    assert response["Location"] == reverse("branches:year_detail", args=[new.pk])
    assert new.grading_due == date(YEAR + 1, 3, 30)
    # a bad date keeps what was typed and says why
    response = as_user(world.org_officer).post(
        create,
        {
            "organisation": world.committee.pk,
            "year": YEAR + 2,
            "regrading_from": f"{YEAR + 2}-03-01",
        },
    )
    assert (
        response.status_code == 200
        and "再次评定等级应在分类定级完成之后开始" in response.content.decode()
    )


def test_standard_edit_form(world, as_user):
    standard = GradingStandard.objects.get(applies_to="student", is_active=True)
    criteria = list(standard.criteria.order_by("order"))
    data = {
        "name": standard.name,
        "advanced": "88",
        "good": "72",
        "average": "60",
        "is_active": "on",
        "note": "",
        "c-TOTAL_FORMS": str(len(criteria) + 1),
        "c-INITIAL_FORMS": str(len(criteria)),
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(criteria):
        data.update(
            {
                f"c-{i}-id": c.pk,
                f"c-{i}-order": c.order,
                f"c-{i}-group": c.group,
                f"c-{i}-name": c.name,
                f"c-{i}-guidance": c.guidance,
                f"c-{i}-points": str(c.points),
            }
        )
    url = reverse("branches:standard_edit", args=[standard.pk])
    response = as_user(world.org_officer).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    standard.refresh_from_db()
    assert standard.bands == [[88, "先进"], [72, "较好"], [60, "一般"]]
    data["c-0-points"] = "1"
    response = as_user(world.org_officer).post(url, data)
    assert response.status_code == 200 and "合计应为100分" in response.content.decode()


# --- the survey and the decision through the pages ----------------------------------------------


def _survey_data(grading, ratio="0.8", **extra):
    data = {
        "members_count": 2,
        "committee_complete": "on",
        "committee_note": "书记张书记",
        "activity_room_area": "25",
        "annual_assessment": "良好",
        "problems": "活动不够正常",
        "self_grade": "good",
        "masses_opinion": "满意率95%",
    }
    for row in grading.scores.select_related("criterion"):
        score = (row.criterion.points * Decimal(ratio)).quantize(Decimal("0.1"))
        data[f"score_{row.criterion_id}"] = str(score)
        data[f"finding_{row.criterion_id}"] = "情况"
    data.update(extra)
    return data


def test_survey_through_the_page(world, as_user, grading):
    url = reverse("branches:grading_detail", args=[grading.pk])
    first = grading.scores.select_related("criterion").first()
    bad = _survey_data(grading, **{f"score_{first.criterion_id}": "99", "problems": "保留的文字"})
    response = as_user(world.secretary_a).post(url, bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "保留的文字" in page and "请修正" in page
    response = as_user(world.secretary_a).post(url, _survey_data(grading))
    assert response.status_code == 302
    grading.refresh_from_db()
    assert grading.total == Decimal("80.0") and grading.suggested_grade == "good"
    assert grading.activity_room_area == 25
    # another branch's secretary: the grading does not exist for them
    assert as_user(world.secretary_b).post(url, _survey_data(grading)).status_code == 404


def test_a_branch_secretary_is_refused_the_decision_with_the_rule(world, as_user, grading):
    fill(grading, "0.8", actor=world.secretary_a)
    url = reverse("branches:grading_decide", args=[grading.pk])
    page = as_user(world.secretary_a).get(reverse("branches:grading_detail", args=[grading.pk]))
    assert "由上级党组织定级" in page.content.decode()
    response = as_user(world.secretary_a).post(url, {"grade": "advanced"})
    assert response.status_code == 403
    assert "党总支对党支部按先进、较好、一般和后进进行分类定级" in response.content.decode()
    response = as_user(world.gb_secretary_a).post(url, {"grade": "advanced", "reason": " "})
    # a grade other than the suggestion needs a reason: the page says so, the choice stays
    assert response.status_code == 200
    page = response.content.decode()
    assert "须填写理由" in page and '<option value="advanced" selected>' in page
    grading.refresh_from_db()
    assert grading.state == "draft"
    response = as_user(world.gb_secretary_a).post(
        url, {"grade": "advanced", "reason": "年度考核优秀"}, follow=True
    )
    assert "已将机关一支部定为“先进”" in response.content.decode()
    grading.refresh_from_db()
    assert grading.grade == "advanced"


def test_start_all_and_create_from_the_year_page(world, as_user, year):
    start = reverse("branches:year_start", args=[year.pk])
    as_user(world.gb_secretary_a).post(start, {"round": "initial"})
    assert BranchGrading.objects.filter(grading_year=year).count() == 1
    response = as_user(world.secretary_b).post(
        reverse("branches:grading_create"),
        {"grading_year": year.pk, "branch": world.branch_b.pk, "round": "initial"},
    )
    grading = BranchGrading.objects.get(branch=world.branch_b)
    assert response["Location"] == reverse("branches:grading_detail", args=[grading.pk])
    response = as_user(world.secretary_b).post(
        reverse("branches:grading_create"),
        {"grading_year": year.pk, "branch": world.branch_a.pk, "round": "initial"},
    )
    assert response.status_code == 404


def test_plan_through_the_pages(world, as_user, graded, general_meeting):
    client = as_user(world.secretary_a)
    create = reverse("branches:plan_create") + f"?branch={world.branch_a.pk}&year={YEAR}"
    response = client.post(create, {"source": "grading", "goals": "晋位为先进党支部"})
    plan = graded.plans.get()
    assert response["Location"] == reverse("branches:plan_detail", args=[plan.pk])
    add = reverse("branches:item_create", args=[plan.pk])
    response = client.post(
        add,
        {
            "problem": "活动室不足",
            "measures": "协调活动室",
            "responsible": world.member_a.pk,
            "deadline": f"{YEAR + 1}-03-01",
        },
    )
    assert response.status_code == 200 and "除长期性项目外" in response.content.decode()
    response = client.post(
        add,
        {
            "problem": "活动室不足",
            "measures": "协调活动室",
            "responsible": world.member_a.pk,
            "deadline": f"{YEAR}-12-01",
        },
    )
    assert response.status_code == 302
    submit = reverse("branches:plan_submit", args=[plan.pk])
    page = client.post(submit, follow=True).content.decode()
    assert "召开党员大会进行讨论" in page
    meeting = general_meeting(held_on=date(YEAR, 5, 20))
    client.post(reverse("branches:plan_discuss", args=[plan.pk]), {"meeting": meeting.pk})
    client.post(submit)
    plan.refresh_from_db()
    assert plan.state == "submitted" and plan.discussed_on == date(YEAR, 5, 20)
    assert as_user(world.secretary_b).post(submit).status_code == 404


def test_verify_through_the_page(world, as_user, submitted):
    item = submitted.item
    services.rectification_item_done(actor=world.member_user, item=item, result="已落实")
    url = reverse("branches:item_verify", args=[item.pk])
    response = as_user(world.secretary_a).post(url, {"action": "approve"})
    assert response.status_code == 403 and "核实销号" in response.content.decode()
    as_user(world.gb_secretary_a).post(url, {"action": "approve", "note": "属实"})
    item.refresh_from_db()
    assert item.verified_on is not None and item.verify_note == "属实"


# --- the three annex forms: print and XLSX in the same column order ----------------------------


def test_annex4_grading_form(world, as_user, graded):
    page = as_user(world.secretary_a).get(reverse("branches:grading_print", args=[graded.pk]))
    html = page.content.decode()
    assert "党支部调查摸底与分类定级表" in html
    for header in SCORE_HEADERS:
        assert f">{header}</th>" in html
    for label in ("主要问题", "支部自评", "群众评议情况", "党总支定级意见"):
        assert label in html
    sheet = workbook(
        as_user(world.secretary_a).get(reverse("branches:grading_xlsx", args=[graded.pk]))
    )
    rows = [row_values(sheet, n) for n in range(1, sheet.max_row + 1)]
    assert "党支部调查摸底与分类定级表" in rows[0][0]
    header = next(i for i, r in enumerate(rows) if r == SCORE_HEADERS)
    assert rows[header + 1][:3] == [1, "调查摸底七个方面", "组织设置是否合理"]
    labels = [r[0] for r in rows if r]
    assert labels.index("主要问题") < labels.index("党总支定级意见")
    assert any("定为“较好”" in str(r[-1]) for r in rows if r and r[0] == "党总支定级意见")


def test_annex5_summary(world, as_user, graded):
    url = reverse("branches:year_summary", args=[graded.grading_year.pk])
    html = as_user(world.org_officer).get(url).content.decode()
    header_html = html.split('id="summary"')[1].split("</thead>")[0]
    for header in selectors.SUMMARY_HEADERS:
        assert f">{header}</th>" in header_html
    sheet = workbook(
        as_user(world.org_officer).get(
            reverse("branches:year_summary_xlsx", args=[graded.grading_year.pk])
        )
    )
    assert "党支部分类定级汇总表" in sheet["A1"].value
    assert row_values(sheet, 2) == selectors.SUMMARY_HEADERS
    first = [c.value for c in sheet[3]]
    assert first[:7] == [1, "机关党总支", "机关一支部", "机关", 2, 80, "较好"]
    counts = [row_values(sheet, n) for n in range(1, sheet.max_row + 1)]
    assert ["等级", "初定（个）", "复评（个）"] in counts and ["较好", 1, 0] in counts
    # one general branch only
    only = as_user(world.org_officer).get(url, {"gb": world.gb_b.pk}).content.decode()
    assert "机关一支部" not in only and "信息工程学院学生支部" in only


def test_annex6_rectification_summary(world, as_user, submitted):
    year = submitted.plan.grading.grading_year
    html = (
        as_user(world.org_officer)
        .get(reverse("branches:year_rectification", args=[year.pk]))
        .content.decode()
    )
    header_html = html.split('id="rectification"')[1].split("</thead>")[0]
    for header in selectors.RECTIFICATION_HEADERS:
        assert f">{header}</th>" in header_html
    assert "逾期未完成" in html
    sheet = workbook(
        as_user(world.org_officer).get(reverse("branches:year_rectification_xlsx", args=[year.pk]))
    )
    assert row_values(sheet, 2) == selectors.RECTIFICATION_HEADERS
    first = [c.value for c in sheet[3]]
    assert first[:4] == [1, "机关党总支", "机关一支部", "较好"]
    assert first[6] == world.member_a.name and first[8] == "逾期未完成"


def test_year_and_item_exports(world, as_user, submitted):
    year = submitted.plan.grading.grading_year
    sheet = workbook(
        as_user(world.org_officer).get(reverse("branches:year_export", args=[year.pk]))
    )
    assert row_values(sheet, 2) == YEAR_HEADERS
    assert sheet.max_row == 4  # title, header, two branches
    sheet = workbook(as_user(world.secretary_a).get(reverse("branches:item_export")))
    assert row_values(sheet, 2) == ITEM_HEADERS
    assert [c.value for c in sheet[3]][1:4] == ["机关一支部", YEAR, "组织生活次数不足"]


# --- query counts do not grow with the rows -------------------------------------------------------


def _more_branches(world, year, n):
    for i in range(n):
        branch = make_org(world.gb_b, name=f"测试支部{i}", category="staff")
        make_person(branch)
        grading = services.grading_create(actor=world.org_officer, grading_year=year, branch=branch)
        fill(grading, "0.7", actor=world.org_officer)
        services.grading_decide(actor=world.org_officer, grading=grading, grade="average")
        plan = services.rectification_plan_create(
            actor=world.org_officer, branch=branch, year=YEAR, goals="晋位"
        )
        services.rectification_item_create(
            actor=world.org_officer,
            plan=plan,
            problem=f"问题{i}",
            measures="措施",
            responsible=branch.people.first(),
            deadline=date(YEAR, 10, 1),
        )


def _count(client, url, expected=None):
    with assert_num_queries(expected, url) as ctx:
        assert client.get(url).status_code == 200
    return ctx


@pytest.mark.parametrize(
    "name", ["branches:year_detail", "branches:year_summary", "branches:year_rectification"]
)
def test_year_pages_query_count_does_not_grow(world, as_user, year, name):
    client = as_user(world.org_officer)
    url = reverse(name, args=[year.pk])
    _more_branches(world, year, 2)
    few = _count(client, url)
    _more_branches(world, year, 8)
    _count(client, url, few)


def test_item_list_query_count_does_not_grow(world, as_user, year):
    client = as_user(world.org_officer)
    url = reverse("branches:item_list")
    _more_branches(world, year, 2)
    few = _count(client, url)
    _more_branches(world, year, 8)
    _count(client, url, few)


def test_item_list_shows_this_years_items_unless_asked_for_another_year(
    world, plan, as_user, today
):
    url = reverse("branches:item_list")
    client = as_user(world.secretary_a)
    assert "组织生活次数不足" in client.get(url).content.decode()  # 2025: this year
    today(date(2026, 2, 1))
    assert "组织生活次数不足" not in client.get(url).content.decode()
    assert "组织生活次数不足" in client.get(url, {"year": ""}).content.decode()
    assert "组织生活次数不足" in client.get(url, {"year": "2025"}).content.decode()
