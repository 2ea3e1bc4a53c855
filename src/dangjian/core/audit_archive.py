"""Retention and archive of the audit logs (AuditEvent and SecurityEvent).

Rows older than AUDIT_RETENTION_DAYS (at least 180, default 365) are written to a gzip-compressed
JSON-lines file under AUDIT_ARCHIVE_DIR with a manifest holding its SHA-256 and row counts. The
file is read back and checked against the manifest and the rows selected; only then are exactly
those rows deleted, in one transaction (on PostgreSQL with SET LOCAL dangjian.audit_archive = 'on',
the one flag the append-only trigger lets through), and a security event records what was
archived. Nothing is deleted without a verified archive."""

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import connection, transaction
from django.utils import timezone

from dangjian.core import security_log
from dangjian.core.models import AuditEvent, SecurityEvent

MIN_RETENTION_DAYS = 180  # 等保 2.0 三级: audit records kept at least six months
MODELS = (AuditEvent, SecurityEvent)
DELETE_BATCH = 500


class ArchiveError(Exception):
    """The archive could not be written or does not match what was selected: nothing deleted."""


@checks.register(checks.Tags.security, deploy=False)
def check_retention(app_configs=None, **kwargs):
    days = settings.AUDIT_RETENTION_DAYS
    if not isinstance(days, int) or days < MIN_RETENTION_DAYS:
        return [
            checks.Error(
                f"AUDIT_RETENTION_DAYS is {days!r}: audit records must be kept at least "
                f"{MIN_RETENTION_DAYS} days (等保 2.0 三级).",
                hint=f"Set AUDIT_RETENTION_DAYS to {MIN_RETENTION_DAYS} or more.",
                id="dangjian.E101",
            )
        ]
    return []


@dataclass
class ArchiveResult:
    cutoff: datetime
    path: Path | None = None
    manifest_path: Path | None = None
    sha256: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _label(model) -> str:
    return model._meta.label


def _row_json(row: dict) -> dict:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in row.items()
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while piece := fh.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


def _write_file(path: Path, cutoff: datetime) -> dict[str, list[int]]:
    """Every row older than `cutoff` as one JSON line {"model", "row"}; returns the ids written."""
    ids: dict[str, list[int]] = {}
    part = path.with_name(path.name + ".part")
    with gzip.open(part, "wt", encoding="utf-8") as out:
        for model in MODELS:
            columns = [f.attname for f in model._meta.concrete_fields]
            written = ids.setdefault(_label(model), [])
            rows = model.objects.filter(at__lt=cutoff).order_by("id").values(*columns)
            for row in rows.iterator(chunk_size=2000):
                line = {"model": _label(model), "row": _row_json(row)}
                out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
                written.append(row["id"])
        out.flush()
    with part.open("rb") as fh:
        os.fsync(fh.fileno())
    part.rename(path)
    return ids


def verify_archive(path: Path, manifest: dict) -> dict[str, list[int]]:
    """Read the archive back: its SHA-256 and row counts must match the manifest and every line
    must parse. Returns the ids it holds per model."""
    if _sha256(path) != manifest["sha256"]:
        raise ArchiveError(f"{path.name}: SHA-256 does not match the manifest")
    ids: dict[str, list[int]] = {label: [] for label in manifest["counts"]}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                entry = json.loads(line)
                ids[entry["model"]].append(int(entry["row"]["id"]))
    except (OSError, ValueError, KeyError) as exc:
        raise ArchiveError(f"{path.name}: unreadable ({exc})") from exc
    counts = {label: len(found) for label, found in ids.items()}
    if counts != manifest["counts"]:
        raise ArchiveError(f"{path.name}: rows {counts} differ from the manifest")
    return ids


def _delete(ids: dict[str, list[int]]) -> None:
    """Delete exactly the archived rows, past the append-only guards, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL dangjian.audit_archive = 'on'")
        for model in MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            wanted = ids.get(_label(model), [])
            deleted = 0
            for start in range(0, len(wanted), DELETE_BATCH):
                batch = wanted[start : start + DELETE_BATCH]
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", batch)
                deleted += cursor.rowcount
            if deleted != len(wanted):
                raise ArchiveError(f"{_label(model)}: deleted {deleted} of {len(wanted)} rows")


def archive(*, now: datetime | None = None, retention_days: int | None = None) -> ArchiveResult:
    """Archive and then delete the rows older than the retention period. Returns what was done
    (an empty result when no row is old enough)."""
    days = settings.AUDIT_RETENTION_DAYS if retention_days is None else retention_days
    if days < MIN_RETENTION_DAYS:
        raise ArchiveError(f"retention {days} days is below the minimum of {MIN_RETENTION_DAYS}")
    now = now or timezone.now()
    result = ArchiveResult(cutoff=now - timedelta(days=days))
    if not any(model.objects.filter(at__lt=result.cutoff).exists() for model in MODELS):
        return result
    folder = Path(settings.AUDIT_ARCHIVE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    path = folder / f"audit-{stamp}.jsonl.gz"
    if path.exists():
        raise ArchiveError(f"{path} already exists")
    selected = _write_file(path, result.cutoff)
    manifest = {
        "file": path.name,
        "sha256": _sha256(path),
        "created_at": now.isoformat(),
        "cutoff": result.cutoff.isoformat(),
        "retention_days": days,
        "counts": {label: len(ids) for label, ids in selected.items()},
        "format": 'gzip JSON lines: {"model": "core.AuditEvent", "row": {column: value}}',
    }
    manifest_path = folder / f"audit-{stamp}.manifest.json"
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    verified = verify_archive(path, manifest)
    if verified != selected:
        raise ArchiveError(f"{path.name}: the rows read back differ from the rows selected")
    _delete(verified)
    result.path, result.manifest_path = path, manifest_path
    result.sha256, result.counts = manifest["sha256"], manifest["counts"]
    counts = manifest["counts"]
    security_log.record(
        SecurityEvent.Kind.SETTING,
        username="archive_audit",
        detail=(
            f"归档审计记录：早于{timezone.localtime(result.cutoff):%Y-%m-%d %H:%M}的操作记录"
            f"{counts[_label(AuditEvent)]}条、安全审计记录{counts[_label(SecurityEvent)]}条，"
            f"已写入{path.name}（SHA-256 {result.sha256}）并删除"
        ),
        rows=result.total,
    )
    return result
