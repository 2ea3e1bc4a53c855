"""Backup and restore of the database and the uploaded files, together, with a manifest.

An archive is ONE `dangjian-backup-<time>.tar.gz` file (easy to copy elsewhere whole, one checksum)
with its checksum file `<archive>.sha256` beside it (`sha256sum -c` format). Inside:

    manifest.json        versions, database vendor, last migration of each app, row counts per
                         table, and path, size and SHA-256 of every file in the archive
    database/dangjian.sqlite3   (SQLite: the online backup API, a consistent copy)
    database/dangjian.pgdump    (PostgreSQL: pg_dump --format=custom, in an exported snapshot)
    media/...            the uploaded files (MEDIA_ROOT)

Consistency. SQLite: `sqlite3.Connection.backup` copies one consistent state while the site runs;
the row counts are read from that copy. PostgreSQL: one REPEATABLE READ transaction exports its
snapshot, pg_dump dumps exactly that snapshot (`--snapshot`) and the row counts are read in it.
The files are copied after the database: an upload is written to disk before the row that refers
to it commits, and stored files are never changed in place, so every file a dumped row refers to
is already there when the copy starts. A file uploaded after the snapshot is copied too (an
unreferenced extra, harmless); a file deleted in the seconds between the dump and its copy is
reported as missing and the backup carries on without it.

Restore checks everything before touching anything: the archive's checksum, then every file's
size and SHA-256 against the manifest, the database vendor (restoring into the other vendor is
not supported), and that the database and MEDIA_ROOT are empty (unless `force`). Then it restores
the database (pg_restore in one transaction into the empty database; SQLite: the file copied into
place while no connection is open), then the files, and verifies row counts and file hashes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database/dangjian.sqlite3"
PGDUMP_NAME = "database/dangjian.pgdump"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


@dataclass
class BackupResult:
    archive: Path
    checksum_file: Path
    archive_size: int
    database_size: int
    media_files: int
    media_size: int
    rows: int
    missing_files: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    vendor: str
    tables: int
    rows: int
    media_files: int
    media_size: int
    moved_aside: Path | None
    mismatches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- database helpers ------------------------------------------------------------------------


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持的数据库类型：{vendor}（仅支持 SQLite 和 PostgreSQL）。")
    return vendor


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        for table in _sqlite_tables(conn)
    }


PG_TABLES_SQL = (
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
)


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute(PG_TABLES_SQL)
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(alias: str = "default", name: str | None = None) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password never shows in `ps`."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    env["PGDATABASE"] = name or str(db["NAME"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"找不到 {command[0]}：请安装 PostgreSQL 客户端（Debian：apt-get install "
            "postgresql-client，版本不低于数据库服务器）。"
        ) from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-2000:]}")


MIGRATIONS_SQL = "SELECT app, name FROM django_migrations"


def _last_migrations(rows) -> dict[str, str]:
    """The last applied migration of each app (by name order, as Django numbers them)."""
    last: dict[str, str] = {}
    for app, name in rows:
        if app not in last or name > last[app]:
            last[app] = name
    return dict(sorted(last.items()))


def database_is_empty() -> bool:
    """Empty means no tables at all (a fresh database: even `migrate` writes rows)."""
    return not connection.introspection.table_names()


# --- backup --------------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    connection.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        connection.connection.backup(dest)
        # Counted in the copy itself: exactly what the archive holds.
        return _sqlite_counts(dest), _last_migrations(dest.execute(MIGRATIONS_SQL))
    finally:
        dest.close()


def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    import psycopg

    db = connection.settings_dict
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        **{k: v for k, v in db.get("OPTIONS", {}).items() if k in {"sslmode", "options"}},
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)
            cursor.execute(MIGRATIONS_SQL)
            migrations = _last_migrations(cursor.fetchall())
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                _pg_env(),
            )
        conn.rollback()
    return counts, migrations


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(output_dir: Path) -> BackupResult:
    vendor = _vendor()
    output_dir = Path(output_dir)
    media_root = Path(settings.MEDIA_ROOT)
    if output_dir.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"备份目录不能放在上传文件目录 {media_root} 里面。")
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"dangjian-backup-{stamp}.tar.gz"
    checksum_file = archive.with_name(archive.name + ".sha256")
    if archive.exists():
        raise BackupError(f"{archive} 已存在，请稍后再试。")

    with tempfile.TemporaryDirectory(prefix="dangjian-backup-", dir=output_dir) as tmp:
        work = Path(tmp)
        (work / "database").mkdir()
        db_name = SQLITE_NAME if vendor == "sqlite" else PGDUMP_NAME
        db_path = work / db_name
        if vendor == "sqlite":
            counts, migrations = _dump_sqlite(db_path)
        else:
            counts, migrations = _dump_postgresql(db_path)
        files = [{"path": db_name, "size": db_path.stat().st_size, "sha256": sha256_file(db_path)}]
        missing: list[str] = []

        old_umask = os.umask(0o077)  # personal data inside: readable by the owner only
        try:
            with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
                tar.add(db_path, arcname=db_name)
                # The files after the database (the module's docstring says why that is safe).
                for path in _media_files(media_root):
                    name = "media/" + path.relative_to(media_root).as_posix()
                    digest = hashlib.sha256()
                    try:
                        with open(path, "rb") as handle:
                            info = tar.gettarinfo(fileobj=handle, arcname=name)
                            # Hash exactly the bytes that go into the archive.
                            tar.addfile(info, _HashingReader(handle, digest))
                    except FileNotFoundError:
                        missing.append(name)
                        continue
                    files.append({"path": name, "size": info.size, "sha256": digest.hexdigest()})
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "dangjian_version": metadata.version("dangjian"),
                    "django_version": django.get_version(),
                    "database": {"vendor": vendor, "file": db_name},
                    "migrations": migrations,
                    "tables": counts,
                    "files": files,
                    "missing_files": missing,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode = len(body), 0o600
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(body))
            checksum_file.write_text(f"{sha256_file(archive)}  {archive.name}\n")
        except BaseException:
            archive.unlink(missing_ok=True)
            checksum_file.unlink(missing_ok=True)
            raise
        finally:
            os.umask(old_umask)

    media = files[1:]
    return BackupResult(
        archive=archive,
        checksum_file=checksum_file,
        archive_size=archive.stat().st_size,
        database_size=files[0]["size"],
        media_files=len(media),
        media_size=sum(f["size"] for f in media),
        rows=sum(counts.values()),
        missing_files=missing,
    )


class _HashingReader:
    """A file wrapper that hashes what tarfile reads from it."""

    def __init__(self, handle, digest):
        self.handle, self.digest = handle, digest

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


# --- restore -------------------------------------------------------------------------------


def verify_archive(archive: Path, work: Path) -> dict:
    """Check the archive's checksum, unpack it into `work` and check every file against the
    manifest. Touches nothing else. Returns the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}")
    checksum_file = archive.with_name(archive.name + ".sha256")
    if not checksum_file.is_file():
        raise BackupError(f"缺少校验文件 {checksum_file}（与备份文件放在一起），未恢复。")
    expected = (checksum_file.read_text().split() or [""])[0].lower()
    if sha256_file(archive) != expected:
        raise BackupError("备份文件的校验值与校验文件不符：文件已损坏或被改动，未恢复。")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"无法解开备份文件：{exc}") from exc
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("备份中没有可读的 manifest.json，未恢复。") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    listed = {entry["path"]: entry for entry in manifest["files"]}
    present = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()} - {MANIFEST}
    problems = [f"多出的文件：{name}" for name in sorted(present - set(listed))]
    problems += [f"缺少的文件：{name}" for name in sorted(set(listed) - present)]
    for name in sorted(set(listed) & present):
        path = work / name
        if (
            path.stat().st_size != listed[name]["size"]
            or sha256_file(path) != listed[name]["sha256"]
        ):
            problems.append(f"校验值不符：{name}")
    if problems:
        raise BackupError("备份内容与清单不符，未恢复：" + "；".join(problems[:20]))
    return manifest


