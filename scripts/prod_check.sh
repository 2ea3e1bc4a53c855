#!/usr/bin/env bash
# Production check: build the production configuration from this checkout exactly as the README
# says (DEBUG=0, PostgreSQL, Redis, collectstatic, migrate, gunicorn with deploy/gunicorn.conf.py,
# nginx with deploy/nginx.conf when nginx is installed) and check it over HTTP(S) with curl.
# Prints one line per check; exits non-zero when any check fails.
#
# Needs: a PostgreSQL server (superuser access), Redis, curl; nginx and openssl optional.
# Environment (all optional):
#   PROD_CHECK_PG         server URL without database  (postgres://postgres@127.0.0.1:5432)
#   PROD_CHECK_DB         database, dropped first       (dangjian_prod_check)
#   PROD_CHECK_REDIS_URL  Redis database for the cache  (redis://127.0.0.1:6379/1)
#   PROD_CHECK_NGINX      0 to check gunicorn alone even when nginx is installed
#   PROD_CHECK_KEEP       1 to keep the database and the temporary folder afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
started=$SECONDS

PG="${PROD_CHECK_PG:-postgres://postgres@127.0.0.1:5432}"
DB="${PROD_CHECK_DB:-dangjian_prod_check}"
REDIS="${PROD_CHECK_REDIS_URL:-redis://127.0.0.1:6379/1}"
HOST=dangjian.example.edu.cn
VENV="${VENV:-$ROOT/.venv}"

say() { printf '\n--- %s\n' "$*"; }
passed=0
failed=0
ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$*"; }
die() { printf 'prod_check: %s\n' "$*" >&2; exit 1; }

# --- the virtualenv: the production lock when none is there yet (CI has made one) -------------
if [ ! -x "$VENV/bin/dangjian" ] || [ ! -x "$VENV/bin/gunicorn" ]; then
  say "Installing into $VENV (requirements.lock)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.lock
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -e .
fi
DJ="$VENV/bin/dangjian"
PY="$VENV/bin/python"

# --- services --------------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
redis_up() { "$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$REDIS" 2>/dev/null; }
if ! redis_up && command -v redis-server >/dev/null; then
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null || true
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
fi
redis_up || die "Redis does not answer at $REDIS"

TMP="$(mktemp -d /tmp/dangjian-prod-check.XXXXXX)"
chmod 0755 "$TMP"
GUNICORN_PID=""
WORKER_PID=""
NGINX_PID=""
cleanup() {
  local code=$?
  # INT: quick shutdown (TERM waits for the graceful timeout).
  [ -n "$GUNICORN_PID" ] && kill -INT "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  [ -n "$WORKER_PID" ] && kill -TERM "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
  # This run's cache keys (throttles, lockouts) in Redis.
  "$PY" -c "import redis, sys; r = redis.Redis.from_url(sys.argv[1]); [r.delete(k) for k in r.scan_iter(sys.argv[2] + ':*')]" \
    "$REDIS" "${CACHE_KEY_PREFIX:-none}" 2>/dev/null || true
  if [ "${PROD_CHECK_KEEP:-0}" = 1 ]; then
    echo "Kept: $TMP and database $DB"
  else
    psql "$PG/postgres" -qX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    if [ "$code" = 0 ]; then rm -rf "$TMP"; else echo "Logs kept in $TMP"; fi
  fi
  exit "$code"
}
trap cleanup EXIT INT TERM

