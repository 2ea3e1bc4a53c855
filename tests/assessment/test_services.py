"""Services of the assessment app: the seeded sheet, each step's happy path and each refusal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.assessment import permissions, rules, services
from dangjian.assessment.models import (
    AssessmentRound,
    AssessmentState,
    BonusClaim,
    BranchAssessment,
    Indicator,
    Item,
    ItemScore,
    ScoreSheetTemplate,
)
from dangjian.core.models import AuditEvent
from tests.assessment.conftest import bonus_item, entries, notified, scored, submitted
from tests.factories import make_officer, make_org, make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db
D = Decimal


# --- the seeded template (data migration 0002) ---------------------------------------------


def test_seed_004_sheet_is_the_default_template(template):
    indicators = list(template.indicators.order_by("order"))
    assert [(i.name, i.points) for i in indicators] == [
        ("支部建设", 25),
        ("党员教育管理", 35),
        ("党员发展工作", 15),
        ("党员作用", 15),
        ("群众满意度", 10),
        ("党支部工作特色", None),
    ]
    assert indicators[-1].is_bonus and not any(i.is_bonus for i in indicators[:-1])
    items = list(Item.objects.filter(indicator__template=template).order_by("number"))
    assert [i.number for i in items] == list(range(1, 21))
    assert sum(i.points for i in items if i.points is not None) == 100
    for ind in indicators[:-1]:
        assert sum(i.points for i in ind.items.all()) == ind.points
    assert [i.number for i in items if i.is_bonus] == [17, 18, 19, 20]
    by_number = {i.number: i for i in items}
    assert by_number[1].content == "班子健全，分工明确，定期改选。"
    assert by_number[1].elements_text == "健全2分\n分工2分\n改选1分"
    assert by_number[1].methods == "听汇报、看材料"
    assert "教职工累计不少于24学时/年" in by_number[6].content
    assert by_number[6].reference == "education_hours" and by_number[7].reference == "org_life"
    assert by_number[10].points == 2 and by_number[10].methods == "看清单"
    assert by_number[12].elements_text == "标准1分\n程序1分\n手续1分\n材料1分\n质量1分"
    assert by_number[16].elements_text == "根据测评结果给分"
    assert by_number[17].bonus_rule == [["国家级", 3], ["省部级", 2], ["区级", 1], ["校级", 0.5]]
    assert by_number[18].bonus_rule == by_number[17].bonus_rule
    assert by_number[19].bonus_rule == [["有推广价值的先进工作经验", 1]]
    assert list(by_number[20].bonus_options) == [
        "公开发表论文",
        "论文获奖",
        "校级及以上党建课题立项",
    ]
    assert by_number[20].bonus_options["校级及以上党建课题立项"] == 2
    for item in items:
        if not item.is_bonus:
            assert rules.elements_error(item.elements, item.points) is None, item.number
    assert template.bands == [[90, "优秀"], [75, "良好"], [60, "合格"]]
    assert template.bonus_cap is None
    assert template.veto_rules == [rules.VETO_RULE]


# --- rounds --------------------------------------------------------------------------------


def test_round_create_makes_an_assessment_per_active_branch(world, template):
    dissolved = make_org(world.gb_b, name="已撤销支部", code="BX")
    dissolved.dissolved_on = date(2024, 1, 1)
    dissolved.save()
    r = services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )
    assert r.finish_by == date(2025, 12, 15)
    assert r.title == "2025年度党支部工作目标管理考核"
    branches = set(r.assessments.values_list("branch_id", flat=True))
    assert branches == {world.branch_a.pk, world.branch_b.pk}
    assert ItemScore.objects.filter(assessment__round=r).count() == 2 * 16
    assert AuditEvent.objects.filter(object_repr=r.title, action="create").exists()


def test_round_create_refusals(world, template):
    kwargs = dict(
        template=template, year=2025, organisation=world.committee, self_due=date(2025, 11, 30)
    )
    for user in (world.secretary_a, world.gb_secretary_a, world.member_user):
        with pytest.raises(PermissionDenied, match="党委组织部"):
            services.round_create(actor=user, **kwargs)
    with pytest.raises(ValidationError, match="自评截止日期"):
        services.round_create(actor=world.org_officer, **{**kwargs, "self_due": date(2025, 12, 20)})
    with pytest.raises(ValidationError, match="考核年度内完成"):
        services.round_create(actor=world.org_officer, **kwargs, finish_by=date(2026, 1, 10))
    with pytest.raises(ValidationError, match="没有党支部"):
        empty = make_org(world.committee, name="空总支", code="GE")
        services.round_create(actor=world.org_officer, **{**kwargs, "organisation": empty})
    services.round_create(actor=world.org_officer, **kwargs)
    with pytest.raises(ValidationError, match="年度考核已创建"):
        services.round_create(actor=world.org_officer, **kwargs)
    services.round_create(actor=world.org_officer, **kwargs, kind="special", title="专项考核")
    template.is_active = False
    template.save()
    with pytest.raises(ValidationError, match="停用"):
        services.round_create(
            actor=world.org_officer, **{**kwargs, "year": 2026, "self_due": date(2026, 11, 30)}
        )


# --- self-assessment ------------------------------------------------------------------------


def test_branch_self_scores_and_submits(world, template, ass_a):
    items = entries(template, short=D("0.5"))
    services.self_scores_save(actor=world.secretary_a, assessment=ass_a, entries=items[:3])
    ass_a.refresh_from_db()
    assert ass_a.self_total == D("14.5")
    with pytest.raises(ValidationError, match="第4、5、6"):
        services.assessment_submit(actor=world.secretary_a, assessment=ass_a)
    services.self_scores_save(actor=world.secretary_a, assessment=ass_a, entries=items)
    a = services.assessment_submit(actor=world.secretary_a, assessment=ass_a)
    assert a.state == AssessmentState.SUBMITTED and a.self_total == D("99.5")
    assert a.submitted_on == timezone.localdate()
    with pytest.raises(ValidationError, match="不能修改支部自评"):
        services.self_scores_save(actor=world.secretary_a, assessment=a, entries=items)
    with pytest.raises(ValidationError, match="不能提交自评"):
        services.assessment_submit(actor=world.secretary_a, assessment=a)


def test_self_score_refusals(world, template, ass_a):
    items = entries(template)
    # only the branch's own officers: not another branch's, not the general branch, not the
    # department, not a plain member
    for user in (world.secretary_b, world.gb_secretary_a, world.org_officer, world.member_user):
        with pytest.raises(PermissionDenied, match="本支部的书记、委员"):
            services.self_scores_save(actor=user, assessment=ass_a, entries=items)
    bad = [services.ScoreEntry(item=items[0].item, score=D("5.5"))]
    with pytest.raises(ValidationError) as exc:
        services.self_scores_save(actor=world.secretary_a, assessment=ass_a, entries=bad)
    assert "0～5分" in str(exc.value) and "第1项" in str(exc.value)
    half = [services.ScoreEntry(item=items[0].item, score=D("4.3"))]
    with pytest.raises(ValidationError, match="0.5分为单位"):
        services.self_scores_save(actor=world.secretary_a, assessment=ass_a, entries=half)
    bonus = [services.ScoreEntry(item=bonus_item(template, 17), score=D(1))]
    with pytest.raises(ValidationError, match="不是本考核的基本分指标"):
        services.self_scores_save(actor=world.secretary_a, assessment=ass_a, entries=bonus)


def test_evidence_upload_limits(world, template, ass_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = entries(template)[0].item
    good = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4", content_type="application/pdf")
    services.self_scores_save(
        actor=world.secretary_a,
        assessment=ass_a,
        entries=[services.ScoreEntry(item=item, score=D(5), evidence=good)],
    )
    row = ItemScore.objects.get(assessment=ass_a, item=item)
    assert row.evidence.name.startswith("assessment/")
    big = SimpleUploadedFile("a.pdf", b"x" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="10MB"):
        services.self_scores_save(
            actor=world.secretary_a,
            assessment=ass_a,
            entries=[services.ScoreEntry(item=item, score=D(5), evidence=big)],
        )


def test_group_reopens_a_submitted_self_assessment(world, template, ass_a):
    submitted(world, template, ass_a)
    with pytest.raises(PermissionDenied, match="考核领导小组"):
        services.assessment_reopen(actor=world.secretary_a, assessment=ass_a)
    a = services.assessment_reopen(actor=world.gb_secretary_a, assessment=ass_a, reason="材料不全")
    assert a.state == AssessmentState.SELF_SCORING and a.submitted_on is None


# --- bonus claims ---------------------------------------------------------------------------


def test_bonus_claims_points_by_level_and_count(world, template, ass_a):
    c = services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=ass_a,
        item=bonus_item(template, 17),
        option="校级",
        description="校级先进基层党组织",
        count=3,
    )
    assert c.points == D("1.5")
    ass_a.refresh_from_db()
    assert ass_a.self_total == D("1.5")
    with pytest.raises(ValidationError, match="国家级、省部级、区级、校级"):
        services.bonus_claim_create(
            actor=world.secretary_a,
            assessment=ass_a,
            item=bonus_item(template, 17),
            option="市级",
            description="x",
        )
    with pytest.raises(ValidationError, match="附加分项目"):
        services.bonus_claim_create(
            actor=world.secretary_a,
            assessment=ass_a,
            item=entries(template)[0].item,
            option="校级",
            description="x",
        )
    with pytest.raises(ValidationError, match="事项"):
        services.bonus_claim_create(
            actor=world.secretary_a,
            assessment=ass_a,
            item=bonus_item(template, 17),
            option="校级",
            description=" ",
        )
    with pytest.raises(PermissionDenied):
        services.bonus_claim_create(
            actor=world.gb_secretary_a,
            assessment=ass_a,
            item=bonus_item(template, 17),
            option="校级",
            description="x",
        )
    services.bonus_claim_delete(actor=world.secretary_a, claim=c)
    assert not BonusClaim.objects.exists()


def test_paper_award_needs_a_claimed_paper(world, template, ass_a):
    item20 = bonus_item(template, 20)
    with pytest.raises(ValidationError, match="第20项"):
        services.bonus_claim_create(
            actor=world.secretary_a,
            assessment=ass_a,
            item=item20,
            option="论文获奖",
            description="论文获一等奖",
        )
    services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=ass_a,
        item=item20,
        option="公开发表论文",
        description="《高校党建》论文",
    )
    award = services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=ass_a,
        item=item20,
        option="论文获奖",
        description="论文获一等奖",
    )
    assert award.points == 1


def test_group_reviews_claims_and_the_cap_applies(world, template, ass_a):
    template.bonus_cap = D(3)  # a configured cap (the seed has none)
    template.save()
    for option, count in (("国家级", 1), ("省部级", 1)):
        services.bonus_claim_create(
            actor=world.secretary_a,
            assessment=ass_a,
            item=bonus_item(template, 17),
            option=option,
            description=f"{option}表彰",
            count=count,
        )
    submitted(world, template, ass_a)
    services.group_scores_save(
        actor=world.gb_secretary_a, assessment=ass_a, entries=entries(template, short=D(10))
    )
    with pytest.raises(ValidationError, match="尚未认定"):
        services.assessment_score(actor=world.gb_secretary_a, assessment=ass_a)
    national, provincial = BonusClaim.objects.order_by("id")
    with pytest.raises(PermissionDenied, match="考核领导小组"):
        services.bonus_claim_review(actor=world.secretary_a, claim=national, accepted=True)
    with pytest.raises(ValidationError, match="理由"):
        services.bonus_claim_review(actor=world.gb_secretary_a, claim=national, accepted=False)
    services.bonus_claim_review(actor=world.gb_secretary_a, claim=national, accepted=True)
    services.bonus_claim_review(actor=world.gb_secretary_a, claim=provincial, accepted=True)
    a = services.assessment_score(actor=world.gb_secretary_a, assessment=ass_a)
    assert (a.base_total, a.bonus_raw, a.bonus_total, a.total) == (D(90), D(5), D(3), D(93))
    assert a.grade == "优秀"
    # rejecting one after scoring re-computes the results
    services.bonus_claim_review(
        actor=world.gb_secretary_a, claim=national, accepted=False, group_note="非本年度"
    )
    a.refresh_from_db()
    assert (a.bonus_raw, a.bonus_total, a.total, a.grade) == (D(2), D(2), D(92), "优秀")


# --- group scoring --------------------------------------------------------------------------


def test_group_scoring_rights(world, template, ass_a, ass_b):
    submitted(world, template, ass_a)
    submitted(world, template, ass_b, world.secretary_b)
    items = entries(template)
    # a branch secretary never scores their own branch; a general branch only its own branches
    with pytest.raises(PermissionDenied, match="不能考评本支部"):
        services.group_scores_save(actor=world.secretary_a, assessment=ass_a, entries=items)
    with pytest.raises(PermissionDenied):
        services.group_scores_save(actor=world.gb_secretary_a, assessment=ass_b, entries=items)
    with pytest.raises(PermissionDenied):
        services.group_scores_save(actor=world.member_user, assessment=ass_a, entries=items)
    services.group_scores_save(actor=world.gb_secretary_a, assessment=ass_a, entries=items)
    services.group_scores_save(actor=world.org_officer, assessment=ass_b, entries=items)


def test_a_general_branch_secretary_who_also_leads_the_branch_does_not_score_it(
    world, template, ass_a
):
    from dangjian.org.models import Position

    Position.objects.create(
        person=world.gb_secretary_a.person,
        organisation=world.branch_a,
        title="secretary",
        starts_on=date(2020, 1, 1),
    )
    submitted(world, template, ass_a)
    with pytest.raises(PermissionDenied):
        services.group_scores_save(
            actor=world.gb_secretary_a, assessment=ass_a, entries=entries(template)
        )


def test_group_scores_only_after_submission(world, template, ass_a):
    with pytest.raises(ValidationError, match="不能修改考核组评分"):
        services.group_scores_save(
            actor=world.org_officer, assessment=ass_a, entries=entries(template)
        )
    submitted(world, template, ass_a)
    services.group_scores_save(
        actor=world.org_officer, assessment=ass_a, entries=entries(template)[:2]
    )
    with pytest.raises(ValidationError, match="第3、4"):
        services.assessment_score(actor=world.org_officer, assessment=ass_a)


def test_score_snapshots_members_and_funding(world, template, ass_a):
    make_person(world.branch_a, category="student", name="学生党员")
    make_person(world.branch_a, category="retiree", name="离退休党员")
    make_person(world.group_a, category="staff", name="小组党员")  # counted with its branch
    make_person(world.branch_a, status="activist", name="积极分子")  # not a member
    a = scored(world, template, ass_a, short=D("10.5"))
    # secretary_a, member_a, 小组党员 (staff) + 离退休党员 → 4 staff; 1 student
    assert (a.staff_members, a.student_members) == (4, 1)
    assert a.total == D("89.5") and a.grade == "良好"
    assert a.funding == D("495.00")  # (4×100 + 1×50) × 1.1
    assert a.scored_by == world.org_officer


@pytest.mark.parametrize(
    ("short", "grade"),
    [
        (D(10), "优秀"),
        (D("10.5"), "良好"),
        (D(25), "良好"),
        (D("25.5"), "合格"),
        (D(40), "合格"),
        (D("40.5"), "不合格"),
    ],
)
def test_computed_grades_at_the_boundaries(world, template, ass_a, short, grade):
    a = scored(world, template, ass_a, short=short)
    assert a.total == 100 - short and a.grade == grade


# --- veto -----------------------------------------------------------------------------------


def test_veto_fails_a_branch_whatever_its_score(world, template, ass_a):
    a = scored(world, template, ass_a)
    assert a.total == 100 and a.grade == "优秀"
    with pytest.raises(ValidationError, match="否决事由"):
        services.assessment_veto(actor=world.org_officer, assessment=a, vetoed=True)
    with pytest.raises(PermissionDenied):
        services.assessment_veto(actor=world.secretary_a, assessment=a, vetoed=True, reason="x")
    a = services.assessment_veto(
        actor=world.gb_secretary_a,
        assessment=a,
        vetoed=True,
        reason="党员赵某因违纪受到党内警告处分",
    )
    assert a.vetoed and a.grade == "不合格" and a.total == 100
    assert a.funding == D("200.00")  # 2 staff members × 100, factor 1.0
    a = services.assessment_veto(actor=world.gb_secretary_a, assessment=a, vetoed=False)
    assert not a.vetoed and a.grade == "优秀" and a.veto_reason == ""
    notified_a = services.assessment_notify(actor=world.org_officer, assessment=a)
    with pytest.raises(ValidationError, match="书面通知前"):
        services.assessment_veto(
            actor=world.org_officer, assessment=notified_a, vetoed=True, reason="x"
        )


def test_veto_before_scoring_applies_when_scored(world, template, ass_a):
    submitted(world, template, ass_a)
    services.assessment_veto(actor=world.org_officer, assessment=ass_a, vetoed=True, reason="处分")
    services.group_scores_save(actor=world.org_officer, assessment=ass_a, entries=entries(template))
    a = services.assessment_score(actor=world.org_officer, assessment=ass_a)
    assert a.total == 100 and a.grade == "不合格"


# --- notice and appeal ----------------------------------------------------------------------


def test_notice_opens_the_appeal_window(world, template, ass_a):
    a = scored(world, template, ass_a)
    with pytest.raises(PermissionDenied):
        services.assessment_notify(actor=world.secretary_a, assessment=a)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.assessment_notify(
            actor=world.org_officer,
            assessment=a,
            notice_on=timezone.localdate() + timedelta(days=1),
        )
    a = services.assessment_notify(actor=world.org_officer, assessment=a)
    today = timezone.localdate()
    assert a.state == AssessmentState.NOTIFIED and a.notice_on == today
    assert a.appeal_due == today + timedelta(days=7)
    assert "考核等次为“优秀”" in a.notice_text and "一周内" in a.notice_text
    assert rules.cn_date(a.appeal_due) in a.notice_text
    assert not a.is_fixed(today) and a.is_fixed(a.appeal_due + timedelta(days=1))
    assert a.state_label(a.appeal_due + timedelta(days=1)) == "结果已确定"


def test_notify_needs_a_score(world, template, ass_a):
    submitted(world, template, ass_a)
    with pytest.raises(ValidationError, match="完成评分后"):
        services.assessment_notify(actor=world.org_officer, assessment=ass_a)


def test_appeal_on_day_7_accepted(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=7)
    appeal = services.appeal_file(actor=world.secretary_a, assessment=a, reason="第9项材料未计入")
    a.refresh_from_db()
    assert a.state == AssessmentState.APPEALED
    assert appeal.filed_on == timezone.localdate()
    assert appeal.answer_due == timezone.localdate() + timedelta(days=10)
    assert appeal.original_total == 100


def test_appeal_on_day_8_refused_naming_the_rule(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=8)
    with pytest.raises(ValidationError) as exc:
        services.appeal_file(actor=world.secretary_a, assessment=a, reason="有异议")
    assert "一周内向考核领导小组申请复核" in str(exc.value) and "四(二)" in str(exc.value)
    a.refresh_from_db()
    assert a.state == AssessmentState.NOTIFIED


def test_appeal_refusals(world, template, ass_a):
    a = scored(world, template, ass_a)
    with pytest.raises(ValidationError, match="接到书面通知后"):
        services.appeal_file(actor=world.secretary_a, assessment=a, reason="x")
    a = services.assessment_notify(actor=world.org_officer, assessment=a)
    with pytest.raises(PermissionDenied, match="本支部的书记、委员"):
        services.appeal_file(actor=world.gb_secretary_a, assessment=a, reason="x")
    with pytest.raises(ValidationError, match="理由"):
        services.appeal_file(actor=world.secretary_a, assessment=a, reason=" ")
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="有异议")
    with pytest.raises(ValidationError, match="只能申请一次"):
        services.appeal_file(actor=world.secretary_a, assessment=a, reason="再次")


def test_configured_appeal_days(world, template, ass_a, settings):
    settings.ASSESSMENT_APPEAL_DAYS = 10
    a = notified(world, template, ass_a, days_ago=10)
    assert a.appeal_due == timezone.localdate()
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="有异议")


def test_answer_with_revised_total_recomputes_the_grade(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=1, short=D("10.5"))
    assert a.grade == "良好"
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="第1项材料齐全")
    with pytest.raises(PermissionDenied):
        services.appeal_answer(actor=world.secretary_a, assessment=a, answer="维持")
    with pytest.raises(ValidationError, match="复核意见"):
        services.appeal_answer(actor=world.gb_secretary_a, assessment=a, answer=" ")
    with pytest.raises(ValidationError, match="0～100分"):
        services.appeal_answer(
            actor=world.gb_secretary_a, assessment=a, answer="改", revised_total=D("100.5")
        )
    appeal = services.appeal_answer(
        actor=world.gb_secretary_a,
        assessment=a,
        answer="经复核，第1项加1分。",
        revised_total=D("90.5"),
    )
    a.refresh_from_db()
    assert a.state == AssessmentState.REVIEWED and a.total == D("90.5") and a.grade == "优秀"
    assert appeal.original_total == D("89.5") and appeal.original_grade == "良好"
    assert appeal.state == "answered" and not appeal.answered_late
    assert a.funding == D("240.00")  # 2 staff members × 100 × 1.2
    assert a.is_fixed(timezone.localdate())


def test_answer_keeps_the_veto(world, template, ass_a):
    a = scored(world, template, ass_a)
    services.assessment_veto(actor=world.org_officer, assessment=a, vetoed=True, reason="处分")
    a = services.assessment_notify(actor=world.org_officer, assessment=a)
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="异议")
    services.appeal_answer(actor=world.org_officer, assessment=a, answer="维持", revised_total=99)
    a.refresh_from_db()
    assert a.grade == "不合格"


def test_late_answer_is_recorded_and_flagged(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=1)
    appeal = services.appeal_file(actor=world.secretary_a, assessment=a, reason="异议")
    type(appeal).objects.filter(pk=appeal.pk).update(
        filed_on=timezone.localdate() - timedelta(days=11),
        answer_due=timezone.localdate() - timedelta(days=1),
    )
    appeal = services.appeal_answer(actor=world.org_officer, assessment=a, answer="维持原结果")
    assert appeal.answered_late
    assert AuditEvent.objects.filter(note="超过10日提出复核意见").exists()


def test_transitions_are_audited(world, template, ass_a):
    notified(world, template, ass_a)
    notes = list(
        AuditEvent.objects.filter(object_id=ass_a.pk, content_type__model="branchassessment")
        .order_by("at", "id")
        .values_list("note", flat=True)
    )
    assert notes == [
        "填报支部自评",
        "支部提交自评",
        "考核组评分",
        "考核组完成评分",
        "书面通知考核结果",
    ]


# --- templates ------------------------------------------------------------------------------


def test_template_edit_only_by_department_and_while_unused(world, template):
    with pytest.raises(PermissionDenied, match="党委组织部"):
        services.template_update(actor=world.gb_secretary_a, template=template, bonus_cap=D(5))
    services.template_update(actor=world.org_officer, template=template, bonus_cap=D(5))
    with pytest.raises(ValidationError, match="从高到低"):
        services.template_update(
            actor=world.org_officer, template=template, bands=[[60, "合格"], [90, "优秀"]]
        )
    item = Item.objects.get(indicator__template=template, number=1)
    services.item_update(
        actor=world.org_officer,
        item=item,
        points=D(6),
        elements=[
            {"name": "健全", "points": 3},
            {"name": "分工", "points": 2},
            {"name": "改选", "points": 1},
        ],
    )
    assert Indicator.objects.get(pk=item.indicator_id).points == 26
    with pytest.raises(ValidationError, match="测评要素分值合计"):
        services.item_update(actor=world.org_officer, item=item, points=D(5))
    services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )
    with pytest.raises(ValidationError, match="已用于考核"):
        services.template_update(actor=world.org_officer, template=template, bonus_cap=None)
    with pytest.raises(ValidationError, match="已用于考核"):
        services.item_update(actor=world.org_officer, item=item, content="新内容")
    # the name and the active flag stay editable
    services.template_update(actor=world.org_officer, template=template, name="旧版评分表")


def test_template_copy(world, template):
    with pytest.raises(PermissionDenied):
        services.template_copy(actor=world.secretary_a, template=template)
    copy = services.template_copy(actor=world.org_officer, template=template, name="2026版")
    assert copy.copied_from == template
    assert Item.objects.filter(indicator__template=copy).count() == 20
    assert ScoreSheetTemplate.objects.count() == 2
    bonus = Item.objects.get(indicator__template=copy, number=20)
    services.item_update(actor=world.org_officer, item=bonus, bonus_rule=[["公开发表论文", 2]])
    with pytest.raises(ValidationError, match="须大于0"):
        services.item_update(actor=world.org_officer, item=bonus, bonus_rule=[["论文", 0]])


def test_member_counts_in_one_query(world):
    other = make_org(world.gb_b, name="学生二支部", code="BB2", category="student")
    make_person(other, category="student")
    make_person(world.branch_b, category="student")
    with assert_num_queries(1):
        counts = services.member_counts([world.branch_a, world.branch_b, other])
    # world: secretary_a, member_a in branch_a; secretary_b, member_b (staff) in branch_b
    assert counts == {world.branch_a.pk: (2, 0), world.branch_b.pk: (2, 1), other.pk: (0, 1)}
    within = services.member_counts([world.branch_a, world.branch_b, other], world.committee.path)
    assert within == counts


def test_officer_of_branch_and_round_visibility(world, round_):
    assert list(AssessmentRound.objects.visible_to(world.secretary_a)) == [round_]
    assert list(AssessmentRound.objects.visible_to(world.member_user)) == []
    assert AssessmentRound.objects.editable_by(world.gb_secretary_a).count() == 0
    assert set(
        BranchAssessment.objects.visible_to(world.secretary_a).values_list("branch_id", flat=True)
    ) == {world.branch_a.pk}
    assert BranchAssessment.objects.visible_to(world.gb_secretary_a).count() == 1
    assert BranchAssessment.objects.visible_to(world.org_officer).count() == 2
    new_officer = make_officer(world.branch_b, title="organisation")
    assert permissions.holds_office_in(new_officer, world.branch_b)


# 《支部考核办法》§七(四): 考核不合格的基层党组织，及时整顿，限期整改


def test_a_failed_branch_gets_a_rectification_plan_when_notified(world, template, ass_a, ass_b):
    from dangjian.branches.models import PlanSource, RectificationPlan

    a = scored(world, template, ass_a)
    services.assessment_veto(
        actor=world.org_officer, assessment=a, vetoed=True, reason="党员因违纪受到处分"
    )
    services.assessment_notify(actor=world.org_officer, assessment=a)
    plan = RectificationPlan.objects.get(branch=world.branch_a, year=ass_a.round.year)
    assert plan.source == PlanSource.ASSESSMENT
    assert "不合格" in plan.reason and "一票否决" in plan.reason

    notified(world, template, ass_b, short=Decimal(10))  # 90: 优秀, nothing to rectify
    assert not RectificationPlan.objects.filter(branch=world.branch_b).exists()


@pytest.mark.parametrize("started", [False, True])
def test_an_appeal_that_lifts_the_fail_withdraws_a_plan_not_yet_started(
    world, template, ass_a, started
):
    from dangjian.branches import services as branches
    from dangjian.branches.models import RectificationPlan

    a = notified(world, template, ass_a, short=Decimal(45))  # 55: 不合格
    plan = RectificationPlan.objects.get(branch=world.branch_a, year=ass_a.round.year)
    if started:
        branches.rectification_item_create(
            actor=world.secretary_a,
            plan=plan,
            problem="党员教育记录不全",
            measures="补齐记录",
            responsible=world.member_a,
            deadline=date(ass_a.round.year, 12, 31),
        )
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="第6项材料未计入")
    services.appeal_answer(
        actor=world.org_officer, assessment=a, answer="补计第6项", revised_total=Decimal(65)
    )
    a.refresh_from_db()
    assert a.grade == "合格"
    # a draft without items goes; a plan with work in it stays for the branch to finish
    assert RectificationPlan.objects.filter(pk=plan.pk).exists() == started


# --- found in review ------------------------------------------------------------------------


def test_round_only_over_an_organisation_in_the_creators_scope(world, template):
    # a committee's officers act for the institution (is_department), but only on their tree
    other = make_org(None, name="中共另一学院委员会", code="C2")
    make_org(make_org(other, name="另一总支", code="G2"), name="另一支部", code="B2")
    other_officer = make_officer(other, name="周书记")
    with pytest.raises(PermissionDenied, match="管理范围"):
        services.round_create(
            actor=other_officer,
            template=template,
            year=2025,
            organisation=world.committee,
            self_due=date(2025, 11, 30),
        )
    assert not AssessmentRound.objects.exists()
    r = services.round_create(
        actor=other_officer,
        template=template,
        year=2025,
        organisation=other,
        self_due=date(2025, 11, 30),
    )
    assert r.assessments.count() == 1


def _paper_and_award(world, template, ass_a):
    item20 = bonus_item(template, 20)
    paper = services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=ass_a,
        item=item20,
        option="公开发表论文",
        description="《高校党建》论文",
    )
    award = services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=ass_a,
        item=item20,
        option="论文获奖",
        description="论文获一等奖",
    )
    return paper, award


def test_withdrawing_a_paper_keeps_its_award_paired_item_20(world, template, ass_a):
    # review: the pairing (获奖另加1分) was checked on create only; withdrawing the paper left
    # an award without its paper
    paper, award = _paper_and_award(world, template, ass_a)
    with pytest.raises(ValidationError, match="请先撤回对应的“论文获奖”"):
        services.bonus_claim_delete(actor=world.secretary_a, claim=paper)
    services.bonus_claim_delete(actor=world.secretary_a, claim=award)
    services.bonus_claim_delete(actor=world.secretary_a, claim=paper)
    assert not BonusClaim.objects.exists()


def test_an_accepted_award_needs_an_accepted_paper_item_20(world, template, ass_a):
    paper, award = _paper_and_award(world, template, ass_a)
    submitted(world, template, ass_a)
    group = world.gb_secretary_a
    with pytest.raises(ValidationError, match="不能多于认定的论文"):
        services.bonus_claim_review(actor=group, claim=award, accepted=True)
    award.refresh_from_db()
    assert award.accepted is None  # nothing kept of the refused review
    services.bonus_claim_review(actor=group, claim=paper, accepted=True)
    services.bonus_claim_review(actor=group, claim=award, accepted=True)
    with pytest.raises(ValidationError, match="不能多于认定的论文"):
        services.bonus_claim_review(actor=group, claim=paper, accepted=False, group_note="非本年度")
    services.bonus_claim_review(actor=group, claim=award, accepted=False, group_note="随论文")
    services.bonus_claim_review(actor=group, claim=paper, accepted=False, group_note="非本年度")


def test_template_bands_and_item_points_are_bounded(world, template):
    officer = world.org_officer
    with pytest.raises(ValidationError, match="满分100分"):
        services.template_update(actor=officer, template=template, bands=[[101, "优秀"]])
    with pytest.raises(ValidationError, match="重复"):
        services.template_update(
            actor=officer, template=template, bands=[[90, "优秀"], [75, "优秀"]]
        )
    item = Item.objects.get(indicator__template=template, number=10)  # 按规定缴纳党费, 2分
    with pytest.raises(ValidationError, match="不超过100分"):
        services.item_update(actor=officer, item=item, points=D(150))


def test_a_revised_total_is_bounded_by_the_sheets_own_full_marks(world, template):
    # review: the ceiling was a constant 100; a version whose items add up to 101 refused 101
    copy = services.template_copy(actor=world.org_officer, template=template, name="101分版")
    item = Item.objects.get(indicator__template=copy, number=1)
    services.item_update(
        actor=world.org_officer,
        item=item,
        points=D(6),
        elements=[
            {"name": "健全", "points": 3},
            {"name": "分工", "points": 2},
            {"name": "改选", "points": 1},
        ],
    )
    assert services.base_full_marks(copy.pk) == 101
    r = services.round_create(
        actor=world.org_officer,
        template=copy,
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )
    a = notified(world, copy, BranchAssessment.objects.get(round=r, branch=world.branch_a))
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="第1项")
    with pytest.raises(ValidationError, match="0～101分"):
        services.appeal_answer(
            actor=world.org_officer, assessment=a, answer="改", revised_total=D("101.5")
        )
    services.appeal_answer(actor=world.org_officer, assessment=a, answer="改", revised_total=101)
    a.refresh_from_db()
    assert a.total == 101


def test_one_annual_round_a_year_over_the_same_branches(world, template):
    # review: a committee-wide annual round and a general branch's annual round of the same
    # year assessed branch_a twice (two grades, two funding amounts)
    kwargs = dict(template=template, self_due=date(2025, 11, 30))
    services.round_create(actor=world.org_officer, organisation=world.gb_a, year=2025, **kwargs)
    with pytest.raises(ValidationError, match="机关党总支2025年度考核已创建"):
        services.round_create(
            actor=world.org_officer, organisation=world.committee, year=2025, **kwargs
        )
    # the other general branch, a special round, another year: allowed
    services.round_create(actor=world.org_officer, organisation=world.gb_b, year=2025, **kwargs)
    services.round_create(
        actor=world.org_officer, organisation=world.committee, year=2025, kind="special", **kwargs
    )
    with pytest.raises(ValidationError, match="机关党总支2025年度考核已创建"):
        services.round_create(
            actor=world.org_officer, organisation=world.branch_a, year=2025, **kwargs
        )
    services.round_create(
        actor=world.org_officer,
        template=template,
        organisation=world.gb_a,
        year=2026,
        self_due=date(2026, 11, 30),
    )


def test_self_due_in_the_assessment_year(world, template):
    # review: a self-assessment deadline of 0001-01-01 was accepted
    with pytest.raises(ValidationError, match="考核年度（2025年）内"):
        services.round_create(
            actor=world.org_officer,
            template=template,
            year=2025,
            organisation=world.committee,
            self_due=date(1, 1, 1),
        )
