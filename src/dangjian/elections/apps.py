from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "dangjian.elections"
    verbose_name = "换届选举"
