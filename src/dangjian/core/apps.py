from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    verbose_name = "系统"

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        # Before any app's ready() (the admin's autodiscover imports forms): hand-written
        # text fields get their default max_length; registers the dangjian.E102 check.
        from dangjian.core import text_limits

        text_limits.install()

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

        # Each app declares the rights beyond read/change in its permissions.py (core.access).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("permissions")
        # ... and the named workflow events in events.py (core.events).
        autodiscover_modules("events")
        # Each app describes its Excel imports in imports.py (core.imports.register).
        autodiscover_modules("imports")
