from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "dangjian.public"
    verbose_name = "六公开与意见箱"