free_port() { "$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

# --- the production environment (what /etc/dangjian/dangjian.env holds) ----------------------
unset STATIC_ROOT MEDIA_ROOT
export DJANGO_SETTINGS_MODULE=dangjian.settings
export DEBUG=0
export SECRET_KEY="prod-check-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export DANGJIAN_DATA_KEYS="pc1:$(head -c 32 /dev/urandom | base64)"
export DANGJIAN_HASH_KEY="$(head -c 32 /dev/urandom | base64)"
export ALLOWED_HOSTS="$HOST"
export CSRF_TRUSTED_ORIGINS="https://$HOST"
export DATABASE_URL="$PG/$DB"
export REDIS_URL="$REDIS"
export CACHE_KEY_PREFIX="prodcheck$$"
# The jobs' queue (Redis is the broker): two checks sharing one Redis never run each other's jobs.
export CELERY_TASK_DEFAULT_QUEUE="prodcheck$$"
export DANGJIAN_BEHIND_PROXY=1
export DANGJIAN_DATA_DIR="$TMP/data"
mkdir -p "$DANGJIAN_DATA_DIR"
PASSWORD="Pc-$(head -c 18 /dev/urandom | base64 | tr -d '\n/+=')"

timed() {  # timed LABEL command...: run, print the label with the seconds it took
  local label=$1 t0=$SECONDS
  shift
  if "$@" >"$TMP/step.log" 2>&1; then
    ok "$label ($((SECONDS - t0)) s)"
  else
    bad "$label"
    tail -30 "$TMP/step.log"
    exit 1
  fi
}

say "Build the production configuration (DEBUG=0, PostgreSQL $DB, Redis $REDIS)"
timed "fresh database $DB" psql "$PG/postgres" -qX -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
timed "check --deploy --fail-level WARNING" "$DJ" check --deploy --fail-level WARNING
timed "collectstatic --noinput" "$DJ" collectstatic --noinput
timed "migrate" "$DJ" migrate --noinput
timed "officers, people and a task" env PROD_CHECK_PASSWORD="$PASSWORD" \
  "$DJ" shell -c "$(cat scripts/prod_check_setup.py)"
TASK="$("$PY" -c "import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])['task'])" <"$TMP/step.log")"
MEMBER="$("$PY" -c "import json,sys; print(json.loads(sys.stdin.read().splitlines()[-1])['member'])" <"$TMP/step.log")"
timed "sweep_reminders (the timer's command)" "$DJ" sweep_reminders

say "Start gunicorn (deploy/gunicorn.conf.py) on loopback"
APP_PORT="$(free_port)"
GUNICORN_BIND="127.0.0.1:$APP_PORT" GUNICORN_WORKERS=2 \
  "$VENV/bin/gunicorn" --config deploy/gunicorn.conf.py dangjian.wsgi:application \
  >"$TMP/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" -H "X-Forwarded-Proto: https" \
    "http://127.0.0.1:$APP_PORT/login/" || true)"
  [ "$code" = 200 ] && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -30 "$TMP/gunicorn.log"; die "gunicorn exited"; }
  sleep 1
done
[ "$code" = 200 ] && ok "gunicorn answers on 127.0.0.1:$APP_PORT" \
  || { tail -30 "$TMP/gunicorn.log"; die "gunicorn does not answer (last status $code)"; }

say "Start the job worker (celery, as deploy/dangjian-worker.service) with Redis as broker"
"$VENV/bin/celery" -A dangjian worker --loglevel=INFO --concurrency=1 --max-tasks-per-child=100 \
  >"$TMP/worker.log" 2>&1 &
WORKER_PID=$!
for _ in $(seq 1 60); do
  grep -q "ready\." "$TMP/worker.log" && break
  kill -0 "$WORKER_PID" 2>/dev/null || { tail -30 "$TMP/worker.log"; die "celery worker exited"; }
  sleep 1
done
grep -q "ready\." "$TMP/worker.log" && ok "celery worker ready (queue $CELERY_TASK_DEFAULT_QUEUE)" \
  || { tail -30 "$TMP/worker.log"; die "celery worker not ready"; }

# Requests go through nginx (TLS, deploy/nginx.conf) when it is installed, else to gunicorn
# with the headers nginx would set.
CURL=(curl -sS --max-time 60)
NGINX_LOG=""
if [ "${PROD_CHECK_NGINX:-1}" != 0 ] && command -v nginx >/dev/null && command -v openssl >/dev/null; then
  say "Start nginx (deploy/nginx.conf) in front, with a self-signed certificate"
  mkdir -p "$TMP/nginx"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" \
    -keyout "$TMP/nginx/privkey.pem" -out "$TMP/nginx/fullchain.pem" 2>/dev/null
  TLS_PORT="$(free_port)"
  HTTP_PORT="$(free_port)"
  # The site file as shipped; only ports, paths and the upstream address differ.
  sed -e "s#/etc/ssl/dangjian/#$TMP/nginx/#; s#/var/log/nginx/#$TMP/nginx/#" \
    -e "/listen \[::\]/d; s/listen 443 ssl/listen 127.0.0.1:$TLS_PORT ssl/" \
    -e "s/listen 80;/listen 127.0.0.1:$HTTP_PORT;/; s/127.0.0.1:8001;/127.0.0.1:$APP_PORT;/" \
    deploy/nginx.conf >"$TMP/nginx/site.conf"
  user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat >"$TMP/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
