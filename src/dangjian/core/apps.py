from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    verbose_name = "系统"

    def ready(self):
        from django.contrib import admin

        from dangjian.core import signals  # noqa: F401
        from dangjian.core.admin_site import DangjianAdminSite

        # The admin signs in through our login (throttle, second factor), not its own form.
        admin.site.__class__ = DangjianAdminSite
        # django-otp's own admin pages show each user's TOTP secret and recovery codes: an
        # administrator resets a second factor with the action on 用户 instead.
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)

        from dangjian.core import account_audit, audit_archive  # noqa: F401 (system check)

        account_audit.connect()
