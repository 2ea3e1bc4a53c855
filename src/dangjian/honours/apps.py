from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "dangjian.honours"
    verbose_name = "评选表彰与典型培育"
