"""Dates of paper records (issue: domain corrections 5): a grading decided at a meeting and an
item checked on site (销号) are entered later with their own dates — not in the future, not
before the step they answer — and lateness counts from those dates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from dangjian.branches import services
from dangjian.branches.models import RectificationItem
from dangjian.core.models import AuditEvent
from tests.branches.conftest import YEAR, fill


def test_a_grading_decided_at_a_meeting_keeps_the_meetings_date(world, grading):
    fill(grading, "0.8", actor=world.secretary_a)
    decided = services.grading_decide(
        actor=world.gb_secretary_a, grading=grading, grade="good", graded_on=date(YEAR, 3, 28)
    )
    assert decided.graded_on == date(YEAR, 3, 28)
    # entered in November, decided in time (by 3-30): not flagged 逾期定级
    event = AuditEvent.objects.filter(object_id=grading.pk, action="status").latest("id")
    assert event.note == ""


def test_a_grading_dated_after_the_deadline_is_flagged_late(world, grading):
    fill(grading, "0.8", actor=world.secretary_a)
    services.grading_decide(
        actor=world.gb_secretary_a, grading=grading, grade="good", graded_on=date(YEAR, 4, 2)
    )
    event = AuditEvent.objects.filter(object_id=grading.pk, action="status").latest("id")
    assert event.note == "逾期定级"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(YEAR, 11, 11), "定级日期不能晚于今天。"),  # today is 2025-11-10
        (date(YEAR - 1, 12, 31), "定级日期不能早于本年度开始（2025年1月1日）。"),
    ],
)
def test_a_grading_date_is_neither_future_nor_before_the_year(world, grading, day, message):
    fill(grading, "0.8", actor=world.secretary_a)
    with pytest.raises(ValidationError) as caught:
        services.grading_decide(
            actor=world.gb_secretary_a, grading=grading, grade="good", graded_on=day
        )
    assert caught.value.message_dict["graded_on"] == [message]
    grading.refresh_from_db()
    assert grading.graded_on is None


def _done(world, submitted, today, on=date(YEAR, 9, 20)):
    today(on)
    item = services.rectification_item_done(
        actor=world.member_user, item=submitted.item, result="已落实"
    )
    today(date(YEAR, 11, 10))
    return item


def test_an_item_checked_on_site_keeps_the_days_date(world, submitted, today):
    item = _done(world, submitted, today)
    verified = services.rectification_item_verify(
        actor=world.gb_secretary_a, item=item, verified_on=date(YEAR, 9, 25)
    )
    assert verified.verified_on == date(YEAR, 9, 25)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(YEAR, 11, 11), "销号日期不能晚于今天。"),
        (date(YEAR, 9, 19), "销号日期不能早于报告完成日期（2025年9月20日）。"),
    ],
)
def test_an_item_is_not_checked_before_it_was_done_or_in_the_future(
    world, submitted, today, day, message
):
    item = _done(world, submitted, today)
    with pytest.raises(ValidationError) as caught:
        services.rectification_item_verify(actor=world.gb_secretary_a, item=item, verified_on=day)
    assert caught.value.message_dict["verified_on"] == [message]
    assert RectificationItem.objects.get(pk=item.pk).verified_on is None


def test_api_takes_the_paper_dates(world, grading, submitted, today):
    client = APIClient()
    client.force_authenticate(world.gb_secretary_a)
    item = _done(world, submitted, today)
    response = client.post(
        f"/api/v1/branches/rectification-items/{item.pk}/verify/",
        {"verified_on": "2025-11-11"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["verified_on"] == ["销号日期不能晚于今天。"]
    response = client.post(
        f"/api/v1/branches/rectification-items/{item.pk}/verify/",
        {"verified_on": "2025-09-22"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["verified_on"] == "2025-09-22"
