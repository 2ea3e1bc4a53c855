"""The message centre: unread counts and their invalidation, mark all read, the e-mail digest."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment.models import Appeal
from dangjian.core.models import Reminder, User
from dangjian.notices import selectors, services
from dangjian.notices.models import DigestSent, Inbox, NoticeRead
from tests.factories import make_person, make_user
from tests.harness import assert_max_queries
from tests.notices.conftest import published

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def remind(person, title="提交季报表", days=3):
    return Reminder.objects.create(
        person=person,
        key=f"test:{title}",
        category="季报表",
        title=title,
        due_on=date.today() + timedelta(days=days),
    )


def bell(client):
    return client.get(reverse("notices:bell")).content.decode()


def test_unread_counts_notices_reminders(world):
    notice = published(world)
    remind(world.member_a)
    counts = selectors.unread(fresh(world.member_user))
    assert (counts.notices, counts.reminders, counts.replies) == (1, 1, 0)
    services.notice_open(user=fresh(world.member_user), notice=notice)
    assert selectors.unread(fresh(world.member_user)).notices == 0


def test_the_bell_is_cached_and_dropped_when_the_user_reads(as_user, world):
    notice = published(world)
    client = as_user(world.member_user)
    assert ">1<" in bell(client)
    with assert_max_queries(3):  # the session and the user; the count comes from the cache
        bell(client)
    client.get(reverse("notices:read", args=[notice.pk]))
    assert bell(client).strip() == ""


def test_publishing_and_withdrawing_refresh_every_cached_bell(as_user, world):
    client = as_user(world.member_user)
    assert bell(client).strip() == ""
    notice = published(world)
    assert ">1<" in bell(client)
    services.notice_withdraw(actor=world.gb_secretary_a, notice=notice)
    assert bell(client).strip() == ""


def test_pages_do_not_pay_for_the_bell(as_user, world):
    """The bell is loaded after the page: the home page stays within its query budget."""
    published(world)
    client = as_user(world.member_user)
    client.get(reverse("home"))
    page = client.get(reverse("home")).content.decode()
    assert 'hx-get="/notices/bell/"' in page


def test_mark_all_read(as_user, world):
    first = published(world)
    published(world, receipt_required=True)
    remind(world.member_a)
    client = as_user(world.member_user)
    assert ">3<" in bell(client)
    client.post(reverse("notices:read_all"))
    assert bell(client).strip() == ""
    assert NoticeRead.objects.filter(person=world.member_a).count() == 2
    # Receipts still need their own confirmation.
    assert not NoticeRead.objects.filter(confirmed_at__isnull=False).exists()
    # A reminder changed afterwards is unread again.
    later = remind(world.member_a, title="新待办")
    Reminder.objects.filter(pk=later.pk).update(updated_at=timezone.now() + timedelta(seconds=5))
    assert selectors.unread(fresh(world.member_user)).reminders == 1
    assert first


def test_replies_are_answers_to_the_users_appeals(world):
    from dangjian.assessment import services as assessment_services
    from dangjian.assessment.models import BranchAssessment, ScoreSheetTemplate

    round_ = assessment_services.round_create(
        actor=world.org_officer,
        template=ScoreSheetTemplate.objects.get(name="基层党支部工作目标管理考核评分表"),
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )
    assessment = BranchAssessment.objects.get(round=round_, branch=world.branch_a)
    Appeal.objects.create(
        assessment=assessment,
        filed_on=date.today(),
        filed_by=world.secretary_a,
        reason="请复核第3项",
        answer_due=date.today() + timedelta(days=10),
        answered_on=date.today(),
        answer="维持原结果",
        state="answered",
    )
    assert selectors.unread(fresh(world.secretary_a)).replies == 1
    assert selectors.unread(fresh(world.member_user)).replies == 0


def test_digest_is_sent_once_a_day_and_skips_and_counts(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    published(world, title="关于组织生活会的通知")
    remind(world.member_a)
    world.member_user.email = "zhao@example.edu.cn"
    world.member_user.save()
    off = make_user(make_person(world.branch_a), email="off@example.edu.cn")
    Inbox.objects.create(user=off, digest=False)
    result = services.send_digests()
    assert result.sent == 1 and result.opted_out == 1
    assert result.no_email >= 2  # the secretaries have no address
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhao@example.edu.cn"] and "关于组织生活会的通知" in message.body
    assert "提交季报表" in message.body
    again = services.send_digests()
    assert again.sent == 0 and again.already_sent == 1 and len(mail.outbox) == 1
    assert DigestSent.objects.get(user=world.member_user).notices == 1
    # The next day: nothing new since the last digest.
    tomorrow = timezone.now() + timedelta(days=1)
    later = services.send_digests(now=tomorrow, today=date.today() + timedelta(days=1))
    assert later.sent == 0 and later.nothing_new >= 1


def test_the_command_reports_what_it_did(world, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_digest")
    out = capsys.readouterr().out
    assert "已发送 0" in out and "无电子邮箱跳过" in out


def test_the_user_turns_the_digest_off_on_their_account_page(as_user, world):
    client = as_user(world.member_user)
    assert 'hx-get="/notices/centre/digest/"' in client.get(reverse("account")).content.decode()
    assert "已开启" in client.get(reverse("notices:digest")).content.decode()
    response = client.post(reverse("notices:digest"), {"digest": "0"})
    assert response["Location"] == reverse("account")
    assert Inbox.objects.get(user=world.member_user).digest is False
    response = client.post(reverse("notices:digest"), {"digest": "1", "next": "centre"})
    assert response["Location"] == reverse("notices:centre")
    assert Inbox.objects.get(user=world.member_user).digest is True


def test_the_celery_task_sends_the_digest(world, settings):
    from dangjian.notices.tasks import send_digest

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    published(world)
    world.member_user.email = "zhao@example.edu.cn"
    world.member_user.save()
    assert send_digest.apply().get()["sent"] == 1
    assert send_digest.apply().get()["already_sent"] == 1
