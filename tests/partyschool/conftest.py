"""A Party-school class of branch_a's general branch with an activist on a development case."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dangjian.development import services as development
from dangjian.orglife import services as orglife
from dangjian.orglife.models import TrainingKind
from tests.factories import make_person


@pytest.fixture
def school(world):
    today = timezone.localdate()
    start = today - timedelta(days=40)
    activist = make_person(
        world.branch_a, status="masses", name="孙积极", birth_date=date(2000, 1, 1)
    )
    case = development.case_create(
        actor=world.secretary_a, person=activist, applied_on=start - timedelta(days=60)
    )
    case = development.case_make_activist(
        actor=world.secretary_a, case=case, on=start - timedelta(days=10)
    )
    other = make_person(world.branch_a, status="activist", name="周学员")
    training = orglife.training_create(
        actor=world.gb_secretary_a,
        organisation=world.gb_a,
        participants=[activist, other],
        kind=TrainingKind.ACTIVIST_CLASS,
        title="2026年春季入党积极分子培训班",
        category="party_spirit",
        starts_on=start,
        ends_on=today,
        hours=Decimal("16"),
    )
    return SimpleNamespace(
        today=today,
        start=start,
        activist=activist,
        other=other,
        case=case,
        training=training,
        officer=world.gb_secretary_a,
    )
