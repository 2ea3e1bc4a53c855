"""What the posts services share: the member behind an account, the year rule, "unchanged"."""

from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import models

from dangjian.core import audit
from dangjian.core.events import EventType
from dangjian.core.models import User
from dangjian.org.models import Person

NO_PERSON = "您的账号没有关联人员信息，请联系组织部干事。"


class Unchanged:
    """A keyword argument not given to an update (None may be a value: "no post")."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = Unchanged()


def given(**values: Any) -> dict[str, Any]:
    """The keyword arguments of an update that were given (neither None nor UNCHANGED)."""
    return {k: v for k, v in values.items() if v is not None and v is not UNCHANGED}


def save_step(
    *,
    actor: User,
    obj: models.Model,
    fields: dict[str, Any],
    audit_fields: list[str],
    event: EventType,
) -> None:
    """Set `fields` on a locked row, save it and record the change as the named step."""
    with audit.recording(actor=actor, obj=obj, fields=audit_fields, event=event):
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()


def person_of(user: User) -> Person:
    person = Person.objects.select_related("primary_org").filter(pk=user.person_id).first()
    if person is None:
        raise ValidationError(NO_PERSON)
    return person


def check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应为2000至2100之间的四位年份。"})
