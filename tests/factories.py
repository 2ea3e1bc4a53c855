"""Test data builders. Organisations go through the service so paths are real."""

import itertools
from datetime import date

from dangjian.core.models import User
from dangjian.org import rules, services
from dangjian.org.models import Organisation, Person, Position

_seq = itertools.count(1)


def make_id_number(birth: date, seq: int, male: bool = True) -> str:
    """A valid-checksum synthetic ID number (region 500000, Chongqing)."""
    serial = (seq % 500) * 2 + (1 if male else 0)
    first17 = f"500000{birth:%Y%m%d}{serial:03d}"
    return first17 + rules.id_check_code(first17)


def make_org(parent: Organisation | None = None, kind: str | None = None, **fields) -> Organisation:
    n = next(_seq)
    if kind is None:
        kind = {
            None: "committee",
            "committee": "general_branch",
            "general_branch": "branch",
            "branch": "group",
        }[parent.kind if parent else None]
    fields.setdefault("name", f"组织{n}")
    fields.setdefault("code", f"ORG{n:05d}")
    return services.organisation_create(actor=None, parent=parent, kind=kind, **fields)


def make_person(org: Organisation | None = None, status: str = "full", **fields) -> Person:
    n = next(_seq)
    fields.setdefault("name", f"人员{n}")
    fields.setdefault("gender", "M")
    fields.setdefault("category", "staff")
    fields.setdefault("birth_date", date(1990, 1, 1))
    return Person.objects.create(primary_org=org, party_status=status, **fields)


def make_user(person: Person | None = None, username: str | None = None, **fields) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(username=username, password="pass-123456", **fields)
    if person is not None:
        user.person = person
        user.save(update_fields=["person"])
    return user


def make_officer(org: Organisation, title: str = "secretary", **person_fields) -> User:
    person = make_person(org, **person_fields)
    Position.objects.create(
        person=person, organisation=org, title=title, starts_on=date(2020, 1, 1)
    )
    return make_user(person)