error_log $TMP/nginx/error.log;
pid $TMP/nginx/nginx.pid;
events {}
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  include $TMP/nginx/site.conf;
}
EOF
  if nginx -q -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/test.log"; then
    ok "nginx -t accepts deploy/nginx.conf"
  else
    bad "nginx -t accepts deploy/nginx.conf"
    cat "$TMP/nginx/test.log"
    exit 1
  fi
  nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
  for _ in $(seq 1 20); do [ -s "$TMP/nginx/nginx.pid" ] && break; sleep 0.5; done
  NGINX_PID="$(cat "$TMP/nginx/nginx.pid")"
  BASE="https://$HOST:$TLS_PORT"
  CURL+=(-k --resolve "$HOST:$TLS_PORT:127.0.0.1")
  PLAIN=(curl -sS --max-time 10 -H "Host: $HOST" "http://127.0.0.1:$HTTP_PORT/login/")
  NGINX_LOG="$TMP/nginx/dangjian.access.log"
else
  say "nginx not installed: checking gunicorn directly, with the headers nginx sets"
  BASE="http://127.0.0.1:$APP_PORT"
  CURL+=(-H "Host: $HOST" -H "X-Forwarded-Proto: https" -H "X-Forwarded-For: 192.0.2.10")
  PLAIN=(curl -sS --max-time 10 -H "Host: $HOST" "http://127.0.0.1:$APP_PORT/login/")
fi

# req METHOD PATH [curl args]: the status in $CODE, the body in $TMP/body, headers in $TMP/headers
req() {
  local method=$1 path=$2
  shift 2
  CODE="$("${CURL[@]}" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -X "$method" "$@" \
    "$BASE$path" 2>>"$TMP/curl.log")" || CODE=000
}
header() { { grep -i "^$1:" "$TMP/headers" | head -1 | cut -d: -f2- | sed 's/^ *//' | tr -d '\r'; } || true; }
cookie() { { grep -i "^set-cookie: *$1=" "$TMP/headers" | head -1 | sed -E "s/^[^=]*=([^;]*).*/\1/" | tr -d '\r'; } || true; }
json() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$TMP/body" 2>/dev/null; }

# signin USER: a web session through the login form (CSRF cookie and token, Referer as a browser).
signin() {
  req GET /login/
  local csrf
  csrf="$(cookie csrftoken)"
  req POST /login/ -H "Cookie: csrftoken=$csrf" -H "Referer: https://$HOST/login/" \
    --data-urlencode "csrfmiddlewaretoken=$csrf" --data-urlencode "username=$1" \
    --data-urlencode "password=$PASSWORD"
  SESSION="$(cookie sessionid)"
  SESSION_FLAGS="$(grep -i '^set-cookie: *sessionid=' "$TMP/headers" | tr -d '\r' || true)"
  [ "$CODE" = 302 ] && [ -n "$SESSION" ]
}

say "Checks over HTTP$([ -n "$NGINX_LOG" ] && echo S through nginx) at $BASE"

