"""Writes of rectification items (《组织建设年实施方案》附件1 二(四)): listed by the branch,
reported done by its officers or the responsible person, verified (销号) or sent back by the level
above."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import can_proceed

from dangjian.branches import events, rules
from dangjian.branches.models import ItemState, PlanState, RectificationItem, RectificationPlan
from dangjian.branches.selectors import dates_for
from dangjian.branches.services._common import ITEM_EDITABLE, ITEM_FIELDS, _full_clean, _today
from dangjian.branches.services.plans import _lock_plan, _sync_plan
from dangjian.core import access, audit
from dangjian.core import rules as core_rules
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Person


def _check_item(item: RectificationItem, plan: RectificationPlan) -> None:
    if item.responsible_id is not None:
        responsible = Person.objects.select_related("primary_org").get(pk=item.responsible_id)
        org = responsible.primary_org
        if not responsible.is_active or org is None or not org.path.startswith(plan.branch.path):
            raise ValidationError({"responsible": "责任人应为本支部在册人员。"})
    if item.deadline is not None:
        items_due = dates_for(plan.branch, plan.year)["items_due"]
        error = rules.item_deadline_error(item.deadline, items_due, item.long_term)
        if error:
            raise ValidationError({"deadline": error})
    _full_clean(item)


def _lock_item(item: RectificationItem) -> RectificationItem:
    return (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("plan__branch", "responsible")
        .get(pk=item.pk)
    )


@transaction.atomic
def rectification_item_create(
    *,
    actor: User,
    plan: RectificationPlan,
    problem: str,
    measures: str,
    responsible: Person,
    deadline: date,
    long_term: bool = False,
    order: int | None = None,
) -> RectificationItem:
    """One item of the plan: the problem, the measures, who is responsible and by when."""
    plan = _lock_plan(plan)
    access.require(actor, "branches.edit_plan", plan)
    if plan.state == PlanState.DONE:
        raise ValidationError({"plan": "整改提高方案已完成，不能再增加整改事项。"})
    if order is None:
        order = plan.items.count() + 1
    item = RectificationItem(
        plan=plan,
        order=order,
        problem=problem,
        measures=measures,
        responsible=responsible,
        deadline=deadline,
        long_term=long_term,
    )
    _check_item(item, plan)
    item.save()
    audit.created(actor=actor, obj=item, fields=ITEM_FIELDS)
    return item


@transaction.atomic
def rectification_item_update(
    *,
    actor: User,
    item: RectificationItem,
    order: int | None = None,
    problem: str | None = None,
    measures: str | None = None,
    responsible: Person | None = None,
    deadline: date | None = None,
    long_term: bool | None = None,
) -> RectificationItem:
    item = _lock_item(item)
    access.require(actor, "branches.edit_item", item)
    if item.state != ItemState.OPEN:
        raise ValidationError({"state": "已完成的整改事项不能修改。"})
    given = {
        "order": order,
        "problem": problem,
        "measures": measures,
        "responsible": responsible,
        "deadline": deadline,
        "long_term": long_term,
    }
    allowed = {k: v for k, v in given.items() if k in ITEM_EDITABLE and v is not None}
    audit.audited_update(
        actor=actor,
        obj=item,
        fields=allowed,
        audit_fields=ITEM_FIELDS,
        clean=lambda obj: _check_item(obj, item.plan),
    )
    return item


@transaction.atomic
def rectification_item_delete(*, actor: User, item: RectificationItem) -> None:
    item = _lock_item(item)
    access.require(actor, "branches.edit_item", item)
    if item.state != ItemState.OPEN or item.plan.state not in (
        PlanState.DRAFT,
        PlanState.DISCUSSED,
    ):
        raise ValidationError({"state": "方案提交后或事项完成后不能删除整改事项。"})
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=item,
        before=audit.snapshot(item, ITEM_FIELDS),
    )
    item.delete()


@transaction.atomic
def rectification_item_done(
    *, actor: User, item: RectificationItem, result: str, done_on: date | None = None
) -> RectificationItem:
    """The branch — its officers or the responsible person — reports an item done."""
    item = _lock_item(item)
    access.require(actor, "branches.report_done", item)
    if not can_proceed(item.finish):
        raise ValidationError({"state": "该整改事项已报告完成。"})
    if not (result or "").strip():
        raise ValidationError({"result": "请写明整改成效。"})
    done_on = done_on or _today()
    error = rules.day_in_plan_error(done_on, item.plan.year, _today())
    if error:
        raise ValidationError({"done_on": error})
    with audit.recording(actor=actor, obj=item, fields=ITEM_FIELDS, event=events.ITEM_DONE):
        item.finish()
        item.done_on = done_on
        item.result = result.strip()
        item.verify_note = ""
        item.save()
    _sync_plan(_lock_plan(item.plan), actor)
    return item


@transaction.atomic
def rectification_item_verify(
    *,
    actor: User,
    item: RectificationItem,
    approve: bool = True,
    note: str = "",
    verified_on: date | None = None,
) -> RectificationItem:
    """The level above verifies an item reported done (销号), or sends it back to be finished.
    A check made on site and entered later carries its day (`verified_on`)."""
    item = _lock_item(item)
    access.require(actor, "branches.edit_item", item)
    access.require(actor, "branches.verify_item", item)
    if item.state != ItemState.DONE:
        raise ValidationError({"state": "只有已报告完成的整改事项可以销号或退回。"})
    if item.verified_on is not None and approve:
        raise ValidationError({"state": "该整改事项已经销号。"})
    if approve:
        verified_on = verified_on or _today()
        error = core_rules.recorded_on_error(
            verified_on,
            _today(),
            label="销号日期",
            earliest=item.done_on,
            earliest_label="报告完成日期",
        )
        if error:
            raise ValidationError({"verified_on": error})
    elif not (note or "").strip():
        raise ValidationError({"note": "退回时请写明理由。"})
    event = events.ITEM_VERIFIED if approve else events.ITEM_RETURNED
    with audit.recording(actor=actor, obj=item, fields=ITEM_FIELDS, event=event):
        if approve:
            item.verified_by = actor if getattr(actor, "is_authenticated", False) else None
            item.verified_on = verified_on
        else:
            item.reopen()
            item.done_on = None
            item.verified_by = None
            item.verified_on = None
        item.verify_note = (note or "").strip()[:200]
        item.save()
    _sync_plan(_lock_plan(item.plan), actor)
    return item
