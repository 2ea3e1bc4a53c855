"""三员分立: which paths each administrator role may open. Pure rules (no Django imports);
the one place that enforces them is core.security_audit.SecurityAuditMiddleware.

- 审计管理员 (audit): the audit pages under /audit/ and their own sign-in, sign-out and
  password — nothing else: no other page, no API, no admin.
- 安全管理员 (security): everything their other rights allow; under /audit/ only the
  security events.
- 系统管理员 (system) and everyone else: no page under /audit/.
"""

AUDIT_PREFIX = "/audit/"
SECURITY_EVENTS_PREFIX = "/audit/security/"
# What the audit administrator may open besides the audit pages: signing in (with its
# second-factor step) and out, their own password and second factor, static files (the
# middleware adds AUDIT_ROLE_EXTRA_PATHS from settings).
AUDITOR_PATHS = ("/login/", "/logout/", "/password/", "/static/", "/account/otp/")

ALLOW = "allow"
REFUSE = "refuse"
TO_AUDIT = "to_audit"  # the auditor's home: the audit log instead of the dashboard
TO_SECURITY = "to_security"


def decide(role: str, path: str, extra_paths: tuple[str, ...] = ()) -> str:
    """What happens when a user whose admin role is `role` requests `path`."""
    if role == "audit":
        if path == "/":
            return TO_AUDIT
        if path.startswith(AUDIT_PREFIX) or path.startswith(AUDITOR_PATHS + tuple(extra_paths)):
            return ALLOW
        return REFUSE
    if not path.startswith(AUDIT_PREFIX):
        return ALLOW
    if role == "security":
        if path == AUDIT_PREFIX:
            return TO_SECURITY
        return ALLOW if path.startswith(SECURITY_EVENTS_PREFIX) else REFUSE
    return REFUSE


REFUSAL_MESSAGES = {
    "audit": "审计管理员只能查阅审计日志，不能访问其他功能。",
    "security": "安全管理员只能查阅安全审计记录。",
    "other": "审计日志仅供审计管理员查阅（三员分立）。",
}


def refusal_message(role: str) -> str:
    return REFUSAL_MESSAGES.get(role, REFUSAL_MESSAGES["other"])
