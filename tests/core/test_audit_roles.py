"""三员分立: the audit administrator reads the audit logs and nothing else (every other page,
the API and the admin answer 403, recorded); the system administrator gets 403 on /audit/;
the security administrator reads the security events only. The audit pages filter, page by
keyset and export, and an export is itself recorded."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core import admin_roles, security_log, tokens
from dangjian.core.models import AdminRole, AuditEvent, SecurityEvent
from dangjian.org.models import Person
from tests.factories import make_user
from tests.harness import assert_max_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(db):
    return make_user(None, username="auditor", admin_role=AdminRole.AUDIT)


@pytest.fixture
def security_admin(db):
    return make_user(None, username="secadmin", admin_role=AdminRole.SECURITY)


def refusals(user):
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REFUSED, user=user)


@pytest.mark.parametrize(
    ("role", "path", "decision"),
    [
        ("audit", "/", admin_roles.TO_AUDIT),
        ("audit", "/audit/", admin_roles.ALLOW),
        ("audit", "/audit/security/export/", admin_roles.ALLOW),
        ("audit", "/logout/", admin_roles.ALLOW),
        ("audit", "/org/people/", admin_roles.REFUSE),
        ("audit", "/api/v1/people/", admin_roles.REFUSE),
        ("audit", "/admin/", admin_roles.REFUSE),
        ("audit", "/public/", admin_roles.REFUSE),
        ("security", "/audit/", admin_roles.TO_SECURITY),
        ("security", "/audit/security/", admin_roles.ALLOW),
        ("security", "/audit/events/export/", admin_roles.REFUSE),
        ("security", "/org/people/", admin_roles.ALLOW),
        ("system", "/audit/", admin_roles.REFUSE),
        ("system", "/audit/security/", admin_roles.REFUSE),
        ("system", "/admin/", admin_roles.ALLOW),
        ("", "/audit/security/", admin_roles.REFUSE),
    ],
)
def test_role_rules(role, path, decision):
    assert admin_roles.decide(role, path) == decision


def test_the_auditor_lands_on_the_audit_log(auditor, as_user):
    response = as_user(auditor).get("/")
    assert response.status_code == 302 and response.url == reverse("audit:events")


@pytest.mark.parametrize(
    "path", ["/org/people/", "/posts/duty/", "/admin/", "/admin/core/user/", "/public/"]
)
def test_the_auditor_is_refused_everything_else_and_it_is_recorded(auditor, as_user, path):
    response = as_user(auditor).get(path)
    assert response.status_code == 403
    assert "审计管理员只能查阅审计日志" in response.content.decode()
    [event] = refusals(auditor)
    assert event.path == path


def test_the_auditor_has_no_api_even_with_a_token(auditor, client, world):
    _token, raw = tokens.token_issue(user=auditor)
    response = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 403
    assert refusals(auditor).count() == 1
    client.force_login(auditor)
    assert client.get("/api/v1/people/").status_code == 403


def test_the_auditor_sees_no_business_data_even_if_made_superuser(auditor, as_user, world):
    auditor.is_superuser = True
    auditor.is_staff = True
    auditor.save()
    assert not Person.objects.visible_to(auditor).exists()
    assert as_user(auditor).get("/admin/").status_code == 403


def test_the_auditor_reads_both_logs(auditor, as_user, world):
    security_log.record(SecurityEvent.Kind.LOGIN, user=world.secretary_a)
    client = as_user(auditor)
    response = client.get(reverse("audit:events"))
    assert response.status_code == 200
    assert "操作记录" in response.content.decode()
    response = client.get(reverse("audit:security"))
    assert response.status_code == 200
    assert world.secretary_a.username in response.content.decode()


@pytest.mark.parametrize("who", ["admin", "org_officer", "secretary_a", "member_user"])
def test_everyone_else_is_refused_the_audit_pages(world, as_user, who):
    user = getattr(world, who)
    for name in ("audit:events", "audit:security", "audit:events_export"):
        assert as_user(user).get(reverse(name)).status_code == 403
    assert refusals(user).count() == 3


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("audit:events"))
    assert response.status_code == 302 and "/login/" in response.url


def test_the_security_administrator_reads_security_events_only(security_admin, as_user):
    client = as_user(security_admin)
    assert client.get("/audit/").url == reverse("audit:security")
    assert client.get(reverse("audit:security")).status_code == 200
    assert client.get(reverse("audit:events")).status_code == 403
    assert client.get(reverse("audit:events_export")).status_code == 403


def _audit_event(world, name):
    return AuditEvent.objects.create(
        actor=world.secretary_a,
        action=AuditEvent.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=world.member_a.pk,
        object_repr=name,
        changes={"姓名": ["甲", name]},
    )


def test_filters_by_user_kind_address_and_object(auditor, as_user, world):
    security_log.record(SecurityEvent.Kind.LOGIN, user=world.secretary_a)
    security_log.record(SecurityEvent.Kind.LOGIN_FAILED, username="mallory", detail="密码错误")
    client = as_user(auditor)
    url = reverse("audit:security")
    body = client.get(url, {"user": "mallory"}).content.decode()
    assert "mallory" in body and world.secretary_a.username not in body
    body = client.get(url, {"kind": "login"}).content.decode()
    assert "mallory" not in body
    body = client.get(url, {"object": "密码错误"}).content.decode()
    assert "mallory" in body
    _audit_event(world, "王五")
    _audit_event(world, "赵六")
    body = client.get(reverse("audit:events"), {"object": "王五"}).content.decode()
    assert "王五" in body and "赵六" not in body


def test_a_bad_filter_keeps_what_was_typed_and_says_why(auditor, as_user):
    response = as_user(auditor).get(
        reverse("audit:security"), {"start": "2026-05-02", "end": "2026-05-01"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in body and 'value="2026-05-02"' in body


def test_keyset_pages(auditor, as_user, world):
    for i in range(60):
        _audit_event(world, f"对象{i:02d}")
    client = as_user(auditor)
    first = client.get(reverse("audit:events"))
    page = first.context["page"]
    assert len(page.rows) == 50 and page.next_token
    second = client.get(reverse("audit:events"), {"after": page.next_token})
    assert len(second.context["page"].rows) == AuditEvent.objects.count() - 50
    assert {e.pk for e in page.rows}.isdisjoint(e.pk for e in second.context["page"].rows)


def test_the_list_query_count_does_not_grow_with_rows(auditor, as_user, world):
    for i in range(40):
        _audit_event(world, f"对象{i}")
    client = as_user(auditor)
    with assert_max_queries(12):
        client.get(reverse("audit:events"))


def test_the_auditors_export_is_an_xlsx_and_is_recorded(auditor, as_user, world):
    for i in range(3):
        _audit_event(world, f"对象{i}")
    response = as_user(auditor).get(reverse("audit:events_export"), {"user": "user"})
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[1][:3] == ("时间", "操作人", "操作")
    assert len(values) == 2 + 3
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert event.user == auditor and event.rows == 3
    assert event.detail.startswith("审计日志导出：操作记录（用户名=user）")
