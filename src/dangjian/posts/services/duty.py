"""履职记实 and their checks (《168模式实施意见》§五(二)4): the member records, the branch secretary
checks each month, the department each quarter, and the findings are circulated."""

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.posts import events, permissions, rules
from dangjian.posts.models import DutyCheck, DutyCheckKind, DutyRecord, Post, PostState
from dangjian.posts.services._common import UNCHANGED, Unchanged, given, person_of, save_step
from dangjian.posts.services.posts import post_perform

DUTY_RECORD_FIELDS = ["occurred_on", "place", "content", "effect", "post", "attachment"]
DUTY_CHECK_FIELDS = [
    "organisation",
    "kind",
    "period_start",
    "period_end",
    "checked_on",
    "records_checked",
    "findings",
    "circulated_on",
]


def _check_record(record: DutyRecord, person: Person) -> None:
    error = rules.occurred_on_error(record.occurred_on, timezone.localdate())
    if error:
        raise ValidationError({"occurred_on": error})
    if record.post is not None and record.post.holder_id != person.pk:
        raise ValidationError({"post": "只能选择本人担任的岗位。"})
    record.full_clean(exclude=["person", "organisation", "duty_check"])


def _start_performing(actor: User, post: Post | None) -> None:
    """The first duty record against a published post starts 履岗 (《设岗定责通知》§2)."""
    if post is not None and Post.objects.filter(pk=post.pk, state=PostState.PUBLISHED).exists():
        post_perform(actor=actor, post=post, note="首次记录履职情况，自动进入履岗")


@transaction.atomic
def duty_record_create(
    *,
    actor: User,
    occurred_on: date,
    place: str,
    content: str,
    effect: str = "",
    post: Post | None = None,
    attachment: File | None = None,
) -> DutyRecord:
    """履职记实 (《168模式实施意见》§五(二)4): time, place, content, effect — by the member."""
    person = person_of(actor)
    if not person.is_member or person.primary_org_id is None:
        raise ValidationError({"content": "只有党员（正式或预备）记录履职情况。"})
    record = DutyRecord(
        person=person,
        organisation=person.primary_org,
        occurred_on=occurred_on,
        place=place,
        content=content,
        effect=effect,
        post=post,
        attachment=attachment or "",
    )
    _check_record(record, person)
    record.save()
    audit.created(actor=actor, obj=record, fields=DUTY_RECORD_FIELDS)
    _start_performing(actor, post)
    return record


def _own_unchecked(actor: User, record: DutyRecord) -> DutyRecord:
    record = DutyRecord.objects.select_for_update().get(pk=record.pk)
    access.require(actor, permissions.EDIT_DUTY_RECORD, record)
    if record.duty_check_id is not None:
        raise ValidationError({"content": "该记录已经党支部检查，不能再修改或删除。"})
    return record


@transaction.atomic
def duty_record_update(
    *,
    actor: User,
    record: DutyRecord,
    occurred_on: date | None = None,
    place: str | None = None,
    content: str | None = None,
    effect: str | None = None,
    post: Post | None | Unchanged = UNCHANGED,
    attachment: File | Literal[False] | None = None,
) -> DutyRecord:
    """The member changes the fields given of an unchecked record: `post=None` unlinks the
    post; `attachment=False` removes the file (the form's “clear” box), None keeps it."""
    record = _own_unchecked(actor, record)
    person = person_of(actor)
    fields = given(
        occurred_on=occurred_on,
        place=place,
        content=content,
        effect=effect,
        attachment="" if attachment is False else attachment,
    )
    if not isinstance(post, Unchanged):
        fields["post"] = post
    audit.audited_update(
        actor=actor,
        obj=record,
        fields=fields,
        audit_fields=DUTY_RECORD_FIELDS,
        clean=lambda r: _check_record(r, person),
    )
    _start_performing(actor, record.post)
    return record


