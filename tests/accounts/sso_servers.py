"""Tiny identity providers speaking the real protocols, for tests on 127.0.0.1.

CasServer: CAS 2/3 — /cas/login redirects to the service with a one-time ticket,
/cas/p3/serviceValidate (and /cas/serviceValidate) answer the CAS XML.
OidcProvider: discovery, /authorize (code flow, PKCE S256), /token (RS256 id_token, client
secret checked), /jwks, /userinfo."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse
from xml.sax.saxutils import escape

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class _Server:
    def __init__(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urlparse(self.path)
                owner.handle(self, "GET", url.path, parse_qs(url.query), {})

            def do_POST(self):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                owner.handle(self, "POST", url.path, parse_qs(url.query), form)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def reply(handler, status, body=b"", content_type="text/plain", headers=None):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def redirect(self, handler, location):
        self.reply(handler, 302, headers={"Location": location})


def _one(query, name):
    return (query.get(name) or [""])[0]


class CasServer(_Server):
    """Signs in whoever `user` is set to (the campus identity: a 工号/学号)."""

    def __init__(self, user="T1001"):
        super().__init__()
        self.user = user
        self.tickets: dict[str, tuple[str, str]] = {}
        self.validations: list[dict] = []

    @property
    def url(self):
        return self.base + "/cas/"

    def handle(self, handler, method, path, query, form):
        if path == "/cas/login":
            service = _one(query, "service")
            ticket = "ST-" + secrets.token_urlsafe(16)
            self.tickets[ticket] = (service, self.user)
            sep = "&" if "?" in service else "?"
            return self.redirect(handler, f"{service}{sep}{urlencode({'ticket': ticket})}")
        if path in ("/cas/p3/serviceValidate", "/cas/serviceValidate"):
            ticket, service = _one(query, "ticket"), _one(query, "service")
            self.validations.append({"ticket": ticket, "service": service})
            issued = self.tickets.pop(ticket, None)  # one use only
            if issued is None or issued[0] != service:
                code = "INVALID_TICKET" if issued is None else "INVALID_SERVICE"
                body = (
                    '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">'
                    f'<cas:authenticationFailure code="{code}">ticket {escape(ticket)} not '
                    "recognized</cas:authenticationFailure></cas:serviceResponse>"
                )
            else:
                body = (
                    '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">'
                    "<cas:authenticationSuccess>"
                    f"<cas:user>{escape(issued[1])}</cas:user>"
                    "<cas:attributes><cas:displayName>测试</cas:displayName></cas:attributes>"
                    "</cas:authenticationSuccess></cas:serviceResponse>"
                )
            return self.reply(handler, 200, body.encode(), "application/xml; charset=utf-8")
        return self.reply(handler, 404)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OidcProvider(_Server):
    """Signs in a subject whose claims are `claims` (e.g. preferred_username = 工号/学号)."""

    client_id = "dangjian"
    client_secret = "s3cret-for-tests"

    def __init__(self, claims=None):
        super().__init__()
        self.claims = claims or {"sub": "u-1", "preferred_username": "T1001"}
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.codes: dict[str, dict] = {}
        self.sign_with = self.key  # a test may swap in a foreign key

    @property
    def issuer(self):
        return self.base

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.base + "/authorize",
            "token_endpoint": self.base + "/token",
            "userinfo_endpoint": self.base + "/userinfo",
            "jwks_uri": self.base + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def json(self, handler, data, status=200):
        self.reply(handler, status, json.dumps(data).encode(), "application/json")

    def handle(self, handler, method, path, query, form):
        if path == "/.well-known/openid-configuration":
            return self.reply(
                handler, 200, json.dumps(self.discovery()).encode(), "application/json"
            )
        if path == "/jwks":
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
            return self.reply(
                handler, 200, json.dumps({"keys": [jwk]}).encode(), "application/json"
            )
        if path == "/authorize":
            if _one(query, "client_id") != self.client_id or _one(query, "response_type") != "code":
                return self.reply(handler, 400, b"bad request")
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": _one(query, "redirect_uri"),
                "nonce": _one(query, "nonce"),
                "challenge": _one(query, "code_challenge"),
                "claims": dict(self.claims),
            }
            target = _one(query, "redirect_uri")
            params = urlencode({"code": code, "state": _one(query, "state")})
            return self.redirect(handler, f"{target}?{params}")
        if path == "/token" and method == "POST":
            grant = self.codes.pop(_one(form, "code"), None)  # one use only
            ok = (
                grant is not None
                and _one(form, "client_id") == self.client_id
                and _one(form, "client_secret") == self.client_secret
                and _one(form, "redirect_uri") == grant["redirect_uri"]
                and _b64url(hashlib.sha256(_one(form, "code_verifier").encode()).digest())
                == grant["challenge"]
            )
            if not ok:
                body = json.dumps({"error": "invalid_grant"}).encode()
                return self.reply(handler, 400, body, "application/json")
            now = int(time.time())
            id_token = jwt.encode(
                {
                    "iss": self.issuer,
                    "aud": self.client_id,
                    "iat": now,
                    "exp": now + 300,
                    "nonce": grant["nonce"],
                    **grant["claims"],
                },
                self.sign_with,
                algorithm="RS256",
                headers={"kid": self.kid},
            )
            body = {
                "access_token": "at-" + secrets.token_urlsafe(8),
                "token_type": "Bearer",
                "id_token": id_token,
                "expires_in": 300,
            }
            self.userinfo = grant["claims"]
            return self.reply(handler, 200, json.dumps(body).encode(), "application/json")
        if path == "/userinfo":
            body = json.dumps(getattr(self, "userinfo", {})).encode()
            return self.reply(handler, 200, body, "application/json")
        return self.reply(handler, 404)
