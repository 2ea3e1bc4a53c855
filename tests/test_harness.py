"""The shared harness (tests/harness.py) fails when it should, with messages that help."""

import pytest
from django.urls import reverse

from dangjian.org.models import Organisation
from tests.harness import (
    assert_max_queries,
    assert_num_queries,
    assert_role_matrix,
    capture_queries,
)

pytestmark = pytest.mark.django_db


def test_capture_counts_and_lists_queries():
    with capture_queries() as log:
        list(Organisation.objects.all())
        Organisation.objects.count()
    assert len(log) == log.count == 2 and "COUNT" in log.sql[1]


def test_num_queries_exact_and_against_a_baseline():
    with assert_num_queries(1):
        Organisation.objects.count()
    with capture_queries() as baseline:
        Organisation.objects.count()
    with assert_num_queries(baseline):
        Organisation.objects.exists()
    with pytest.raises(AssertionError) as failed, assert_num_queries(baseline):
        Organisation.objects.count()
        Organisation.objects.filter(name="x").count()
    message = str(failed.value)
    assert "Expected exactly 1 queries, got 2" in message and "2. SELECT" in message
    assert "+SELECT COUNT(*)" in message.replace('"', "")  # the extra query in the diff


def test_max_queries():
    with assert_max_queries(2):
        Organisation.objects.count()
    with pytest.raises(AssertionError, match="at most 0 queries, got 1"), assert_max_queries(0):
        Organisation.objects.count()


def test_role_matrix_passes_and_isolates_writes(world, as_role):
    url = reverse("orglife:meeting_list")
    responses = assert_role_matrix(
        as_role, url, {"officer": 200, "member": 403, "anonymous": 302, "secretary_b": 200}
    )
    assert set(responses) == {"officer", "member", "anonymous", "secretary_b"}
    dissolve = reverse("org:org_dissolve", args=[world.group_a.pk])
    data = {"dissolved_on": "2025-01-01", "note": "合并"}
    # The officer's write is rolled back: the other officer still gets 404, not a changed page.
    assert_role_matrix(as_role, dissolve, {"officer": 302, "other_officer": 404}, "post", data)
    world.group_a.refresh_from_db()
    assert world.group_a.dissolved_on is None


def test_role_matrix_names_every_wrong_role(world, as_role):
    url = reverse("orglife:meeting_list")
    with pytest.raises(AssertionError) as failed:
        assert_role_matrix(as_role, url, {"officer": 404, "member": 403, "anonymous": 200})
    message = str(failed.value)
    assert "officer: expected 404, got 200" in message
    assert "anonymous: expected 200, got 302 -> /" in message and "member" not in message


def test_role_matrix_anonymous_redirect_must_go_to_sign_in(world, as_role):
    url = reverse("orglife:meeting_list")
    assert_role_matrix(as_role, url, {"anonymous": (302,)})


def test_role_matrix_api(world, api_as_role):
    url = f"/api/v1/organisations/{world.branch_a.pk}/"
    assert_role_matrix(
        api_as_role,
        url,
        {"officer": 200, "other_officer": 404, "member": 404, "anonymous": (401, 403)},
        format="json",
    )
