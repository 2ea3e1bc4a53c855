"""The demo's honours: a published round, an open one, model units with checks (through the
services, so every rule holds)."""

import pytest
from django.utils import timezone

from dangjian.demo.honours import HonoursLoader, reset_honours
from dangjian.honours.models import HonourRound, ModelUnit, NominationState, RoundState, UnitState
from tests.factories import make_officer, make_org

pytestmark = pytest.mark.django_db


def test_demo_honours(world):
    for i in range(3):
        make_org(world.gb_b, name=f"示范支部{i}", code=f"D{i}")
    make_officer(world.committee, name="校党委副书记")  # the leader responsible for units
    today = timezone.localdate()
    counts = HonoursLoader(seed=2026, today=today).run()
    assert counts["评选表彰"] == 2
    past, current = HonourRound.objects.order_by("year")
    assert past.state == RoundState.PUBLISHED and past.year == today.year - 2
    assert past.nominations.filter(state=NominationState.AWARDED).exists()
    assert current.state == RoundState.NOMINATING and current.nomination_deadline > today
    assert ModelUnit.objects.filter(state=UnitState.CONFIRMED).count() == 1
    assert all(u.checks.exists() for u in ModelUnit.objects.all())
    reset_honours()
    assert not HonourRound.objects.exists()
