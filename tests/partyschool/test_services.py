"""The Party school's services: hours credited by attendance through orglife (never twice),
the exam recorded on the development case (step 3 checks it), rights and rules."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditEvent
from dangjian.development import services as development
from dangjian.development.models import Stage
from dangjian.orglife import services as orglife
from dangjian.orglife.models import StudyRecord
from dangjian.partyschool import services
from dangjian.partyschool.models import ExamResult


def _session(s, days_ago=5, hours="4", topic="党章学习"):
    return services.session_create(
        actor=s.officer,
        training=s.training,
        held_on=s.today - timedelta(days=days_ago),
        topic=topic,
        hours=D(hours),
    )


def _hours(person):
    return sum((r.hours for r in StudyRecord.objects.filter(person=person)), D(0))


# --- hours ---------------------------------------------------------------------------------


def test_without_sessions_every_participant_gets_the_training_hours(school):
    assert _hours(school.activist) == D("16")
    assert _hours(school.other) == D("16")


def test_attendance_credits_each_session_once(school):
    first = _session(school, days_ago=10, hours="4")
    second = _session(school, days_ago=5, hours="3", topic="党的历史")
    # A class with sessions credits by attendance only: nothing until attendance is taken.
    assert _hours(school.activist) == 0
    services.attendance_record(actor=school.officer, session=first, present=[school.activist])
    services.attendance_record(
        actor=school.officer, session=second, present=[school.activist, school.other]
    )
    assert _hours(school.activist) == D("7")
    assert _hours(school.other) == D("3")
    # Correcting the attendance replaces, never adds.
    services.attendance_record(
        actor=school.officer, session=second, present=[school.activist, school.other]
    )
    services.attendance_record(actor=school.officer, session=first, present=[school.other])
    assert _hours(school.activist) == D("3")
    assert _hours(school.other) == D("7")
    record = StudyRecord.objects.get(person=school.other, studied_on=first.held_on)
    assert record.training_id == school.training.pk
    assert record.title == "2026年春季入党积极分子培训班：党章学习"
    event = AuditEvent.objects.filter(event="partyschool.attendance_recorded").last()
    assert event is not None


def test_deleting_a_session_takes_its_hours_back(school):
    first = _session(school)
    services.attendance_record(actor=school.officer, session=first, present=[school.activist])
    services.session_delete(actor=school.officer, session=first)
    # No session left: the class credits its hours to every participant again.
    assert _hours(school.activist) == D("16")


def test_a_session_entered_by_hand_is_not_counted_twice(school, world):
    session = _session(school)
    orglife.study_record_create(
        actor=world.secretary_a,
        person=school.activist,
        studied_on=session.held_on,
        title=session.record_title,
        category="party_spirit",
        hours=D("4"),
    )
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=school.officer, session=session, present=[school.activist])
    assert "孙积极" in str(exc.value) and "不重复计算" in str(exc.value)
    assert _hours(school.activist) == D("4")


def test_a_hand_entry_of_a_credited_session_is_refused(school, world):
    session = _session(school)
    services.attendance_record(actor=school.officer, session=session, present=[school.activist])
    for title in (session.record_title, school.training.title):
        with pytest.raises(ValidationError) as exc:
            orglife.study_record_create(
                actor=world.secretary_a,
                person=school.activist,
                studied_on=session.held_on,
                title=title,
                category="party_spirit",
                hours=D("4"),
            )
        assert "不能重复登记" in str(exc.value)


def test_session_outside_the_class_is_refused(school):
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=school.officer,
            training=school.training,
            held_on=school.start - timedelta(days=1),
            topic="x",
            hours=D("2"),
        )
    assert "held_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _session(school, hours="9")
    assert "hours" in exc.value.message_dict


def test_only_trainees_attend(school, world):
    session = _session(school)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=school.officer, session=session, present=[world.member_a])
    assert "present" in exc.value.message_dict


def test_rights(school, world):
    with pytest.raises(PermissionDenied):
        _session(school.__class__(**{**vars(school), "officer": world.secretary_b}))
    with pytest.raises(PermissionDenied):
        services.result_create(
            actor=world.member_user,
            training=school.training,
            person=school.activist,
            taken_on=school.today,
            score=D("90"),
        )
    # branch_a's secretary is below the general branch that runs the class: not theirs.
    with pytest.raises(PermissionDenied):
        _session(school.__class__(**{**vars(school), "officer": world.secretary_a}))


# --- the exam and development --------------------------------------------------------------


def _result(s, score, person=None, taken_on=None):
    return services.result_create(
        actor=s.officer,
        training=s.training,
        person=person or s.activist,
        taken_on=taken_on or s.today - timedelta(days=1),
        score=D(score),
    )


def test_a_pass_is_recorded_on_the_case_and_step_3_then_proceeds(school):
    result = _result(school, "60")
    assert result.passed and result.pass_mark == D("60")
    school.case.refresh_from_db()
    assert school.case.exam_passed_on == result.taken_on
    assert school.case.exam_score == D("60")
    assert school.case.events.filter(title__contains="党校考试合格").exists()
    case = development.case_make_candidate(
        actor=school.officer,
        case=school.case,
        on=school.today,
        exam_passed_on=school.case.exam_passed_on,
        exam_score=school.case.exam_score,
    )
    assert case.stage == Stage.CANDIDATE


def test_a_fail_is_not_recorded_and_step_3_is_refused(school):
    result = _result(school, "59.5")
    assert not result.passed
    school.case.refresh_from_db()
    assert school.case.exam_passed_on is None
    with pytest.raises(ValidationError) as exc:
        development.case_make_candidate(
            actor=school.officer, case=school.case, on=school.today, exam_passed_on=None
        )
    assert "党校考试" in str(exc.value)


def test_a_correction_to_fail_withdraws_the_pass(school):
    result = _result(school, "75")
    services.result_update(actor=school.officer, result=result, score=D("55"))
    school.case.refresh_from_db()
    assert school.case.exam_passed_on is None and school.case.exam_score is None
    services.result_update(actor=school.officer, result=result, score=D("80"))
    school.case.refresh_from_db()
    assert school.case.exam_score == D("80")
    services.result_delete(actor=school.officer, result=result)
    school.case.refresh_from_db()
    assert school.case.exam_passed_on is None


def test_the_pass_mark_is_a_setting(school, settings):
    settings.PARTYSCHOOL_PASS_MARK = D("70")
    assert not _result(school, "65").passed


def test_a_pass_before_the_activist_date_is_refused_by_development(school):
    # The activist was appointed ten days after the class began (the fixture: on start - 10
    # days, so move it later); an exam before that date cannot count (§四(三)1(3)).
    school.case.activist_on = school.start + timedelta(days=5)
    school.case.save()
    with pytest.raises(ValidationError) as exc:
        _result(school, "90", taken_on=school.start + timedelta(days=1))
    assert "入党积极分子的日期" in str(exc.value)
    assert not ExamResult.objects.exists()


def test_a_non_trainee_or_a_second_result_is_refused(school, world):
    with pytest.raises(ValidationError) as exc:
        _result(school, "90", person=world.member_a)
    assert "person" in exc.value.message_dict
    _result(school, "90")
    with pytest.raises(ValidationError) as exc:
        _result(school, "95")
    assert "补考" in str(exc.value)


def test_other_classes_do_not_touch_the_case(school):
    school.training.kind = "target"
    school.training.save()
    _result(school, "90")
    school.case.refresh_from_db()
    assert school.case.exam_passed_on is None


def test_a_case_past_step_3_is_left_alone(school, world):
    development.case_make_candidate(
        actor=world.secretary_a,
        case=school.case,
        on=school.today - timedelta(days=2),
        exam_passed_on=school.today - timedelta(days=3),
    )
    _result(school, "90")
    school.case.refresh_from_db()
    assert school.case.exam_passed_on == school.today - timedelta(days=3)
