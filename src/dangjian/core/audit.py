"""Audit trail: every service writes one event per change (who, when, what, before → after)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from dangjian.core import rules
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent
from dangjian.core.rules import field_changes


def file_label(value: FieldFile) -> str:
    """A file as the name it was uploaded with (the stored name is random); "" when none."""
    if not value:
        return ""
    return getattr(value, "original_name", None) or (value.name or "").rsplit("/", 1)[-1]


def _plain(value):
    if isinstance(value, FieldFile):
        return file_label(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        # JSON settings such as grade bands [[90, "优秀"], …] read as "90 优秀；80 称职".
        return "；".join(
            " ".join(str(_plain(x)) for x in item) if isinstance(item, list | tuple) else str(item)
            for item in value
        )
    return value


# Personal identifiers are never written to the audit trail in clear.
MASKED_FIELDS = {"id_number": "mask_id_number", "phone": "mask_phone"}


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """Fields as readable values keyed by their Chinese label: choices by label, related
    objects by name, personal identifiers masked."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if field.choices and value not in (None, ""):
            value = getattr(obj, f"get_{name}_display")()
        elif name in MASKED_FIELDS and value:
            value = getattr(rules, MASKED_FIELDS[name])(value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        result[str(field.verbose_name)] = _plain(value)
    return result


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    event: EventType | None = None,
) -> AuditEvent:
    """One audit row; `event` names the workflow step it records (core.events)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        changes=field_changes(before or {}, after or {}),
        note=note,
        event=event.name if event else "",
    )


@dataclass
class Change:
    """The change being recorded: its fields before, and a note the block may set."""

    before: dict
    note: str = ""


@contextmanager
def recording(
    *,
    actor,
    obj: models.Model,
    fields: list[str],
    event: EventType | None = None,
    action: str = AuditEvent.Action.STATUS,
    note: str = "",
) -> Iterator[Change]:
    """Record what the block changes on `obj` (the block saves it): `fields` before → after,
    as one event. Nothing is recorded when the block raises."""
    change = Change(before=snapshot(obj, fields), note=note)
    yield change
    changed(
        actor=actor,
        obj=obj,
        fields=fields,
        before=change.before,
        event=event,
        action=action,
        note=change.note,
    )


def changed(
    *,
    actor,
    obj: models.Model,
    fields: list[str],
    before: dict,
    event: EventType | None = None,
    action: str = AuditEvent.Action.STATUS,
    note: str = "",
) -> AuditEvent:
    """The event of a change already saved: `fields` from `before` to what they are now."""
    after = snapshot(obj, fields)
    return record(
        actor=actor, action=action, obj=obj, before=before, after=after, note=note, event=event
    )


def events_for(obj: models.Model, limit: int = 50):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")[:limit]


def audited_update(
    *,
    actor,
    obj: models.Model,
    fields: dict,
    audit_fields: list[str],
    clean,
    action=AuditEvent.Action.UPDATE,
    event: EventType | None = None,
) -> models.Model:
    """Set `fields` on a row the caller has locked, validate it with `clean(obj)`, save it and
    record before → after. `action` may be a function of (before, after) choosing the action."""
    before = snapshot(obj, audit_fields)
    for name, value in fields.items():
        setattr(obj, name, value)
    clean(obj)
    obj.save()
    after = snapshot(obj, audit_fields)
    chosen = action(before, after) if callable(action) else action
    record(actor=actor, action=chosen, obj=obj, before=before, after=after, event=event)
    return obj


def created(
    *,
    actor,
    obj: models.Model,
    fields: list[str],
    note: str = "",
    event: EventType | None = None,
) -> AuditEvent:
    """The creation event of a new row: its audited fields as they were saved."""
    return record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=obj,
        after=snapshot(obj, fields),
        note=note,
        event=event,
    )
