from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "dangjian.surveys"
    verbose_name = "民意测评"
