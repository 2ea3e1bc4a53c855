"""Dates of paper records (issue: domain corrections 5): an appeal written on paper and a review
answer given on paper are entered later with their own dates — not in the future, not before the
step they answer — and the deadlines count from those dates (《支部考核办法》§四(二))."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.assessment import services
from dangjian.assessment.models import Appeal
from tests.assessment.conftest import notified
from tests.assessment.test_api import BASE, api

TODAY = timezone.localdate


def test_a_paper_appeal_keeps_its_date_and_the_answer_is_due_from_it(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=12)
    filed = TODAY() - timedelta(days=6)  # day 6 after the notice: in time
    appeal = services.appeal_file(
        actor=world.secretary_a, assessment=a, reason="第9项材料未计入", filed_on=filed
    )
    assert appeal.filed_on == filed
    assert appeal.answer_due == filed + timedelta(days=10)


def test_a_paper_appeal_dated_day_8_after_the_notice_is_refused(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=12)
    with pytest.raises(ValidationError) as caught:
        services.appeal_file(
            actor=world.secretary_a,
            assessment=a,
            reason="有异议",
            filed_on=TODAY() - timedelta(days=4),  # notice + 8 days
        )
    assert "一周内向考核领导小组申请复核" in caught.value.message_dict["filed_on"][0]


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (1, "申请复核日期不能晚于今天。"),
        (-4, "申请复核日期不能早于书面通知日期"),  # notified 3 days ago
    ],
)
def test_a_paper_appeal_is_neither_in_the_future_nor_before_the_notice(
    world, template, ass_a, offset, message
):
    a = notified(world, template, ass_a, days_ago=3)
    with pytest.raises(ValidationError) as caught:
        services.appeal_file(
            actor=world.secretary_a,
            assessment=a,
            reason="有异议",
            filed_on=TODAY() + timedelta(days=offset),
        )
    assert caught.value.message_dict["filed_on"][0].startswith(message)
    assert not Appeal.objects.exists()


def test_a_paper_answer_keeps_its_date_and_lateness_counts_from_it(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=20)
    filed = TODAY() - timedelta(days=15)
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="异议", filed_on=filed)
    on_day_10 = services.appeal_answer(
        actor=world.org_officer, assessment=a, answer="维持", answered_on=filed + timedelta(10)
    )
    assert on_day_10.answered_on == filed + timedelta(days=10)
    assert not on_day_10.answered_late


def test_a_paper_answer_on_day_11_is_flagged_late(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=20)
    filed = TODAY() - timedelta(days=15)
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="异议", filed_on=filed)
    late = services.appeal_answer(
        actor=world.org_officer, assessment=a, answer="维持", answered_on=filed + timedelta(11)
    )
    assert late.answered_late


def test_an_answer_cannot_predate_the_appeal_or_lie_in_the_future(world, template, ass_a):
    a = notified(world, template, ass_a, days_ago=5)
    filed = TODAY() - timedelta(days=2)
    services.appeal_file(actor=world.secretary_a, assessment=a, reason="异议", filed_on=filed)
    for day, message in [
        (filed - timedelta(days=1), "复核意见日期不能早于申请复核日期"),
        (TODAY() + timedelta(days=1), "复核意见日期不能晚于今天。"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.appeal_answer(
                actor=world.org_officer, assessment=a, answer="维持", answered_on=day
            )
        assert caught.value.message_dict["answered_on"][0].startswith(message)


def test_api_takes_the_paper_dates(world, template, ass_a):
    notified(world, template, ass_a, days_ago=10)
    url = f"{BASE}/branch-assessments/{ass_a.pk}"
    filed = TODAY() - timedelta(days=4)
    future = api(world.secretary_a).post(
        f"{url}/appeal/",
        {"reason": "异议", "filed_on": (TODAY() + timedelta(1)).isoformat()},
        format="json",
    )
    assert future.status_code == 400 and future.json()["filed_on"] == ["申请复核日期不能晚于今天。"]
    response = api(world.secretary_a).post(
        f"{url}/appeal/", {"reason": "异议", "filed_on": filed.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["appeal"]["filed_on"] == filed.isoformat()
    assert response.json()["appeal"]["answer_due"] == (filed + timedelta(10)).isoformat()
    answer = api(world.org_officer).post(
        f"{url}/answer/",
        {"answer": "维持", "answered_on": (filed + timedelta(1)).isoformat()},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["appeal"]["answered_on"] == (filed + timedelta(1)).isoformat()
