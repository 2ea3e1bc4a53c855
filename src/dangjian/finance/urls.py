from django.urls import path

from dangjian.finance import views

app_name = "finance"
urlpatterns = [
    path("dues/standards/", views.standards, name="standards"),
    path("dues/collection/", views.collection, name="collection"),
    path("dues/import/", views.dues_import, name="import"),
    path("dues/import/template.xlsx", views.import_template, name="import_template"),
    path("dues/mine/", views.my_dues, name="my_dues"),
    path("dues/statistics/", views.statistics, name="statistics"),
    path("dues/statistics/export.xlsx", views.statistics_export, name="statistics_export"),
    path("fund/ledger/", views.ledger, name="ledger"),
    path("fund/ledger/export.xlsx", views.ledger_export, name="ledger_export"),
    *views.FUND.urls(),
]
