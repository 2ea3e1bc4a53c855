"""The steps of 联述联评联考 as services: order, rights, the survey minimum, weights, audit, and
what the published result feeds (the branch grading, the secretaries' grades)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from dangjian.assessment import selectors as assessment_selectors
from dangjian.branches import selectors as branches_selectors
from dangjian.core.models import AuditEvent
from dangjian.review import events, services
from dangjian.review.models import ReportState, ReviewRound, RoundState, SecretaryReport
from dangjian.surveys.models import SurveyKind, SurveyState
from tests.factories import make_officer, make_org
from tests.review.conftest import TEXT

pytestmark = pytest.mark.django_db
D = Decimal


def test_round_opens_one_report_per_branch_with_a_secretary(world, today):
    make_org(world.gb_b, name="无书记支部", code="BX")
    round_ = services.round_create(
        actor=world.org_officer, organisation=world.committee, year=today.year, level="branch"
    )
    reports = SecretaryReport.objects.filter(round=round_).order_by("organisation__path")
    assert [(r.organisation, r.secretary) for r in reports] == [
        (world.branch_a, world.secretary_a.person),
        (world.branch_b, world.secretary_b.person),
    ]
    assert round_.due_on == date(today.year, 12, 31)
    assert (round_.weight_masses, round_.weight_review) == (40, 60)
    event = AuditEvent.objects.get(event=events.ROUND_CREATED.name)
    assert "无书记支部" in event.note


def test_general_branch_round_and_its_limits(world, today):
    round_ = services.round_create(
        actor=world.org_officer,
        organisation=world.committee,
        year=today.year,
        level="general_branch",
    )
    assert [r.organisation for r in round_.reports.order_by("organisation__path")] == [world.gb_a]
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=world.gb_secretary_a,
            organisation=world.gb_a,
            year=today.year,
            level="general_branch",
        )
    assert "党委" in exc.value.message_dict["level"][0]
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=world.org_officer,
            organisation=world.committee,
            year=today.year,
            level="general_branch",
        )
    assert "已经组织" in exc.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=world.secretary_a, organisation=world.branch_a, year=today.year, level="branch"
        )
    assert "党委或党总支" in exc.value.message_dict["organisation"][0]
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=world.org_officer,
            organisation=world.committee,
            year=today.year + 2,
            level="branch",
        )
    assert "year" in exc.value.message_dict


def test_general_branch_organises_its_own_branches_only(world, today):
    round_ = services.round_create(
        actor=world.gb_secretary_a, organisation=world.gb_a, year=today.year, level="branch"
    )
    assert [r.organisation for r in round_.reports.all()] == [world.branch_a]
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=world.secretary_b, organisation=world.gb_a, year=today.year - 1, level="branch"
        )


def test_the_whole_workflow(world, report_a, rate, today):
    report = services.report_submit(actor=world.secretary_a, report=report_a, text=TEXT)
    assert report.state == ReportState.REPORTED and report.submitted_on == today
    survey = rate(report, ballots=3, rating="excellent")  # 95 each
    assert survey.kind == SurveyKind.MEMBER_RATING
    assert list(survey.subjects.all()) == [world.secretary_a.person]
    assert survey.organisation == world.branch_a and survey.min_responses == 3
    report.refresh_from_db()
    assert report.state == ReportState.RATING and report.survey == survey
    report = services.report_review(
        actor=world.gb_secretary_a, report=report, score=D("85"), comment="较好"
    )
    assert report.masses_score == D("95.00") and report.masses_responses == 3
    assert report.total == D("89.0")  # 95 × 40% + 85 × 60%
    assert report.grade == "称职"
    survey.refresh_from_db()
    assert survey.state == SurveyState.CLOSED  # the review closes the rating
    names = set(AuditEvent.objects.filter(object_id=report.pk).values_list("event", flat=True))
    assert {
        events.REPORT_SUBMITTED.name,
        events.RATING_OPENED.name,
        events.REPORT_REVIEWED.name,
    } <= names


@override_settings(REVIEW_WEIGHTS=(50, 50), REVIEW_GRADE_BANDS=((85, "好"), (0, "一般")))
def test_weights_and_bands_are_settings(world, today, review):
    round_ = services.round_create(
        actor=world.gb_secretary_a, organisation=world.gb_a, year=today.year - 1, level="branch"
    )
    report = round_.reports.get()
    assert (round_.weight_masses, round_.weight_review) == (50, 50)
    report = review(report, score=75, rating="excellent")
    assert report.total == D("85.0") and report.grade == "好"


def test_steps_out_of_order_are_refused_naming_the_rule(world, report_a, today, submit, rate):
    with pytest.raises(ValidationError) as exc:
        services.rating_open(
            actor=world.gb_secretary_a, report=report_a, opens_on=today, closes_on=today
        )
    assert "联述" in exc.value.message_dict["opens_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.report_review(actor=world.gb_secretary_a, report=report_a, score=90, comment="x")
    assert "联评" in exc.value.message_dict["score"][0]
    submit(report_a)
    rate(report_a, ballots=0)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=world.secretary_a, report=report_a, text=TEXT)
    assert "测评已开始" in exc.value.message_dict["text"][0]


def test_review_waits_for_the_survey_minimum(world, report_a, rate):
    survey = rate(report_a, ballots=2, minimum=3)
    with pytest.raises(ValidationError) as exc:
        services.report_review(actor=world.gb_secretary_a, report=report_a, score=90, comment="好")
    message = exc.value.message_dict["score"][0]
    assert "回收2份" in message and "最少有效票数3份" in message
    from dangjian.surveys import services as surveys

    token = survey.tokens.filter(used=False).values_list("token", flat=True).first()
    if token is None:
        token = surveys.tokens_issue(actor=world.gb_secretary_a, survey=survey, count=1)[0].token
    surveys.ballot_cast(token=token, ratings={report_a.secretary_id: "competent"})
    report = services.report_review(
        actor=world.gb_secretary_a, report=report_a, score=90, comment="好"
    )
    assert report.masses_score == D("91.66")  # (95 + 95 + 85) / 3, cut
    assert report.total == D("90.6")


def test_rights_of_each_step(world, report_a, report_b, submit, rate, today):
    # another branch's secretary cannot report for branch_a
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=world.secretary_b, report=report_a, text=TEXT)
    # the general branch may enter the report of a branch below it
    services.report_submit(actor=world.gb_secretary_a, report=report_a, text=TEXT)
    # the branch does not organise the rating of its own secretary (the level above does)
    with pytest.raises(PermissionDenied) as exc:
        services.rating_open(
            actor=world.secretary_a, report=report_a, opens_on=today, closes_on=today
        )
    assert "上一级党组织" in str(exc.value)
    rate(report_a)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=world.secretary_a, report=report_a, score=99, comment="自评")
    with pytest.raises(PermissionDenied):
        services.report_review(
            actor=world.gb_secretary_a, report=report_b, score=99, comment="越级"
        )


def test_bad_review_input(world, report_a, report_b, rate):
    rate(report_a)
    for score, comment, field in (
        (101, "好", "score"),
        (D("85.55"), "好", "score"),
        (90, " ", "comment"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.report_review(
                actor=world.gb_secretary_a, report=report_a, score=score, comment=comment
            )
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=world.secretary_b, report=report_b, text="太短")
    assert "至少50字" in exc.value.message_dict["text"][0]


def test_publish_only_when_all_reviewed(world, round_, report_a, report_b, review):
    review(report_a)
    with pytest.raises(ValidationError) as exc:
        services.round_publish(actor=world.org_officer, round=round_)
    assert (
        "还有1份" in exc.value.message_dict["state"][0]
        and "信息工程学院学生支部" in exc.value.message_dict["state"][0]
    )
    with pytest.raises(PermissionDenied):
        services.round_publish(actor=world.gb_secretary_a, round=round_)
    review(report_b, score=50, rating="incompetent")
    round_ = services.round_publish(actor=world.org_officer, round=round_)
    assert round_.state == RoundState.PUBLISHED
    with pytest.raises(ValidationError):
        services.round_publish(actor=world.org_officer, round=round_)
    with pytest.raises(ValidationError):
        services.round_update(actor=world.org_officer, round=round_, title="改")
    report_b.refresh_from_db()
    assert report_b.grade == "不称职"  # 50 × 40% + 50 × 60%
    assert AuditEvent.objects.filter(
        event=events.ROUND_PUBLISHED.name, object_id=round_.pk
    ).exists()


def test_delete_only_before_anyone_reported(world, round_, report_a, submit):
    submit(report_a)
    with pytest.raises(ValidationError):
        services.round_delete(actor=world.org_officer, round=round_)
    round2 = services.round_create(
        actor=world.org_officer, organisation=world.committee, year=round_.year - 1, level="branch"
    )
    services.round_delete(actor=world.org_officer, round=round2)
    assert not ReviewRound.objects.filter(pk=round2.pk).exists()


def test_published_result_feeds_branch_grading_and_secretary_grades(world, today, review):
    round_ = services.round_create(
        actor=world.org_officer,
        organisation=world.committee,
        year=today.year,
        level="general_branch",
    )
    gb_report = round_.reports.get()
    branch_round = services.round_create(
        actor=world.org_officer, organisation=world.committee, year=today.year, level="branch"
    )
    branch_report = branch_round.reports.get(organisation=world.branch_a)
    review(branch_report, score=90)
    assert "述职评议" not in branches_selectors.survey_facts(world.branch_a)["annual_assessment"]
    for report in branch_round.reports.exclude(pk=branch_report.pk):
        review(report)
    services.round_publish(actor=world.org_officer, round=branch_round)
    facts = branches_selectors.survey_facts(world.branch_a)["annual_assessment"]
    assert f"{today.year}年度书记述职评议" in facts and "张书记 优秀（92.0分）" in facts
    # the general-branch secretary's result reaches assessment's secretary grades reader
    review(gb_report, score=80)
    services.round_publish(actor=world.org_officer, round=round_)
    reader = assessment_selectors._secretary_review_readers[0]
    assert reader([world.gb_a.pk, world.gb_b.pk], today.year) == {world.gb_a.pk: "称职（86.0分）"}
    assert reader([world.gb_a.pk], today.year - 1) == {}


def test_late_submission_is_noted(world, today):
    round_ = services.round_create(
        actor=world.org_officer, organisation=world.committee, year=today.year - 1, level="branch"
    )
    report = round_.reports.get(organisation=world.branch_a)
    services.report_submit(actor=world.secretary_a, report=report, text=TEXT, today=today)
    event = AuditEvent.objects.filter(object_id=report.pk, event=events.REPORT_SUBMITTED.name).get()
    assert "逾期" in event.note


def test_new_secretary_takes_no_old_report(world, today):
    """A branch set up later (with its secretary) is not in an earlier round."""
    round_ = services.round_create(
        actor=world.org_officer, organisation=world.committee, year=today.year, level="branch"
    )
    branch = make_org(world.gb_b, name="新支部", code="BN")
    make_officer(branch, name="新书记")
    assert not round_.reports.filter(organisation=branch).exists()
    assert today - timedelta(days=1) < today