@transaction.atomic
def duty_record_delete(*, actor: User, record: DutyRecord) -> None:
    record = _own_unchecked(actor, record)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=record,
        before=audit.snapshot(record, DUTY_RECORD_FIELDS),
    )
    record.delete()


# --- duty checks -------------------------------------------------------------------------


@transaction.atomic
def duty_check_monthly(
    *,
    actor: User,
    organisation: Organisation,
    year: int,
    month: int,
    findings: str,
    checked_on: date | None = None,
) -> DutyCheck:
    """党支部书记按月检查 (《168模式实施意见》§五(二)4): marks the branch's unchecked records of the
    month."""
    if organisation.kind != OrgKind.BRANCH:
        raise ValidationError({"organisation": "月检查以党支部为单位，请选择党支部。"})
    access.require(actor, permissions.CHECK, DutyCheck(organisation=organisation))
    error = rules.month_error(year, month, timezone.localdate())
    if error:
        raise ValidationError({"month": error})
    if not findings.strip():
        raise ValidationError({"findings": "请填写检查情况。"})
    start, end = rules.month_bounds(year, month)
    records = DutyRecord.objects.select_for_update().filter(
        organisation=organisation, occurred_on__range=(start, end), duty_check__isnull=True
    )
    ids = list(records.values_list("pk", flat=True))
    check = DutyCheck.objects.create(
        organisation=organisation,
        kind=DutyCheckKind.MONTHLY,
        period_start=start,
        period_end=end,
        checked_on=checked_on or timezone.localdate(),
        checker=actor if actor.is_authenticated else None,
        records_checked=len(ids),
        findings=findings.strip(),
    )
    DutyRecord.objects.filter(pk__in=ids).update(duty_check=check)
    audit.created(actor=actor, obj=check, fields=DUTY_CHECK_FIELDS)
    return check


@transaction.atomic
def duty_check_quarterly(
    *,
    actor: User,
    organisation: Organisation,
    year: int,
    quarter: int,
    findings: str,
    checked_on: date | None = None,
) -> DutyCheck:
    """党委组织部按季度检查各党总支 (《168模式实施意见》§五(二)4)."""
    access.require(actor, permissions.CHECK_QUARTERLY)
    if organisation.kind != OrgKind.GENERAL_BRANCH:
        raise ValidationError({"organisation": "季度检查以党总支为单位，请选择党总支。"})
    access.require(actor, permissions.CHECK, DutyCheck(organisation=organisation))
    error = rules.quarter_error(year, quarter, timezone.localdate())
    if error:
        raise ValidationError({"quarter": error})
    if not findings.strip():
        raise ValidationError({"findings": "请填写检查情况。"})
    start, end = rules.quarter_bounds(year, quarter)
    count = (
        DutyRecord.objects.in_subtree(organisation).filter(occurred_on__range=(start, end)).count()
    )
    check = DutyCheck.objects.create(
        organisation=organisation,
        kind=DutyCheckKind.QUARTERLY,
        period_start=start,
        period_end=end,
        checked_on=checked_on or timezone.localdate(),
        checker=actor if actor.is_authenticated else None,
        records_checked=count,
        findings=findings.strip(),
    )
    audit.created(actor=actor, obj=check, fields=DUTY_CHECK_FIELDS)
    return check


@transaction.atomic
def duty_check_circulate(
    *, actor: User, check: DutyCheck, circulated_on: date | None = None
) -> DutyCheck:
    """通报 the findings of a check."""
    check = (
        DutyCheck.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=check.pk)
    )
    access.require(actor, permissions.CIRCULATE_CHECK, check)
    if check.kind == DutyCheckKind.QUARTERLY:
        access.require(actor, permissions.CHECK_QUARTERLY)
    if check.circulated_on:
        raise ValidationError({"circulated_on": "该检查情况已通报。"})
    save_step(
        actor=actor,
        obj=check,
        fields={"circulated_on": circulated_on or timezone.localdate()},
        audit_fields=DUTY_CHECK_FIELDS,
        event=events.CHECK_CIRCULATED,
    )
    return check
