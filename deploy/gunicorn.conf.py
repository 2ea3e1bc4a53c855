"""gunicorn settings for dangjian (read with `gunicorn --config /etc/dangjian/gunicorn.conf.py`).

Every value can be changed in the environment file of the service (/etc/dangjian/dangjian.env)
without editing this file. nginx in front terminates TLS, buffers slow clients and uploads, and
proxies to the address below; gunicorn never faces the internet itself.
"""

import os

from gunicorn.glogging import Logger

from dangjian.surveys.apps import TOKEN_IN_PATH


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this service may use (cgroups, taskset)
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Where nginx finds gunicorn: loopback only (the upstream of deploy/nginx.conf).
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")]

# Synchronous workers, (2 × cores) + 1 as gunicorn advises: nginx buffers requests and
# responses, so a worker is busy only while Django works.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * _cores() + 1)))

# Long enough for the largest export (the people register of a whole institution as XLSX,
# printable sheets); nginx waits a little longer (proxy_read_timeout 130s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5

# Load Django once in the master: a broken configuration stops the start (systemd shows it)
# instead of failing in every worker, and workers share the loaded code.
preload_app = True


def pre_fork(server, worker):
    """Django opens no database connection while it loads; should anything in the master ever
    hold one, close it before forking, so that no two workers share one connection."""
    from django.db import connections

    connections.close_all()


# Recycle workers now and then, so that no slow growth of memory lasts.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# The request body of a form is limited by Django (DATA_UPLOAD_MAX_MEMORY_SIZE) and nginx
# (client_max_body_size); the request line and headers here.
limit_request_line = 8190
limit_request_fields = 100

# nginx on this machine sets X-Forwarded-Proto / X-Forwarded-For; trust them from loopback only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to standard error and output, that is to the journal under systemd.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
# Method, path without the query string (it may hold searched names or ID numbers), status,
# bytes, milliseconds, the visitor's address as nginx saw it. No referrer: it may hold either.
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
)


class AccessLogger(Logger):
    """The one-time link of an anonymous survey (/surveys/t/<token>/, /api/v1/surveys/forms/
    <token>/) is its secret: the access log shows the path with the token replaced by "…"."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "f", "q"):
            value = atoms.get(key)
            if isinstance(value, str) and "/surveys/" in value:
                atoms[key] = TOKEN_IN_PATH.sub(r"\1…", value)
        return atoms


logger_class = AccessLogger

proc_name = "dangjian"

# No control socket (gunicorn 25.1+ would create ~/.gunicorn/, read-only under systemd's
# ProtectSystem=strict): systemd manages the server (`systemctl reload dangjian` sends HUP).
control_socket_disable = True
