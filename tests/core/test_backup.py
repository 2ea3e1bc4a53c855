"""`dangjian backup` and `dangjian restore`, round trips on SQLite and PostgreSQL.

Each test drives the real commands in a child process with its own data folder (SQLite file,
MEDIA_ROOT) or its own PostgreSQL databases, never the test database of pytest-django: a restore
replaces a whole database, which must have no open connection (SQLite) or be a database of its
own (PostgreSQL, created and dropped here).
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]

# Rows of several apps and uploaded files, some in nested folders, some binary, one Chinese name.
POPULATE = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from dangjian.org.models import ImportJob
from tests.factories import make_officer, make_org, make_person, make_user

committee = make_org(None, name="中共示范学院委员会", code="C")
branch = make_org(committee, name="机关一支部", code="BA", category="organ")
officer = make_officer(branch, name="张书记")
for i in range(5):
    make_user(make_person(branch, name=f"党员{i}"))
xlsx = ContentFile(b"PK\\x03\\x04" + bytes(range(256)) * 40)
name = default_storage.save("imports/2026/03/人员名单.xlsx", xlsx)
ImportJob.objects.create(created_by=officer, file=name, original_name="人员名单.xlsx")
default_storage.save("meetings/2026/03/minutes.pdf", ContentFile(b"%PDF-1.7\\n" + b"x" * 5000))
default_storage.save("duty/photo.png", ContentFile(b"\\x89PNG\\r\\n\\x1a\\n" + os.urandom(3000)))
"""

# What a restore must reproduce: row count of every table and SHA-256 of every uploaded file.
SNAPSHOT = """
import django, hashlib, json, pathlib
django.setup()
from django.conf import settings
from django.db import connection
counts = {}
with connection.cursor() as cursor:
    for table in connection.introspection.table_names():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
root = pathlib.Path(settings.MEDIA_ROOT)
files = {
    p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
    for p in sorted(root.rglob("*")) if p.is_file()
} if root.is_dir() else {}
print(json.dumps({"tables": counts, "files": files}))
"""


