"""Builders for the development tests: a case driven through the pipeline with past dates
(statuses cannot change in the future), on top of tests/conftest.py's `world`."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dangjian.development import services
from dangjian.development.models import NoticePurpose, VotePurpose
from tests.factories import make_person

ORDER = [
    "applied",
    "activist",
    "candidate",
    "notice_candidate",
    "cultivation",
    "notice_target",
    "target",
    "vote",
    "talk",
    "approved",
    "applied_conversion",
    "reviewed",
    "notice_conversion",
    "vote_conversion",
    "converted",
]


@pytest.fixture
def t0():
    """Three and a half years ago: the whole pipeline fits before today."""
    return timezone.localdate() - timedelta(days=365 * 3 + 180)


@pytest.fixture
def applicant(world):
    return make_person(world.branch_a, status="masses", name="孙申请", birth_date=date(2000, 1, 1))


@pytest.fixture
def sponsors(world):
    return [make_person(world.branch_a, name=f"介绍人{i}") for i in (1, 2)]


@pytest.fixture
def advance(world, applicant, sponsors, t0):
    """advance(until) → a case driven through the steps up to `until` (see ORDER)."""
    d = SimpleNamespace(
        applied=t0,
        activist=t0 + timedelta(days=30),
        exam=t0 + timedelta(days=60),
        candidate=t0 + timedelta(days=70),
        notice_candidate=t0 + timedelta(days=71),
        cultivation=t0 + timedelta(days=80),
        committee=t0 + timedelta(days=450),
        notice_target=t0 + timedelta(days=451),
        target=t0 + timedelta(days=460),
        vote=t0 + timedelta(days=470),
        talk=t0 + timedelta(days=480),
        approved=t0 + timedelta(days=490),
    )
    officer, above = world.secretary_a, world.gb_secretary_a

    def run(until, person=None):
        person = person or applicant
        steps = ORDER[: ORDER.index(until) + 1]
        case = services.case_create(actor=officer, person=person, applied_on=d.applied)
        for step in steps[1:]:
            if step == "activist":
                case = services.case_make_activist(actor=officer, case=case, on=d.activist)
            elif step == "candidate":
                case = services.case_make_candidate(
                    actor=officer, case=case, on=d.candidate, exam_passed_on=d.exam
                )
            elif step == "notice_candidate":
                services.notice_create(
                    actor=officer,
                    case=case,
                    purpose=NoticePurpose.CANDIDATE,
                    starts_on=d.notice_candidate,
                )
            elif step == "cultivation":
                case = services.case_start_cultivation(
                    actor=officer, case=case, on=d.cultivation, cultivators=[sponsors[0]]
                )
            elif step == "notice_target":
                services.notice_create(
                    actor=officer,
                    case=case,
                    purpose=NoticePurpose.TARGET,
                    starts_on=d.notice_target,
                )
            elif step == "target":
                case = services.case_make_target(
                    actor=officer,
                    case=case,
                    on=d.target,
                    committee_on=d.committee,
                    sponsors=sponsors,
                )
            elif step == "vote":
                services.vote_record(
                    actor=officer,
                    case=case,
                    purpose=VotePurpose.ADMISSION,
                    held_on=d.vote,
                    should_attend=20,
                    present=15,
                    in_favour=15,
                )
            elif step == "talk":
                case = services.case_record_talk(
                    actor=above, case=case, on=d.talk, talker=sponsors[1]
                )
            elif step == "approved":
                case = services.case_approve(actor=above, case=case, on=d.approved)
                case.refresh_from_db()
                d.probation_ends = case.probation_ends_on
                d.conversion_apply = case.probation_ends_on - timedelta(days=40)
            elif step == "applied_conversion":
                services.case_apply_conversion(actor=officer, case=case, on=d.conversion_apply)
            elif step == "reviewed":
                on = d.conversion_apply + timedelta(days=1)
                services.case_conversion_step(actor=officer, case=case, step="opinions", on=on)
                services.case_conversion_step(actor=officer, case=case, step="committee", on=on)
                services.case_conversion_step(actor=above, case=case, step="review", on=on)
                d.reviewed = on
            elif step == "notice_conversion":
                services.notice_create(
                    actor=officer,
                    case=case,
                    purpose=NoticePurpose.CONVERSION,
                    starts_on=d.reviewed + timedelta(days=1),
                )
            elif step == "vote_conversion":
                services.vote_record(
                    actor=officer,
                    case=case,
                    purpose=VotePurpose.CONVERSION,
                    held_on=d.probation_ends,
                    should_attend=20,
                    present=12,
                    in_favour=11,
                )
            elif step == "converted":
                services.case_approve_conversion(
                    actor=above, case=case, on=d.probation_ends + timedelta(days=3)
                )
            case.refresh_from_db()
        return case

    run.dates = d
    return run
