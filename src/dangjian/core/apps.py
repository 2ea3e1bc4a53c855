from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    verbose_name = "系统"

    def ready(self):
        from dangjian.core import account_audit, audit_archive  # noqa: F401 (system check)

        account_audit.connect()