def child_env(data_dir: Path, database_url: str = "") -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "MEDIA_ROOT", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith("PYTEST")
    }
    env.update(
        DEBUG="1",
        SECRET_KEY="backup-test-key",
        DANGJIAN_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="dangjian.settings",
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def dangjian(env, *args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "dangjian.manage", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"dangjian {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def python(env, code):
    result = subprocess.run(
        [sys.executable, "-c", "import os\n" + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def snapshot(env) -> dict:
    return json.loads(python(env, SNAPSHOT).strip().splitlines()[-1])


def archive_in(folder: Path) -> Path:
    (archive,) = folder.glob("dangjian-backup-*.tar.gz")
    return archive


def rewrite_archive(archive: Path, change, extra=None) -> None:
    """Unpack, let `change(name, data)` alter members, add `extra` ones, repack and write a
    matching .sha256: what someone who tampers with a copy would do."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers() if m.isfile()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    archive.with_name(archive.name + ".sha256").write_text(f"{digest}  {archive.name}\n")


# --- SQLite --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory):
    """A populated SQLite site, its snapshot and its backup archive."""
    base = tmp_path_factory.mktemp("backup-sqlite")
    env = child_env(base / "site")
    dangjian(env, "migrate", "-v", "0")
    python(env, POPULATE)
    before = snapshot(env)
    result = dangjian(env, "backup", "--output", str(base / "backups"))
    return env, base, before, archive_in(base / "backups"), result.stdout


@pytest.mark.slow
def test_sqlite_backup_writes_one_archive_with_manifest_and_checksum(sqlite_backup):
    env, base, before, archive, output = sqlite_backup
    assert str(archive) in output and "上传文件 3 个" in output
    checksum = archive.with_name(archive.name + ".sha256").read_text().split()
    assert checksum[1] == archive.name and len(checksum[0]) == 64
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["django_version"].startswith("5.2")
    assert manifest["dangjian_version"]
    assert manifest["migrations"]["org"].startswith("0")
    assert manifest["tables"] == before["tables"]
    media = {f["path"][len("media/") :]: f["sha256"] for f in manifest["files"][1:]}
    assert media == before["files"]
    assert names == {"manifest.json", *(f["path"] for f in manifest["files"])}


@pytest.mark.slow
def test_sqlite_round_trip_loses_nothing(sqlite_backup, tmp_path):
    env, base, before, archive, _ = sqlite_backup
    target = child_env(tmp_path / "restored")  # empty database, empty MEDIA_ROOT
    result = dangjian(target, "restore", str(archive))
    assert "核对一致" in result.stdout
    assert snapshot(target) == before
    # A second restore meets a database that is no longer empty: refused, nothing changed.
    again = dangjian(target, "restore", str(archive), check=False)
    assert again.returncode != 0
    assert "当前数据库不是空的" in again.stderr
    assert snapshot(target) == before


def copy_site(base: Path, site: Path) -> None:
    """A copy of the populated source site (database file and uploads), without migrating."""
    import shutil

    shutil.copytree(base / "site", site)


@pytest.mark.slow
def test_sqlite_restore_after_emptying_the_site(sqlite_backup, tmp_path):
    env, base, before, archive, _ = sqlite_backup
    site = tmp_path / "site"
    copy_site(base, site)
    target = child_env(site)
    refused = dangjian(target, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "不是空的" in refused.stderr
    # Empty the database and the media, as after a loss, then restore.
    (site / "dangjian.sqlite3").unlink()
    for path in sorted((site / "media").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    dangjian(target, "restore", str(archive))
    assert snapshot(target) == before


@pytest.mark.slow
def test_force_replaces_a_non_empty_site_and_keeps_old_files_aside(sqlite_backup, tmp_path):
    env, base, before, archive, _ = sqlite_backup
    site = tmp_path / "site"
    copy_site(base, site)
    target = child_env(site)
    (site / "media" / "old.txt").write_text("旧文件")
    result = dangjian(target, "restore", "--force", str(archive))
    assert "原有上传文件已移到" in result.stdout
    assert snapshot(target) == before
    (aside,) = site.glob("media.before-restore-*")
    assert (aside / "old.txt").read_text() == "旧文件"


@pytest.mark.slow
@pytest.mark.parametrize(
    "tamper",
    ["flipped byte", "file changed, checksums recomputed", "file added", "checksum file missing"],
)
def test_tampered_archive_is_refused_before_anything_is_touched(
    sqlite_backup, tmp_path, tamper, db
):
    env, base, before, archive, _ = sqlite_backup
    copy = tmp_path / archive.name
    copy.write_bytes(archive.read_bytes())
    sha = copy.with_name(copy.name + ".sha256")
    sha.write_text(archive.with_name(archive.name + ".sha256").read_text())
    if tamper == "flipped byte":
        data = bytearray(copy.read_bytes())
        data[len(data) // 2] ^= 0xFF
        copy.write_bytes(bytes(data))
    elif tamper == "file changed, checksums recomputed":
        rewrite_archive(copy, lambda name, data: data + b"!" if name.startswith("media/") else data)
    elif tamper == "file added":
        rewrite_archive(copy, lambda name, data: data, extra={"media/evil.html": b"<svg>"})
    else:
        sha.unlink()
    # In process: the archive is checked before the (non-empty) test database is even looked at,
    # so the answer is the checksum's, not "database not empty"; and nothing is touched.
    media_root = tmp_path / "media"
    with override_settings(MEDIA_ROOT=media_root), pytest.raises(CommandError) as refused:
        call_command("restore", str(copy), stdout=io.StringIO())
    message = str(refused.value)
    assert "未恢复" in message and "不是空的" not in message
    assert {
        "flipped byte": "校验值与校验文件不符",
        "file changed, checksums recomputed": "校验值不符：media/",
        "file added": "多出的文件：media/evil.html",
        "checksum file missing": "缺少校验文件",
    }[tamper] in message
    assert not media_root.exists()


# --- PostgreSQL ----------------------------------------------------------------------------


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return os.environ.get("DANGJIAN_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(_with_db(url, "postgres"), autocommit=True, connect_timeout=3) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture(scope="module")
def pg_server():
    import shutil

    url = _server_url()
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore not installed (Debian: postgresql-client)")
    try:
        _admin(url, "SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: no server here
        pytest.skip(f"PostgreSQL not reachable at {urlsplit(url).netloc}: {exc}")
    return url


@pytest.mark.slow
def test_postgresql_round_trip_loses_nothing(pg_server, tmp_path):
    suffix = f"{os.getpid()}"
    source_db, target_db = f"dj_backupapi_src_{suffix}", f"dj_backupapi_restore_{suffix}"
    _admin(
        pg_server,
        f'DROP DATABASE IF EXISTS "{source_db}"',
        f'DROP DATABASE IF EXISTS "{target_db}"',
        f'CREATE DATABASE "{source_db}"',
        f'CREATE DATABASE "{target_db}"',
    )
    try:
        source = child_env(tmp_path / "source", _with_db(pg_server, source_db))
        dangjian(source, "migrate", "-v", "0")
        python(source, POPULATE)
        before = snapshot(source)
        dangjian(source, "backup", "--output", str(tmp_path / "backups"))
        archive = archive_in(tmp_path / "backups")
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
        assert manifest["database"] == {"vendor": "postgresql", "file": "database/dangjian.pgdump"}
        assert manifest["tables"] == before["tables"]

        # Into the non-empty source: refused.
        refused = dangjian(source, "restore", str(archive), check=False)
        assert refused.returncode != 0 and "不是空的" in refused.stderr

        # Into an empty database with an empty MEDIA_ROOT: everything back.
        target = child_env(tmp_path / "target", _with_db(pg_server, target_db))
        result = dangjian(target, "restore", str(archive))
        assert "核对一致" in result.stdout
        assert snapshot(target) == before

        # A SQLite site does not take a PostgreSQL archive.
        other = dangjian(child_env(tmp_path / "sqlite"), "restore", str(archive), check=False)
        assert other.returncode != 0 and "不支持跨数据库类型恢复" in other.stderr
    finally:
        _admin(
            pg_server,
            f'DROP DATABASE IF EXISTS "{source_db}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{target_db}" WITH (FORCE)',
        )


def test_backup_refuses_to_write_inside_the_uploads(tmp_path):
    # Else each backup would carry the previous ones (and serve them as uploads).
    with override_settings(MEDIA_ROOT=tmp_path), pytest.raises(CommandError, match="上传文件目录"):
        call_command("backup", "--output", str(tmp_path / "backups"), stdout=io.StringIO())
    assert not (tmp_path / "backups").exists()
