"""Finding: an administrator could delete audit rows (single and bulk delete in the admin).
Audit rows are append-only through every interface: model, queryset, admin, and on
PostgreSQL a trigger."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from dangjian.core import security_log
from dangjian.core.models import AppendOnlyError, AuditEvent, SecurityEvent, User
from dangjian.org.models import Person
from tests.factories import make_user

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger exists on PostgreSQL only (CI runs the suite on both)",
)


def _audit_event(world, actor=None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=world.member_a.pk,
        object_repr=str(world.member_a),
        changes={"姓名": ["甲", "乙"]},
    )


def assert_refused(*statements):
    """The last statement raises the trigger's error (the transaction is rolled back)."""
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _security_event(user=None) -> SecurityEvent:
    return security_log.record(SecurityEvent.Kind.EXPORT, user=user, detail="人员名册", rows=3)


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_model(world):
    event = _audit_event(world)
    event.note = "篡改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_a_security_row_cannot_be_changed_or_deleted_through_the_model(world):
    event = _security_event()
    event.rows = 0
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert SecurityEvent.objects.get(pk=event.pk).rows == 3


@pytest.mark.parametrize("model", [AuditEvent, SecurityEvent])
def test_bulk_update_and_delete_refuse(world, model):
    _audit_event(world)
    _security_event()
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk__gt=0).update(at=None)
    with pytest.raises(AppendOnlyError):
        model._base_manager.all().delete()
    assert model.objects.count() >= 1


def test_deleting_an_account_detaches_it_from_its_audit_rows(world):
    user = make_user(None)
    event = _audit_event(world, actor=user)
    security = _security_event(user=user)
    user.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor is None
    row = SecurityEvent.objects.get(pk=security.pk)
    assert row.user is None and row.username == user.username


@pytest.mark.parametrize("model", [AuditEvent, SecurityEvent])
def test_the_admin_offers_no_add_change_delete_or_bulk_delete(world, client, model):
    _audit_event(world)
    _security_event()
    client.force_login(world.admin)
    opts = model._meta
    row = model.objects.first()
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    # bulk delete through the changelist action
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    assert response.status_code in (302, 403)
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_the_admin_classes_refuse_every_write(world, rf):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = world.admin
    for model in (AuditEvent, SecurityEvent):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        assert model_admin.get_actions(request) == {}


@postgres_only
@pytest.mark.parametrize(
    ("table", "column"), [("core_auditevent", "note"), ("core_securityevent", "detail")]
)
def test_postgres_trigger_refuses_update_and_delete(world, table, column):
    _audit_event(world)
    _security_event()
    for statement in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}"):
        assert_refused(statement)


@postgres_only
# SET LOCAL ends with the real transaction; serialized like every transactional test here, so
# the content types restored for the next one are not created twice
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgres_trigger_lets_the_archive_flag_delete_only():
    _security_event()
    assert_refused(
        "SET LOCAL dangjian.audit_archive = 'on'", "UPDATE core_securityevent SET detail = 'x'"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL dangjian.audit_archive = 'on'")
        cursor.execute("DELETE FROM core_securityevent")
    assert not SecurityEvent.objects.exists()
    # the flag was transaction-local: the next transaction is guarded again
    _security_event()
    assert_refused("DELETE FROM core_securityevent")


@postgres_only
def test_postgres_trigger_allows_only_nulling_the_account(world):
    user = make_user(None)
    event = _security_event(user=user)
    assert_refused(
        f"UPDATE core_securityevent SET user_id = NULL, detail = 'x' WHERE id = {event.pk}"
    )
    User.objects.filter(pk=user.pk).delete()
    assert SecurityEvent.objects.get(pk=event.pk).user_id is None
