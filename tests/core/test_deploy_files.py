"""The production files in deploy/ agree with the settings and keep their promises: every
environment variable is documented, gunicorn's configuration loads and keeps survey tokens out of
its access log, nginx never serves uploads itself, and the systemd units are sandboxed.
(scripts/prod_check.sh runs them for real: gunicorn, nginx, PostgreSQL, Redis.)"""

import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS_SOURCE = ROOT / "src" / "dangjian" / "settings.py"
READS_ENV = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list)\(\s*["']([A-Z0-9_]+)["']"""
)


def env_example_names() -> set[str]:
    text = (DEPLOY / "dangjian.env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def test_env_example_lists_every_variable_the_settings_and_gunicorn_read():
    read = set(READS_ENV.findall(SETTINGS_SOURCE.read_text(encoding="utf-8")))
    read |= set(READS_ENV.findall((DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "GUNICORN_WORKERS"} <= read
    assert not read - env_example_names(), "missing in deploy/dangjian.env.example"


def test_env_example_is_production_ready():
    text = (DEPLOY / "dangjian.env.example").read_text(encoding="utf-8")
    assert re.search(r"^DEBUG=0$", text, re.MULTILINE)
    assert re.search(r"^DANGJIAN_BEHIND_PROXY=1$", text, re.MULTILINE)
    assert re.search(r"^DATABASE_URL=postgres://", text, re.MULTILINE)
    assert re.search(r"^REDIS_URL=redis://", text, re.MULTILINE)
    # systemd's EnvironmentFile and dangjian-manage read the same lines: no shell syntax.
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\"'`$ ]*", line), line


@pytest.fixture(scope="module")
def gunicorn_cfg():
    from gunicorn.config import Config

    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    cfg = Config()
    for name, value in values.items():
        if name in cfg.settings:
            cfg.set(name, value)  # gunicorn's own validation of each value
    return cfg


def test_gunicorn_configuration_loads(gunicorn_cfg):
    cfg = gunicorn_cfg
    assert cfg.bind == ["127.0.0.1:8001"]  # loopback: only nginx reaches it
    assert cfg.workers >= 3
    assert cfg.timeout >= 120  # exports of the whole register
    assert cfg.preload_app is True
    assert cfg.control_socket_disable is True  # no ~/.gunicorn under ProtectSystem=strict
    assert "%(r)s" not in cfg.access_log_format and "%(q)s" not in cfg.access_log_format


def test_gunicorn_access_log_hides_survey_tokens_and_query_strings(gunicorn_cfg):
    from datetime import timedelta

    logger = gunicorn_cfg.logger_class(gunicorn_cfg)
    lines = []
    for path, query in [
        ("/surveys/t/Secr3tToken/", ""),
        ("/surveys/t/Secr3tToken/done/", ""),
        ("/api/v1/surveys/forms/Secr3tToken/", ""),
        ("/org/people/", "q=500000199001011234"),
    ]:
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"{path}?{query}" if query else path,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": f"https://dangjian.example.edu.cn{path}",
        }
        resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
        req = SimpleNamespace(headers=[("X-FORWARDED-FOR", "192.0.2.1")])
        atoms = logger.atoms_wrapper_class(logger.atoms(resp, req, environ, timedelta(0)))
        lines.append(gunicorn_cfg.access_log_format % atoms)
    log = "\n".join(lines)
    assert "Secr3tToken" not in log
    assert "500000199001011234" not in log
    assert "GET /surveys/t/…/done/ HTTP/1.1" in log
    assert "192.0.2.1" in log  # the visitor's address as nginx saw it


def nginx_conf() -> str:
    return (DEPLOY / "nginx.conf").read_text(encoding="utf-8")


def directives(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", nginx_conf(), re.MULTILINE)


def test_nginx_never_serves_files_itself():
    # Uploads only through the application's scoped view; no folder is exposed.
    assert not directives("alias") and not directives("root")
    media = re.search(r"location /media/ \{([^}]*)\}", nginx_conf())
    assert media and "proxy_pass http://dangjian_app;" in media.group(1)


def test_nginx_limits_match_django_and_gunicorn(gunicorn_cfg):
    (size,) = directives("client_max_body_size")
    assert (
        size.endswith("m") and int(size[:-1]) * 1024 * 1024 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    (read_timeout,) = directives("proxy_read_timeout")
    assert int(read_timeout.rstrip("s")) > gunicorn_cfg.timeout
    headers = directives("proxy_set_header")
    assert "X-Forwarded-Proto $scheme" in headers
    assert "X-Forwarded-For $remote_addr" in headers  # one address, not forgeable
    assert "Host $host" in headers
    assert any(server.strip() == "127.0.0.1:8001" for server in directives("server"))


def test_nginx_access_log_map_hides_survey_tokens():
    # The map's regular expression (PCRE), tried with Python's.
    rule = re.search(r'"~(\^[^"]+)"\s+"([^"]+)"', nginx_conf())
    pattern = re.compile(rule.group(1).replace("(?<", "(?P<"))
    replacement = re.sub(r"\$\{(\w+)\}", r"\\g<\1>", rule.group(2))
    for path, logged in [
        ("/surveys/t/Secr3t/", "/surveys/t/-/"),
        ("/surveys/t/Secr3t/done/", "/surveys/t/-/done/"),
        ("/api/v1/surveys/forms/Secr3t/", "/api/v1/surveys/forms/-/"),
    ]:
        assert pattern.sub(replacement, path) == logged
    assert not pattern.match("/surveys/12/")
    assert "$dangjian_logged_uri" in nginx_conf() and "$request " not in nginx_conf()


def unit(name: str) -> str:
    return (DEPLOY / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name", ["dangjian.service", "dangjian-sweep.service", "dangjian-worker.service"]
)
def test_systemd_services_are_sandboxed(name):
    text = unit(name)
    for line in [
        "User=dangjian",
        "EnvironmentFile=/etc/dangjian/dangjian.env",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/srv/dangjian/data",
        "PrivateTmp=yes",
        "ProtectHome=yes",
        "CapabilityBoundingSet=",
    ]:
        assert re.search(rf"^{re.escape(line)}$", text, re.MULTILINE), (name, line)
    # The folder the service may write is the data folder of the env file.
    assert "DANGJIAN_DATA_DIR=/srv/dangjian/data" in unit("dangjian.env.example")


def test_systemd_units_run_gunicorn_and_the_daily_sweep():
    assert "--config /etc/dangjian/gunicorn.conf.py dangjian.wsgi:application" in unit(
        "dangjian.service"
    )
    assert re.search(
        r"^ExecStart=\S+/dangjian sweep_reminders$", unit("dangjian-sweep.service"), re.M
    )
    assert re.search(
        r"^ExecStart=\S+/celery -A dangjian worker ", unit("dangjian-worker.service"), re.M
    )
    timer = unit("dangjian-sweep.timer")
    assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d:\d\d$", timer, re.M)
    assert "Persistent=true" in timer


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_units_verify(tmp_path):
    # The units as shipped, with the programs they start pointed at this virtualenv.
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "gunicorn").exists() and (venv_bin / "dangjian").exists()
    assert (venv_bin / "celery").exists()
    names = ("dangjian.service", "dangjian-sweep.service", "dangjian-sweep.timer")
    for name in (*names, "dangjian-worker.service"):
        text = unit(name).replace("/srv/dangjian/venv/bin", str(venv_bin))
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "dangjian" in line
    ]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr
