from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "dangjian.finance"
    verbose_name = "党费与活动经费"
