from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    verbose_name = "系统"

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        # Before any app's ready() (the admin's autodiscover imports forms): hand-written
        # text fields get their default max_length; registers the dangjian.E101 check.
        from dangjian.core import text_limits

        text_limits.install()
