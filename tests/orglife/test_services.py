"""Meetings with attendance and study records kept in sync; trainings; rules; rights."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.audit import events_for
from dangjian.orglife import selectors, services
from dangjian.orglife.models import Attendance, FrequencyRule, StudyRecord
from tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def test_default_rules_seeded_by_migration():
    # 《基层组织建设实施意见》§四(二)3(2)
    student = FrequencyRule.objects.get(name="学生党支部组织生活")
    assert (student.period, student.min_count, student.min_minutes) == ("month", 2, 120)
    assert "general" in student.kinds and "committee" not in student.kinds
    assert FrequencyRule.objects.get(name="机关党支部组织生活").min_count == 1
    assert FrequencyRule.objects.get(name="离退休党支部组织生活").branch_category == "retiree"
    gb = FrequencyRule.objects.filter(org_kind="general_branch")
    assert gb.count() == 7 and all(r.min_minutes == 60 for r in gb)


def test_members_of_a_branch_include_its_groups(world):
    in_group = make_person(world.group_a, name="小组党员")
    make_person(world.branch_a, name="群众", status="masses")
    ids = set(selectors.members_of(world.branch_a).values_list("pk", flat=True))
    assert world.member_a.pk in ids and in_group.pk in ids
    assert world.secretary_a.person_id in ids
    assert world.member_b.pk not in ids
    assert len(ids) == 3


def test_meeting_default_everyone_present_and_audited(world, make_meeting):
    meeting = make_meeting(study_hours=Decimal("2"))
    rows = {a.person_id: a.status for a in meeting.attendance.all()}
    assert rows == {world.member_a.pk: "present", world.secretary_a.person_id: "present"}
    assert meeting.duration_minutes == 120
    assert StudyRecord.objects.filter(meeting=meeting).count() == 2
    event = next(e for e in events_for(meeting) if e.action == "create")
    assert event.changes["出席情况"][1].startswith("出席2人")


def test_study_records_follow_attendance(world, make_meeting):
    sec = world.secretary_a.person_id
    meeting = make_meeting(
        study_hours=Decimal("1.5"),
        integrity=True,
        attendance=[
            {"person_id": world.member_a.pk, "status": "excused"},
            {"person_id": sec, "status": "present"},
        ],
    )
    assert list(
        StudyRecord.objects.filter(meeting=meeting).values_list("person_id", flat=True)
    ) == [sec]
    record = StudyRecord.objects.get(meeting=meeting)
    assert record.integrity and record.hours == Decimal("1.5") and record.category == "integrity"
    # The excused member makes it up: credited on the make-up date.
    services.meeting_update(
        actor=world.secretary_a,
        meeting=meeting,
        attendance=[
            {"person_id": world.member_a.pk, "status": "excused", "makeup_on": date(2025, 3, 20)},
            {"person_id": sec, "status": "absent"},
        ],
    )
    records = StudyRecord.objects.filter(meeting=meeting)
    assert [(r.person_id, r.studied_on) for r in records] == [
        (world.member_a.pk, date(2025, 3, 20))
    ]
    # No hours any more: the records go.
    services.meeting_update(actor=world.secretary_a, meeting=meeting, study_hours=Decimal("0"))
    assert not StudyRecord.objects.filter(meeting=meeting).exists()
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert sum(e.action == "update" for e in events_for(meeting)) == 2


def test_meeting_validation_messages(world, make_meeting):
    with pytest.raises(ValidationError) as exc:
        make_meeting(minutes=0)
    assert exc.value.message_dict["ends_at"] == ["结束时间应晚于开始时间。"]
    with pytest.raises(ValidationError) as exc:
        make_meeting(held_on=date(2999, 1, 1))
    assert "held_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_meeting(attendance=[{"person_id": world.member_b.pk, "status": "present"}])
    assert "不是本组织的党员" in exc.value.message_dict["attendance"][0]
    with pytest.raises(ValidationError) as exc:
        make_meeting(
            attendance=[
                {
                    "person_id": world.member_a.pk,
                    "status": "present",
                    "makeup_on": date(2025, 3, 11),
                }
            ]
        )
    assert "无需填写补课日期" in exc.value.message_dict["attendance"][0]
    with pytest.raises(ValidationError) as exc:
        make_meeting(
            attendance=[
                {"person_id": world.member_a.pk, "status": "absent", "makeup_on": date(2025, 3, 1)}
            ]
        )
    assert "补课日期不能早于会议日期" in exc.value.message_dict["attendance"][0]
    with pytest.raises(ValidationError):
        make_meeting(attendance=[{"person_id": world.member_a.pk, "status": "late"}])


def test_meeting_rights(world, make_meeting):
    with pytest.raises(PermissionDenied):
        make_meeting(actor=world.secretary_b)
    with pytest.raises(PermissionDenied):
        make_meeting(actor=world.member_user)
    meeting = make_meeting(actor=world.gb_secretary_a)  # the level above records too
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=world.secretary_b, meeting=meeting, topic="改")
    services.meeting_delete(actor=world.secretary_a, meeting=meeting)


def test_former_member_stays_on_edited_attendance(world, make_meeting):
    meeting = make_meeting()
    world.member_a.primary_org = world.branch_b
    world.member_a.save()
    services.meeting_update(
        actor=world.secretary_a,
        meeting=meeting,
        attendance=[{"person_id": world.member_a.pk, "status": "absent"}],
    )
    assert meeting.attendance.get().status == "absent"


def test_rule_update_only_by_department(world):
    rule = FrequencyRule.objects.get(name="教工党支部组织生活")
    with pytest.raises(PermissionDenied) as exc:
        services.rule_update(actor=world.gb_secretary_a, rule=rule, min_count=2)
    assert "组织部" in str(exc.value)
    with pytest.raises(ValidationError):
        services.rule_update(actor=world.org_officer, rule=rule, min_count=0)
    services.rule_update(actor=world.org_officer, rule=rule, min_count=2, min_minutes=90)
    rule.refresh_from_db()
    assert (rule.min_count, rule.min_minutes) == (2, 90)


def _training(world, participants, **fields):
    fields.setdefault("title", "党的二十大精神专题培训")
    fields.setdefault("category", "theory")
    fields.setdefault("starts_on", date(2025, 5, 1))
    fields.setdefault("ends_on", date(2025, 5, 2))
    fields.setdefault("hours", Decimal("8"))
    return services.training_create(
        actor=fields.pop("actor", world.secretary_a),
        organisation=fields.pop("organisation", world.branch_a),
        participants=participants,
        **fields,
    )


def test_training_records_follow_participants(world):
    sec = world.secretary_a.person
    training = _training(world, [world.member_a], category="integrity")
    record = StudyRecord.objects.get(training=training)
    assert record.integrity and record.studied_on == date(2025, 5, 2)
    services.training_update(
        actor=world.secretary_a, training=training, participants=[sec.pk], hours=Decimal("6")
    )
    assert [(r.person_id, r.hours) for r in StudyRecord.objects.filter(training=training)] == [
        (sec.pk, Decimal("6"))
    ]
    with pytest.raises(ValidationError) as exc:
        services.training_update(
            actor=world.secretary_a, training=training, participants=[world.member_b.pk]
        )
    assert "participants" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _training(world, [], ends_on=date(2025, 4, 1))
    assert exc.value.message_dict["ends_on"] == ["结束日期不能早于开始日期。"]
    services.training_delete(actor=world.secretary_a, training=training)
    assert not StudyRecord.objects.exists()


def test_individual_study_record(world):
    record = services.study_record_create(
        actor=world.secretary_a,
        person=world.member_a,
        studied_on=date(2025, 6, 1),
        title="网络学院：党章学习",
        category="theory",
        hours=Decimal("3"),
    )
    assert record.recorded_by == world.secretary_a
    with pytest.raises(PermissionDenied):
        services.study_record_create(
            actor=world.secretary_b,
            person=world.member_a,
            studied_on=date(2025, 6, 1),
            title="x",
            category="theory",
            hours=Decimal("1"),
        )
    with pytest.raises(ValidationError):
        services.study_record_create(
            actor=world.secretary_a,
            person=world.member_a,
            studied_on=date(2025, 6, 1),
            title="x",
            category="theory",
            hours=Decimal("0"),
        )
    services.study_record_delete(actor=world.secretary_a, record=record)


def test_generated_records_are_not_deleted_alone(world, make_meeting):
    meeting = make_meeting(study_hours=Decimal("1"))
    record = StudyRecord.objects.filter(meeting=meeting).first()
    with pytest.raises(ValidationError):
        services.study_record_delete(actor=world.secretary_a, record=record)


def test_hours_table_requirement_and_shortfall(world):
    retiree_branch = make_org(world.gb_a, name="离退休一支部", category="retiree")
    retiree = make_person(retiree_branch, category="retiree")
    student = make_person(world.branch_b, category="student")
    _training(world, [world.member_a], hours=Decimal("20"))
    _training(world, [world.member_a], hours=Decimal("3.5"), category="integrity", integrity=True)
    rows = {r.person.pk: r for r in selectors.hours_table(world.committee, 2025)}
    a = rows[world.member_a.pk]
    assert (a.total, a.integrity) == (Decimal("23.5"), Decimal("3.5"))
    assert (a.shortfall.total, a.shortfall.integrity) == (Decimal("0.5"), Decimal("0.5"))
    assert rows[student.pk].requirement.total == 16
    assert rows[retiree.pk].requirement is None and not rows[retiree.pk].shortfall.any


def test_secretary_checks(world):
    from dangjian.org.models import Position

    new_sec = make_person(world.branch_b, name="新书记")
    Position.objects.filter(organisation=world.branch_b).update(ends_on=date(2025, 2, 28))
    Position.objects.create(
        person=new_sec, organisation=world.branch_b, title="secretary", starts_on=date(2025, 3, 15)
    )
    services.training_create(
        actor=world.org_officer,
        organisation=world.committee,
        participants=[new_sec.pk],
        kind="appointment",
        title="新任书记任职培训",
        category="party_spirit",
        starts_on=date(2025, 9, 14),
        ends_on=date(2025, 9, 15),
        hours=Decimal("16"),
    )
    services.training_create(
        actor=world.org_officer,
        organisation=world.committee,
        participants=[world.secretary_a.person_id],
        kind="secretary",
        title="书记集中轮训",
        category="party_spirit",
        starts_on=date(2025, 7, 2),
        ends_on=date(2025, 7, 3),
        hours=Decimal("8"),
    )
    today = date(2025, 10, 1)
    checks = {
        c.position.person_id: c
        for c in selectors.secretary_checks(selectors.secretary_positions(None, today), today)
    }
    a = checks[world.secretary_a.person_id]
    assert a.half_year.state == "done" and a.practice.state == "due" and a.appointment is None
    b = checks[new_sec.pk]
    assert b.appointment.state == "done" and b.half_year.state == "due"
