from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "dangjian.branches"
    verbose_name = "支部分类定级与整改"

    def ready(self) -> None:
        from django.core import checks

        from dangjian.branches.checks import timeline_setting

        checks.register(timeline_setting)
