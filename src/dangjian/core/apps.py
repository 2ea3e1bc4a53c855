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
