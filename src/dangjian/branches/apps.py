from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "dangjian.branches"
    verbose_name = "支部分类定级与整改"