req GET /login/
if [ "$CODE" = 200 ]; then ok "login page 200"; else bad "login page: $CODE"; fi
hsts="$(header Strict-Transport-Security)"
[[ "$hsts" =~ max-age=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 31536000 ] \
  && ok "Strict-Transport-Security: $hsts" || bad "Strict-Transport-Security: '$hsts'"
[ "$(header X-Content-Type-Options)" = nosniff ] \
  && ok "X-Content-Type-Options: nosniff" || bad "X-Content-Type-Options: '$(header X-Content-Type-Options)'"
[ -n "$(header Referrer-Policy)" ] \
  && ok "Referrer-Policy: $(header Referrer-Policy)" || bad "Referrer-Policy missing"
xfo="$(header X-Frame-Options)"
csp="$(header Content-Security-Policy)"
if [ "$xfo" = DENY ] || [[ "$csp" == *"frame-ancestors 'none'"* ]]; then
  ok "framing refused (X-Frame-Options: ${xfo:--}; CSP frame-ancestors: $([[ "$csp" == *frame-ancestors* ]] && echo yes || echo no))"
else
  bad "framing not refused (X-Frame-Options '$xfo', CSP '$csp')"
fi
[ -n "$csp" ] && ok "Content-Security-Policy: $csp" || echo "  info  no Content-Security-Policy header"
[ -z "$(header Server | grep -i nginx/)" ] && ok "no server version in Server: '$(header Server)'" \
  || bad "server version disclosed: $(header Server)"

# Static files: the page names hashed files (the manifest), and each is served with a long cache.
grep -oE '(href|src)="/static/[^"]+"' "$TMP/body" | sed -E 's/^(href|src)="//; s/"$//' | sort -u >"$TMP/static.txt"
total="$(wc -l <"$TMP/static.txt")"
unhashed="$(grep -cvE '\.[0-9a-f]{12}\.[A-Za-z0-9]+$' "$TMP/static.txt" || true)"
[ "$total" -gt 0 ] && [ "$unhashed" = 0 ] \
  && ok "login page links $total static files, all by hashed name" \
  || bad "static links: $total, not hashed: $unhashed"
served=0
while read -r link; do
  req GET "$link"
  if [ "$CODE" = 200 ] && [[ "$(header Cache-Control)" == *immutable* ]]; then
    served=$((served + 1))
  else
    bad "static file $link: $CODE, Cache-Control '$(header Cache-Control)'"
  fi
done <"$TMP/static.txt"
[ "$served" = "$total" ] && ok "each static file 200 with Cache-Control immutable ($served)"
css="$(grep -m1 'bootstrap.min.*css' "$TMP/static.txt" || true)"
if [ -n "$css" ]; then
  req GET "$css" -H "Accept-Encoding: gzip"
  [ "$CODE" = 200 ] && [[ "$(header Content-Type)" == text/css* ]] \
    && ok "static file $css 200, $(header Content-Type), $(header Content-Encoding || true) $(wc -c <"$TMP/body") bytes" \
    || bad "static file $css: $CODE $(header Content-Type)"
fi

code="$("${PLAIN[@]}" -o /dev/null -D "$TMP/headers" -w '%{http_code}' || true)"
[[ "$code" = 301 && "$(header Location)" == https://* ]] \
  && ok "plain HTTP redirects to HTTPS ($code → $(header Location))" \
  || bad "plain HTTP: $code → '$(header Location)'"

req GET /no-such-page/
[ "$CODE" = 404 ] && ! grep -qiE "traceback|urlconf|DEBUG = True" "$TMP/body" \
  && ok "unknown page 404 without debug information" || bad "unknown page: $CODE"

# API with a token obtained as a client would.
req POST /api/v1/auth/token/ --data-urlencode "username=prodcheck_officer" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "name=prod_check"
TOKEN="$(json "d['token']" || true)"
[ "$CODE" = 200 ] && [ -n "$TOKEN" ] && ok "API token issued (POST /api/v1/auth/token/ 200)" \
  || bad "API token: $CODE $(head -c 200 "$TMP/body")"
AUTH=(-H "Authorization: Token $TOKEN")

req GET /api/v1/people/ "${AUTH[@]}"
people="$(json "len(d['results'])" || echo 0)"
[ "$CODE" = 200 ] && [ "$people" -ge 2 ] && ok "API list with the token: GET /api/v1/people/ 200, $people people in scope" \
  || bad "API list: $CODE, $people rows"
req GET /api/v1/people/
[[ "$CODE" = 401 || "$CODE" = 403 ]] && ok "API list without a token: $CODE" || bad "API list without a token: $CODE"

# An upload through the API, then its download through the scoped /media/ view.
printf '%s\n' '%PDF-1.4' '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj' \
  '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj' 'trailer <</Root 1 0 R>>' '%%EOF' \
  >"$TMP/evidence.pdf"
req POST "/api/v1/tasks/$TASK/progress/" "${AUTH[@]}" -F "reported_on=$(date +%F)" \
  -F percent=50 -F "note=上线检查：进展过半" -F "evidence=@$TMP/evidence.pdf;type=application/pdf"
MEDIA="$(json "d['evidence']" | sed -E 's#^https?://[^/]+##' || true)"
[ "$CODE" = 201 ] && [[ "$MEDIA" == /media/* ]] \
  && ok "upload through the API: POST /api/v1/tasks/$TASK/progress/ 201, stored as $MEDIA" \
  || bad "upload: $CODE $(head -c 300 "$TMP/body")"

if signin prodcheck_officer; then
  [[ "$SESSION_FLAGS" == *[Ss]ecure* && "$SESSION_FLAGS" == *[Hh]ttp[Oo]nly* ]] \
    && ok "web sign-in 302; session cookie Secure, HttpOnly" || bad "session cookie flags: $SESSION_FLAGS"
  req GET "$MEDIA" -H "Cookie: sessionid=$SESSION"
  cmp -s "$TMP/body" "$TMP/evidence.pdf" && [ "$CODE" = 200 ] \
    && ok "download by the officer in scope: 200, same bytes, $(header Content-Type)$( [ -n "$(header Content-Disposition)" ] && echo ", $(header Content-Disposition)")" \
    || bad "download by the officer: $CODE"
  # An export is a job: queued by the page, run by the worker, downloaded from 我的导出.
  req GET /org/people/export.xlsx -H "Cookie: sessionid=$SESSION"
  JOB_URL="$(header Location | sed -E 's#^https?://[^/]+##')"
  if [ "$CODE" = 302 ] && [[ "$JOB_URL" =~ ^/jobs/[0-9]+/$ ]]; then
    ok "export started as a job: 302 to $JOB_URL"
    for _ in $(seq 1 60); do
      req GET "${JOB_URL}progress/" -H "Cookie: sessionid=$SESSION"
      grep -q "hx-trigger" "$TMP/body" || break
      sleep 1
    done
    grep -q "已生成" "$TMP/body" && ok "the worker finished the export: $(grep -o '已生成[^。]*' "$TMP/body" | head -1)" \
      || bad "export job not done: $(grep -o 'alert[^<]*<[^<]*' "$TMP/body" | head -1)"
    req GET "${JOB_URL}file/" -H "Cookie: sessionid=$SESSION"
    [ "$CODE" = 200 ] && [ "$(head -c 2 "$TMP/body")" = PK ] \
      && ok "export file downloaded: 200, $(wc -c <"$TMP/body") bytes, $(header Content-Type)" \
      || bad "export file: $CODE"
  else
    bad "export: $CODE → '$JOB_URL'"
  fi
  # A print page's PDF (WeasyPrint with Pango and fonts-noto-cjk, the collected static files).
  req GET "/reports/people/$MEMBER/file.pdf" -H "Cookie: sessionid=$SESSION"
  [ "$CODE" = 200 ] && [ "$(head -c 5 "$TMP/body")" = %PDF- ] \
    && ok "一人一档 PDF downloaded: 200, $(wc -c <"$TMP/body") bytes, $(header Content-Type)" \
    || bad "一人一档 PDF: $CODE $(grep -o '暂不能生成PDF' "$TMP/body" | head -1)"
else
  bad "web sign-in as the officer: $CODE"
fi
req GET "$MEDIA"
[ "$CODE" = 404 ] || { [ "$CODE" = 302 ] && [[ "$(header Location)" == */login/* ]]; } \
  && ! cmp -s "$TMP/body" "$TMP/evidence.pdf" \
  && ok "download anonymous: $CODE$([ "$CODE" = 302 ] && echo " to the sign-in page")" \
  || bad "download anonymous: $CODE"
if signin prodcheck_other; then
  req GET "$MEDIA" -H "Cookie: sessionid=$SESSION"
  [ "$CODE" = 404 ] && ok "download by an officer of another branch: 404" \
    || bad "download by an officer of another branch: $CODE"
  if [ -n "${JOB_URL:-}" ]; then
    req GET "${JOB_URL}file/" -H "Cookie: sessionid=$SESSION"
    [ "$CODE" = 404 ] && ok "another officer's export file: 404" || bad "another officer's export file: $CODE"
  fi
else
  bad "web sign-in as the other officer: $CODE"
fi

# The link of an anonymous survey is its secret: no log may hold it.
SECRET="prodcheckSECRET$$x"
req GET "/surveys/t/$SECRET/"
req GET "/api/v1/surveys/forms/$SECRET/"
sleep 1
if grep -q "$SECRET" "$TMP/gunicorn.log" ${NGINX_LOG:+"$NGINX_LOG"}; then
  bad "a survey link token appears in the logs"
else
  ok "survey link tokens absent from the gunicorn$([ -n "$NGINX_LOG" ] && echo " and nginx") logs"
fi

say "Server log"
if grep -n "Traceback" "$TMP/gunicorn.log"; then
  bad "gunicorn's log holds a Traceback"
  grep -n -A25 -m1 "Traceback" "$TMP/gunicorn.log"
else
  ok "no Traceback in gunicorn's log ($(wc -l <"$TMP/gunicorn.log") lines)"
fi
if grep -n "Traceback" "$TMP/worker.log"; then
  bad "the worker's log holds a Traceback"
  grep -n -A25 -m1 "Traceback" "$TMP/worker.log"
else
  ok "no Traceback in the worker's log ($(wc -l <"$TMP/worker.log") lines)"
fi

printf '\nProduction check: %d passed, %d failed, %d s\n' "$passed" "$failed" "$((SECONDS - started))"
[ "$failed" = 0 ]
