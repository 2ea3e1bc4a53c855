"""A migrated template database, built once and copied into every worker's test database.

Running the 70-odd migrations costs about 25 s of CPU on an idle machine (far more on a busy
one), almost all of it Django rendering model states in Python, and every pytest-xdist worker
used to pay it. Instead the migrations run once, in a child process, into a template:

- SQLite (in-memory test databases): a file under ``$TMPDIR/dangjian-test-db/``, copied into
  each worker's in-memory database with SQLite's backup API (milliseconds);
- PostgreSQL: a database ``test_<NAME>_tpl_<key>``, and each worker's test database is
  ``CREATE DATABASE ... TEMPLATE`` of it (about a second).

Django then "keeps" that database (``keepdb``): its ``migrate`` finds nothing to apply, and the
serialized contents, cache tables and post-migrate signal are done as usual. The worker's
database is dropped at the end as before; the template stays for the next run.

The template's key is a hash of everything that decides what the migrations build: every
``*.py`` under ``src/`` (migrations and the code they import), ``tests/settings.py``, the
installed distributions and their versions, the Python version and the database engine and
name. Any change to one of them builds a new template, so a stale schema is never reused (unlike
``--reuse-db``). Building happens under a file lock, into a temporary name renamed when
complete, so concurrent runs and workers never see a half-built template. Templates unused for
a few days are removed.

Not used with ``--reuse-db``, ``--create-db``, ``--no-migrations``, for other engines, or when
``DANGJIAN_TEST_DB_TEMPLATE=0``; then pytest-django migrates each worker's database itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "dangjian-test-db"
KEEP_SECONDS = 3 * 24 * 3600
SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"


def enabled(config: Any) -> bool:
    if os.environ.get("DANGJIAN_TEST_DB_TEMPLATE", "1") == "0":
        return False
    options = config.option
    return not (
        getattr(options, "reuse_db", False)
        or getattr(options, "create_db", False)
        or getattr(options, "nomigrations", False)
    )


def fingerprint(settings_dict: dict[str, Any]) -> str:
    """What decides the migrated schema and data; a change builds a new template."""
    digest = hashlib.sha256()
    sources = sorted((ROOT / "src").rglob("*.py")) + [ROOT / "tests" / "settings.py"]
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    distributions = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions()
    )
    digest.update("\n".join(distributions).encode())
    digest.update(sys.version.encode())
    digest.update(f"{settings_dict['ENGINE']}|{settings_dict.get('NAME')}".encode())
    return digest.hexdigest()[:16]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _migrate(database_url: str) -> None:
    """Run the migrations into `database_url` in a child process, as the test run would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="tests.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrating the template database failed:\n{result.stderr[-4000:]}")


def _prune() -> None:
    now = time.time()
    for path in CACHE.glob("*.sqlite3"):
        try:
            if now - path.stat().st_mtime > KEEP_SECONDS:
                path.unlink()
        except FileNotFoundError:
            pass


# --- SQLite ------------------------------------------------------------------------------------


class SqliteClone:
    """The worker's in-memory test database, filled from the template file."""

    def __init__(self, connection: Any) -> None:
        key = fingerprint(connection.settings_dict)
        template = CACHE / f"sqlite-{key}.sqlite3"
        with _locked(f"sqlite-{key}"):
            if not template.exists():
                _prune()
                partial = template.with_suffix(f".{os.getpid()}.partial")
                partial.unlink(missing_ok=True)
                try:
                    _migrate(f"sqlite:///{partial}")
                    os.replace(partial, template)
                finally:
                    partial.unlink(missing_ok=True)
            os.utime(template)
        # Django's in-memory test database is shared-cache and lives while a connection is open:
        # this one keeps it alive for the whole session.
        name = connection.creation._get_test_db_name()
        self.keeper = sqlite3.connect(name, uri=True, check_same_thread=False)
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(self.keeper)
        finally:
            source.close()

    def drop(self) -> None:
        self.keeper.close()


# --- PostgreSQL --------------------------------------------------------------------------------


def _url_for(dbname: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{dbname}"))


class PostgresClone:
    """The worker's test database, created from the template database."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        settings = connection.settings_dict
        self.name = connection.creation._get_test_db_name()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        base = self.name.removesuffix(f"_{worker}") if worker else self.name
        key = fingerprint(settings)
        prefix = f"{base}_tpl_"[:39]  # + key (16) + "_partial" (8) within PostgreSQL's 63
        template = f"{prefix}{key}"
        suffix = connection.creation.sql_table_creation_suffix()
        with _locked(f"pg-{prefix}"):
            existing = self._fetch("SELECT datname FROM pg_database WHERE datname LIKE %s", prefix)
            if template not in existing:
                for old in existing:  # earlier keys of this database: no longer current
                    self._execute(f"DROP DATABASE IF EXISTS {self._quote(old)} WITH (FORCE)")
                partial = f"{template}_partial"
                self._execute(f"DROP DATABASE IF EXISTS {self._quote(partial)} WITH (FORCE)")
                self._execute(f"CREATE DATABASE {self._quote(partial)} {suffix}")
                try:
                    _migrate(_url_for(partial))
                    self._execute(
                        f"ALTER DATABASE {self._quote(partial)} RENAME TO {self._quote(template)}"
                    )
                except BaseException:
                    self._execute(f"DROP DATABASE IF EXISTS {self._quote(partial)} WITH (FORCE)")
                    raise
            self._execute(f"DROP DATABASE IF EXISTS {self._quote(self.name)} WITH (FORCE)")
            self._execute(
                f"CREATE DATABASE {self._quote(self.name)} TEMPLATE {self._quote(template)}"
            )

    def _quote(self, name: str) -> str:
        return self.connection.ops.quote_name(name)

    def _execute(self, sql: str) -> None:
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(sql)

    def _fetch(self, sql: str, prefix: str) -> list[str]:
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(sql, [prefix.replace("_", r"\_") + "%"])
            return [row[0] for row in cursor.fetchall()]

    def drop(self) -> None:
        from django.db import connections

        connections.close_all()
        self._execute(f"DROP DATABASE IF EXISTS {self._quote(self.name)} WITH (FORCE)")


def clone(connection: Any) -> SqliteClone | PostgresClone | None:
    """Fill the worker's test database from the template, or None where not supported."""
    settings = connection.settings_dict
    if settings["ENGINE"] == SQLITE and connection.creation.is_in_memory_db(
        connection.creation._get_test_db_name()
    ):
        return SqliteClone(connection)
    if settings["ENGINE"] == POSTGRESQL and os.environ.get("DATABASE_URL"):
        return PostgresClone(connection)
    return None
