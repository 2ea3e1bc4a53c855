from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "dangjian.appraisal"
    verbose_name = "党员考评"
