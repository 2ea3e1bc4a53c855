from django.apps import AppConfig


class ManualConfig(AppConfig):
    name = "dangjian.manual"
    verbose_name = "使用手册（帮助）"
