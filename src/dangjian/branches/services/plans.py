"""Writes of rectification plans (《组织建设年实施方案》附件1 二(四)): drafted by the branch,
discussed at its general meeting, submitted to the level above, done when every item is."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import can_proceed

from dangjian.branches import events, rules
from dangjian.branches.models import (
    BranchGrading,
    GradingState,
    ItemState,
    PlanSource,
    PlanState,
    RectificationPlan,
)
from dangjian.branches.selectors import dates_for
from dangjian.branches.services._common import (
    NOT_A_BRANCH,
    PLAN_EDITABLE,
    PLAN_FIELDS,
    _full_clean,
    _today,
)
from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, OrgKind
from dangjian.orglife.models import Meeting


def _lock_plan(plan: RectificationPlan) -> RectificationPlan:
    return (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=plan.pk)
    )


def _plan_grading(branch: Organisation, year: int) -> BranchGrading | None:
    """The grading that prompts a plan: the branch's latest graded grading of the year."""
    return (
        BranchGrading.objects.filter(
            branch=branch, grading_year__year=year, state=GradingState.GRADED
        )
        .order_by("-round", "-graded_on")  # "regrade" > "initial"
        .first()
    )


@transaction.atomic
def rectification_plan_create(
    *,
    actor: User,
    branch: Organisation,
    year: int,
    source: str = PlanSource.GRADING,
    grading: BranchGrading | None = None,
    goals: str = "",
    reason: str = "",
) -> RectificationPlan:
    """A branch drafts its 整改提高方案 for the year."""
    access.require(actor, "branches.act_for", branch)
    if branch.kind != OrgKind.BRANCH:
        raise ValidationError({"branch": NOT_A_BRANCH})
    if source not in PlanSource.values:
        raise ValidationError({"source": "整改来源无效。"})
    if grading is not None and (
        grading.branch_id != branch.pk or grading.grading_year.year != year
    ):
        raise ValidationError({"grading": "所选分类定级不是该支部本年度的定级。"})
    if grading is None and source == PlanSource.GRADING:
        grading = _plan_grading(branch, year)
    if (
        source != PlanSource.OTHER
        and RectificationPlan.objects.filter(branch=branch, year=year, source=source).exists()
    ):
        raise ValidationError(
            {"source": f"{branch.name}{year}年已有{PlanSource(source).label}整改提高方案。"}
        )
    if not reason and grading is not None and grading.grade:
        reason = (
            f"{grading.grading_year.year}年{grading.get_round_display()}"
            f"为{grading.get_grade_display()}"
        )
    plan = RectificationPlan(
        branch=branch, year=year, source=source, grading=grading, goals=goals, reason=reason
    )
    _full_clean(plan)
    plan.save()
    audit.created(actor=actor, obj=plan, fields=PLAN_FIELDS)
    return plan


@transaction.atomic
def rectification_plan_open(
    *,
    actor: User,
    branch: Organisation,
    year: int,
    source: str,
    reason: str,
    grading: BranchGrading | None = None,
) -> RectificationPlan:
    """For other apps (the assessment of 《基层组织建设实施意见》: 考核不合格的基层党组织，
    及时整顿，限期整改): open — or return the existing — plan of a branch for the year and
    source."""
    existing = (
        RectificationPlan.objects.filter(branch=branch, year=year, source=source)
        .exclude(source=PlanSource.OTHER)
        .first()
    )
    if existing is not None:
        access.require(actor, "branches.act_for", branch)
        if existing.state == PlanState.DONE:
            existing = _lock_plan(existing)
            with audit.recording(
                actor=actor,
                obj=existing,
                fields=PLAN_FIELDS,
                event=events.PLAN_REOPENED,
                note=reason[:300],
            ):
                existing.resume()
                existing.completed_on = None
                existing.save()
        return existing
    return rectification_plan_create(
        actor=actor, branch=branch, year=year, source=source, grading=grading, reason=reason
    )


