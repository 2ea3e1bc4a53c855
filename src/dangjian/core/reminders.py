"""In-app reminders (待办): an idempotent sweep over what falls due.

Each app that has deadlines offers a provider, a function `collect(today, horizon)` that
yields a `Due` for every open item due on or before `horizon` (overdue ones included) and
for every person who must act on it. The sweep makes one Reminder row per (person, key):
new items are created, changed ones updated, items that no longer come back are marked
resolved, and resolved ones that come back are reopened. Running it twice changes nothing.

    dangjian sweep_reminders [--days 14]      # from cron or a systemd timer, every few minutes
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from dangjian.core.models import Reminder

DEFAULT_HORIZON_DAYS = 14


@dataclass(frozen=True)
class Due:
    person_id: int
    key: str  # stable for the item and the recipient, e.g. "orglife:rule:3:org:12:2026-11"
    category: str  # shown as the reminder's label, e.g. "组织生活"
    title: str
    due_on: date
    url: str = ""


@dataclass
class SweepResult:
    created: int = 0
    updated: int = 0
    reopened: int = 0
    resolved: int = 0
    unchanged: int = 0


def providers() -> list:
    return [import_string(path) for path in settings.REMINDER_PROVIDERS]


def collect_all(today: date, horizon: date) -> Iterator[Due]:
    for provider in providers():
        yield from provider(today, horizon)


@transaction.atomic
def sweep(today: date | None = None, days: int = DEFAULT_HORIZON_DAYS) -> SweepResult:
    today = today or timezone.localdate()
    return apply(collect_all(today, today + timedelta(days=days)))


def apply(items: Iterable[Due]) -> SweepResult:
    """Make the open reminders equal to `items` (one per person and key)."""
    now = timezone.now()
    result = SweepResult()
    wanted = {(d.person_id, d.key): d for d in items}
    existing = {
        (r.person_id, r.key): r
        for r in Reminder.objects.filter(resolved_at__isnull=True).only(
            "person_id", "key", "title", "due_on", "url", "category", "resolved_at"
        )
    }
    # Resolved rows that are wanted again are reopened rather than duplicated.
    missing = [k for k in wanted if k not in existing]
    if missing:
        keys = {k for _p, k in missing}
        for r in Reminder.objects.filter(resolved_at__isnull=False, key__in=keys):
            if (r.person_id, r.key) in wanted:
                existing[(r.person_id, r.key)] = r
    to_create, to_update = [], []
    for ident, due in wanted.items():
        row = existing.get(ident)
        if row is None:
            to_create.append(
                Reminder(
                    person_id=due.person_id,
                    key=due.key,
                    category=due.category,
                    title=due.title,
                    due_on=due.due_on,
                    url=due.url,
                )
            )
            continue
        fields = {
            "category": due.category,
            "title": due.title,
            "due_on": due.due_on,
            "url": due.url,
        }
        changed = any(getattr(row, f) != v for f, v in fields.items())
        if row.resolved_at is not None:
            row.resolved_at = None
            result.reopened += 1
        elif changed:
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        for f, v in fields.items():
            setattr(row, f, v)
        row.updated_at = now
        to_update.append(row)
    Reminder.objects.bulk_create(to_create, batch_size=1000)
    Reminder.objects.bulk_update(
        to_update,
        ["category", "title", "due_on", "url", "resolved_at", "updated_at"],
        batch_size=1000,
    )
    result.created = len(to_create)
    gone = [r.pk for ident, r in existing.items() if ident not in wanted and r.resolved_at is None]
    for start in range(0, len(gone), 1000):
        Reminder.objects.filter(pk__in=gone[start : start + 1000]).update(resolved_at=now)
    result.resolved = len(gone)
    return result


def open_for(person_id: int | None, limit: int = 20):
    """A person's open reminders, the most urgent first."""
    if not person_id:
        return Reminder.objects.none()
    return Reminder.objects.filter(
        person_id=person_id, resolved_at__isnull=True, dismissed_at__isnull=True
    ).order_by("due_on", "id")[:limit]


def dismiss(*, person_id: int | None, pk: int) -> bool:
    """Hide one of a person's own open reminders; False when it is not theirs or already hidden.
    (The sweep still resolves it when the item is done.)"""
    return bool(
        Reminder.objects.filter(pk=pk, person_id=person_id, dismissed_at__isnull=True).update(
            dismissed_at=timezone.now()
        )
    )
