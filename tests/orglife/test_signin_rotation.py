"""The sign-in QR code rotates (ORGLIFE_SIGNIN_ROTATE_SECONDS) and the code just replaced
stays valid for ORGLIFE_SIGNIN_GRACE_SECONDS (issue 14: 二维码定时更换)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.orglife import rules, services
from dangjian.orglife.models import Attendance, AttendanceStatus, MeetingState
from tests.harness import assert_role_matrix

T0 = datetime(2026, 3, 10, 14, 0, 0)


def test_token_validity_boundaries():
    ok = {"issued_at": T0, "rotate_seconds": 30, "grace_seconds": 10}
    # the code on screen: until the next rotation plus the grace period
    assert rules.signin_token_valid(is_current=True, now=T0 + timedelta(seconds=40), **ok)
    assert not rules.signin_token_valid(is_current=True, now=T0 + timedelta(seconds=41), **ok)
    # the code it replaced at T0: the grace period only
    assert rules.signin_token_valid(is_current=False, now=T0 + timedelta(seconds=10), **ok)
    assert not rules.signin_token_valid(is_current=False, now=T0 + timedelta(seconds=11), **ok)
    assert not rules.signin_token_valid(is_current=True, issued_at=None, now=T0)


@pytest.fixture
def at(monkeypatch):
    def set_now(moment: datetime):
        monkeypatch.setattr(services, "_now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: moment.date())

    return set_now


@pytest.fixture
def planned(world, at):
    at(datetime(2026, 3, 1, 9, 0))
    return services.meeting_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        state=MeetingState.PLANNED,
        kind="general",
        topic="学习贯彻全会精神",
        held_on=date(2026, 3, 10),
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        place="党员活动室",
    )


def _status(meeting, person):
    return Attendance.objects.get(meeting=meeting, person=person).status


def test_replaced_code_signs_in_during_grace_only(world, planned, at, settings):
    settings.ORGLIFE_SIGNIN_ROTATE_SECONDS = 30
    settings.ORGLIFE_SIGNIN_GRACE_SECONDS = 10
    at(T0)
    first = services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    at(T0 + timedelta(seconds=30))
    second = services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    at(T0 + timedelta(seconds=40))  # 10 s after the change: the old code still works
    services.sign_in(actor=world.member_user, token=first)
    assert _status(planned, world.member_a) == AttendanceStatus.PRESENT
    at(T0 + timedelta(seconds=41))
    with pytest.raises(ValidationError, match="无效或已更换"):
        services.sign_in(actor=world.member_user, token=first)
    assert services.meeting_for_token(second) is not None
    # a code not replaced (the page was closed) lapses after rotation + grace
    at(T0 + timedelta(seconds=30 + 41))
    assert services.meeting_for_token(second) is None


def test_qr_page_polls_for_a_new_code(world, planned, at, as_role, settings):
    settings.ORGLIFE_SIGNIN_ROTATE_SECONDS = 25
    at(T0)
    page = as_role("officer").get(reverse("orglife:signin_qr", args=[planned.pk]))
    html = page.content.decode()
    code_url = reverse("orglife:signin_qr_code", args=[planned.pk])
    assert f'hx-get="{code_url}"' in html and 'hx-trigger="every 25s"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    first = page.context["url"]
    fragment = as_role("officer").get(code_url)
    assert fragment.status_code == 200 and "<svg" in fragment.content.decode()
    assert fragment.context["url"] != first
    assert fragment["Cache-Control"] == "no-store"


def test_qr_code_fragment_roles(world, planned, at, as_role):
    at(T0)
    assert_role_matrix(
        as_role,
        reverse("orglife:signin_qr_code", args=[planned.pk]),
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )


def test_qr_code_fragment_after_meeting_shows_refusal(world, planned, at, as_role):
    at(datetime(2026, 3, 10, 16, 0, 1))
    fragment = as_role("officer").get(reverse("orglife:signin_qr_code", args=[planned.pk]))
    html = fragment.content.decode()
    assert "已结束" in html and "hx-trigger" not in html


def test_a_lapsed_code_is_not_revived_by_the_next_one(world, planned, at, settings):
    """The page closed (its code lapsed), then opened again: the code photographed before is
    not given a new grace period by the replacement."""
    settings.ORGLIFE_SIGNIN_ROTATE_SECONDS = 30
    settings.ORGLIFE_SIGNIN_GRACE_SECONDS = 10
    at(T0)
    photographed = services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    at(T0 + timedelta(minutes=30))
    assert services.meeting_for_token(photographed) is None  # lapsed
    services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    assert services.meeting_for_token(photographed) is None
    with pytest.raises(ValidationError, match="无效或已更换"):
        services.sign_in(actor=world.member_user, token=photographed)
