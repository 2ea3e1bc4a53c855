from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "dangjian.outreach"
    verbose_name = "联系群众与走访"
