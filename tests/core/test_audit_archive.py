"""Retention and archive: rows older than AUDIT_RETENTION_DAYS go to a verified, compressed
archive with a SHA-256 manifest, then exactly those rows leave the database; nothing is
deleted without a verified archive; retention below 180 days is refused by a system check."""

import gzip
import hashlib
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from dangjian.core import audit_archive, security_log
from dangjian.core.models import SecurityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_dir(settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    settings.AUDIT_RETENTION_DAYS = 365
    return settings.AUDIT_ARCHIVE_DIR


def _backdate(event, days: int) -> None:
    """Make a row old. Tests only: the guards are passed the way the archive passes them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # a BEFORE UPDATE trigger refuses this; switch it off for the test's transaction
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE core_securityevent SET at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=days), event.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _events(n_old: int, n_new: int):
    old = [security_log.record(SecurityEvent.Kind.LOGIN, username=f"old{i}") for i in range(n_old)]
    for event in old:
        _backdate(event, 400)
    new = [security_log.record(SecurityEvent.Kind.LOGIN, username=f"new{i}") for i in range(n_new)]
    return old, new


def test_old_rows_are_archived_verified_and_then_deleted(archive_dir):
    old, new = _events(3, 2)
    result = audit_archive.archive()
    assert result.counts == {"core.AuditEvent": 0, "core.SecurityEvent": 3}
    remaining = set(SecurityEvent.objects.values_list("username", flat=True))
    assert {e.username for e in new} <= remaining
    assert not remaining & {e.username for e in old}
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert manifest["sha256"] == hashlib.sha256(result.path.read_bytes()).hexdigest()
    with gzip.open(result.path, "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert sorted(line["row"]["username"] for line in lines) == ["old0", "old1", "old2"]
    assert {line["model"] for line in lines} == {"core.SecurityEvent"}
    # what was archived is itself recorded
    record = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SETTING).get()
    assert record.rows == 3 and result.path.name in record.detail


def test_nothing_old_means_no_file_and_no_deletion(archive_dir):
    _events(0, 2)
    result = audit_archive.archive()
    assert result.total == 0 and not archive_dir.exists()
    assert SecurityEvent.objects.count() == 2


def test_a_failed_verification_deletes_nothing(archive_dir, monkeypatch):
    _events(2, 0)

    def tampered(path, manifest):
        path.write_bytes(b"not the archive")
        return audit_archive.verify_archive.__wrapped__(path, manifest)

    original = audit_archive.verify_archive
    tampered.__wrapped__ = original
    monkeypatch.setattr(audit_archive, "verify_archive", tampered)
    with pytest.raises(audit_archive.ArchiveError, match="SHA-256"):
        audit_archive.archive()
    assert SecurityEvent.objects.count() == 2


def test_verify_rejects_a_file_that_differs_from_its_manifest(archive_dir):
    _events(2, 0)
    result = audit_archive.archive()
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    manifest["counts"]["core.SecurityEvent"] = 5
    with pytest.raises(audit_archive.ArchiveError, match="differ"):
        audit_archive.verify_archive(result.path, manifest)


def test_the_command_reports_and_refuses_short_retention(archive_dir):
    from io import StringIO

    _events(1, 0)
    out = StringIO()
    call_command("archive_audit", stdout=out)
    assert "已归档并删除" in out.getvalue()
    with pytest.raises(CommandError, match="未删除任何记录"):
        call_command("archive_audit", "--days", "30")


def test_retention_below_180_days_fails_the_system_check(settings):
    settings.AUDIT_RETENTION_DAYS = 179
    [error] = audit_archive.check_retention()
    assert error.id == "dangjian.E101"
    settings.AUDIT_RETENTION_DAYS = 180
    assert audit_archive.check_retention() == []