def _restore_sqlite(source: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    if str(target).startswith("file:") or str(target) == ":memory:":
        raise BackupError("SQLite 内存数据库不能恢复，请配置数据库文件。")
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staging)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staging, target)
    os.chmod(target, 0o600)


def _clear_postgresql() -> None:
    """--force: drop everything in the current schema, so pg_restore meets an empty database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        quoted = connection.ops.quote_name(schema)
        cursor.execute(f"DROP SCHEMA {quoted} CASCADE")
        cursor.execute(f"CREATE SCHEMA {quoted}")
    connections.close_all()


def _restore_postgresql(source: Path) -> None:
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        _pg_env(),
    )


def _current_counts() -> dict[str, int]:
    if connection.vendor == "sqlite":
        conn = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            return _sqlite_counts(conn)
        finally:
            conn.close()
    with connection.cursor() as cursor:
        return _pg_counts(cursor)


def _migration_notes(archived: dict[str, str]) -> list[str]:
    """Compare the archive's migrations with this code's: newer code needs `migrate`."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    notes = []
    behind = False
    for app, name in archived.items():
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations:
            notes.append(f"备份中 {app} 的迁移 {name} 在本版本代码中不存在：备份来自较新的版本。")
    for app, name in loader.graph.leaf_nodes():
        if archived.get(app, "") < name:
            behind = True
    if behind:
        notes.append("本版本代码有备份之后的数据库迁移：请运行 dangjian migrate。")
    return notes


