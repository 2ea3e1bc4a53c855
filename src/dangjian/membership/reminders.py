"""Reminders (待办) of members away, two queries whatever the number of rows: a member still
away whose last contact (or, with none, departure) is AWAY_CONTACT_DAYS old is due to be
contacted — by the person who keeps in touch, or else the secretary of the member's branch
(《支部考核办法》 item 8: 保持联系)."""

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.urls import reverse

from dangjian.core.reminders import Due
from dangjian.membership import rules
from dangjian.membership.models import MemberAway, Transfer, TransferState
from dangjian.org.models import Position


def collect(today: date, horizon: date) -> Iterator[Due]:
    days = settings.AWAY_CONTACT_DAYS
    rows = list(
        MemberAway.objects.filter(returned_on__isnull=True).values_list(
            "pk",
            "person__name",
            "person__primary_org_id",
            "keeps_contact_id",
            "left_on",
            "last_contact_on",
        )
    )
    orgs = {row[2] for row in rows if row[3] is None}
    secretaries = dict(
        Position.objects.current(today)
        .filter(title="secretary", organisation_id__in=orgs)
        .values_list("organisation_id", "person_id")
    )
    for pk, name, org_id, keeper, left_on, last in rows:
        due_on = rules.contact_due_on(left_on, last, days)
        recipient = keeper or secretaries.get(org_id)
        if due_on > horizon or recipient is None:
            continue
        yield Due(
            person_id=recipient,
            key=f"membership:away:{pk}:{(last or left_on).isoformat()}",
            category="流动党员",
            title=f"与外出党员{name}保持联系（上次联系：{(last or left_on).isoformat()}）",
            due_on=due_on,
            url=reverse("membership:away_edit", args=[pk]),
        )


# Officers of the origin who follow a letter until its 回执 returns.
SLIP_FOLLOWERS = ("secretary", "organisation")


def collect_transfers(today: date, horizon: date) -> Iterator[Due]:
    """A letter whose 回执 has not come back TRANSFER_SLIP_REMINDER_DAYS after issue is due to
    be followed up by the origin's secretary and organisation committee member (rules.slip_due_on;
    the source sets no number). Two queries whatever the number of letters."""
    days = settings.TRANSFER_SLIP_REMINDER_DAYS
    rows = list(
        Transfer.objects.filter(
            state=TransferState.AWAITING_SLIP,
            issued_on__lte=rules.slip_cutoff(horizon, days),
        ).values_list("pk", "person__name", "origin_org_id", "issued_on", "letter_number")
    )
    followers: dict[int, list[int]] = {}
    for org_id, person_id in (
        Position.objects.current(today)
        .filter(title__in=SLIP_FOLLOWERS, organisation_id__in={row[2] for row in rows})
        .values_list("organisation_id", "person_id")
    ):
        followers.setdefault(org_id, []).append(person_id)
    for pk, name, org_id, issued_on, number in rows:
        for person_id in followers.get(org_id, []):
            yield Due(
                person_id=person_id,
                key=f"membership:transfer_slip:{pk}",
                category="组织关系转接",
                title=f"{name}的组织关系介绍信{number}回执尚未返回",
                due_on=rules.slip_due_on(issued_on, days),
                url=reverse("membership:transfer_detail", args=[pk]),
            )
