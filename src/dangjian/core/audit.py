"""Audit trail: every service writes one event per change (who, when, what, before → after)."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from dangjian.core.models import AuditEvent
from dangjian.core.rules import field_changes


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """Field values as JSON-friendly display values (related objects by their name)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        changes=field_changes(before or {}, after or {}),
        note=note,
    )


def events_for(obj: models.Model, limit: int = 50):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")[:limit]
