"""The pure rules of the authentication throttle, the session timeouts and who needs a second
factor (core.rules), at their boundaries."""

import pytest

from dangjian.core import rules


@pytest.mark.parametrize(("failures", "locked"), [(0, False), (4, False), (5, True), (6, True)])
def test_a_counter_locks_at_its_limit(failures, locked):
    assert rules.locks_now(failures, 5) is locked


def test_a_limit_of_zero_never_locks():
    assert not rules.locks_now(1000, 0)


def test_name_lock_doubles_with_each_lock_up_to_the_cap():
    minutes = [rules.name_lock_minutes(n, base=5, cap=60) for n in range(6)]
    assert minutes == [5, 10, 20, 40, 60, 60]
    assert rules.name_lock_minutes(10_000, base=5, cap=60) == 60


def refusal(**flags):
    values = {"address_blocked": False, "pair_locked": False, "name_locked": False}
    values.update(flags)
    values.setdefault("known_address", False)
    return rules.sign_in_refusal(**values)


def test_nothing_locked_nothing_refused():
    assert refusal() is None


def test_a_blocked_address_is_refused_even_where_the_user_signed_in_before():
    assert refusal(address_blocked=True, known_address=True) == "address"


def test_a_locked_pair_is_refused_even_at_a_known_address():
    assert refusal(pair_locked=True, known_address=True) == "pair"


def test_a_locked_name_is_refused_from_a_new_address_but_not_from_a_known_one():
    """A stranger who locks the name cannot keep its owner out of the owner's own computer."""
    assert refusal(name_locked=True) == "name"
    assert refusal(name_locked=True, known_address=True) is None


IDLE, ABSOLUTE = 30 * 60, 8 * 3600


def expiry(now, started=0, last_seen=0):
    return rules.session_expiry(
        now, started=started, last_seen=last_seen, idle_seconds=IDLE, absolute_seconds=ABSOLUTE
    )


def test_idle_timeout_at_the_boundary():
    assert expiry(IDLE) is None
    assert expiry(IDLE + 1) == "idle"


def test_absolute_timeout_at_the_boundary_however_busy():
    assert expiry(ABSOLUTE, last_seen=ABSOLUTE - 1) is None
    assert expiry(ABSOLUTE + 1, last_seen=ABSOLUTE) == "absolute"


def test_a_zero_limit_is_off():
    assert (
        rules.session_expiry(10**9, started=0, last_seen=0, idle_seconds=0, absolute_seconds=0)
        is None
    )


@pytest.mark.parametrize(
    ("role", "officers", "required"),
    [
        ({"is_superuser": True}, False, True),
        ({"is_staff": True}, False, True),
        ({"is_org_officer": True}, False, True),
        ({"is_officer": True}, False, False),
        ({"is_officer": True}, True, True),
        ({}, True, False),
    ],
)
def test_who_must_have_a_second_factor(role, officers, required):
    flags = {"is_superuser": False, "is_staff": False, "is_org_officer": False, "is_officer": False}
    flags.update(role)
    assert rules.otp_required(**flags, officers=officers) is required
