"""Every transition allowed and refused, and the person's Party status in step
(《基层组织建设实施意见》§四(三)1)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.development import services
from dangjian.development.models import (
    Case,
    CaseStatus,
    NoticePurpose,
    Stage,
    Vote,
    VotePurpose,
)
from dangjian.development.rules import add_months, probation_ends
from dangjian.org.models import StatusChange
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


def statuses(person):
    return list(
        StatusChange.objects.filter(person=person)
        .order_by("effective_on", "id")
        .values_list("to_status", flat=True)
    )


# --- step 1 --------------------------------------------------------------------------------


def test_create_on_the_18th_birthday_allowed_the_day_before_refused(world):
    # 《基层组织建设实施意见》§四(三)1(1)
    birth = timezone.localdate() - timedelta(days=365 * 20)
    eighteenth = birth.replace(year=birth.year + 18)
    person = make_person(world.branch_a, status="masses", birth_date=birth)
    with pytest.raises(ValidationError) as exc:
        services.case_create(
            actor=world.secretary_a, person=person, applied_on=eighteenth - timedelta(days=1)
        )
    assert "年满18周岁" in str(exc.value.message_dict["applied_on"])
    case = services.case_create(actor=world.secretary_a, person=person, applied_on=eighteenth)
    assert case.stage == Stage.APPLICATION and case.organisation == world.branch_a
    person.refresh_from_db()
    assert person.party_status == "applicant" and person.applied_on == eighteenth
    assert statuses(person) == ["applicant"]
    assert case.events.count() == 1
    assert AuditEvent.objects.filter(object_id=case.pk, action="create").exists()


def test_create_refused_for_members_open_cases_and_out_of_scope(world, applicant, t0):
    with pytest.raises(ValidationError):
        services.case_create(actor=world.secretary_a, person=world.member_a, applied_on=t0)
    services.case_create(actor=world.secretary_a, person=applicant, applied_on=t0)
    with pytest.raises(ValidationError) as exc:
        services.case_create(actor=world.secretary_a, person=applicant, applied_on=t0)
    assert "已有正在办理" in str(exc.value)
    other = make_person(world.branch_b, status="masses")
    with pytest.raises(PermissionDenied):
        services.case_create(actor=world.secretary_a, person=other, applied_on=t0)


def test_create_refused_in_the_future(world, applicant):
    with pytest.raises(ValidationError):
        services.case_create(
            actor=world.secretary_a,
            person=applicant,
            applied_on=timezone.localdate() + timedelta(days=1),
        )


# --- steps 2–4 -----------------------------------------------------------------------------


def test_steps_must_follow_the_order(world, advance):
    case = advance("applied")
    with pytest.raises(ValidationError) as exc:
        services.case_make_candidate(
            actor=world.secretary_a, case=case, on=advance.dates.candidate, exam_passed_on=None
        )
    assert "当前步骤" in str(exc.value)
    with pytest.raises(ValidationError):
        services.case_make_activist(
            actor=world.secretary_a, case=case, on=advance.dates.applied - timedelta(days=1)
        )


def test_activist_and_candidate_change_the_status(world, advance, applicant):
    case = advance("candidate")
    assert case.stage == Stage.CANDIDATE and case.exam_passed_on == advance.dates.exam
    applicant.refresh_from_db()
    assert applicant.party_status == "candidate"
    assert statuses(applicant) == ["applicant", "activist", "candidate"]


def test_candidate_without_the_exam_is_refused(world, advance):
    case = advance("activist")
    d = advance.dates
    with pytest.raises(ValidationError) as exc:
        services.case_make_candidate(
            actor=world.secretary_a, case=case, on=d.candidate, exam_passed_on=None
        )
    assert "党校考试" in str(exc.value.message_dict["exam_passed_on"])
    with pytest.raises(ValidationError):
        services.case_make_candidate(
            actor=world.secretary_a,
            case=case,
            on=d.candidate,
            exam_passed_on=d.candidate + timedelta(days=1),
        )


def test_cultivation_needs_the_notice_ended_and_objections_resolved(world, advance, sponsors):
    case = advance("candidate")
    d = advance.dates
    officer = world.secretary_a
    with pytest.raises(ValidationError) as exc:
        services.case_start_cultivation(
            actor=officer, case=case, on=d.cultivation, cultivators=[sponsors[0]]
        )
    assert "尚未进行培养考察对象公示" in str(exc.value)
    notice = services.notice_create(
        actor=officer, case=case, purpose=NoticePurpose.CANDIDATE, starts_on=d.notice_candidate
    )
    assert notice.ends_on == d.notice_candidate + timedelta(days=4)
    # on the notice's last day: still running
    with pytest.raises(ValidationError) as exc:
        services.case_start_cultivation(
            actor=officer, case=case, on=notice.ends_on, cultivators=[sponsors[0]]
        )
    assert "公示期满后" in str(exc.value)
    objection = services.objection_create(
        actor=officer, notice=notice, received_on=d.notice_candidate, content="反映学习态度问题"
    )
    after = notice.ends_on + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.case_start_cultivation(
            actor=officer, case=case, on=after, cultivators=[sponsors[0]]
        )
    assert "尚未核查处理" in str(exc.value)
    services.objection_resolve(
        actor=officer,
        objection=objection,
        resolved_on=after,
        resolution="经核查不属实",
        upheld=False,
    )
    with pytest.raises(ValidationError) as exc:
        services.case_start_cultivation(actor=officer, case=case, on=after, cultivators=[])
    assert "培养人" in str(exc.value.message_dict["cultivators"])
    case = services.case_start_cultivation(
        actor=officer, case=case, on=after, cultivators=[sponsors[0]]
    )
    assert case.stage == Stage.CULTIVATION and list(case.cultivators.all()) == [sponsors[0]]


def test_an_upheld_objection_stops_the_cultivation(world, advance, sponsors):
    case = advance("notice_candidate")
    notice = case.notices.get()
    objection = services.objection_create(
        actor=world.secretary_a, notice=notice, received_on=notice.starts_on, content="反映问题"
    )
    after = notice.ends_on + timedelta(days=1)
    services.objection_resolve(
        actor=world.secretary_a,
        objection=objection,
        resolved_on=after,
        resolution="属实",
        upheld=True,
    )
    with pytest.raises(ValidationError) as exc:
        services.case_start_cultivation(
            actor=world.secretary_a, case=case, on=after, cultivators=[sponsors[0]]
        )
    assert "属实" in str(exc.value)


def test_notice_shorter_than_the_setting_is_refused(world, advance):
    case = advance("candidate")
    start = advance.dates.notice_candidate
    with pytest.raises(ValidationError) as exc:
        services.notice_create(
            actor=world.secretary_a,
            case=case,
            purpose=NoticePurpose.CANDIDATE,
            starts_on=start,
            ends_on=start + timedelta(days=3),
        )
    assert "不少于5天" in str(exc.value)
    with override_settings(DEVELOPMENT_NOTICE_DAYS=7):
        notice = services.notice_create(
            actor=world.secretary_a, case=case, purpose=NoticePurpose.CANDIDATE, starts_on=start
        )
    assert notice.ends_on == start + timedelta(days=6)
    with pytest.raises(ValidationError):  # a target notice at step 3
        services.notice_create(
            actor=world.secretary_a, case=case, purpose=NoticePurpose.TARGET, starts_on=start
        )


# --- step 5 --------------------------------------------------------------------------------


def test_target_after_one_full_year_of_cultivation(world, advance, sponsors):
    case = advance("notice_target")
    start = advance.dates.cultivation
    anniversary = start.replace(year=start.year + 1)
    kwargs = {"committee_on": advance.dates.committee, "sponsors": sponsors}
    with pytest.raises(ValidationError) as exc:
        services.case_make_target(
            actor=world.secretary_a, case=case, on=anniversary - timedelta(days=1), **kwargs
        )
    assert "培养考察须满1年" in str(exc.value)
    case = services.case_make_target(
        actor=world.secretary_a,
        case=case,
        on=max(anniversary, advance.dates.notice_target + timedelta(days=5)),
        **kwargs,
    )
    assert case.stage == Stage.TARGET and case.target_committee_on == advance.dates.committee
    case.person.refresh_from_db()
    assert case.person.party_status == "target"


def test_target_sponsors_must_be_two_full_members(world, advance, sponsors, applicant):
    case = advance("notice_target")
    d = advance.dates
    probationary = make_person(world.branch_a, status="probationary")
    for bad in ([sponsors[0], probationary], [sponsors[0], applicant], [sponsors[0]]):
        with pytest.raises(ValidationError) as exc:
            services.case_make_target(
                actor=world.secretary_a,
                case=case,
                on=d.target,
                committee_on=d.committee,
                sponsors=bad,
            )
        assert "入党介绍人" in str(exc.value.message_dict["sponsors"])


def test_target_needs_the_target_notice(world, advance, sponsors):
    case = advance("cultivation")
    d = advance.dates
    with pytest.raises(ValidationError) as exc:
        services.case_make_target(
            actor=world.secretary_a,
            case=case,
            on=d.target,
            committee_on=d.committee,
            sponsors=sponsors,
        )
    assert "发展对象公示" in str(exc.value)


# --- step 6 --------------------------------------------------------------------------------


def _vote(world, case, on, should=20, present=11, favour=11, **kw):
    return services.vote_record(
        actor=world.secretary_a,
        case=case,
        purpose=VotePurpose.ADMISSION,
        held_on=on,
        should_attend=should,
        present=present,
        in_favour=favour,
        **kw,
    )


def test_failed_votes_are_recorded_and_the_case_stays(world, advance):
    case = advance("target")
    on = advance.dates.vote
    vote = _vote(world, case, on, present=10, favour=10)
    assert vote.passed is False and "半数" in vote.failure
    vote = _vote(world, case, on, present=11, favour=10)  # exactly half in favour
    assert vote.passed is False and "赞成10票" in vote.failure
    case.refresh_from_db()
    assert case.stage == Stage.TARGET and case.admitted_on is None
    assert Vote.objects.filter(case=case, passed=False).count() == 2
    vote = _vote(world, case, on, present=11, favour=11)
    assert vote.passed
    case.refresh_from_db()
    assert case.stage == Stage.ADMISSION and case.admitted_on == on
    # no status change until the general branch approves
    case.person.refresh_from_db()
    assert case.person.party_status == "target"


def test_inconsistent_vote_counts_are_refused(world, advance):
    case = advance("target")
    with pytest.raises(ValidationError) as exc:
        _vote(world, case, advance.dates.vote, present=21, favour=11)
    assert "present" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _vote(world, case, advance.dates.vote, present=11, favour=11, against=1)
    assert "in_favour" in exc.value.message_dict
    assert not Vote.objects.exists()


# --- steps 7–8 -----------------------------------------------------------------------------


def test_the_branch_secretary_is_refused_the_general_branch_steps(world, advance, sponsors):
    case = advance("vote")
    d = advance.dates
    with pytest.raises(PermissionDenied) as exc:
        services.case_record_talk(actor=world.secretary_a, case=case, on=d.talk, talker=sponsors[1])
    assert "党总支" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.case_record_talk(actor=world.secretary_b, case=case, on=d.talk, talker=sponsors[1])
    case = services.case_record_talk(
        actor=world.gb_secretary_a, case=case, on=d.talk, talker=sponsors[1]
    )
    with pytest.raises(PermissionDenied):
        services.case_approve(actor=world.secretary_a, case=case, on=d.approved)


def test_approval_only_after_the_talk(world, advance):
    case = advance("vote")
    with pytest.raises(ValidationError) as exc:
        services.case_approve(actor=world.gb_secretary_a, case=case, on=advance.dates.approved)
    assert "当前步骤" in str(exc.value)


def test_approval_makes_a_probationary_member_from_the_vote_date(world, advance, applicant):
    case = advance("approved")
    d = advance.dates
    assert case.status == CaseStatus.PROBATION and case.stage == Stage.PROBATION
    assert case.probation_ends_on == probation_ends(d.vote)
    applicant.refresh_from_db()
    assert applicant.party_status == "probationary"
    assert applicant.joined_on == d.vote and applicant.probation_starts_on == d.vote
    assert applicant.probation_ends_on == case.probation_ends_on
    assert statuses(applicant) == ["applicant", "activist", "candidate", "target", "probationary"]


# --- step 10 -------------------------------------------------------------------------------


def test_conversion_application_exactly_one_month_before_in_time_day_after_late(world, advance):
    case = advance("approved")
    end = case.probation_ends_on
    deadline = add_months(end, -1)
    case = services.case_apply_conversion(actor=world.secretary_a, case=case, on=deadline)
    assert case.conversion_late is False
    other = advance(
        "approved", person=make_person(world.branch_a, status="masses", birth_date=date(2000, 1, 1))
    )
    other = services.case_apply_conversion(
        actor=world.secretary_a, case=other, on=deadline + timedelta(days=1)
    )
    assert other.conversion_late is True
    assert "逾期" in other.events.order_by("-id").first().title


def test_conversion_steps_in_order_and_review_by_the_general_branch(world, advance):
    case = advance("applied_conversion")
    on = advance.dates.conversion_apply + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.case_conversion_step(actor=world.secretary_a, case=case, step="committee", on=on)
    assert "须先征求党内外意见" in str(exc.value)
    services.case_conversion_step(actor=world.secretary_a, case=case, step="opinions", on=on)
    services.case_conversion_step(actor=world.secretary_a, case=case, step="committee", on=on)
    with pytest.raises(PermissionDenied):
        services.case_conversion_step(actor=world.secretary_a, case=case, step="review", on=on)
    services.case_conversion_step(actor=world.gb_secretary_a, case=case, step="review", on=on)


def test_conversion_on_time(world, advance, applicant):
    case = advance("converted")
    assert case.status == CaseStatus.CONVERTED and case.stage == Stage.CONVERSION
    assert case.converted_on == case.probation_ends_on
    applicant.refresh_from_db()
    assert applicant.party_status == "full" and applicant.status_since == case.probation_ends_on
    assert statuses(applicant)[-1] == "full"


def test_conversion_approval_refused_without_a_passed_vote_or_by_the_branch(world, advance):
    case = advance("notice_conversion")
    on = case.probation_ends_on + timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.case_approve_conversion(actor=world.gb_secretary_a, case=case, on=on)
    assert "支部大会" in str(exc.value)
    case = Case.objects.get()
    services.vote_record(
        actor=world.secretary_a,
        case=case,
        purpose=VotePurpose.CONVERSION,
        held_on=case.probation_ends_on,
        should_attend=20,
        present=11,
        in_favour=11,
    )
    with pytest.raises(PermissionDenied):
        services.case_approve_conversion(actor=world.secretary_a, case=case, on=on)


def test_extension_of_exactly_one_year_allowed_longer_refused(world, advance, applicant):
    case = advance("approved")
    end = case.probation_ends_on
    limit = probation_ends(end)
    with pytest.raises(ValidationError) as exc:
        services.case_extend(
            actor=world.gb_secretary_a,
            case=case,
            on=end,
            until=limit + timedelta(days=1),
            reason="表现不够",
        )
    assert "不能超过一年" in str(exc.value.message_dict["until"])
    with pytest.raises(PermissionDenied):
        services.case_extend(
            actor=world.secretary_a, case=case, on=end, until=limit, reason="表现不够"
        )
    on = min(end, timezone.localdate())
    case = services.case_extend(
        actor=world.gb_secretary_a, case=case, on=on, until=limit, reason="表现不够"
    )
    assert case.status == CaseStatus.EXTENDED and case.probation_ends_on == limit
    applicant.refresh_from_db()
    assert applicant.party_status == "probationary"
    assert applicant.probation_ends_on == limit  # the person's record follows (one fact)


def test_cancel_the_probationary_membership(world, advance, applicant):
    case = advance("approved")
    on = advance.dates.approved + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        services.case_cancel(actor=world.secretary_a, case=case, on=on, reason="不履行义务")
    with pytest.raises(ValidationError):
        services.case_cancel(actor=world.gb_secretary_a, case=case, on=on, reason=" ")
    case = services.case_cancel(
        actor=world.gb_secretary_a, case=case, on=on, reason="不履行党员义务"
    )
    assert case.status == CaseStatus.CANCELLED and case.end_reason == "不履行党员义务"
    applicant.refresh_from_db()
    assert applicant.party_status == "masses"
    # a new dossier may be opened afterwards
    assert not Case.objects.filter(person=applicant, status__in=services.OPEN_STATUSES).exists()


def test_the_branch_may_stop_an_applicant(world, advance, applicant):
    case = advance("activist")
    case = services.case_cancel(
        actor=world.secretary_a, case=case, on=advance.dates.activist, reason="本人申请撤回"
    )
    assert case.status == CaseStatus.CANCELLED


def test_probation_reports(world, advance):
    case = advance("approved")
    report = services.probation_report_create(
        actor=world.secretary_a,
        case=case,
        kind="sponsor",
        submitted_on=advance.dates.vote + timedelta(days=40),
        summary="汇报思想",
    )
    assert report.case == case
    with pytest.raises(ValidationError):
        services.probation_report_create(
            actor=world.secretary_a,
            case=case,
            kind="sponsor",
            submitted_on=advance.dates.vote - timedelta(days=1),
            summary="早于预备期",
        )


def test_other_branch_officer_and_member_are_refused(world, advance):
    case = advance("applied")
    with pytest.raises(PermissionDenied):
        services.case_make_activist(actor=world.secretary_b, case=case, on=advance.dates.activist)
    member = make_user(case.person)
    with pytest.raises(PermissionDenied):
        services.case_make_activist(actor=member, case=case, on=advance.dates.activist)


def test_stage_definitions_are_seeded_and_editable_by_the_department(world):
    from dangjian.development.models import StageDefinition

    assert StageDefinition.objects.count() == 10
    first = StageDefinition.objects.get(stage=1)
    assert "入党申请书" in first.documents
    with pytest.raises(PermissionDenied):
        services.stage_definition_update(
            actor=world.secretary_a, definition=first, name="x", description="", documents=""
        )
    services.stage_definition_update(
        actor=world.org_officer,
        definition=first,
        name="递交入党申请书",
        description="d",
        documents="入党申请书",
    )
    first.refresh_from_db()
    assert first.name == "递交入党申请书"


def test_a_step_is_recorded_as_its_named_event(world, advance):
    case = advance("activist")
    row = AuditEvent.objects.get(object_id=case.pk, event="development.made_activist")
    assert row.label == "确定为入党积极分子" and row.actor == world.secretary_a
