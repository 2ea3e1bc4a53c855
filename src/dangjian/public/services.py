"""Every write to the suggestion box: atomic, checked by public.rules, audited.

The public submits without a login (`suggestion_submit`); officers of the organisation's
subtree classify, assign, reply, close and feed step 1 of the six-step method
(`suggestion_to_opinion`): public.permissions.HANDLE, checked here (PermissionDenied naming
the rule), as are the rules (ValidationError on the field).
"""

import secrets
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core import access, audit, rate_limits
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, Person
from dangjian.public import events, permissions, rules, selectors
from dangjian.public.models import Suggestion, SuggestionCategory
from dangjian.targets.models import Opinion, OpinionSource, WorkItem

SUGGESTION_AUDIT_FIELDS = ["organisation", "category", "status"]
HANDLING_AUDIT_FIELDS = [
    "category",
    "status",
    "assigned_to",
    "reply",
    "reply_public",
    "replied_on",
]
OUT_OF_SCOPE = "所选对象不存在或不在您的管理范围内。"
SUGGESTION_RATE_SCOPE = "suggestion"


def _new_tracking_code() -> str:
    return "".join(secrets.choice(rules.TRACKING_ALPHABET) for _ in range(rules.TRACKING_LENGTH))


def board_organisation_error(org: Organisation) -> str | None:
    if org.dissolved_on is not None or org.kind not in rules.BOARD_ORG_KINDS:
        return "该党组织不接受意见建议。"
    return None


def suggestion_submit(
    *,
    organisation: Organisation,
    content: str,
    client_address: str,
    name: str = "",
    contact: str = "",
    category: str = SuggestionCategory.OTHER,
    honeypot: str = "",
    now: datetime | None = None,
) -> Suggestion:
    """A suggestion from the public (no login): honeypot, length and per-address rate checked;
    only a keyed hash of the address is kept. Returns the row with its tracking code."""
    error = rules.honeypot_error(honeypot)
    if error:
        raise ValidationError({NON_FIELD_ERRORS: error})
    error = rules.content_error(content)
    if error:
        raise ValidationError({"content": error})
    error = board_organisation_error(organisation)
    if error:
        raise ValidationError({"organisation": error})
    now = now or timezone.now()
    digest = rules.client_hash(settings.SECRET_KEY, client_address or "")
    limit, window = settings.SUGGESTION_RATE_LIMIT, settings.SUGGESTION_RATE_WINDOW_SECONDS
    # Counted in the shared cache (Redis in production), so every worker sees one count.
    attempt = rate_limits.hit(SUGGESTION_RATE_SCOPE, digest, limit=limit, window=window, now=now)
    error = rules.rate_limit_error(attempt.count - 1, limit=limit, window_seconds=window)
    if error:
        raise ValidationError({NON_FIELD_ERRORS: error})
    with transaction.atomic():
        suggestion = Suggestion(
            organisation=organisation,
            name=name.strip(),
            contact=contact.strip(),
            category=category,
            content=content.strip(),
            client_hash=digest,
            tracking_code=_new_tracking_code(),
        )
        suggestion.full_clean(exclude=["tracking_code", "client_hash"])
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    suggestion.save()
                break
            except IntegrityError:  # the code is taken (1 in 32^10): draw another
                suggestion.pk = None
                suggestion.tracking_code = _new_tracking_code()
        else:  # pragma: no cover - practically unreachable
            raise ValidationError({NON_FIELD_ERRORS: "系统繁忙，请稍后再试。"})
        audit.created(
            actor=None, obj=suggestion, fields=SUGGESTION_AUDIT_FIELDS, note="公众通过意见箱提交"
        )
    return suggestion


def _locked(actor: User, suggestion: Suggestion) -> Suggestion:
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=suggestion.pk)
    )
    access.require(actor, permissions.HANDLE, suggestion)
    return suggestion


def _check_move(action: str, suggestion: Suggestion) -> None:
    error = rules.move_error(action, suggestion.status)
    if error:
        raise ValidationError({NON_FIELD_ERRORS: error})


HANDLING_EVENTS = {
    "classify": events.SUGGESTION_CLASSIFIED,
    "assign": events.SUGGESTION_ASSIGNED,
    "reply": events.SUGGESTION_REPLIED,
    "close": events.SUGGESTION_CLOSED,
}


