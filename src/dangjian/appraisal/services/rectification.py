"""限期整改: explained at the branch general meeting, done by the member, verified by the
branch (《168模式实施意见》§五(二)5)."""

from datetime import date
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dangjian.appraisal import events, rules
from dangjian.appraisal.models import (
    MemberRectification,
    RectificationState,
)
from dangjian.appraisal.services.common import (
    RECTIFICATION_FIELDS,
    _full_clean,
    _local_date,
    _today,
)
from dangjian.core import access, audit
from dangjian.core.access import Actor
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent
from dangjian.orglife.models import Meeting, MeetingKind


def _lock_rectification(item: MemberRectification) -> MemberRectification:
    return (
        MemberRectification.objects.select_for_update(of=("self",))
        .select_related("organisation", "person", "result__cycle")
        .get(pk=item.pk)
    )


def _step(
    actor: Actor,
    item: MemberRectification,
    name: str,
    fields: dict[str, Any],
    event: EventType,
) -> MemberRectification:
    """Run the FSM transition `name` and set `fields`, recording before → after."""
    with audit.recording(actor=actor, obj=item, fields=RECTIFICATION_FIELDS, event=event):
        getattr(item, name)()
        for key, value in fields.items():
            setattr(item, key, value)
        _full_clean(item)
        item.save()
    return item


@transaction.atomic
def rectification_explain(
    *,
    actor: Actor,
    rectification: MemberRectification,
    meeting: Meeting | None = None,
    explained_on: date | None = None,
    explanation: str = "",
    today: date | None = None,
) -> MemberRectification:
    """The member explained at the branch general meeting (要在支部大会上作出解释和说明)."""
    today = _today(today)
    item = _lock_rectification(rectification)
    access.require(actor, "appraisal.handle_rectification", item)
    computed_on = _local_date(item.result.cycle.computed_at)
    if item.state != RectificationState.OPEN:
        raise ValidationError({"state": "已作出解释和说明。"})
    if meeting is not None:
        if meeting.kind != MeetingKind.GENERAL or meeting.organisation_id != item.organisation_id:
            raise ValidationError(
                {"meeting": f"须为{item.organisation.name}的党员大会（支部大会）。"}
            )
        explained_on = meeting.held_on
    if explained_on is None:
        raise ValidationError({"explained_on": "请选择作出说明的党员大会，或填写说明日期。"})
    field = "meeting" if meeting is not None else "explained_on"
    what = "党员大会的日期" if meeting is not None else "说明日期"
    if error := rules.after_computation_error(explained_on, computed_on, today, what):
        raise ValidationError({field: error})
    return _step(
        actor,
        item,
        "explain",
        {
            "explain_meeting": meeting,
            "explained_on": explained_on,
            "explanation": (explanation or "").strip(),
        },
        events.RECTIFICATION_EXPLAINED,
    )


@transaction.atomic
def rectification_complete(
    *,
    actor: Actor,
    rectification: MemberRectification,
    measures: str,
    done_on: date | None = None,
    today: date | None = None,
) -> MemberRectification:
    """整改完成: reported by the member or an officer of the branch, after the explanation."""
    today = _today(today)
    item = _lock_rectification(rectification)
    access.require(actor, "appraisal.report_rectification", item)
    if item.state == RectificationState.OPEN:
        raise ValidationError(
            {
                "state": "须先在党员大会上作出解释和说明，才能登记整改完成"
                "（《168模式实施意见》§五(二)5）。"
            }
        )
    if item.state == RectificationState.DONE:
        raise ValidationError({"state": "已登记整改完成。"})
    if not (measures or "").strip():
        raise ValidationError({"measures": "请填写整改措施及完成情况。"})
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": "完成日期不能晚于今天。"})
    if item.explained_on and done_on < item.explained_on:
        raise ValidationError({"done_on": "完成日期不能早于说明日期。"})
    fields = {"measures": measures.strip(), "done_on": done_on}
    return _step(actor, item, "complete", fields, events.RECTIFICATION_COMPLETED)


@transaction.atomic
def rectification_verify(
    *,
    actor: Actor,
    rectification: MemberRectification,
    verified_on: date | None = None,
    today: date | None = None,
) -> MemberRectification:
    """The branch (or above) checks the rectification (支部要责令其限期整改)."""
    today = _today(today)
    item = _lock_rectification(rectification)
    access.require(actor, "appraisal.handle_rectification", item)
    if item.person_id == getattr(actor, "person_id", None):
        raise PermissionDenied("不能验收本人的整改。")
    if item.state != RectificationState.DONE:
        raise ValidationError({"state": "整改尚未完成，不能验收。"})
    if item.verified_on is not None:
        raise ValidationError({"state": "已验收。"})
    verified_on = verified_on or today
    if verified_on > today or (item.done_on and verified_on < item.done_on):
        raise ValidationError({"verified_on": "验收日期须在完成日期之后、今天之前。"})
    updated = audit.audited_update(
        actor=actor,
        obj=item,
        fields={"verified_by": actor, "verified_on": verified_on},
        audit_fields=RECTIFICATION_FIELDS,
        clean=_full_clean,
        action=AuditEvent.Action.STATUS,
    )
    return cast(MemberRectification, updated)
