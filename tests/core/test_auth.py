"""Login, lockout after repeated failures, logout, password change; Argon2 in production."""

import pytest
from django.conf import settings
from django.urls import reverse

from dangjian.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


def test_production_hasher_is_argon2():
    from dangjian import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_and_logout(world, client):
    response = client.post(
        reverse("login"), {"username": world.secretary_a.username, "password": "pass-123456"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_message_in_chinese(world, client):
    response = client.post(
        reverse("login"), {"username": world.secretary_a.username, "password": "wrong"}
    )
    assert "用户名或密码不正确" in response.content.decode()
    assert f'value="{world.secretary_a.username}"' in response.content.decode()


def test_lockout_after_repeated_failures(world, client):
    username = world.secretary_a.username
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong"})
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": username, "password": "pass-123456"})
    assert response.status_code == 200
    assert "临时锁定" in response.content.decode()
    # Another account is unaffected.
    response = client.post(
        reverse("login"), {"username": world.secretary_b.username, "password": "pass-123456"}
    )
    assert response.status_code == 302


def test_success_keeps_failures(world, client):
    """Failed sign-ins are audit data: a later success does not erase them (it used to)."""
    username = world.secretary_a.username
    client.post(reverse("login"), {"username": username, "password": "wrong"})
    client.post(reverse("login"), {"username": username, "password": "pass-123456"})
    failures = SecurityEvent.objects.filter(kind="login_failed", username=username)
    assert failures.count() == 1


def test_password_change(world, client):
    client.force_login(world.member_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pass-123456",
            "new_password1": "Nw-pass-7788-x",
            "new_password2": "Nw-pass-7788-x",
        },
    )
    assert response.status_code == 302
    world.member_user.refresh_from_db()
    assert world.member_user.check_password("Nw-pass-7788-x")
