"""The 回执 reminder: to the origin's secretary and organisation committee member from day N
after issue (TRANSFER_SLIP_REMINDER_DAYS, ours: the source sets no number) until it returns."""

from datetime import date, timedelta

import pytest
from django.conf import settings

from dangjian.membership import reminders, services
from dangjian.org.models import Position
from tests.factories import make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

ISSUED = date(2026, 6, 20)


def test_slip_reminder_from_day_n_to_the_origin_officers(world):
    committee_member = make_person(world.branch_a, name="组织委员")
    Position.objects.create(
        person=committee_member,
        organisation=world.branch_a,
        title="organisation",
        starts_on=date(2020, 1, 1),
    )
    letter = services.transfer_issue_letter(
        actor=world.secretary_a,
        person=world.member_a,
        destination_text="某市委组织部",
        reason="毕业",
        issued_on=ISSUED,
    )
    days = settings.TRANSFER_SLIP_REMINDER_DAYS
    day_before = ISSUED + timedelta(days=days - 1)
    assert list(reminders.collect_transfers(day_before, day_before)) == []
    for today in (ISSUED + timedelta(days=days), ISSUED + timedelta(days=days + 1)):
        with assert_num_queries(2):
            items = list(reminders.collect_transfers(today, today))
        assert {i.person_id for i in items} == {
            world.secretary_a.person_id,
            committee_member.pk,
        }
        assert all(i.due_on == ISSUED + timedelta(days=days) for i in items)
        assert all("回执尚未返回" in i.title for i in items)
        assert len({i.key for i in items}) == 1
    services.transfer_record_slip(actor=world.secretary_a, transfer=letter, returned_on=ISSUED)
    later = ISSUED + timedelta(days=days + 5)
    assert list(reminders.collect_transfers(later, later)) == []


def test_the_setting_moves_the_day(world, settings):
    settings.TRANSFER_SLIP_REMINDER_DAYS = 10
    services.transfer_issue_letter(
        actor=world.secretary_a,
        person=world.member_a,
        destination_text="某地",
        reason="毕业",
        issued_on=ISSUED,
    )
    assert list(reminders.collect_transfers(ISSUED, ISSUED + timedelta(days=9))) == []
    assert list(reminders.collect_transfers(ISSUED, ISSUED + timedelta(days=10)))