def _handle(
    *, actor: User, suggestion: Suggestion, action: str, fields: dict[str, Any]
) -> Suggestion:
    """One handling step: checked, moved to its next status, recorded as its named event."""
    suggestion = _locked(actor, suggestion)
    _check_move(action, suggestion)
    before = audit.snapshot(suggestion, HANDLING_AUDIT_FIELDS)
    status = rules.move_target(action, suggestion.status)
    for name, value in {**fields, "status": status}.items():
        setattr(suggestion, name, value)
    suggestion.full_clean(exclude=["tracking_code", "client_hash"])
    suggestion.save()
    after = audit.snapshot(suggestion, HANDLING_AUDIT_FIELDS)
    audit.record(
        actor=actor,
        action=(
            AuditEvent.Action.STATUS
            if after["办理状态"] != before["办理状态"]
            else AuditEvent.Action.UPDATE
        ),
        obj=suggestion,
        before=before,
        after=after,
        event=HANDLING_EVENTS[action],
    )
    return suggestion


@transaction.atomic
def suggestion_classify(*, actor: User, suggestion: Suggestion, category: str) -> Suggestion:
    return _handle(
        actor=actor, suggestion=suggestion, action="classify", fields={"category": category}
    )


@transaction.atomic
def suggestion_assign(*, actor: User, suggestion: Suggestion, assigned_to: Person) -> Suggestion:
    """Hand the suggestion to a person in scope (承办人): status → 办理中."""
    access.require(actor, permissions.HANDLE, suggestion)
    if not selectors.assignable_people(actor, suggestion).filter(pk=assigned_to.pk).exists():
        raise ValidationError({"assigned_to": "所选承办人不在您的管理范围内或已不在册。"})
    return _handle(
        actor=actor, suggestion=suggestion, action="assign", fields={"assigned_to": assigned_to}
    )


@transaction.atomic
def suggestion_reply(
    *,
    actor: User,
    suggestion: Suggestion,
    reply: str,
    reply_public: bool = False,
    replied_on: date | None = None,
) -> Suggestion:
    """Answer the submitter (status → 已答复); a public reply also appears on the board."""
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": "请填写答复内容。"})
    if len(reply) > rules.CONTENT_MAX:
        raise ValidationError({"reply": f"答复不能超过{rules.CONTENT_MAX}字。"})
    replied_on = replied_on or timezone.localdate()
    if replied_on < timezone.localtime(suggestion.created_at).date():
        raise ValidationError({"replied_on": "答复日期不能早于提交日期。"})
    return _handle(
        actor=actor,
        suggestion=suggestion,
        action="reply",
        fields={
            "reply": reply,
            "reply_public": bool(reply_public),
            "replied_on": replied_on,
            "replied_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )


@transaction.atomic
def suggestion_close(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """Close a suggestion that has been answered (已办结)."""
    return _handle(actor=actor, suggestion=suggestion, action="close", fields={})


@transaction.atomic
def suggestion_to_opinion(*, actor: User, suggestion: Suggestion, work_item: WorkItem) -> Opinion:
    """转入征求意见: the suggestion becomes an opinion of a work item at step 1 (《168模式实施意见》
    §四(一)1: opinions are collected through meetings, forms and the suggestion box)."""
    suggestion = _locked(actor, suggestion)
    _check_move("to_opinion", suggestion)
    if Opinion.objects.filter(suggestion=suggestion).exists():
        raise ValidationError({NON_FIELD_ERRORS: "该意见建议已转入征求意见，不能重复转入。"})
    work_item = WorkItem.objects.select_related("organisation").get(pk=work_item.pk)
    if not WorkItem.objects.visible_to(actor).filter(pk=work_item.pk).exists():
        raise ValidationError({"work_item": OUT_OF_SCOPE})
    if not rules.org_covers(work_item.organisation.path, suggestion.organisation.path):
        raise ValidationError({"work_item": "只能转入本党组织或上级党组织的工作事项。"})
    error = rules.work_item_step_error(work_item.step)
    if error:
        raise ValidationError({"work_item": error})
    opinion = Opinion(
        work_item=work_item,
        source=OpinionSource.SUGGESTION_BOX,
        category=rules.opinion_category(suggestion.category),
        content=suggestion.content,
        raised_by=rules.display_name(suggestion.name),
        received_on=timezone.localtime(suggestion.created_at).date(),
        suggestion=suggestion,
    )
    opinion.full_clean()
    opinion.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=opinion,
        after=audit.snapshot(opinion, ["work_item", "source", "category", "raised_by"]),
        note=f"由意见箱（查询码{suggestion.tracking_code}）转入",
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=suggestion,
        after={"转入征求意见": str(work_item)},
        note=f"转入工作事项“{work_item}”的征求意见",
        event=events.SUGGESTION_TO_OPINION,
    )
    return opinion