@transaction.atomic
def rectification_plan_withdraw(
    *, actor: User, branch: Organisation, year: int, source: str, reason: str
) -> bool:
    """The other side of `rectification_plan_open`: when the cause goes away (an appeal lifts a
    不合格 result), a plan the branch has not started — still a draft without items — is
    withdrawn. A plan with work in it stays: the branch finishes or edits it. True if withdrawn."""
    plan = (
        RectificationPlan.objects.filter(
            branch=branch, year=year, source=source, state=PlanState.DRAFT
        )
        .exclude(source=PlanSource.OTHER)
        .first()
    )
    if plan is None or plan.items.exists():
        return False
    access.require(actor, "branches.act_for", branch)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=plan,
        event=events.PLAN_WITHDRAWN,
        before=audit.snapshot(plan, PLAN_FIELDS),
        note=reason[:300],
    )
    plan.delete()
    return True


@transaction.atomic
def rectification_plan_update(
    *,
    actor: User,
    plan: RectificationPlan,
    reason: str | None = None,
    goals: str | None = None,
) -> RectificationPlan:
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    if plan.state == PlanState.DONE:
        raise ValidationError({"state": "整改提高方案已完成，不能修改。"})
    given = {"reason": reason, "goals": goals}
    allowed = {k: v for k, v in given.items() if k in PLAN_EDITABLE and v is not None}
    audit.audited_update(
        actor=actor, obj=plan, fields=allowed, audit_fields=PLAN_FIELDS, clean=_full_clean
    )
    return plan


@transaction.atomic
def rectification_plan_discuss(
    *,
    actor: User,
    plan: RectificationPlan,
    meeting: Meeting | None = None,
    discussed_on: date | None = None,
    note: str = "",
) -> RectificationPlan:
    """召开党员大会进行讨论: record the branch general meeting that discussed the plan."""
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    if not can_proceed(plan.discuss):
        raise ValidationError(
            {"state": f"整改提高方案当前为“{plan.get_state_display()}”，不能再登记讨论。"}
        )
    error = rules.plan_discuss_error(plan.goals, plan.items.count())
    if error:
        raise ValidationError({error[0]: error[1]})
    if meeting is not None:
        if meeting.organisation_id != plan.branch_id or meeting.kind != "general":
            raise ValidationError({"meeting": rules.MEETING_NOT_GENERAL})
        discussed_on = discussed_on or meeting.held_on
    if discussed_on is None:
        raise ValidationError(
            {"discussed_on": "请选择讨论整改提高方案的党员大会，或填写讨论日期。"}
        )
    day_error = rules.day_in_plan_error(discussed_on, plan.year, _today())
    if day_error:
        raise ValidationError({"meeting" if meeting is not None else "discussed_on": day_error})
    with audit.recording(actor=actor, obj=plan, fields=PLAN_FIELDS, event=events.PLAN_DISCUSSED):
        plan.discuss()
        plan.meeting = meeting
        plan.discussed_on = discussed_on
        plan.discussion_note = note or ""
        _full_clean(plan)
        plan.save()
    return plan


@transaction.atomic
def rectification_plan_submit(*, actor: User, plan: RectificationPlan) -> RectificationPlan:
    """Submit the plan to the level above, after the general meeting discussed it."""
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    error = rules.plan_submit_error(plan.state)
    if error:
        raise ValidationError({"state": error})
    with audit.recording(
        actor=actor, obj=plan, fields=PLAN_FIELDS, event=events.PLAN_SUBMITTED
    ) as change:
        plan.submit()
        plan.submitted_on = _today()
        plan.save()
        due = dates_for(plan.branch, plan.year)["rectification_plans_due"]
        if rules.plan_late(plan.submitted_on, due, plan.submitted_on):
            change.note = f"逾期提交（应于{due.isoformat()}前完成）"
        _sync_plan(plan, actor)
    return plan


def _sync_plan(plan: RectificationPlan, actor: User) -> None:
    """A submitted plan is done when every item is done or long-term; back when one reopens."""
    items = list(plan.items.values_list("state", "long_term"))
    complete = rules.plan_complete((s == ItemState.DONE, lt) for s, lt in items)
    if plan.state == PlanState.SUBMITTED and complete:
        with audit.recording(
            actor=actor, obj=plan, fields=PLAN_FIELDS, event=events.PLAN_COMPLETED
        ):
            plan.complete()
            plan.completed_on = _today()
            plan.save()
    elif plan.state == PlanState.DONE and not complete:
        with audit.recording(actor=actor, obj=plan, fields=PLAN_FIELDS, event=events.PLAN_RESUMED):
            plan.resume()
            plan.completed_on = None
            plan.save()
