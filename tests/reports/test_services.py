"""The quarterly report workflow: generate, edit, submit, accept / return — allowed and refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditEvent
from dangjian.reports import events as report_events
from dangjian.reports import services
from dangjian.reports.models import QuarterlyReport
from tests.factories import make_officer
from tests.reports.conftest import QUARTER, YEAR
from tests.reports.helpers import make_post

pytestmark = pytest.mark.django_db


def events(report):
    return list(
        AuditEvent.objects.filter(object_id=report.pk, content_type__model="quarterlyreport")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_generate_computes_figures_and_audits(world, draft):
    assert draft.status == "draft"
    assert draft.figures["branches"] == 1
    assert draft.figures["as_of"] == "2025-06-30"
    assert events(draft) == ["create"]


def test_second_report_for_the_quarter_is_refused(world, draft):
    with pytest.raises(ValidationError) as exc:
        services.report_generate(
            actor=world.gb_secretary_a, organisation=world.branch_a, year=YEAR, quarter=QUARTER
        )
    assert "每个季度只填报一份" in exc.value.message_dict["quarter"][0]
    assert QuarterlyReport.objects.count() == 1


def test_group_writes_no_report(world):
    with pytest.raises(ValidationError) as exc:
        services.report_generate(
            actor=world.secretary_a, organisation=world.group_a, year=YEAR, quarter=QUARTER
        )
    assert "党小组不单独填报" in exc.value.message_dict["organisation"][0]


def test_out_of_scope_generation_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.report_generate(
            actor=world.secretary_a, organisation=world.branch_b, year=YEAR, quarter=QUARTER
        )


def test_future_quarter_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.report_generate(
            actor=world.secretary_a, organisation=world.branch_a, year=2099, quarter=1
        )
    assert "尚未开始" in exc.value.message_dict["quarter"][0]


def test_edit_refreshes_figures_of_a_draft(world, draft):
    make_post(world.branch_a, "published", holder=world.member_a)
    report = services.report_update(actor=world.secretary_a, report=draft, progress="进展")
    assert report.progress == "进展"
    assert report.figures["covered_branches"] == 1
    assert events(report) == ["create", "update"]


def test_submit_needs_progress(world, draft):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=world.secretary_a, report=draft)
    assert "工作进展情况" in exc.value.message_dict["progress"][0]


def test_submit_freezes_figures(world, submitted):
    assert submitted.status == "submitted"
    assert submitted.submitted_by == world.secretary_a
    assert submitted.submitted_at is not None
    frozen = dict(submitted.figures)
    make_post(world.branch_a, "published", holder=world.member_a)
    with pytest.raises(ValidationError) as exc:
        services.report_refresh(actor=world.secretary_a, report=submitted)
    assert "已报送" in exc.value.message_dict["status"][0]
    submitted.refresh_from_db()
    assert submitted.figures == frozen


def test_cannot_edit_a_submitted_report(world, submitted):
    with pytest.raises(ValidationError) as exc:
        services.report_update(actor=world.secretary_a, report=submitted, progress="改")
    assert "须由上级党组织退回" in exc.value.message_dict["status"][0]


def test_cannot_submit_twice(world, submitted):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=world.secretary_a, report=submitted)
    assert "只有草稿或已退回" in exc.value.message_dict["status"][0]


def test_other_branch_officer_cannot_write(world, draft):
    with pytest.raises(PermissionDenied):
        services.report_update(actor=world.secretary_b, report=draft, progress="x")
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=world.secretary_b, report=draft)


def test_level_above_may_submit(world, draft):
    services.report_update(actor=world.gb_secretary_a, report=draft, progress="总支代报")
    report = services.report_submit(actor=world.gb_secretary_a, report=draft)
    assert report.status == "submitted"


def test_branch_secretary_cannot_accept_own_branch_report(world, submitted):
    with pytest.raises(PermissionDenied) as exc:
        services.report_accept(actor=world.secretary_a, report=submitted)
    assert "上级党组织审核" in str(exc.value)


def test_other_general_branch_cannot_review(world, submitted):
    gb_secretary_b = make_officer(world.gb_b, name="孙总支书记")
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=gb_secretary_b, report=submitted)


def test_level_above_accepts(world, submitted):
    report = services.report_accept(actor=world.gb_secretary_a, report=submitted, note="很好")
    assert report.status == "accepted"
    assert report.reviewed_by == world.gb_secretary_a
    assert report.review_note == "很好"
    assert events(report)[-1] == "status"


def test_org_department_reviews_everything(world, submitted):
    assert services.report_accept(actor=world.org_officer, report=submitted).status == "accepted"


def test_accepting_a_draft_is_refused(world, draft):
    with pytest.raises(ValidationError) as exc:
        services.report_accept(actor=world.gb_secretary_a, report=draft)
    assert "只有已报送" in exc.value.message_dict["status"][0]


def test_return_needs_a_note(world, submitted):
    with pytest.raises(ValidationError) as exc:
        services.report_return(actor=world.gb_secretary_a, report=submitted, note="  ")
    assert "审核意见" in exc.value.message_dict["note"][0]


def test_returned_report_can_be_edited_and_resubmitted(world, submitted):
    returned = services.report_return(
        actor=world.gb_secretary_a, report=submitted, note="请补充特色做法"
    )
    assert returned.status == "returned"
    assert returned.review_note == "请补充特色做法"
    services.report_update(actor=world.secretary_a, report=returned, highlights="党员示范岗")
    again = services.report_submit(actor=world.secretary_a, report=returned)
    assert again.status == "submitted"
    assert again.review_note == ""
    assert again.highlights == "党员示范岗"


def test_committee_report_has_no_reviewer(world):
    report = services.report_generate(
        actor=world.org_officer, organisation=world.committee, year=YEAR, quarter=QUARTER
    )
    services.report_update(actor=world.org_officer, report=report, progress="全校推进")
    report = services.report_submit(actor=world.org_officer, report=report)
    assert report.status == "submitted"
    with pytest.raises(ValidationError) as exc:
        services.report_accept(actor=world.org_officer, report=report)
    assert "市委教育工委" in exc.value.message_dict["status"][0]
    assert services.can_review(world.org_officer, world.committee) is False


def test_submitted_date_is_recorded_for_the_deadline(world, submitted):
    from dangjian.reports import selectors

    assert selectors.submitted_on(submitted) > date(2025, 6, 20)  # submitted now: late


def test_submit_and_review_record_named_events(world):
    """报送、审核通过 are named steps on the audit trail (reports.events)."""
    report = services.report_generate(
        actor=world.secretary_a, organisation=world.branch_a, year=2025, quarter=1
    )
    services.report_update(actor=world.secretary_a, report=report, progress="按计划推进。")
    services.report_submit(actor=world.secretary_a, report=report)
    services.report_accept(actor=world.gb_secretary_a, report=report)
    names = list(
        AuditEvent.objects.filter(object_id=report.pk, event__startswith="reports.")
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert names == [report_events.SUBMITTED.name, report_events.ACCEPTED.name]
