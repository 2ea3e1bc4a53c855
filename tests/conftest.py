"""The standard cast for scoping tests: a committee with two general branches.

committee
├── gb_a ── branch_a (secretary_a, member_a) ── group_a
└── gb_b ── branch_b (secretary_b, member_b)
"""

import os
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, settings

from tests import template_db
from tests.factories import make_officer, make_org, make_person, make_user
from tests.harness import role_user

# Rule properties are checked by the number of examples, never by time: a busy 2-core CI
# machine must not fail a property test for being slow.
settings.register_profile("dangjian", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dangjian")


def pytest_addoption(parser):
    parser.addoption(
        "--slow",
        action="store_true",
        help="also run the tests marked slow (CI runs them: the environment variable CI is set)",
    )


def run_slow(config) -> bool:
    """Slow tests run in CI (.ci/run exports CI=true) or when asked with --slow."""
    ci = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
    return ci or config.getoption("--slow")


def pytest_collection_modifyitems(config, items):
    if run_slow(config):
        return
    skip = pytest.mark.skip(reason="slow: runs in CI, or locally with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _test_db_from_template(request, django_db_modify_db_settings, django_db_blocker):
    """Fill this worker's test database from a migrated template (tests/template_db.py)."""
    from django.db import connection

    made = None
    if template_db.enabled(request.config):
        with django_db_blocker.unblock():
            made = template_db.clone(connection)
    yield made
    if made is not None:
        with django_db_blocker.unblock():
            made.drop()


@pytest.fixture(scope="session")
def django_db_keepdb(request, _test_db_from_template):
    """pytest-django's --reuse-db, or a database already filled from the template: Django keeps
    it (its migrate finds nothing to do) and _test_db_from_template drops it at the end."""
    return _test_db_from_template is not None or request.config.getvalue("reuse_db")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in throttles and rate limits count in the cache: every test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    committee = make_org(None, name="中共示范学院委员会", code="C")
    gb_a = make_org(committee, name="机关党总支", code="GA")
    gb_b = make_org(committee, name="信息工程学院党总支", code="GB")
    branch_a = make_org(gb_a, name="机关一支部", code="BA", category="organ")
    branch_b = make_org(gb_b, name="信息工程学院学生支部", code="BB", category="student")
    group_a = make_org(branch_a, name="第一党小组", code="GRA")
    secretary_a = make_officer(branch_a, name="张书记")
    secretary_b = make_officer(branch_b, name="李书记")
    gb_secretary_a = make_officer(gb_a, name="王总支书记")
    member_a = make_person(branch_a, name="赵党员")
    member_b = make_person(branch_b, name="钱党员")
    member_user = make_user(member_a)
    org_officer = make_user(None, is_org_officer=True)
    admin = make_user(None, is_superuser=True, is_staff=True)
    return SimpleNamespace(**locals())


@pytest.fixture
def as_user(client):
    """Log the test client in as `user` (or out when None) and return it."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def as_role(world, as_user):
    """Log the test client in as a role of the cast (tests/harness.py ROLES) and return it."""
    return lambda role: as_user(role_user(world, role))


@pytest.fixture
def api_as_role(world):
    """A fresh DRF APIClient signed in as a role of the cast (None role: anonymous)."""
    from rest_framework.test import APIClient

    def client(role):
        api = APIClient()
        user = role_user(world, role)
        if user is not None:
            api.force_login(user)
        return api

    return client
