"""账号开通: accounts in bulk from the people registry, scoped by organisation, with
activation links or initial passwords handed out once."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts import services
from dangjian.accounts.models import AccountBatch, AccountGrant
from dangjian.accounts.selectors import token_hash
from dangjian.core.models import SecurityEvent, User
from dangjian.org.models import Person
from tests.factories import make_person
from tests.harness import assert_role_matrix

URL = reverse("accounts:batch_list")


@pytest.fixture
def people(world):
    """Branch A: two members with 工号, one member without, one of the masses with 工号."""
    world.alice = make_person(world.branch_a, name="甲党员", staff_number="T1001")
    world.bob = make_person(world.branch_a, name="乙党员", staff_number="T1002")
    world.nonum = make_person(world.branch_a, name="丙党员")
    world.masses = make_person(world.branch_a, status="masses", name="丁群众", staff_number="T1003")
    world.other = make_person(world.branch_b, name="戊党员", staff_number="S2001")
    return world


def test_preview_lists_people_without_login_and_refuses_missing_staff_number(people):
    preview = services.batch_preview(
        actor=people.secretary_a, organisation=people.branch_a, members_only=True
    )
    granted = {p.name: username for p, username in preview.grants}
    refused = {p.name: reason for p, reason in preview.refused}
    assert granted == {"甲党员": "T1001", "乙党员": "T1002"}
    assert refused == {"丙党员": "未登记工号/学号"}
    # 赵党员 has a login already; the secretary's own person too: neither is listed.
    assert "赵党员" not in granted and "赵党员" not in refused


def test_preview_all_people_includes_the_masses(people):
    preview = services.batch_preview(
        actor=people.secretary_a, organisation=people.branch_a, members_only=False
    )
    assert "丁群众" in {p.name for p, _ in preview.grants}


def test_username_rule_id_and_taken_names(people, settings):
    settings.ACCOUNT_USERNAME_RULE = "id"
    User.objects.create_user(username=f"p{people.alice.pk}", password="x-123456-y")
    preview = services.batch_preview(
        actor=people.secretary_a, organisation=people.branch_a, members_only=True
    )
    refused = {p.name: reason for p, reason in preview.refused}
    assert refused == {"甲党员": f"用户名“p{people.alice.pk}”已被其他账号使用"}
    assert {p.name for p, _ in preview.grants} == {"乙党员", "丙党员"}


def test_other_branch_secretary_cannot_open_accounts_for_branch_a(people):
    with pytest.raises(PermissionDenied):
        services.batch_preview(
            actor=people.secretary_b, organisation=people.branch_a, members_only=True
        )


def test_create_with_activation_links_stores_only_hashes_and_audits(people):
    batch, credentials = services.batch_create(
        actor=people.secretary_a,
        organisation=people.branch_a,
        members_only=True,
        method=AccountBatch.Method.ACTIVATION,
    )
    assert batch.created_count == 2 and batch.refused_count == 1
    assert {c.username for c in credentials} == {"T1001", "T1002"}
    for credential in credentials:
        grant = AccountGrant.objects.get(user__username=credential.username)
        assert grant.token_hash == token_hash(credential.secret)
        assert credential.secret not in grant.token_hash
        assert not grant.user.has_usable_password()
        assert grant.user.person.staff_number == credential.username
        assert (grant.expires_at - batch.created_at).days in (13, 14)
    # one event for the batch (each new login is also recorded by the account audit)
    event = SecurityEvent.objects.get(
        kind=SecurityEvent.Kind.ACCOUNT, detail__startswith="批量开通账号"
    )
    assert event.rows == 2 and event.user == people.secretary_a


def test_create_with_initial_passwords_forces_a_change(people):
    _batch, credentials = services.batch_create(
        actor=people.secretary_a,
        organisation=people.branch_a,
        members_only=True,
        method=AccountBatch.Method.PASSWORD,
    )
    user = User.objects.get(username="T1001")
    secret = next(c.secret for c in credentials if c.username == "T1001")
    assert authenticate(username="T1001", password=secret) == user
    assert user.must_change_password and len(secret) == 12
    # Kept as a hash on the grant, like a link's token; wrong or foreign secrets fail.
    grant = AccountGrant.objects.get(user=user)
    assert grant.token_hash == token_hash(secret) and not user.has_usable_password()
    assert authenticate(username="T1001", password=secret[:-1] + "#") is None
    other = next(c.secret for c in credentials if c.username == "T1002")
    assert authenticate(username="T1001", password=other) is None


def test_initial_password_expires_and_never_opens_the_activation_page(people, client):
    _batch, credentials = services.batch_create(
        actor=people.secretary_a,
        organisation=people.branch_a,
        members_only=True,
        method=AccountBatch.Method.PASSWORD,
    )
    secret = credentials[0].secret
    page = client.get(reverse("accounts:activate", args=[secret]))
    assert page.status_code == 410
    AccountGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert authenticate(username=credentials[0].username, password=secret) is None


def test_create_is_one_transaction(people, monkeypatch):
    calls = []

    def failing(grant, method, now):
        calls.append(grant)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(grant, method, now)

    original = services._hand_out
    monkeypatch.setattr(services, "_hand_out", failing)
    with pytest.raises(RuntimeError):
        services.batch_create(
            actor=people.secretary_a,
            organisation=people.branch_a,
            members_only=True,
            method=AccountBatch.Method.ACTIVATION,
        )
    assert not User.objects.filter(username__in=["T1001", "T1002"]).exists()
    assert not AccountBatch.objects.exists()


# --- Pages, by role -------------------------------------------------------------------------


def test_page_as_member_is_403_and_anonymous_goes_to_login(people, as_role):
    responses = assert_role_matrix(as_role, URL, {"member": 403, "anonymous": 302})
    assert "/login/" in responses["anonymous"]["Location"]


def test_page_preview_and_create_then_sheet_and_xlsx(people, as_user):
    client = as_user(people.secretary_a)
    data = {"organisation": people.branch_a.pk, "members_only": "1", "method": "activation"}
    page = client.post(URL, {**data, "preview": "1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "T1001" in html and "未登记工号/学号" in html
    response = client.post(URL, {**data, "create": "1"})
    batch = AccountBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:batch_detail", args=[batch.pk])

    sheet = client.get(reverse("accounts:batch_sheet", args=[batch.pk]))
    assert sheet.status_code == 200
    assert sheet["Cache-Control"].startswith("max-age=0") or "no-store" in sheet["Cache-Control"]
    html = sheet.content.decode()
    links = re.findall(r"http://testserver/accounts/activate/([\w-]+)/", html)
    assert len(set(links)) == 2 and html.count("<svg") == 2
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PRINT, rows=2).exists()

    xlsx = client.get(reverse("accounts:batch_xlsx", args=[batch.pk]))
    rows = list(load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert rows[1][:4] == ("姓名", "所在党组织", "用户名", "激活链接")
    assert {r[2] for r in rows[2:]} == {"T1001", "T1002"}
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, rows=2).exists()


def test_page_refuses_organisation_outside_scope(people, as_user):
    client = as_user(people.secretary_b)
    data = {"organisation": people.branch_a.pk, "members_only": "1", "method": "activation"}
    response = client.post(URL, {**data, "create": "1"})
    assert response.status_code == 200  # the form says the choice is not available
    assert not AccountBatch.objects.exists()


def test_batch_detail_scoped(people, as_user, as_role):
    batch, _ = services.batch_create(
        actor=people.secretary_a,
        organisation=people.branch_a,
        members_only=True,
        method="activation",
    )
    url = reverse("accounts:batch_detail", args=[batch.pk])
    assert_role_matrix(
        as_role,
        url,
        {
            "officer": 200,
            "gb_officer": 200,
            "org_officer": 200,
            "other_officer": 404,
            "member": 403,
        },
    )
    # The sheet is for the officer who made the batch, within the hand-out time.
    sheet = as_user(people.org_officer).get(reverse("accounts:batch_sheet", args=[batch.pk]))
    assert sheet.status_code == 302
    assert (
        as_user(people.secretary_b)
        .post(reverse("accounts:batch_reissue", args=[batch.pk]))
        .status_code
        == 404
    )


def test_reissue_replaces_links_of_accounts_not_yet_activated(people, as_user):
    batch, credentials = services.batch_create(
        actor=people.secretary_a,
        organisation=people.branch_a,
        members_only=True,
        method="activation",
    )
    services.account_activate(token=credentials[0].secret, password="Red-Flag-2026!")
    fresh = services.batch_reissue(actor=people.secretary_a, batch=batch)
    assert [c.username for c in fresh] == [credentials[1].username]
    old = as_user(None).get(reverse("accounts:activate", args=[credentials[1].secret]))
    assert old.status_code == 410


# --- API ------------------------------------------------------------------------------------

API = "/api/v1/accounts/batches/"


def test_api_dry_run_then_create(people, as_user):
    client = as_user(people.secretary_a)
    body = {"organisation": people.branch_a.pk, "method": "password", "dry_run": True}
    preview = client.post(API, body, content_type="application/json")
    assert preview.status_code == 200, preview.content
    data = preview.json()
    assert data["dry_run"] is True and data["credentials"] == []
    assert {a["username"] for a in data["accounts"] if not a["refused"]} == {"T1001", "T1002"}
    assert not User.objects.filter(username="T1001").exists()

    created = client.post(API, {**body, "dry_run": False}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created["Cache-Control"] == "no-store"
    creds = created.json()["credentials"]
    assert len(creds) == 2 and all(c["initial_password"] for c in creds)
    user = authenticate(username=creds[0]["username"], password=creds[0]["initial_password"])
    assert user == User.objects.get(username=creds[0]["username"])
    listed = client.get(API).json()["results"]
    assert [b["created_count"] for b in listed] == [2]


def test_api_by_role(people, as_user):
    body = {"organisation": people.branch_a.pk, "method": "activation", "dry_run": True}
    other = as_user(people.secretary_b).post(API, body, content_type="application/json")
    assert other.status_code == 400 and "organisation" in other.json()
    member = as_user(people.member_user).post(API, body, content_type="application/json")
    assert member.status_code == 403
    assert as_user(None).post(API, body, content_type="application/json").status_code in (401, 403)
    services.batch_create(
        actor=people.secretary_a,
        organisation=people.branch_a,
        members_only=True,
        method="activation",
    )
    assert as_user(people.secretary_b).get(API).json()["results"] == []
    assert len(as_user(people.gb_secretary_a).get(API).json()["results"]) == 1


def test_api_bad_input_is_400(people, as_user):
    client = as_user(people.org_officer)
    body = {"organisation": "x", "method": "fax"}
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"organisation", "method"}


def test_nobody_in_scope_left_is_a_400(people, as_user):
    Person.objects.filter(primary_org=people.branch_b).update(staff_number="")
    client = as_user(people.secretary_b)
    body = {"organisation": people.branch_b.pk, "method": "activation"}
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400


def test_batch_size_rule_at_its_boundary():
    from dangjian.accounts import rules

    assert rules.batch_size_error(5000) is None
    assert "一次最多开通5000人" in rules.batch_size_error(5001)
    assert rules.batch_size_error(3, maximum=2).startswith("所选范围内有3人尚未开通账号")


def test_a_subtree_too_large_for_one_batch_is_refused_everywhere(people, as_user, settings):
    # branch_a has four people without a login (three members, one of the masses)
    settings.ACCOUNT_BATCH_MAX = 3
    client = as_user(people.secretary_a)
    body = {"organisation": people.branch_a.pk, "members_only": False, "method": "activation"}
    refused = client.post(API, {**body, "dry_run": True}, content_type="application/json")
    assert refused.status_code == 400
    assert "一次最多开通3人" in refused.json()["organisation"][0]
    page = client.post(
        reverse("accounts:batch_list"),
        {"organisation": people.branch_a.pk, "members_only": "0", "method": "activation"},
    )
    assert page.status_code == 200 and "请选择下级党组织分批开通" in page.content.decode()
    assert not User.objects.filter(username__startswith="T100").exists()
    settings.ACCOUNT_BATCH_MAX = 4
    allowed = client.post(API, {**body, "dry_run": True}, content_type="application/json")
    assert allowed.status_code == 200
