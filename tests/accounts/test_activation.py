"""Activation links, the forced change of an initial password, deactivation of leavers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import services
from dangjian.accounts.models import AccountGrant
from dangjian.core.models import SecurityEvent, User
from dangjian.org import services as org_services
from tests.factories import make_person

PASSWORD = "Red-Flag-2026!"


@pytest.fixture
def opened(world):
    world.alice = make_person(world.branch_a, name="甲党员", staff_number="T1001")
    world.batch, creds = services.batch_create(
        actor=world.secretary_a, organisation=world.branch_a, members_only=True, method="activation"
    )
    world.token = creds[0].secret
    world.url = reverse("accounts:activate", args=[world.token])
    return world


def test_activation_page_sets_password_and_email_once(opened, client):
    page = client.get(opened.url)
    assert page.status_code == 200 and "甲党员" in page.content.decode()
    response = client.post(
        opened.url,
        {"new_password1": PASSWORD, "new_password2": PASSWORD, "email": "jia@example.edu.cn"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="T1001")
    assert user.check_password(PASSWORD) and user.email == "jia@example.edu.cn"
    assert AccountGrant.objects.get(user=user).used_at is not None
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PASSWORD, user=user).exists()
    assert client.login(username="T1001", password=PASSWORD)
    client.logout()
    # Spent: the link does not work a second time.
    assert client.get(opened.url).status_code == 410


def test_activation_form_keeps_input_and_says_what_is_wrong(opened, client):
    response = client.post(
        opened.url, {"new_password1": PASSWORD, "new_password2": "other", "email": "a@b.cn"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "两次输入的密码不一致" in html
    assert 'value="a@b.cn"' in html
    weak = client.post(opened.url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    assert not User.objects.get(username="T1001").has_usable_password()


def test_expired_and_unknown_links_are_refused(opened, client):
    AccountGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(opened.url)
    assert response.status_code == 410 and "已过期" in response.content.decode()
    post = client.post(opened.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert post.status_code == 410
    assert not User.objects.get(username="T1001").has_usable_password()
    unknown = client.get(reverse("accounts:activate", args=["x" * 43]))
    assert unknown.status_code == 410 and "无效" in unknown.content.decode()


def test_initial_password_holds_user_on_change_page(world, client):
    make_person(world.branch_a, name="甲党员", staff_number="T1001")
    _batch, creds = services.batch_create(
        actor=world.secretary_a, organisation=world.branch_a, members_only=True, method="password"
    )
    assert client.login(username="T1001", password=creds[0].secret)
    target = reverse("accounts:first_password")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == target
    api = client.get("/api/v1/people/")
    assert api.status_code == 403
    same = client.post(target, {"new_password1": creds[0].secret, "new_password2": creds[0].secret})
    assert same.status_code == 200 and "不能与初始密码相同" in same.content.decode()
    done = client.post(target, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert client.get("/").status_code == 200  # still signed in, no longer held
    user = User.objects.get(username="T1001")
    assert not user.must_change_password and user.check_password(PASSWORD)
    client.logout()
    assert not client.login(username="T1001", password=creds[0].secret)
    assert client.login(username="T1001", password=PASSWORD)


def test_an_initial_password_gets_no_api_token(world, client):
    make_person(world.branch_a, name="甲党员", staff_number="T1001")
    _batch, creds = services.batch_create(
        actor=world.secretary_a, organisation=world.branch_a, members_only=True, method="password"
    )
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "T1001", "password": creds[0].secret},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "设置自己的密码" in response.json()["password"][0]


# --- Deactivation when a person leaves ------------------------------------------------------


def test_leaving_the_register_deactivates_the_login(world):
    org_services.person_update(actor=world.secretary_a, person=world.member_a, is_active=False)
    world.member_user.refresh_from_db()
    assert not world.member_user.is_active
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCOUNT, user=world.secretary_a)
    assert "停用账号" in event.detail


def test_transfer_out_of_every_branch_deactivates_the_login(world):
    org_services.person_update(actor=world.org_officer, person=world.member_a, primary_org=None)
    world.member_user.refresh_from_db()
    assert not world.member_user.is_active


def test_ordinary_edit_keeps_the_login(world):
    accounts = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCOUNT)
    before = accounts.count()  # the fixture's logins were recorded as they were created
    org_services.person_update(actor=world.secretary_a, person=world.member_a, note="调整备注")
    world.member_user.refresh_from_db()
    assert world.member_user.is_active
    assert accounts.count() == before


def test_edit_form_unticking_在册_deactivates(world, as_user):
    from django.forms.models import model_to_dict

    from dangjian.org.services import PERSON_FIELDS

    client = as_user(world.secretary_a)
    data = {k: v for k, v in model_to_dict(world.member_a, PERSON_FIELDS).items() if v is not None}
    data.pop("is_active")
    response = client.post(reverse("org:person_edit", args=[world.member_a.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    world.member_user.refresh_from_db()
    assert not world.member_user.is_active
