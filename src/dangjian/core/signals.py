"""Sign-in, sign-out and account changes into the security audit; ending a user's tokens and
sessions when the password changes or the account is deactivated.

Sessions need no list of their own: Django checks each session against a hash of the password
(a changed password ends every other session at its next request) and refuses inactive users
(AuthenticationMiddleware signs them out), so revoking the API tokens completes the job."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from dangjian.core import authguard, security_log, tokens
from dangjian.core.models import SecurityEvent

SESSION_STARTED = "auth_started"
SESSION_LAST_SEEN = "auth_last_seen"


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    now = int(time.time())
    if hasattr(request, "session"):
        request.session[SESSION_STARTED] = now
        request.session[SESSION_LAST_SEEN] = now
    authguard.succeeded(request, user, detail=getattr(request, "login_detail", ""))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    security_log.record(
        SecurityEvent.Kind.LOGOUT,
        request=request,
        user=user,
        detail=getattr(request, "logout_detail", ""),
    )


@receiver(post_save, sender=get_user_model())
def _account_saved(sender, instance, created, **kwargs):
    if created:
        return
    # set_password() keeps the new password in _password until save(); a hash upgrade at
    # sign-in does not, so it does not count as a change.
    if getattr(instance, "_password", None) is not None:
        security_log.record(SecurityEvent.Kind.PASSWORD, user=instance, detail="密码已变更")
        tokens.tokens_revoke_all(user=instance, reason="密码变更")
    if not instance.is_active:
        tokens.tokens_revoke_all(user=instance, reason="账号停用")
