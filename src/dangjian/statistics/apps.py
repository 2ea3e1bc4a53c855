from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "dangjian.statistics"
    verbose_name = "党内统计"

    def ready(self) -> None:
        from dangjian.statistics import permissions  # noqa: F401 (declares the actions)
