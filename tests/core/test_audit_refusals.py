"""Finding: refusals were not recorded. Every 403 (pages and API, including the API's
NotAuthenticated) and every 404 for an object that exists outside the user's scope writes a
SecurityEvent REFUSED with user, address, path and reason; a plain 404 writes nothing."""

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def refusals():
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REFUSED).order_by("id"))


def test_a_permission_denied_page_is_recorded_with_user_address_path_and_reason(world, as_user):
    client = as_user(world.secretary_a)
    url = reverse("org:org_create_root")
    response = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 403
    [event] = refusals()
    assert event.user == world.secretary_a
    assert event.username == world.secretary_a.username
    assert event.ip == "10.1.2.3"
    assert event.path == url
    assert "只有组织部干事可以新建顶层党组织" in event.detail


def test_a_member_on_an_officer_page_is_recorded(world, as_user):
    response = as_user(world.member_user).get(reverse("org:person_list"))
    assert response.status_code == 403
    [event] = refusals()
    assert event.user == world.member_user
    assert "仅党组织书记、委员和组织部干事可以访问" in event.detail


def test_an_out_of_scope_object_is_a_404_recorded_as_a_refusal(world, as_user):
    url = reverse("org:person_detail", args=[world.member_b.pk])
    response = as_user(world.secretary_a).get(url)
    assert response.status_code == 404
    [event] = refusals()
    assert event.user == world.secretary_a and event.path == url
    assert "超出管辖范围" in event.detail


def test_a_plain_404_is_not_a_refusal(world, as_user):
    client = as_user(world.secretary_a)
    assert client.get(reverse("org:person_detail", args=[999999])).status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert refusals() == []


def test_an_in_scope_read_writes_nothing(world, as_user):
    url = reverse("org:person_detail", args=[world.member_a.pk])
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert refusals() == []


def test_api_permission_denied_is_recorded(world, as_user):
    client = as_user(world.member_user)
    url = f"/api/v1/people/{world.member_a.pk}/"
    response = client.patch(url, {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    [event] = refusals()
    assert event.user == world.member_user
    assert event.path == url and "PATCH" in event.detail


def test_api_not_authenticated_is_recorded(world, client):
    response = client.get("/api/v1/people/", REMOTE_ADDR="10.9.9.9")
    assert response.status_code in (401, 403)
    [event] = refusals()
    assert event.user is None and event.ip == "10.9.9.9"
    assert event.path == "/api/v1/people/"


def test_api_out_of_scope_object_is_a_plain_404_recorded_as_a_refusal(world, as_user):
    url = f"/api/v1/people/{world.member_b.pk}/"
    response = as_user(world.secretary_a).get(url)
    assert response.status_code == 404
    assert "超出" not in response.content.decode()  # existence is not revealed
    [event] = refusals()
    assert event.user == world.secretary_a and "超出管辖范围" in event.detail


def test_api_unknown_object_is_not_a_refusal(world, as_user):
    assert as_user(world.secretary_a).get("/api/v1/people/999999/").status_code == 404
    assert refusals() == []
