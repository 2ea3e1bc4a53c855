from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "dangjian.membership"
    verbose_name = "党员管理"
