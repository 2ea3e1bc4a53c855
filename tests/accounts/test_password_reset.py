"""Password reset by e-mail: Chinese pages, never reveals whether an address is known,
throttled by client address and by e-mail address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from dangjian.core.models import SecurityEvent

URL = reverse("accounts:password_reset")
PASSWORD = "Red-Flag-2026!"


@pytest.fixture
def known(world):
    world.member_user.email = "zhao@example.edu.cn"
    world.member_user.must_change_password = True
    world.member_user.save()
    return world


def test_known_and_unknown_addresses_get_the_same_answer(known, client):
    page = client.get(URL)
    assert page.status_code == 200 and "找回密码" in page.content.decode()
    hit = client.post(URL, {"email": "zhao@example.edu.cn"})
    miss = client.post(URL, {"email": "nobody@example.edu.cn"})
    assert hit.status_code == miss.status_code == 302
    assert hit["Location"] == miss["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhao@example.edu.cn"]
    assert "重置密码" in mail.outbox[0].subject


def test_link_in_the_mail_sets_a_new_password(known, client):
    client.post(URL, {"email": "zhao@example.edu.cn"})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True)
    assert "设置新密码" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert done.status_code == 302
    known.member_user.refresh_from_db()
    assert known.member_user.check_password(PASSWORD)
    assert not known.member_user.must_change_password
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PASSWORD, user=known.member_user, detail="通过邮件重置密码"
    ).exists()
    # Spent.
    again = client.get(link, follow=True)
    assert "无效或已使用" in again.content.decode()


def test_requests_are_throttled_by_address(known, client, settings):
    settings.ACCOUNT_THROTTLE_LIMIT = 3
    for n in range(3):
        assert client.post(URL, {"email": f"x{n}@example.edu.cn"}).status_code == 302
    refused = client.post(URL, {"email": "zhao@example.edu.cn"})
    assert refused.status_code == 200
    assert "请求过于频繁" in refused.content.decode()
    assert len(mail.outbox) == 0
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT).exists()


def test_requests_are_throttled_by_email_across_addresses(known, client, settings):
    settings.ACCOUNT_THROTTLE_LIMIT = 2
    for n in range(2):
        client.post(URL, {"email": "zhao@example.edu.cn"}, REMOTE_ADDR=f"10.0.0.{n}")
    refused = client.post(URL, {"email": "zhao@example.edu.cn"}, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 200 and len(mail.outbox) == 2


def test_login_page_links_to_reset_and_has_no_sso_buttons_by_default(client):
    html = client.get(reverse("login")).content.decode()
    assert reverse("accounts:password_reset") in html
    assert "统一身份认证登录" not in html


def test_email_backend_follows_the_environment(monkeypatch):
    import importlib

    import dangjian.settings as settings_module

    monkeypatch.setenv("EMAIL_BACKEND", "file")
    monkeypatch.setenv("DEBUG", "1")
    try:
        reloaded = importlib.reload(settings_module)
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
        monkeypatch.setenv("EMAIL_BACKEND", "carrier-pigeon")
        from django.core.exceptions import ImproperlyConfigured

        with pytest.raises(ImproperlyConfigured):
            importlib.reload(settings_module)
    finally:
        monkeypatch.delenv("EMAIL_BACKEND")
        importlib.reload(settings_module)
