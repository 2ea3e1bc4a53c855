"""Who a notice reaches, computed when people list their notices (no row per recipient)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditEvent, User
from dangjian.notices import selectors, services
from dangjian.notices.models import Audience, Notice, NoticeRead, NoticeState
from dangjian.org.models import Position
from tests.factories import make_officer, make_org, make_person, make_user
from tests.notices.conftest import draft, published

pytestmark = pytest.mark.django_db


def mine(user):
    return set(Notice.objects.addressed_to(user).values_list("pk", flat=True))


def test_publishing_writes_one_row_and_reaches_the_subtree(world, notice):
    assert Notice.objects.count() == 1 and not NoticeRead.objects.exists()
    # In the general branch's subtree: its own secretary, branch_a's secretary and member.
    assert notice.pk in mine(world.member_user)
    assert notice.pk in mine(world.secretary_a)
    assert notice.pk in mine(world.gb_secretary_a)
    # A sibling subtree and the level above: not reached.
    assert notice.pk not in mine(world.secretary_b)
    assert notice.pk not in mine(make_user(make_person(world.gb_b)))
    assert notice.pk not in mine(make_user(make_person(world.committee)))


def test_drafts_and_withdrawn_notices_reach_nobody(world):
    pending = draft(world)
    assert pending.pk not in mine(world.member_user)
    services.notice_publish(actor=world.gb_secretary_a, notice=pending)
    assert pending.pk in mine(world.member_user)
    services.notice_withdraw(actor=world.gb_secretary_a, notice=pending)
    assert pending.pk not in mine(world.member_user)
    assert not Notice.objects.visible_to(world.member_user).filter(pk=pending.pk).exists()
    # The sender still sees it in the register.
    assert Notice.objects.editable_by(world.gb_secretary_a).filter(pk=pending.pk).exists()


def test_audience_kinds(world):
    everyone = published(world, audience=Audience.ALL)
    members = published(world, audience=Audience.MEMBERS)
    officers = published(world, audience=Audience.OFFICERS)
    applicant = make_user(make_person(world.branch_a, status="applicant"))
    assert mine(applicant) == {everyone.pk}
    assert mine(world.member_user) == {everyone.pk, members.pk}
    assert mine(world.secretary_a) == {everyone.pk, members.pk, officers.pk}
    # A group leader holds no officer post.
    leader = make_person(world.branch_a)
    Position.objects.create(
        person=leader, organisation=world.group_a, title="group_leader", starts_on=date(2020, 1, 1)
    )
    assert officers.pk not in mine(make_user(leader))


def test_an_officer_is_reached_through_their_post_wherever_their_own_branch_is(world):
    officers = published(world, audience=Audience.OFFICERS)
    # Belongs to branch_b, sits on branch_a's committee.
    person = make_person(world.branch_b)
    Position.objects.create(
        person=person, organisation=world.branch_a, title="committee", starts_on=date(2020, 1, 1)
    )
    assert officers.pk in mine(make_user(person))
    # A post that ended does not count.
    ended = make_person(world.branch_b)
    Position.objects.create(
        person=ended,
        organisation=world.branch_a,
        title="committee",
        starts_on=date(2020, 1, 1),
        ends_on=date.today() - timedelta(days=1),
    )
    assert officers.pk not in mine(make_user(ended))


def test_people_who_join_the_subtree_after_publishing_receive_it(world, notice):
    newcomer = make_person(world.branch_b)
    user = make_user(newcomer)
    assert notice.pk not in mine(user)
    newcomer.primary_org = world.branch_a
    newcomer.save()
    assert notice.pk in mine(make_user(make_person(world.branch_a)))
    # The addressee is worked out once per request (a fresh user object each time).
    assert notice.pk in mine(User.objects.get(pk=user.pk))
    # …and leaving the roll stops it.
    newcomer.is_active = False
    newcomer.save()
    assert notice.pk not in mine(User.objects.get(pk=user.pk))


def test_rights_and_rules_of_the_steps(world, notice):
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.secretary_b)  # gb_a is not theirs
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.secretary_a)  # the level above theirs
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.member_user, org=world.branch_a)
    with pytest.raises(ValidationError) as refused:
        draft(world, org=world.group_a)
    assert "党小组" in str(refused.value.message_dict["organisation"])
    with pytest.raises(ValidationError) as refused:
        services.notice_update(actor=world.gb_secretary_a, notice=notice, title="改")
    assert "撤回后重新" in str(refused.value)
    with pytest.raises(ValidationError):
        services.notice_publish(actor=world.gb_secretary_a, notice=notice)
    with pytest.raises(ValidationError):
        services.notice_delete(actor=world.gb_secretary_a, notice=notice)
    with pytest.raises(ValidationError) as refused:
        draft(world, deadline=date.today() - timedelta(days=1))
    assert refused.value.message_dict["deadline"] == ["截止日期不能早于今天。"]
    with pytest.raises(PermissionDenied):
        services.notice_withdraw(actor=world.secretary_a, notice=notice)
    # The level above acts on the notices below it.
    below = draft(world, actor=world.secretary_a, org=world.branch_a)
    services.notice_publish(actor=world.gb_secretary_a, notice=below)


def test_the_steps_are_audited_as_named_events(world, notice):
    events = set(AuditEvent.objects.filter(object_id=notice.pk).values_list("event", flat=True))
    assert "notices.published" in events
    services.notice_withdraw(actor=world.gb_secretary_a, notice=notice)
    assert AuditEvent.objects.filter(object_id=notice.pk, event="notices.withdrawn").exists()
    notice.refresh_from_db()
    assert notice.state == NoticeState.WITHDRAWN and notice.withdrawn_at


def test_opening_records_one_read_and_receipts_need_their_own_confirmation(world):
    notice = published(world, receipt_required=True)
    services.notice_open(user=world.member_user, notice=notice)
    services.notice_open(user=world.member_user, notice=notice)
    read = NoticeRead.objects.get()
    assert read.person == world.member_a and read.confirmed_at is None
    services.notice_confirm(user=world.member_user, notice=notice)
    read.refresh_from_db()
    assert read.confirmed_at is not None
    # Someone the notice does not address cannot confirm it, nor leave a read.
    with pytest.raises(ValidationError):
        services.notice_confirm(user=world.secretary_b, notice=notice)
    assert services.notice_open(user=world.secretary_b, notice=notice) is None
    plain = published(world)
    with pytest.raises(ValidationError) as refused:
        services.notice_confirm(user=world.member_user, notice=plain)
    assert "不需要回执" in str(refused.value)


def test_not_read_is_the_audience_minus_the_reads(world, notice):
    audience = set(selectors.audience_people(notice).values_list("name", flat=True))
    assert audience == {"张书记", "王总支书记", "赵党员"}
    services.notice_open(user=world.member_user, notice=notice)
    unread = set(selectors.not_read(notice).values_list("name", flat=True))
    assert unread == {"张书记", "王总支书记"}
    stats = selectors.read_stats(notice)
    assert (stats.audience, stats.read, stats.unread) == (3, 1, 2)
    assert [(row.organisation, row.audience, row.read) for row in stats.by_org] == [
        (world.branch_a, 2, 1)
    ]


def test_audience_size_comes_from_the_count_table(world):
    members = published(world, audience=Audience.MEMBERS)
    make_person(world.branch_a, status="applicant")
    assert selectors.audience_size(members) == 3
    everyone = published(world)
    assert selectors.audience_size(everyone) == 4
    officers = published(world, audience=Audience.OFFICERS)
    assert selectors.audience_size(officers) == 2


def test_the_committee_reaches_the_whole_institution(world):
    officer = make_officer(world.committee, name="党委书记")
    notice = published(world, actor=officer, org=world.committee)
    assert notice.pk in mine(world.member_user) and notice.pk in mine(world.secretary_b)
    deep = make_org(world.branch_a, kind="group")
    assert deep  # groups hold no people of their own; their members are in the branch
