"""Services of the branches app: each write's happy path and each refusal
(《组织建设年实施方案》附件1 二)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from dangjian.branches import rules, selectors, services
from dangjian.branches.models import (
    BranchGrading,
    GradingScore,
    GradingStandard,
    PlanState,
    RectificationPlan,
)
from dangjian.core import access
from dangjian.core.models import AuditEvent
from dangjian.org.models import Position
from tests.branches.conftest import NOVEMBER, YEAR, fill
from tests.factories import make_officer, make_org, make_person, make_user

pytestmark = pytest.mark.django_db


# --- seeded standards (附件2、3) ------------------------------------------------------------------


def test_the_seeded_standards():
    standards = {s.applies_to: s for s in GradingStandard.objects.filter(is_active=True)}
    assert set(standards) == {"staff", "student"}
    assert standards["staff"].name == "教师党支部分类定级评分参考标准"
    assert standards["student"].name == "学生党支部分类定级评分参考标准"
    for standard in standards.values():
        criteria = list(standard.criteria.order_by("order"))
        assert sum(c.points for c in criteria) == 100
        survey = [c.name for c in criteria if c.group == "survey"]
        five = [c.name for c in criteria if c.group == "five"]
        assert survey == [
            "组织设置是否合理",
            "支部班子是否健全",
            "组织制度是否完善",
            "发展思路是否清晰",
            "活动开展是否正常",
            "作用发挥是否充分",
            "经费场所保障是否落实",
        ]
        assert five == [
            "一个好的带头人",
            "一个好的发展思路",
            "一个好的工作制度",
            "一个好的活动阵地",
            "一个好的保障机制",
        ]
        assert all(c.guidance for c in criteria)
        assert standard.bands == [[90, "先进"], [75, "较好"], [60, "一般"]]
    staff = standards["staff"].criteria.get(name="组织设置是否合理").guidance
    student = standards["student"].criteria.get(name="组织设置是否合理").guidance
    assert "支部建在班上" in student and "支部建在班上" not in staff


def test_standard_for_branch_categories():
    assert selectors.standard_for("student").applies_to == "student"
    for category in ("staff", "organ", "retiree", ""):
        assert selectors.standard_for(category).applies_to == "staff"


# --- standards: the department edits them --------------------------------------------------------


def _rows(standard):
    return [
        {"id": c.pk, "order": c.order, "group": c.group, "name": c.name, "points": c.points}
        for c in standard.criteria.order_by("order")
    ]


def test_standard_update_by_the_department(world):
    standard = selectors.standard_for("staff")
    rows = _rows(standard)
    rows[0]["points"] = Decimal(6)
    rows.append({"group": "five", "name": "一个好的品牌", "points": Decimal(2)})
    services.standard_update(
        actor=world.org_officer,
        standard=standard,
        bands=[[85, "先进"], [70, "较好"], [55, "一般"]],
        criteria=rows,
    )
    standard.refresh_from_db()
    assert standard.bands == [[85, "先进"], [70, "较好"], [55, "一般"]]
    assert standard.criteria.count() == 13
    assert AuditEvent.objects.filter(object_id=standard.pk, action="update").exists()


def test_standard_update_refusals(world, grading):
    standard = selectors.standard_for("staff")
    with pytest.raises(PermissionDenied, match="党委组织部"):
        services.standard_update(actor=world.gb_secretary_a, standard=standard, name="x")
    rows = _rows(standard)
    rows[0]["points"] = Decimal("7.9")
    with pytest.raises(ValidationError, match="合计应为100分，现为99.9分"):
        services.standard_update(actor=world.org_officer, standard=standard, criteria=rows)
    with pytest.raises(ValidationError, match="依次降低"):
        services.standard_update(
            actor=world.org_officer,
            standard=standard,
            bands=[[90, "先进"], [90, "较好"], [60, "一般"]],
        )
    # a criterion already scored (grading exists) cannot be removed
    rows = _rows(standard)
    removed = rows.pop()
    rows[0]["points"] += removed["points"]
    with pytest.raises(ValidationError, match="不能删除"):
        services.standard_update(actor=world.org_officer, standard=standard, criteria=rows)
    # a second active standard for the same branches
    other = GradingStandard.objects.create(name="新标准", applies_to="staff", is_active=False)
    with pytest.raises(ValidationError, match="只能启用一个"):
        services.standard_update(actor=world.org_officer, standard=other, is_active=True)


def test_a_committee_officer_is_the_department(world):
    committee_secretary = make_officer(world.committee)
    assert access.can(committee_secretary, "branches.set_up")
    assert not access.can(world.gb_secretary_a, "branches.set_up")
    assert not access.can(world.member_user, "branches.set_up")


# --- grading years ------------------------------------------------------------------------------


def test_grading_year_with_the_seeds_dates(world, year):
    assert year.dates() == rules.timeline_dates(YEAR)
    assert AuditEvent.objects.filter(object_id=year.pk, action="create").exists()


@override_settings(BRANCHES_TIMELINE={"grading_due": "04-10", "rectification_plans_due": "06-15"})
def test_grading_year_dates_from_settings(world, today):
    grading_year = services.grading_year_create(
        actor=world.org_officer, organisation=world.committee, year=YEAR
    )
    assert grading_year.grading_due == date(YEAR, 4, 10)
    assert grading_year.rectification_plans_due == date(YEAR, 6, 15)
    assert grading_year.plans_due == date(YEAR, 3, 29)


def test_grading_year_refusals(world, year):
    with pytest.raises(PermissionDenied, match="党委组织部"):
        services.grading_year_create(
            actor=world.gb_secretary_a, organisation=world.gb_a, year=YEAR + 1
        )
    with pytest.raises(ValidationError, match="已经建立"):
        services.grading_year_create(
            actor=world.org_officer, organisation=world.committee, year=YEAR
        )
    with pytest.raises(ValidationError, match="党委或党总支"):
        services.grading_year_create(
            actor=world.org_officer, organisation=world.branch_a, year=YEAR
        )
    with pytest.raises(ValidationError) as exc:
        services.grading_year_create(
            actor=world.org_officer,
            organisation=world.committee,
            year=YEAR + 1,
            regrading_from=date(YEAR + 1, 3, 1),
        )
    assert "regrading_from" in exc.value.message_dict


def test_grading_year_update(world, year):
    services.grading_year_update(
        actor=world.org_officer, grading_year=year, grading_due=date(YEAR, 4, 2)
    )
    year.refresh_from_db()
    assert year.grading_due == date(YEAR, 4, 2)
    with pytest.raises(PermissionDenied):
        services.grading_year_update(
            actor=world.secretary_a, grading_year=year, grading_due=date(YEAR, 4, 3)
        )


# --- the survey (调查摸底) ------------------------------------------------------------------------


def test_grading_create_takes_the_facts_from_the_organisation(world, year):
    world.branch_a.activity_room_area = Decimal("18.5")
    world.branch_a.save()
    grading = services.grading_create(
        actor=world.secretary_a, grading_year=year, branch=world.branch_a
    )
    # secretary_a and member_a are the branch's members; a secretary only, fewer than 7 members
    assert grading.members_count == 2
    assert grading.committee_complete is True
    assert grading.committee_note == "书记张书记"
    assert grading.activity_room_area == Decimal("18.5") and grading.room_meets_standard is False
    assert grading.standard.applies_to == "staff"
    assert GradingScore.objects.filter(grading=grading, score__isnull=True).count() == 12
    student = services.grading_create(
        actor=world.secretary_b, grading_year=year, branch=world.branch_b
    )
    assert student.standard.applies_to == "student"


def test_grading_create_refusals(world, year, grading):
    with pytest.raises(PermissionDenied):
        services.grading_create(actor=world.secretary_b, grading_year=year, branch=world.branch_a)
    with pytest.raises(PermissionDenied):
        services.grading_create(actor=world.member_user, grading_year=year, branch=world.branch_a)
    with pytest.raises(ValidationError, match="以党支部为单位"):
        services.grading_create(actor=world.org_officer, grading_year=year, branch=world.gb_a)
    with pytest.raises(ValidationError, match="已经建立"):
        services.grading_create(actor=world.secretary_a, grading_year=year, branch=world.branch_a)
    other = make_org(None, name="另一党委", code="X")
    other_branch = make_org(make_org(other), name="另一支部")
    with pytest.raises(ValidationError, match="不属于"):
        services.grading_create(actor=world.org_officer, grading_year=year, branch=other_branch)


def test_regrade_before_june_is_refused(world, graded, today):
    today(date(YEAR, 5, 31))
    with pytest.raises(ValidationError, match="6月—10月"):
        services.grading_create(
            actor=world.secretary_a,
            grading_year=graded.grading_year,
            branch=world.branch_a,
            round="regrade",
        )
    today(date(YEAR, 6, 1))
    regrade = services.grading_create(
        actor=world.secretary_a,
        grading_year=graded.grading_year,
        branch=world.branch_a,
        round="regrade",
    )
    assert regrade.round == "regrade"


def test_regrade_needs_the_initial_grading(world, year, grading):
    with pytest.raises(ValidationError, match="尚未完成初次定级"):
        services.grading_create(
            actor=world.secretary_a, grading_year=year, branch=world.branch_a, round="regrade"
        )


def test_survey_save_computes_total_and_suggestion(world, grading):
    fill(grading, "0.5", actor=world.secretary_a)
    grading.refresh_from_db()
    assert grading.total == Decimal("50.0") and grading.suggested_grade == "lagging"
    fill(grading, "0.9", actor=world.secretary_a, problems="活动不正常", self_grade="advanced")
    grading.refresh_from_db()
    assert grading.total == Decimal("90.0") and grading.suggested_grade == "advanced"
    assert grading.problems == "活动不正常" and grading.self_grade == "advanced"


def test_survey_partial_scores_give_no_suggestion(world, grading):
    first = GradingScore.objects.filter(grading=grading).first()
    services.grading_survey_save(
        actor=world.secretary_a,
        grading=grading,
        scores=[{"criterion": first.criterion_id, "score": Decimal(5)}],
    )
    grading.refresh_from_db()
    assert grading.total == 5 and grading.suggested_grade == ""


def test_survey_refusals(world, grading, graded):
    row = GradingScore.objects.filter(grading=grading).select_related("criterion").first()
    draft = services.grading_create(
        actor=world.secretary_b, grading_year=grading.grading_year, branch=world.branch_b
    )
    row_b = GradingScore.objects.filter(grading=draft).select_related("criterion").first()
    with pytest.raises(ValidationError, match="得分应在0～"):
        services.grading_survey_save(
            actor=world.secretary_b,
            grading=draft,
            scores=[{"criterion": row_b.criterion_id, "score": row_b.criterion.points + 1}],
        )
    with pytest.raises(ValidationError, match="不属于"):
        services.grading_survey_save(
            actor=world.secretary_b,
            grading=draft,
            scores=[{"criterion": row.criterion_id, "score": 1}],
        )
    with pytest.raises(PermissionDenied):
        services.grading_survey_save(actor=world.secretary_a, grading=draft, problems="x")
    # graded: locked
    with pytest.raises(ValidationError, match="已定级"):
        services.grading_survey_save(actor=world.secretary_a, grading=grading, problems="x")


# --- the decision of the level above (党总支对党支部…进行分类定级) --------------------------------


def test_the_general_branch_decides(world, grading):
    fill(grading, "0.8", actor=world.secretary_a)
    graded = services.grading_decide(actor=world.gb_secretary_a, grading=grading, grade="good")
    assert graded.state == "graded" and graded.grade == "good"
    assert graded.graded_by == world.gb_secretary_a and graded.graded_on == NOVEMBER
    assert AuditEvent.objects.filter(object_id=graded.pk, action="status").exists()


def test_a_branch_secretary_cannot_grade_their_own_branch(world, grading):
    fill(grading, "0.8", actor=world.secretary_a)
    with pytest.raises(PermissionDenied) as exc:
        services.grading_decide(actor=world.secretary_a, grading=grading, grade="advanced")
    assert "党总支对党支部按先进、较好、一般和后进进行分类定级" in str(exc.value)
    with pytest.raises(PermissionDenied, match="不是该党支部或其上级"):
        services.grading_decide(actor=world.secretary_b, grading=grading, grade="good")
    grading.refresh_from_db()
    assert grading.state == "draft"


def test_decision_refusals(world, grading):
    with pytest.raises(ValidationError, match="未评分"):
        services.grading_decide(actor=world.gb_secretary_a, grading=grading, grade="good")
    fill(grading, "0.8", actor=world.secretary_a)
    with pytest.raises(ValidationError) as exc:
        services.grading_decide(actor=world.gb_secretary_a, grading=grading, grade="advanced")
    assert exc.value.message_dict["reason"] == [rules.REASON_REQUIRED]
    graded = services.grading_decide(
        actor=world.org_officer, grading=grading, grade="advanced", reason="年度考核优秀"
    )
    assert graded.grade == "advanced" and graded.decision_reason == "年度考核优秀"
    with pytest.raises(ValidationError, match="已经定级"):
        services.grading_decide(actor=world.org_officer, grading=grading, grade="good")


def test_reopen_by_the_level_above(world, graded):
    with pytest.raises(PermissionDenied):
        services.grading_reopen(actor=world.secretary_a, grading=graded, reason="更正")
    with pytest.raises(ValidationError, match="理由"):
        services.grading_reopen(actor=world.gb_secretary_a, grading=graded, reason=" ")
    reopened = services.grading_reopen(actor=world.gb_secretary_a, grading=graded, reason="更正")
    assert reopened.state == "draft" and reopened.grade == "" and reopened.graded_on is None


def test_start_all_by_the_level_above(world, year, today):
    assert services.grading_start_all(actor=world.secretary_a, grading_year=year) == 0
    assert services.grading_start_all(actor=world.gb_secretary_a, grading_year=year) == 1
    assert services.grading_start_all(actor=world.org_officer, grading_year=year) == 1
    assert BranchGrading.objects.filter(grading_year=year).count() == 2
    assert services.grading_start_all(actor=world.org_officer, grading_year=year) == 0
    today(date(YEAR, 5, 1))
    with pytest.raises(ValidationError, match="6月—10月"):
        services.grading_start_all(actor=world.org_officer, grading_year=year, round="regrade")
    today(NOVEMBER)
    # no branch graded yet: nothing to regrade
    assert (
        services.grading_start_all(actor=world.org_officer, grading_year=year, round="regrade") == 0
    )


# --- rectification plans (整改提高方案, 二(四)) ---------------------------------------------------


def test_plan_links_the_years_grading(world, graded):
    plan = services.rectification_plan_create(
        actor=world.secretary_a, branch=world.branch_a, year=YEAR
    )
    assert plan.grading == graded and plan.reason == f"{YEAR}年初次定级为较好"
    with pytest.raises(ValidationError, match="已有分类定级整改提高方案"):
        services.rectification_plan_create(
            actor=world.secretary_a, branch=world.branch_a, year=YEAR
        )
    with pytest.raises(PermissionDenied):
        services.rectification_plan_create(
            actor=world.secretary_b, branch=world.branch_a, year=YEAR, source="other"
        )
    with pytest.raises(ValidationError, match="以党支部为单位"):
        services.rectification_plan_create(actor=world.org_officer, branch=world.gb_a, year=YEAR)


def test_plan_open_for_the_assessment_is_idempotent(world, today):
    first = services.rectification_plan_open(
        actor=world.org_officer,
        branch=world.branch_b,
        year=YEAR,
        source="assessment",
        reason="目标管理考核不合格",
    )
    again = services.rectification_plan_open(
        actor=world.org_officer,
        branch=world.branch_b,
        year=YEAR,
        source="assessment",
        reason="目标管理考核不合格",
    )
    assert first.pk == again.pk and first.reason == "目标管理考核不合格"
    assert first.grading is None and first.state == "draft"


def test_discussion_needs_goals_items_and_the_branchs_general_meeting(
    world, graded, general_meeting
):
    plan = services.rectification_plan_create(
        actor=world.secretary_a, branch=world.branch_a, year=YEAR
    )
    with pytest.raises(ValidationError, match="目标"):
        services.rectification_plan_discuss(
            actor=world.secretary_a, plan=plan, discussed_on=date(YEAR, 5, 20)
        )
    services.rectification_plan_update(actor=world.secretary_a, plan=plan, goals="晋位升级")
    with pytest.raises(ValidationError, match="整改事项"):
        services.rectification_plan_discuss(
            actor=world.secretary_a, plan=plan, discussed_on=date(YEAR, 5, 20)
        )
    services.rectification_item_create(
        actor=world.secretary_a,
        plan=plan,
        problem="问题",
        measures="措施",
        responsible=world.member_a,
        deadline=date(YEAR, 10, 31),
    )
    committee_meeting = general_meeting(kind="committee")
    with pytest.raises(ValidationError, match="党员大会"):
        services.rectification_plan_discuss(
            actor=world.secretary_a, plan=plan, meeting=committee_meeting
        )
    other_branch = general_meeting(org=world.branch_b)
    with pytest.raises(ValidationError, match="本支部的党员大会"):
        services.rectification_plan_discuss(
            actor=world.secretary_a, plan=plan, meeting=other_branch
        )
    with pytest.raises(ValidationError, match="请选择"):
        services.rectification_plan_discuss(actor=world.secretary_a, plan=plan)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.rectification_plan_discuss(
            actor=world.secretary_a, plan=plan, discussed_on=date(YEAR, 12, 1)
        )
    meeting = general_meeting()
    plan = services.rectification_plan_discuss(
        actor=world.secretary_a, plan=plan, meeting=meeting, note="一致同意"
    )
    assert plan.state == "discussed" and plan.discussed_on == meeting.held_on


def test_submit_without_the_general_meeting_is_refused(world, plan):
    with pytest.raises(ValidationError) as exc:
        services.rectification_plan_submit(actor=world.secretary_a, plan=plan.plan)
    assert "召开党员大会进行讨论" in exc.value.message_dict["state"][0]


def test_submit_after_discussion_on_time_and_late(world, submitted, graded, today):
    plan = submitted.plan
    assert plan.state == "submitted" and plan.submitted_on == date(YEAR, 5, 25)
    event = AuditEvent.objects.filter(object_id=plan.pk, action="status").order_by("-id").first()
    assert "逾期" not in event.note
    # another branch submits in June: late (due 5-31)
    other = services.rectification_plan_create(
        actor=world.org_officer, branch=world.branch_b, year=YEAR, source="other", goals="x"
    )
    services.rectification_item_create(
        actor=world.org_officer,
        plan=other,
        problem="p",
        measures="m",
        responsible=world.member_b,
        deadline=date(YEAR, 12, 1),
    )
    today(date(YEAR, 6, 2))
    services.rectification_plan_discuss(
        actor=world.org_officer, plan=other, discussed_on=date(YEAR, 6, 1)
    )
    services.rectification_plan_submit(actor=world.org_officer, plan=other)
    event = AuditEvent.objects.filter(object_id=other.pk, action="status").order_by("-id").first()
    assert "逾期提交" in event.note


# --- rectification items --------------------------------------------------------------------------


def test_item_deadline_after_the_end_of_december_needs_long_term(world, plan):
    kwargs = dict(
        actor=world.secretary_a,
        plan=plan.plan,
        problem="活动阵地不足",
        measures="协调活动室",
        responsible=world.member_a,
    )
    with pytest.raises(ValidationError) as exc:
        services.rectification_item_create(**kwargs, deadline=date(YEAR + 1, 1, 1))
    assert "除长期性项目外" in exc.value.message_dict["deadline"][0]
    item = services.rectification_item_create(**kwargs, deadline=date(YEAR, 12, 31))
    assert item.order == 2
    long_term = services.rectification_item_create(
        **kwargs, deadline=date(YEAR + 1, 6, 30), long_term=True
    )
    assert long_term.long_term
    with pytest.raises(ValidationError, match="12月底前"):
        services.rectification_item_update(
            actor=world.secretary_a, item=item, deadline=date(YEAR + 1, 2, 1)
        )


def test_item_responsible_must_be_in_the_branch(world, plan):
    with pytest.raises(ValidationError, match="本支部在册人员"):
        services.rectification_item_create(
            actor=world.secretary_a,
            plan=plan.plan,
            problem="p",
            measures="m",
            responsible=world.member_b,
            deadline=date(YEAR, 12, 1),
        )
    with pytest.raises(PermissionDenied):
        services.rectification_item_create(
            actor=world.secretary_b,
            plan=plan.plan,
            problem="p",
            measures="m",
            responsible=world.member_a,
            deadline=date(YEAR, 12, 1),
        )


def test_done_by_the_responsible_member_and_verified_by_the_general_branch(world, submitted):
    item = submitted.item
    other_member = make_user(make_person(world.branch_a, name="孙党员"))
    with pytest.raises(PermissionDenied, match="责任人"):
        services.rectification_item_done(actor=other_member, item=item, result="完成")
    with pytest.raises(ValidationError, match="整改成效"):
        services.rectification_item_done(actor=world.member_user, item=item, result=" ")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.rectification_item_done(
            actor=world.member_user, item=item, result="完成", done_on=date(YEAR, 12, 1)
        )
    item = services.rectification_item_done(actor=world.member_user, item=item, result="已落实")
    assert item.state == "done" and item.done_on == NOVEMBER
    plan = RectificationPlan.objects.get(pk=submitted.plan.pk)
    assert plan.state == PlanState.DONE and plan.completed_on == NOVEMBER
    with pytest.raises(ValidationError, match="已报告完成"):
        services.rectification_item_done(actor=world.member_user, item=item, result="again")
    # verification (销号) is for the level above
    with pytest.raises(PermissionDenied, match="核实销号"):
        services.rectification_item_verify(actor=world.secretary_a, item=item)
    item = services.rectification_item_verify(actor=world.gb_secretary_a, item=item, note="属实")
    assert item.verified_by == world.gb_secretary_a and item.verified_on == NOVEMBER
    with pytest.raises(ValidationError, match="已经销号"):
        services.rectification_item_verify(actor=world.gb_secretary_a, item=item)


def test_reject_sends_the_item_back_and_the_plan_resumes(world, submitted):
    item = services.rectification_item_done(
        actor=world.secretary_a, item=submitted.item, result="已落实"
    )
    with pytest.raises(ValidationError, match="理由"):
        services.rectification_item_verify(actor=world.org_officer, item=item, approve=False)
    item = services.rectification_item_verify(
        actor=world.org_officer, item=item, approve=False, note="记录不全"
    )
    assert item.state == "open" and item.done_on is None and item.verify_note == "记录不全"
    assert RectificationPlan.objects.get(pk=submitted.plan.pk).state == PlanState.SUBMITTED
    with pytest.raises(ValidationError, match="只有已报告完成"):
        services.rectification_item_verify(actor=world.org_officer, item=item)


def test_item_delete_only_before_submission(world, submitted, plan):
    with pytest.raises(ValidationError, match="提交后"):
        services.rectification_item_delete(actor=world.secretary_a, item=submitted.item)


def test_item_delete_in_draft(world, plan):
    services.rectification_item_delete(actor=world.secretary_a, item=plan.item)
    assert not plan.plan.items.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=plan.item.pk).exists()


def test_long_term_items_do_not_hold_the_plan_open(world, submitted):
    services.rectification_item_create(
        actor=world.secretary_a,
        plan=submitted.plan,
        problem="活动室建设",
        measures="分步建设",
        responsible=world.member_a,
        deadline=date(YEAR + 1, 6, 30),
        long_term=True,
    )
    services.rectification_item_done(actor=world.secretary_a, item=submitted.item, result="完成")
    assert RectificationPlan.objects.get(pk=submitted.plan.pk).state == PlanState.DONE


def test_an_officer_of_a_group_above_and_positions_ended(world, grading):
    """A secretary whose position ended no longer grades or fills in anything."""
    Position.objects.filter(person_id=world.gb_secretary_a.person_id).update(
        ends_on=date(2024, 12, 31)
    )
    fill(grading, "0.8", actor=world.secretary_a)
    gb_user = type(world.gb_secretary_a).objects.get(pk=world.gb_secretary_a.pk)
    with pytest.raises(PermissionDenied):
        services.grading_decide(actor=gb_user, grading=grading, grade="good")
