"""Historical development dossiers: the dates of the steps already completed, checked against
the order and intervals of 《基层组织建设实施意见》§四(三)1."""

from datetime import date

import pytest

from dangjian.core.models import DataImport
from dangjian.development import rules
from dangjian.development.models import Case, CaseStatus, Stage
from dangjian.org.models import PartyStatus
from tests.factories import make_person
from tests.imports.conftest import errors_of

from .conftest import *  # noqa: F403 (fixtures)

FULL = {
    "applied_on": date(2021, 10, 8),
    "activist_on": date(2022, 3, 15),
    "exam_passed_on": date(2022, 6, 20),
    "candidate_on": date(2022, 9, 1),
    "cultivation_starts_on": date(2022, 9, 10),
    "target_on": date(2023, 9, 12),
    "admitted_on": date(2023, 10, 20),
    "talk_on": date(2023, 11, 2),
    "approved_on": date(2023, 11, 15),
    "converted_on": date(2024, 10, 20),
}
TODAY = date(2025, 1, 1)


def test_history_rules_boundaries():
    assert rules.history_errors(FULL, birth=date(2000, 1, 1), today=TODAY) == {}
    # a year of cultivation: the anniversary allowed, the day before refused (§四(三)1(5))
    short = FULL | {"target_on": date(2023, 9, 9)}
    assert (
        "培养考察须满1年"
        in rules.history_errors(short, birth=date(2000, 1, 1), today=TODAY)["target_on"]
    )
    ok = FULL | {"target_on": date(2023, 9, 10)}
    assert rules.history_errors(ok, birth=date(2000, 1, 1), today=TODAY) == {}
    # conversion only when the probation has ended (§四(三)1(10))
    early = FULL | {"converted_on": date(2024, 10, 19)}
    assert (
        "期满后方可批准转正"
        in rules.history_errors(early, birth=date(2000, 1, 1), today=TODAY)["converted_on"]
    )
    # 18 on applying, the birthday counting (§四(三)1(1))
    assert rules.history_errors(FULL, birth=date(2003, 10, 8), today=TODAY) == {}
    young = rules.history_errors(FULL, birth=date(2003, 10, 9), today=TODAY)
    assert "年满18周岁" in young["applied_on"]
    # no step skipped; no date before the previous step's
    gap = {k: v for k, v in FULL.items() if k != "candidate_on"}
    assert (
        "逐步办理" in rules.history_errors(gap, birth=date(2000, 1, 1), today=TODAY)["candidate_on"]
    )
    back = FULL | {"activist_on": date(2021, 10, 7)}
    assert (
        "不能早于" in rules.history_errors(back, birth=date(2000, 1, 1), today=TODAY)["activist_on"]
    )
    assert rules.history_stage(FULL) == 10
    assert rules.history_stage({"applied_on": TODAY}) == 1


def _row(**values):
    base = {"name": "周学生", "staff_number": "S001"} | {
        k: v.isoformat() for k, v in FULL.items() if k not in ("talk_on", "approved_on")
    }
    base.pop("converted_on")
    base.pop("admitted_on")
    return base | values


@pytest.fixture
def applicant(world):
    return make_person(
        world.branch_a,
        status="masses",
        name="周学生",
        staff_number="S001",
        birth_date=date(2002, 1, 1),
    )


def test_happy_path_up_to_target(world, applicant, run_import):
    job = run_import("dossiers", world.secretary_a, [_row(note="纸质档案")])
    assert job.state == DataImport.State.DONE, job.errors
    case = Case.objects.get(person=applicant)
    assert case.stage == Stage.TARGET and case.status == CaseStatus.ACTIVE
    assert case.target_on == FULL["target_on"]
    assert case.events.count() == 6
    applicant.refresh_from_db()
    assert applicant.party_status == PartyStatus.TARGET


def test_full_history_needs_the_general_branch(world, applicant, run_import):
    full = _row(
        admitted_on="2023-10-20",
        talk_on="2023-11-02",
        approved_on="2023-11-15",
        converted_on="2024-10-20",
    )
    refused = run_import("dossiers", world.secretary_a, [full])
    assert refused.state == DataImport.State.INVALID
    assert "党总支" in refused.errors[0]["message"]
    job = run_import("dossiers", world.gb_secretary_a, [full])
    assert job.state == DataImport.State.DONE, job.errors
    case = Case.objects.get(person=applicant)
    assert case.status == CaseStatus.CONVERTED and case.probation_ends_on == date(2024, 10, 20)
    applicant.refresh_from_db()
    assert applicant.party_status == PartyStatus.FULL and applicant.joined_on == date(2023, 10, 20)


def test_a_row_breaking_a_rule_names_it_and_nothing_is_imported(world, applicant, run_import):
    other = make_person(
        world.branch_a,
        status="masses",
        name="吴学生",
        staff_number="S002",
        birth_date=date(2002, 1, 1),
    )
    job = run_import(
        "dossiers",
        world.secretary_a,
        [
            _row(),
            _row(name="吴学生", staff_number="S002", target_on="2023-09-09"),  # 3: < one year
            _row(name="吴学生", staff_number="S002", applied_on=""),  # 4: required, repeated
        ],
    )
    assert job.state == DataImport.State.INVALID
    assert errors_of(job) == [(3, "确定为发展对象日期"), (4, "姓名")]
    assert "《基层组织建设实施意见》§四(三)1(5)" in job.errors[0]["message"]
    assert not Case.objects.filter(person__in=[applicant, other]).exists()
    applicant.refresh_from_db()
    assert applicant.party_status == PartyStatus.MASSES
