"""The reminder sweep is idempotent: running it twice creates nothing new; items that are
done are resolved, and come back (reopened, not duplicated) if they fall due again."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from dangjian.core import reminders
from dangjian.core.models import Reminder
from dangjian.core.reminders import Due
from dangjian.targets.models import Task, WorkItem

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def due(world, key="k1", title="事项", on=TODAY):
    return Due(person_id=world.member_a.pk, key=key, category="测试", title=title, due_on=on)


def test_apply_twice_changes_nothing(world):
    first = reminders.apply([due(world), due(world, "k2")])
    second = reminders.apply([due(world), due(world, "k2")])
    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    assert Reminder.objects.count() == 2


def test_done_items_are_resolved_and_reopened_without_duplicates(world):
    reminders.apply([due(world), due(world, "k2")])
    result = reminders.apply([due(world)])
    assert result.resolved == 1
    assert Reminder.objects.get(key="k2").resolved_at is not None
    result = reminders.apply([due(world), due(world, "k2", title="又到期了")])
    assert (result.reopened, result.created) == (1, 0)
    assert Reminder.objects.filter(key="k2").count() == 1
    assert Reminder.objects.get(key="k2").title == "又到期了"


def test_changed_items_are_updated(world):
    reminders.apply([due(world)])
    result = reminders.apply([due(world, on=TODAY + timedelta(days=3))])
    assert result.updated == 1
    assert Reminder.objects.get().due_on == TODAY + timedelta(days=3)


def test_sweep_command_twice_creates_no_duplicates(world, settings):
    settings.REMINDER_PROVIDERS = ["dangjian.targets.reminders.collect"]
    item = WorkItem.objects.create(
        organisation=world.branch_a, year=2026, kind="project", title="项目"
    )
    Task.objects.create(
        work_item=item,
        title="建设党员活动室",
        target="20平方米",
        measures="整合场地",
        assignee_kind="person",
        assignee_person=world.member_a,
        responsible=world.member_a,
        deadline=date.today() + timedelta(days=3),
        role=5,
    )
    call_command("sweep_reminders", stdout=None)
    call_command("sweep_reminders", stdout=None)
    assert Reminder.objects.filter(person=world.member_a).count() == 1
    assert list(reminders.open_for(world.member_a.pk))[0].title.startswith("任务“建设党员活动室”")


def test_home_lists_own_open_reminders_and_dismisses_them(world, as_user):
    from django.urls import reverse

    reminders.apply([due(world, title="本月组织生活尚需开展1次", on=date(2020, 1, 31))])
    other = Due(
        person_id=world.member_b.pk, key="x", category="测试", title="别人的事", due_on=TODAY
    )
    reminders.apply([due(world, title="本月组织生活尚需开展1次", on=date(2020, 1, 31)), other])
    client = as_user(world.member_user)
    page = client.get(reverse("home")).content.decode()
    assert "本月组织生活尚需开展1次" in page and "已逾期" in page and "别人的事" not in page
    mine = Reminder.objects.get(person=world.member_a)
    theirs = Reminder.objects.get(person=world.member_b)
    assert client.post(reverse("reminder_dismiss", args=[theirs.pk])).status_code == 404
    assert (
        as_user(world.secretary_b).post(reverse("reminder_dismiss", args=[mine.pk])).status_code
        == 404
    )
    assert as_user(None).post(reverse("reminder_dismiss", args=[mine.pk])).status_code == 302
    client = as_user(world.member_user)
    assert client.post(reverse("reminder_dismiss", args=[mine.pk])).status_code == 302
    assert "本月组织生活尚需开展1次" not in client.get(reverse("home")).content.decode()
