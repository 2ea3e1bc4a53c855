"""组织关系转接 services: the workflows' steps, their order, rights and what moves."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditEvent
from dangjian.membership import selectors, services
from dangjian.membership.models import StepKind, Transfer, TransferState
from dangjian.org import counts
from dangjian.org.models import PeopleCount, Person, Position
from tests.factories import make_id_number, make_officer, make_person

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _counted(org):
    return sum(
        PeopleCount.objects.filter(organisation=org, is_active=True).values_list("n", flat=True)
    )


def _send(world, person=None, **kwargs):
    return services.transfer_send(
        actor=world.secretary_a,
        person=person or world.member_a,
        destination_org=world.branch_b,
        reason="工作调动",
        **kwargs,
    )


def test_within_send_receive_approve_moves_the_person(world):
    gb_b_user = make_officer(world.gb_b, name="孙总支书记")
    member = world.member_a
    member.group = world.group_a
    member.save()
    leader = Position.objects.create(
        person=member, organisation=world.group_a, title="group_leader", starts_on=date(2024, 1, 1)
    )
    before_a, before_b = _counted(world.branch_a), _counted(world.branch_b)
    transfer = _send(world)
    assert transfer.state == TransferState.SENT
    with pytest.raises(PermissionDenied):
        services.transfer_receive(actor=world.secretary_a, transfer=transfer)
    with pytest.raises(ValidationError) as refused:
        services.transfer_approve(actor=world.gb_secretary_a, transfer=transfer)
    assert "待审批" in str(refused.value)
    services.transfer_receive(actor=world.secretary_b, transfer=transfer, note="同意接收")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.RECEIVED
    # The two sides share no general branch: both approve; the destination's officers cannot.
    assert [o.pk for o in selectors.approvers(transfer)] == [world.gb_a.pk, world.gb_b.pk]
    with pytest.raises(PermissionDenied):
        services.transfer_approve(actor=world.secretary_b, transfer=transfer)
    services.transfer_approve(actor=world.gb_secretary_a, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.RECEIVED
    with pytest.raises(PermissionDenied):
        services.transfer_approve(actor=world.gb_secretary_a, transfer=transfer)
    services.transfer_approve(actor=gb_b_user, transfer=transfer)
    transfer.refresh_from_db()
    member.refresh_from_db()
    leader.refresh_from_db()
    assert transfer.state == TransferState.COMPLETED and transfer.completed_on == TODAY
    assert member.primary_org == world.branch_b and member.group is None
    assert leader.ends_on == TODAY
    assert _counted(world.branch_a) == before_a - 1 and _counted(world.branch_b) == before_b + 1
    counts.rebuild()
    assert _counted(world.branch_a) == before_a - 1 and _counted(world.branch_b) == before_b + 1
    steps = list(transfer.steps.values_list("kind", flat=True))
    assert steps == ["send", "receive", "approve", "approve", "complete"]
    events = set(AuditEvent.objects.filter(object_id=transfer.pk).values_list("event", flat=True))
    assert "membership.transfer_approved" in events and "membership.transfer_completed" in events
    assert AuditEvent.objects.filter(object_id=member.pk, action="move").exists()


def test_a_shared_general_branch_approves_once(world):
    other = make_person(world.branch_a, name="周党员")
    from tests.factories import make_org

    branch_a2 = make_org(world.gb_a, name="机关二支部", code="BA2")
    secretary = make_officer(branch_a2, name="吴书记")
    transfer = services.transfer_send(
        actor=world.secretary_a, person=other, destination_org=branch_a2, reason="部门调整"
    )
    services.transfer_receive(actor=secretary, transfer=transfer)
    assert [o.pk for o in selectors.approvers(transfer)] == [world.gb_a.pk]
    services.transfer_approve(actor=world.gb_secretary_a, transfer=transfer)
    other.refresh_from_db()
    assert other.primary_org == branch_a2


def test_without_approval_receiving_completes(world, settings):
    settings.TRANSFER_APPROVAL_REQUIRED = False
    transfer = _send(world)
    services.transfer_receive(actor=world.secretary_b, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.COMPLETED
    world.member_a.refresh_from_db()
    assert world.member_a.primary_org == world.branch_b


def test_one_open_transfer_at_a_time_and_other_refusals(world):
    _send(world)
    with pytest.raises(ValidationError) as refused:
        _send(world)
    assert "尚未办结" in refused.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as refused:
        services.transfer_issue_letter(
            actor=world.secretary_a, person=world.member_a, destination_text="x", reason="毕业"
        )
    assert "尚未办结" in refused.value.message_dict["person"][0]
    masses = make_person(world.branch_a, status="masses")
    with pytest.raises(ValidationError):
        _send(world, person=masses)
    with pytest.raises(ValidationError):
        services.transfer_send(
            actor=world.secretary_a,
            person=make_person(world.branch_a),
            destination_org=world.branch_a,
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        services.transfer_send(
            actor=world.secretary_b,
            person=make_person(world.branch_a),
            destination_org=world.branch_b,
            reason="x",
        )


def test_reject_and_cancel_need_their_state_and_reason(world):
    transfer = _send(world)
    with pytest.raises(ValidationError) as refused:
        services.transfer_reject(actor=world.secretary_b, transfer=transfer, note=" ")
    assert "退回理由" in str(refused.value)
    services.transfer_reject(actor=world.secretary_b, transfer=transfer, note="编制已满")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.REJECTED
    with pytest.raises(ValidationError) as refused:
        services.transfer_cancel(actor=world.secretary_a, transfer=transfer)
    assert "已退回" in str(refused.value)
    again = _send(world)  # a closed transfer no longer blocks a new one
    services.transfer_cancel(actor=world.secretary_a, transfer=again, note="暂缓")
    again.refresh_from_db()
    assert again.state == TransferState.CANCELLED
    world.member_a.refresh_from_db()
    assert world.member_a.primary_org == world.branch_a


def test_out_letter_then_slip_leaves_the_roll(world):
    user = world.member_user
    before = _counted(world.branch_a)
    transfer = services.transfer_issue_letter(
        actor=world.secretary_a,
        person=world.member_a,
        destination_text="中共某市某区委组织部",
        reason="毕业离校",
        issued_on=TODAY - timedelta(days=3),
        dues_paid_until=date(2026, 6, 1),
    )
    assert transfer.state == TransferState.AWAITING_SLIP
    assert transfer.letter_number == f"（{transfer.issued_on.year}）第0001号"
    assert transfer.valid_days == 30
    second = services.transfer_issue_letter(
        actor=world.secretary_b,
        person=world.member_b,
        destination_text="某公司党委",
        reason="就业",
        issued_on=transfer.issued_on,
    )
    assert second.letter_number.endswith("第0002号")
    with pytest.raises(ValidationError) as refused:
        services.transfer_record_slip(
            actor=world.secretary_a, transfer=transfer, returned_on=TODAY + timedelta(days=1)
        )
    assert "returned_on" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.transfer_record_slip(actor=world.secretary_b, transfer=transfer, returned_on=TODAY)
    services.transfer_record_slip(actor=world.secretary_a, transfer=transfer, returned_on=TODAY)
    transfer.refresh_from_db()
    person = Person.objects.get(pk=world.member_a.pk)
    user.refresh_from_db()
    assert transfer.state == TransferState.COMPLETED and transfer.slip_returned_on == TODAY
    assert not person.is_active and not user.is_active
    assert _counted(world.branch_a) == before - 1
    assert list(transfer.steps.values_list("kind", flat=True)) == ["issue", "slip"]
    # 转出 in the standing history, as the annual statistics count it.
    assert person.standing == "transferred_out" and person.left_on == TODAY
    change = person.standing_changes.get()
    assert change.cause == "transferred_out" and change.reason == "毕业离校"


def test_out_letter_bad_input(world):
    with pytest.raises(ValidationError) as refused:
        services.transfer_issue_letter(
            actor=world.secretary_a,
            person=world.member_a,
            destination_text=" ",
            reason="毕业",
            valid_days=0,
        )
    assert {"destination_text", "valid_days"} <= set(refused.value.message_dict)


def test_in_transfer_creates_or_matches_by_id_number(world):
    id_number = make_id_number(date(1998, 5, 4), 77)
    fields = {
        "name": "郑新党员",
        "gender": "F",
        "ethnicity": "回族",
        "id_number": id_number,
        "category": "staff",
        "party_status": "full",
    }
    transfer = services.transfer_arrive(
        actor=world.secretary_b,
        destination_org=world.branch_b,
        letter_number="渝组转字第0123号",
        origin_text="中共某大学委员会",
        reason="新入职",
        **fields,
    )
    person = transfer.person
    assert transfer.state == TransferState.COMPLETED and person.primary_org == world.branch_b
    assert person.birth_date == date(1998, 5, 4) and person.party_status == "full"
    assert transfer.steps.get().kind == StepKind.ARRIVE
    # Still on the roll here: a within transfer, not an arrival.
    with pytest.raises(ValidationError) as refused:
        services.transfer_arrive(
            actor=world.secretary_a,
            destination_org=world.branch_a,
            letter_number="2",
            origin_text="某单位",
            reason="x",
            **fields,
        )
    assert "校内转接" in refused.value.message_dict["id_number"][0]
    # A member who left returns: matched, back on the roll, no second person.
    Person.objects.filter(pk=person.pk).update(is_active=False)
    counts.rebuild()
    back = services.transfer_arrive(
        actor=world.secretary_a,
        destination_org=world.branch_a,
        letter_number="3",
        origin_text="某单位",
        reason="回校工作",
        **{**fields, "id_number": id_number.lower()},
    )
    assert back.person_id == person.pk
    person.refresh_from_db()
    assert person.is_active and person.primary_org == world.branch_a
    assert Transfer.objects.filter(person=person).count() == 2
    with pytest.raises(PermissionDenied):
        services.transfer_arrive(
            actor=world.secretary_a,
            destination_org=world.branch_b,
            letter_number="4",
            origin_text="某单位",
            reason="x",
            **{**fields, "id_number": None, "name": "新人"},
        )
    with pytest.raises(ValidationError) as refused:
        services.transfer_arrive(
            actor=world.secretary_a,
            destination_org=world.branch_a,
            letter_number="",
            origin_text="",
            reason="x",
            **{**fields, "party_status": "masses"},
        )
    assert {"letter_number", "origin_text", "party_status"} <= set(refused.value.message_dict)


def test_graduates_batch_reports_each_row(world):
    students = [
        make_person(world.branch_b, name=f"毕业生{n}", category="student") for n in range(3)
    ]
    services.transfer_send(
        actor=world.secretary_b, person=students[1], destination_org=world.branch_a, reason="x"
    )
    rows = [services.BatchRow(p, "中共某市委组织部") for p in students]
    rows.append(services.BatchRow(world.member_a, "某地"))  # not the officer's member
    batch = services.transfer_batch_out(
        actor=world.secretary_b, organisation=world.branch_b, rows=rows, reason="毕业离校"
    )
    assert [r["ok"] for r in batch.results] == [True, False, True, False]
    assert "尚未办结" in batch.results[1]["message"]
    assert batch.transfers.count() == 2
    assert all(t.state == TransferState.AWAITING_SLIP for t in batch.transfers.all())
    with pytest.raises(PermissionDenied):
        services.transfer_batch_out(
            actor=world.secretary_a, organisation=world.branch_b, rows=rows, reason="x"
        )
