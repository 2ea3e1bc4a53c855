"""Reminders of the assessment app: self-assessment due, appeals awaiting an answer, rounds to
finish by mid-December; a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangjian.assessment import reminders, services
from dangjian.assessment.models import AssessmentRound
from tests.assessment.conftest import notified
from tests.factories import make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db


def due(today, horizon):
    return list(reminders.collect(today, horizon))


def test_self_assessment_due_reminds_the_branch_officers(world, round_, ass_a, ass_b):
    assert due(date(2025, 11, 1), date(2025, 11, 15)) == []
    items = due(date(2025, 11, 20), date(2025, 12, 4))
    self_items = [d for d in items if d.key.startswith("assessment:self:")]
    assert {(d.person_id, d.key) for d in self_items} == {
        (world.secretary_a.person_id, f"assessment:self:{ass_a.pk}"),
        (world.secretary_b.person_id, f"assessment:self:{ass_b.pk}"),
    }
    assert all(d.due_on == date(2025, 11, 30) for d in self_items)
    assert "2025年11月30日前完成支部自评" in self_items[0].title
    late = [d for d in due(date(2025, 12, 2), date(2025, 12, 16)) if "self" in d.key]
    assert "已逾期" in late[0].title


def test_pending_appeal_reminds_the_level_above(world, template, ass_a):
    notified(world, template, ass_a, days_ago=1)
    services.appeal_file(actor=world.secretary_a, assessment=ass_a, reason="异议")
    today = timezone.localdate()
    items = [d for d in due(today, today + timedelta(days=14)) if "appeal" in d.key]
    assert [(d.person_id, d.due_on) for d in items] == [
        (world.gb_secretary_a.person_id, today + timedelta(days=10))
    ]
    assert "申请复核" in items[0].title
    assert [d for d in due(today, today + timedelta(days=5)) if "appeal" in d.key] == []
    services.appeal_answer(actor=world.gb_secretary_a, assessment=ass_a, answer="维持")
    assert [d for d in due(today, today + timedelta(days=14)) if "appeal" in d.key] == []


def test_round_finish_reminds_the_department(world, round_, ass_a):
    world.org_officer.person = make_person(None, name="组织部干事")
    world.org_officer.save()
    items = [d for d in due(date(2025, 12, 5), date(2025, 12, 19)) if "finish" in d.key]
    assert [(d.person_id, d.key) for d in items] == [
        (world.org_officer.person_id, f"assessment:finish:{round_.pk}")
    ]
    assert "还有2个党支部未书面通知考核结果" in items[0].title
    assert items[0].due_on == date(2025, 12, 15)


def test_reminders_in_a_fixed_number_of_queries(world, template):
    def run(expected=None):
        with assert_num_queries(expected) as log:
            due(date(2025, 12, 1), date(2025, 12, 31))
        return log

    services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )
    first = run()
    services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.gb_a,
        self_due=date(2025, 11, 30),
        kind="special",
        title="专项",
    )
    run(first)
    assert AssessmentRound.objects.count() == 2
