from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "dangjian.targets"
    verbose_name = "目标管理与六步工作法"
