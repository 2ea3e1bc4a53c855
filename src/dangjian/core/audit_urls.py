from django.urls import path

from dangjian.core import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.index, name="index"),
    path("events/", audit_views.events, name="events"),
    path("events/export/", audit_views.events_export, name="events_export"),
    path("security/", audit_views.security, name="security"),
    path("security/export/", audit_views.security_export, name="security_export"),
]
