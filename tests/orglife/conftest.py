"""Shared builders for the orglife tests (on top of tests/conftest.py's `world`)."""

from datetime import time

import pytest

from dangjian.orglife import services


@pytest.fixture
def make_meeting(world):
    """A meeting recorded by the organisation department (everyone present by default)."""

    def make(org=None, held_on=None, kind="general", minutes=120, start=time(14, 0), **fields):
        from datetime import date

        end_minutes = start.hour * 60 + start.minute + minutes
        fields.setdefault("topic", "学习党的理论")
        fields.setdefault("place", "党员活动室")
        return services.meeting_create(
            actor=fields.pop("actor", world.org_officer),
            organisation=org or world.branch_a,
            kind=kind,
            held_on=held_on or date(2025, 3, 10),
            starts_at=start,
            ends_at=time(end_minutes // 60, end_minutes % 60),
            **fields,
        )

    return make
