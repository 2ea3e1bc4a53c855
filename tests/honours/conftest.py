"""Builders for the honours tests (on top of tests/conftest.py's `world`).

A round of 2026 with its deadline ten days ahead; gb_a (机关党总支) has one place of
优秀共产党员 and one of 先进基层党组织; gb_b none."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from dangjian.honours import services

TODAY = timezone.localdate


@pytest.fixture
def round_(world):
    today = TODAY()
    row = services.round_create(
        actor=world.org_officer,
        title="2026年“两优一先”评选表彰",
        year=2026,
        nomination_deadline=today + timedelta(days=10),
    )
    services.quota_set(
        actor=world.org_officer,
        round=row,
        organisation=world.gb_a,
        category="excellent_member",
        quota=1,
    )
    services.quota_set(
        actor=world.org_officer,
        round=row,
        organisation=world.gb_a,
        category="advanced_org",
        quota=1,
    )
    return row


@pytest.fixture
def nominated(world, round_):
    """member_a nominated by their branch secretary."""
    return services.nomination_create(
        actor=world.secretary_a,
        round=round_,
        category="excellent_member",
        person=world.member_a,
        deeds="带头履岗，群众评议优秀。",
    )


@pytest.fixture
def on_notice(world, round_, nominated):
    """member_a approved by the general branch, the notice posted ten days ago for five days."""
    today = TODAY()
    services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=True)
    services.notice_post(
        actor=world.org_officer,
        round=round_,
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=6),
    )
    round_.refresh_from_db()
    nominated.refresh_from_db()
    return SimpleNamespace(round=round_, nomination=nominated)
