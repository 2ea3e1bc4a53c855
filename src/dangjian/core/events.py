"""Named workflow events: "grading decided", "plan submitted" — not a generic status row with a
note. Each app declares its events in `events.py` (as Saleor's order/events.py does):

    GRADING_DECIDED = EventType("branches.grading_decided", "决定定级等次")

and a service records one with its audit row:

    audit.record(actor=actor, action=AuditEvent.Action.STATUS, obj=grading,
                 event=events.GRADING_DECIDED, before=..., after=...)

The audit trail then shows the event's label, and `AuditEvent.objects.filter(event=...)` finds
every occurrence of one step across the institution.
"""

from dataclasses import dataclass

_TYPES: dict[str, "EventType"] = {}


@dataclass(frozen=True)
class EventType:
    name: str  # "<app>.<what happened>", stored on the audit row
    label: str  # what the audit trail shows

    def __post_init__(self) -> None:
        known = _TYPES.get(self.name)
        if known is not None and known != self:
            raise ValueError(f"event type declared twice: {self.name}")
        _TYPES[self.name] = self

    def __str__(self) -> str:
        return self.name


def label_of(name: str) -> str:
    event = _TYPES.get(name)
    return event.label if event else ""


def declared() -> dict[str, EventType]:
    return dict(_TYPES)
