from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

admin.site.site_header = "基层党建“168”机制工作平台 管理后台"
admin.site.site_title = "党建平台管理"

api_v1 = [
    path("", include("dangjian.org.api_urls")),
    path("", include("dangjian.targets.api_urls")),
    path("", include("dangjian.posts.api_urls")),
    path("", include("dangjian.public.api_urls")),
    path("", include("dangjian.reports.api_urls")),
    path("", include("dangjian.orglife.api_urls")),
    path("", include("dangjian.development.api_urls")),
    path("", include("dangjian.outreach.api_urls")),
    path("", include("dangjian.surveys.api_urls")),
    path("", include("dangjian.appraisal.api_urls")),
    path("", include("dangjian.assessment.api_urls")),
    path("", include("dangjian.branches.api_urls")),
    path("", include("dangjian.accounts.api_urls")),
    path("auth/", include("dangjian.core.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

urlpatterns = [
    path("", include("dangjian.core.urls")),
    path("org/", include("dangjian.org.urls")),
    path("targets/", include("dangjian.targets.urls")),
    path("posts/", include("dangjian.posts.urls")),
    path("public/", include("dangjian.public.urls")),
    path("reports/", include("dangjian.reports.urls")),
    path("orglife/", include("dangjian.orglife.urls")),
    path("development/", include("dangjian.development.urls")),
    path("outreach/", include("dangjian.outreach.urls")),
    path("surveys/", include("dangjian.surveys.urls")),
    path("appraisal/", include("dangjian.appraisal.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("branches/", include("dangjian.branches.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]
