"""Every write of membership administration: atomic, checked, audited."""

from datetime import date
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.access import Actor, require
from dangjian.core.models import AuditEvent
from dangjian.membership import rules
from dangjian.membership.models import MemberAway
from dangjian.membership.permissions import MANAGE_AWAY
from dangjian.org.models import Organisation, Person


class AwayFields(TypedDict, total=False):
    kind: str
    place: str
    left_on: date
    until: date | None
    returned_on: date | None
    keeps_contact: Person | None
    group: Organisation | None
    last_contact_on: date | None
    note: str


AWAY_FIELDS = ["person", *AwayFields.__annotations__]


def _clean_away(away: MemberAway) -> None:
    away.full_clean()
    errors = rules.away_dates_error(away.left_on, away.until, away.returned_on)
    if away.group is not None and away.group.kind != "group":
        errors["group"] = "请选择党小组。"
    open_periods = MemberAway.objects.filter(person_id=away.person_id, returned_on__isnull=True)
    if away.returned_on is None and open_periods.exclude(pk=away.pk).exists():
        errors["returned_on"] = "该党员已有尚未返回的外出登记，请先填写其实际返回日期。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def away_create(*, actor: Actor, person: Person, **fields: Unpack[AwayFields]) -> MemberAway:
    away = MemberAway(person=person, **fields)
    require(actor, MANAGE_AWAY, away)
    _clean_away(away)
    away.save()
    audit.created(actor=actor, obj=away, fields=AWAY_FIELDS)
    return away


@transaction.atomic
def away_update(*, actor: Actor, away: MemberAway, **fields: Unpack[AwayFields]) -> MemberAway:
    away = MemberAway.objects.select_for_update().select_related("person").get(pk=away.pk)
    require(actor, MANAGE_AWAY, away)
    audit.audited_update(
        actor=actor, obj=away, fields=dict(fields), audit_fields=AWAY_FIELDS, clean=_clean_away
    )
    return away


@transaction.atomic
def away_delete(*, actor: Actor, away: MemberAway) -> None:
    away = MemberAway.objects.select_for_update().select_related("person").get(pk=away.pk)
    require(actor, MANAGE_AWAY, away)
    before = audit.snapshot(away, AWAY_FIELDS)
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=away, before=before)
    away.delete()