def restore_backup(archive: Path, *, force: bool = False, log=lambda message: None):
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="dangjian-restore-") as tmp:
        work = Path(tmp)
        log("正在校验备份文件……")
        manifest = verify_archive(archive, work)
        source_vendor = manifest["database"]["vendor"]
        if source_vendor != vendor:
            raise BackupError(
                f"备份来自 {source_vendor} 数据库，当前配置为 {vendor}：不支持跨数据库类型恢复。"
            )
        if not database_is_empty() and not force:
            raise BackupError(
                "当前数据库不是空的，未恢复。恢复会替换全部数据：确需如此请先另行备份，"
                "再加 --force 参数。"
            )
        if _media_files(media_root) and not force:
            raise BackupError(
                f"上传文件目录 {media_root} 不是空的，未恢复。确需替换请加 --force 参数"
                "（原有文件会移到旁边的 .before-restore 目录，不会删除）。"
            )

        # Everything checked: from here on the database and the files are replaced.
        log("校验通过，正在恢复数据库……")
        db_file = work / manifest["database"]["file"]
        if vendor == "sqlite":
            _restore_sqlite(db_file)
        else:
            if not database_is_empty():
                _clear_postgresql()
            _restore_postgresql(db_file)

        log("正在恢复上传文件……")
        moved_aside = None
        if media_root.exists() and any(media_root.iterdir()):
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            moved_aside = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            media_root.rename(moved_aside)
        media_root.mkdir(parents=True, exist_ok=True)
        media = [f for f in manifest["files"] if f["path"].startswith("media/")]
        for entry in media:
            target = media_root / entry["path"][len("media/") :]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / entry["path"], target)

    # Verify what is now in place against the manifest.
    log("正在核对行数和文件校验值……")
    mismatches = []
    counts = _current_counts()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            mismatches.append(f"表 {table}：应有 {expected} 行，实有 {counts.get(table)} 行")
    for entry in media:
        target = media_root / entry["path"][len("media/") :]
        if not target.is_file() or sha256_file(target) != entry["sha256"]:
            mismatches.append(f"文件校验值不符：{entry['path']}")
    return RestoreResult(
        notes=_migration_notes(manifest["migrations"]),
        vendor=vendor,
        tables=len(manifest["tables"]),
        rows=sum(counts.get(t, 0) for t in manifest["tables"]),
        media_files=len(media),
        media_size=sum(f["size"] for f in media),
        moved_aside=moved_aside,
        mismatches=mismatches,
    )
