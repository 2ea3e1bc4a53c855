from django.apps import AppConfig


class ColumnConfig(AppConfig):
    name = "dangjian.column"
    verbose_name = "工作专栏"
