"""Screens of the assessment app: scoping of every view, forms, print, exports, query counts."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.assessment import services
from dangjian.assessment.models import AssessmentRound, BonusClaim, ItemScore, ScoreSheetTemplate
from dangjian.assessment.views import (
    FUNDING_HEADERS,
    ROUND_HEADERS,
    SECRETARY_HEADERS,
    SHEET_HEADERS,
)
from tests.assessment.conftest import base_items, bonus_item, notified, scored, submitted
from tests.factories import make_org
from tests.harness import assert_max_queries, assert_num_queries, assert_role_matrix

pytestmark = pytest.mark.django_db
D = Decimal


def xlsx_rows(response):
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def round_pages(r):
    return [
        ("assessment:round_detail", [r.pk]),
        ("assessment:round_export", [r.pk]),
        ("assessment:funding", [r.pk]),
        ("assessment:funding_export", [r.pk]),
        ("assessment:secretary_grades", [r.pk]),
        ("assessment:secretary_export", [r.pk]),
    ]


def test_round_list_by_role(world, as_role, round_):
    url = reverse("assessment:round_list")
    pages = assert_role_matrix(
        as_role,
        url,
        {"officer": 200, "org_officer": 200, "gb_officer": 200, "member": 403, "anonymous": 302},
    )
    html = pages["officer"].content.decode()
    assert round_.title in html and "机关一支部" in html  # 我的支部
    assert "新建考核" not in html
    assert "新建考核" in pages["org_officer"].content.decode()


def test_round_list_filters_by_year(world, as_user, round_, template):
    services.round_create(
        actor=world.org_officer,
        template=template,
        year=2024,
        organisation=world.committee,
        self_due=date(2024, 11, 30),
    )
    html = as_user(world.org_officer).get(reverse("assessment:round_list"), {"year": 2024}).content
    assert "2024年度" in html.decode() and "2025年度" not in html.decode()


def test_round_pages_by_role(world, as_user, round_):
    for name, args in round_pages(round_):
        url = reverse(name, args=args)
        assert as_user(world.secretary_a).get(url).status_code == 200, name
        assert as_user(world.gb_secretary_a).get(url).status_code == 200, name
        assert as_user(world.org_officer).get(url).status_code == 200, name
        assert as_user(world.member_user).get(url).status_code == 403, name
        assert as_user(None).get(url).status_code == 302, name


def test_round_of_another_subtree_is_404(world, as_user, template):
    other = services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.gb_b,
        self_due=date(2025, 11, 30),
        kind="special",
        title="专项考核",
    )
    url = reverse("assessment:round_detail", args=[other.pk])
    assert as_user(world.secretary_a).get(url).status_code == 404
    assert as_user(world.secretary_b).get(url).status_code == 200


def test_round_detail_lists_only_branches_in_scope(world, as_user, round_, ass_a, ass_b):
    url = reverse("assessment:round_detail", args=[round_.pk])
    html = as_user(world.secretary_a).get(url).content.decode()
    assert "机关一支部" in html and "信息工程学院学生支部" not in html
    html = as_user(world.org_officer).get(url).content.decode()
    assert "机关一支部" in html and "信息工程学院学生支部" in html
    assert 'data-echart="chart-grades"' in html and "echarts.min.js" in html
    assert 'id="distribution"' in html


def test_round_detail_filters(world, as_user, template, round_, ass_a, ass_b):
    scored(world, template, ass_a, short=D(20))
    services.assessment_notify(actor=world.org_officer, assessment=ass_a)
    client = as_user(world.org_officer)
    url = reverse("assessment:round_detail", args=[round_.pk])
    html = client.get(url, {"grade": "良好"}).content.decode()
    assert "机关一支部" in html and "信息工程学院学生支部" not in html
    html = client.get(url, {"state": "self_scoring"}).content.decode()
    assert "机关一支部</a>" not in html and "信息工程学院学生支部" in html
    html = client.get(url, {"gb": world.gb_b.pk}).content.decode()
    assert "机关一支部</a>" not in html
    html = client.get(url, {"state": "fixed"}).content.decode()
    assert "没有符合条件的党支部" in html


def test_round_detail_query_count_does_not_grow(world, as_user, template):
    def make(n, code):
        gb = make_org(world.committee, name=f"总支{code}", code=code)
        for i in range(n):
            make_org(gb, name=f"支部{code}{i}", code=f"{code}{i}")
        return services.round_create(
            actor=world.org_officer,
            template=template,
            year=2025,
            organisation=gb,
            self_due=date(2025, 11, 30),
            kind="special",
            title=f"专项{code}",
        )

    small, large = make(2, "S"), make(10, "L")
    client = as_user(world.org_officer)
    counts = []
    for r in (small, large):
        for name, args in round_pages(r):
            client.get(reverse(name, args=args))  # warm caches (content types, sessions)
        with assert_num_queries(counts[0] if counts else None) as ctx:
            for name, args in round_pages(r):
                assert client.get(reverse(name, args=args)).status_code == 200
        counts.append(ctx)


def test_round_list_query_count_does_not_grow(world, as_user, template):
    client = as_user(world.secretary_a)
    url = reverse("assessment:round_list")
    counts = []
    for years in ((2020, 2021), range(2010, 2020)):
        for y in years:
            services.round_create(
                actor=world.org_officer,
                template=template,
                year=y,
                organisation=world.committee,
                self_due=date(y, 11, 30),
            )
        client.get(url)
        with assert_num_queries(counts[0] if counts else None) as ctx:
            client.get(url)
        counts.append(ctx)


def test_round_create_by_department_only(world, as_user, template):
    url = reverse("assessment:round_create")
    assert as_user(world.gb_secretary_a).get(url).status_code == 403
    assert as_user(world.secretary_a).post(url, {}).status_code == 403
    client = as_user(world.org_officer)
    assert client.get(url).status_code == 200
    data = {
        "template": template.pk,
        "year": 2025,
        "kind": "annual",
        "title": "",
        "organisation": world.committee.pk,
        "self_due": "2025-12-20",
        "finish_by": "",
    }
    response = client.post(url, data)
    assert (
        response.status_code == 200
        and "自评截止日期不能晚于考核完成日期" in response.content.decode()
    )
    assert 'value="2025-12-20"' in response.content.decode()  # what was typed is kept
    data["self_due"] = "2025-11-30"
    response = client.post(url, data)
    r = AssessmentRound.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/rounds/{r.pk}/")
    assert r.assessments.count() == 2


def test_assessment_pages_by_role(world, as_user, round_, ass_a):
    for name in ("assessment_detail", "sheet_print", "sheet_export"):
        url = reverse(f"assessment:{name}", args=[ass_a.pk])
        assert as_user(world.secretary_a).get(url).status_code == 200, name
        assert as_user(world.gb_secretary_a).get(url).status_code == 200, name
        assert as_user(world.org_officer).get(url).status_code == 200, name
        assert as_user(world.secretary_b).get(url).status_code == 404, name
        assert as_user(world.member_user).get(url).status_code == 403, name
        assert as_user(None).get(url).status_code == 302, name


def test_branch_self_scores_on_the_page_and_submits(
    world, as_user, template, ass_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(world.secretary_a)
    url = reverse("assessment:assessment_detail", args=[ass_a.pk])
    html = client.get(url).content.decode()
    assert 'id="score-form"' in html and "保存并提交自评" in html
    assert "申报附加分" in html
    items = base_items(template)
    save = reverse("assessment:scores_save", args=[ass_a.pk])
    data = {f"score_{i.pk}": str(i.points) for i in items}
    data[f"score_{items[0].pk}"] = "5.5"
    data[f"note_{items[1].pk}"] = "参与了学院党政联席会议"
    response = client.post(save, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "5" in text and "参与了学院党政联席会议" in text  # what was typed is kept
    data[f"score_{items[0].pk}"] = "4.5"
    from django.core.files.uploadedfile import SimpleUploadedFile

    data[f"evidence_{items[0].pk}"] = SimpleUploadedFile("班子.pdf", b"%PDF-1.4")
    data["then"] = "submit"
    response = client.post(save, data)
    assert response.status_code == 302
    ass_a.refresh_from_db()
    assert ass_a.state == "submitted" and ass_a.self_total == D("99.5")
    row = ItemScore.objects.get(assessment=ass_a, item=items[0])
    assert row.evidence
    # the group now sees the self scores read-only and its own column editable
    html = as_user(world.gb_secretary_a).get(url).content.decode()
    assert "考核组评分" in html and "完成评分" in html and "一票否决" in html
    # the branch can no longer edit
    response = as_user(world.secretary_a).post(save, data, follow=True)
    assert "不能修改评分" in response.content.decode()
    assert as_user(world.secretary_b).post(save, data).status_code == 404


def test_group_scores_notifies_and_branch_appeals_on_the_page(world, as_user, template, ass_a):
    submitted(world, template, ass_a)
    group = as_user(world.gb_secretary_a)
    items = base_items(template)
    data = {f"score_{i.pk}": str(i.points) for i in items}
    data[f"score_{items[0].pk}"] = "0"
    assert group.post(reverse("assessment:scores_save", args=[ass_a.pk]), data).status_code == 302
    assert group.post(reverse("assessment:score", args=[ass_a.pk])).status_code == 302
    ass_a.refresh_from_db()
    assert ass_a.total == 95 and ass_a.grade == "优秀"
    url = reverse("assessment:assessment_detail", args=[ass_a.pk])
    html = group.get(url).content.decode()
    assert "发出书面通知" in html and "考核等次为“优秀”" in html
    today = timezone.localdate()
    response = group.post(
        reverse("assessment:notify", args=[ass_a.pk]),
        {"notice_on": today.isoformat(), "notice_text": "经考核，你支部为优秀。"},
    )
    assert response.status_code == 302
    deadline = today + timedelta(days=7)
    html = as_user(world.secretary_a).get(url).content.decode()
    assert f"复核申请截止：{deadline.year}年{deadline.month}月{deadline.day}日" in html
    assert 'id="appeal-form"' in html
    branch = as_user(world.secretary_a)
    response = branch.post(reverse("assessment:appeal", args=[ass_a.pk]), {"reason": ""})
    assert response.status_code == 400
    response = branch.post(reverse("assessment:appeal", args=[ass_a.pk]), {"reason": "第1项有材料"})
    assert response.status_code == 302
    group = as_user(world.gb_secretary_a)
    html = group.get(url).content.decode()
    assert 'id="answer-form"' in html and "复核意见截止" in html
    response = group.post(
        reverse("assessment:answer", args=[ass_a.pk]),
        {"answer": "经复核，第1项得3分。", "revised_total": "98"},
    )
    assert response.status_code == 302
    ass_a.refresh_from_db()
    assert ass_a.state == "reviewed" and ass_a.total == 98
    assert "结果已确定" in group.get(url).content.decode()


def test_appeal_on_day_8_refused_on_the_page(world, as_user, template, ass_a):
    notified(world, template, ass_a, days_ago=8)
    url = reverse("assessment:assessment_detail", args=[ass_a.pk])
    html = as_user(world.secretary_a).get(url).content.decode()
    assert 'id="appeal-form"' not in html and "已过期限" in html
    response = as_user(world.secretary_a).post(
        reverse("assessment:appeal", args=[ass_a.pk]), {"reason": "有异议"}
    )
    assert response.status_code == 400
    assert "一周内向考核领导小组申请复核" in response.content.decode()


def test_refusals_on_the_page_name_the_rule(world, as_user, template, ass_a):
    submitted(world, template, ass_a)
    # the branch secretary cannot score: 403 with the rule
    response = as_user(world.secretary_a).post(reverse("assessment:score", args=[ass_a.pk]))
    assert response.status_code == 403 and "不能考评本支部" in response.content.decode()
    # another branch's secretary: the assessment does not exist for them
    assert (
        as_user(world.secretary_b).post(reverse("assessment:score", args=[ass_a.pk])).status_code
        == 404
    )
    # a state refusal becomes a message
    response = as_user(world.org_officer).post(
        reverse("assessment:notify", args=[ass_a.pk]),
        {"notice_on": timezone.localdate().isoformat(), "notice_text": "x"},
    )
    assert response.status_code == 400 and "完成评分后" in response.content.decode()


def test_claims_on_the_page(world, as_user, template, ass_a):
    client = as_user(world.secretary_a)
    item = bonus_item(template, 17)
    url = reverse("assessment:claim_create", args=[ass_a.pk])
    response = client.post(url, {"choice": f"{item.pk}:国家级", "description": "", "count": 1})
    assert response.status_code == 400
    response = client.post(
        url, {"choice": f"{item.pk}:国家级", "description": "全国先进基层党组织", "count": 1}
    )
    assert response.status_code == 302
    claim = BonusClaim.objects.get()
    assert claim.points == 3
    submitted(world, template, ass_a)
    group = as_user(world.gb_secretary_a)
    review = reverse("assessment:claim_review", args=[claim.pk])
    group.post(review, {"accepted": "0"})
    claim.refresh_from_db()
    assert claim.accepted is None  # a rejection needs a reason
    group.post(review, {"accepted": "1"})
    claim.refresh_from_db()
    assert claim.accepted is True
    assert as_user(world.secretary_b).post(review, {"accepted": "0"}).status_code == 404


def test_veto_on_the_page(world, as_user, template, ass_a):
    scored(world, template, ass_a)
    client = as_user(world.org_officer)
    url = reverse("assessment:veto", args=[ass_a.pk])
    response = client.post(url, {"vetoed": "on", "reason": ""})
    assert response.status_code == 400 and "否决事由" in response.content.decode()
    client.post(url, {"vetoed": "on", "reason": "党员某某受到党内警告处分"})
    ass_a.refresh_from_db()
    assert ass_a.vetoed and ass_a.grade == "不合格" and ass_a.total == 100


def test_print_page_in_the_seed_layout(world, as_user, template, ass_a):
    scored(world, template, ass_a)
    html = (
        as_user(world.org_officer)
        .get(reverse("assessment:sheet_print", args=[ass_a.pk]))
        .content.decode()
    )
    headers = [
        "一级指标及分值",
        "二级指标及内容",
        "分值",
        "测评要素",
        "评分方法",
        "支部自评",
        "学院考评",
    ]
    positions = [html.index(f">{h}</th>") for h in headers]
    assert positions == sorted(positions)
    assert "print.css" in html and "1.班子健全，分工明确，定期改选。" in html
    assert 'rowspan="5"' in html and "支部建设（25分）" in html
    assert "党支部工作特色（附加分）" in html and "国家级3分/项" in html
    blank = as_user(world.secretary_a).get(reverse("assessment:template_print", args=[template.pk]))
    assert blank.status_code == 200 and "□优秀" in blank.content.decode()


def test_sheet_xlsx_in_the_seed_column_order(world, as_user, template, ass_a):
    scored(world, template, ass_a, short=D("0.5"))
    response = as_user(world.org_officer).get(reverse("assessment:sheet_export", args=[ass_a.pk]))
    rows = xlsx_rows(response)
    assert rows[1] == SHEET_HEADERS
    assert rows[2][:3] == ["支部建设（25分）", "1.班子健全，分工明确，定期改选。", 5]
    assert rows[2][5:] == [5, 4.5]
    assert rows[-2][0] == "合计（基本分＋附加分）" and rows[-2][5:] == [100, 99.5]
    assert rows[-1][:2] == ["考核等次", "优秀（尚未书面通知）"]


def test_round_funding_and_secretary_xlsx(world, as_user, template, round_, ass_a, ass_b):
    notified(world, template, ass_a, days_ago=1)
    client = as_user(world.org_officer)
    rows = xlsx_rows(client.get(reverse("assessment:round_export", args=[round_.pk])))
    assert rows[1] == ROUND_HEADERS
    assert rows[2][1:4] == ["机关党总支", "机关一支部", "已书面通知"]
    rows = xlsx_rows(client.get(reverse("assessment:funding_export", args=[round_.pk])))
    assert rows[1] == FUNDING_HEADERS
    assert rows[2][2:9] == ["机关一支部", 2, 0, 200, "优秀", 1.2, 240]
    rows = xlsx_rows(client.get(reverse("assessment:secretary_export", args=[round_.pk])))
    assert rows[1] == SECRETARY_HEADERS
    assert rows[2][:7] == ["机关党总支", "王总支书记", 1, 1, 100, 0, "优秀"]


def test_funding_page(world, as_user, template, round_, ass_a):
    notified(world, template, ass_a)
    html = as_user(world.org_officer).get(reverse("assessment:funding", args=[round_.pk])).content
    html = html.decode()
    assert "240.00" in html and "未出结果（预估）" in html


def test_template_pages(world, as_user, template):
    for name in ("template_list",):
        assert as_user(world.secretary_a).get(reverse(f"assessment:{name}")).status_code == 200
        assert as_user(world.member_user).get(reverse(f"assessment:{name}")).status_code == 403
    detail = reverse("assessment:template_detail", args=[template.pk])
    html = as_user(world.secretary_a).get(detail).content.decode()
    assert "班子健全" in html and "修改" not in html.split('id="sheet"')[1]
    edit = reverse("assessment:template_edit", args=[template.pk])
    assert as_user(world.gb_secretary_a).get(edit).status_code == 403
    client = as_user(world.org_officer)
    response = client.post(
        edit,
        {"name": template.name, "bands": "60 合格\n90 优秀", "veto_rules": "x", "is_active": "on"},
    )
    assert response.status_code == 200 and "从高到低" in response.content.decode()
    response = client.post(
        edit,
        {
            "name": template.name,
            "bands": "90 优秀\n75 良好\n60 合格",
            "bonus_cap": "5",
            "veto_rules": "违纪",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.bonus_cap == 5 and template.veto_rules == ["违纪"]
    item = base_items(template)[0]
    item_url = reverse("assessment:item_edit", args=[item.pk])
    assert as_user(world.secretary_a).get(item_url).status_code == 403
    client = as_user(world.org_officer)
    response = client.post(
        item_url,
        {
            "content": "班子健全",
            "points": "6",
            "elements": "健全3分、分工2分、改选1分",
            "methods": "听汇报",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.points == 6 and item.elements[0] == {"name": "健全", "points": 3}
    response = client.post(
        reverse("assessment:template_copy", args=[template.pk]), {"name": "新版"}
    )
    assert response.status_code == 302
    services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )
    assert client.get(item_url).status_code == 403  # in use
    response = client.post(
        edit, {"name": "改名", "bands": "80 优秀", "veto_rules": "", "is_active": "on"}
    )
    assert response.status_code == 302  # disabled fields keep their values
    template.refresh_from_db()
    assert template.name == "改名" and template.bands[0] == [90, "优秀"]


def test_assessment_detail_query_count(world, as_user, template, ass_a):
    scored(world, template, ass_a)
    client = as_user(world.org_officer)
    url = reverse("assessment:assessment_detail", args=[ass_a.pk])
    client.get(url)
    with assert_max_queries(20):  # sheet, scores, claims, references, audit: not per item
        client.get(url)


# --- found in review ------------------------------------------------------------------------


def test_template_form_refuses_infinite_and_duplicate_bands(world, as_user, template):
    # review: “inf 优秀” raised OverflowError (500)
    client = as_user(world.org_officer)
    edit = reverse("assessment:template_edit", args=[template.pk])
    data = {"name": template.name, "veto_rules": "x", "is_active": "on"}
    response = client.post(edit, {**data, "bands": "inf 优秀"})
    assert response.status_code == 200 and "“inf”不是数字" in response.content.decode()
    response = client.post(edit, {**data, "bands": "90 优秀\n75 优秀"})
    assert response.status_code == 200 and "等次“优秀”重复" in response.content.decode()
    response = client.post(edit, {**data, "bands": "120 优秀"})
    assert "满分100分" in response.content.decode()
    assert "120" in response.content.decode()  # what was typed is kept
    # a huge exponent is refused before it is ever turned into an integer
    response = client.post(edit, {**data, "bands": "1e999999999 优秀"})
    assert response.status_code == 200 and "满分100分" in response.content.decode()
    template.refresh_from_db()
    assert template.bands == [[90, "优秀"], [75, "良好"], [60, "合格"]]


def test_item_form_bounds_the_points(world, as_user, template):
    item = base_items(template)[0]
    response = as_user(world.org_officer).post(
        reverse("assessment:item_edit", args=[item.pk]),
        {"content": "x", "points": "9999", "elements": "", "methods": ""},
    )
    assert response.status_code == 200 and "100" in response.content.decode()
    item.refresh_from_db()
    assert item.points == 5


def test_blank_print_sheet_shows_the_templates_own_grades(world, as_user, template):
    # review: the grade boxes were the seed's, whatever the template's bands
    services.template_update(
        actor=world.org_officer, template=template, bands=[[85, "优秀"], [60, "合格"]]
    )
    html = (
        as_user(world.secretary_a)
        .get(reverse("assessment:template_print", args=[template.pk]))
        .content.decode()
    )
    assert "□优秀（85分及以上）□合格（60—84分）□不合格（60分以下）" in html
    assert "良好" not in html.split('id="print-sheet"')[1].split("注：")[0]


def test_withdrawing_a_paper_before_its_award_is_refused_on_the_page(
    world, as_user, template, ass_a
):
    item20 = bonus_item(template, 20)
    for option, text in (("公开发表论文", "论文"), ("论文获奖", "获奖")):
        services.bonus_claim_create(
            actor=world.secretary_a, assessment=ass_a, item=item20, option=option, description=text
        )
    paper = BonusClaim.objects.get(option="公开发表论文")
    response = as_user(world.secretary_a).post(
        reverse("assessment:claim_delete", args=[paper.pk]), follow=True
    )
    assert "请先撤回对应的“论文获奖”申报" in response.content.decode()
    assert BonusClaim.objects.count() == 2


def test_round_filter_offers_only_the_general_branches_in_scope(world, as_user, round_):
    # review: a branch secretary's filter listed every general branch of the committee
    url = reverse("assessment:round_detail", args=[round_.pk])
    html = as_user(world.secretary_a).get(url).content.decode()
    options = html.split('id="f-gb"')[1].split("</select>")[0]
    assert "机关党总支" in options and "信息工程学院党总支" not in options
    html = as_user(world.org_officer).get(url).content.decode()
    assert "信息工程学院党总支" in html.split('id="f-gb"')[1].split("</select>")[0]


def test_overlong_inputs_are_reported_not_dropped(world, as_user, template, ass_a):
    # review: a too-long copy name silently became “（新版本）”; a too-long review note was
    # reported as “请选择认定或不予认定”
    client = as_user(world.org_officer)
    response = client.post(
        reverse("assessment:template_copy", args=[template.pk]), {"name": "名" * 101}, follow=True
    )
    assert "新版本名称不超过100字" in response.content.decode()
    assert not template.copies.exists()
    claim = services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=ass_a,
        item=bonus_item(template, 19),
        option="有推广价值的先进工作经验",
        description="经验",
    )
    submitted(world, template, ass_a)
    response = client.post(
        reverse("assessment:claim_review", args=[claim.pk]),
        {"accepted": "0", "group_note": "长" * 201},
        follow=True,
    )
    assert "认定意见不超过200字" in response.content.decode()


def test_template_pages_query_counts_do_not_grow(world, as_user, template):
    client = as_user(world.secretary_a)
    urls = [reverse("assessment:template_list")]
    counts = []
    for copies in (1, 5):
        while ScoreSheetTemplate.objects.count() < copies + 1:
            services.template_copy(actor=world.org_officer, template=template)
        latest = ScoreSheetTemplate.objects.order_by("-id").first()
        pages = [*urls, reverse("assessment:template_detail", args=[latest.pk])]
        for url in pages:
            client.get(url)
        with assert_num_queries(counts[0] if counts else None) as ctx:
            for url in pages:
                assert client.get(url).status_code == 200
        counts.append(ctx)
