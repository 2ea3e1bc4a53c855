from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from dangjian.core.documents_api import DocumentView
from dangjian.reports import views as reports_views

admin.site.site_header = "基层党建“168”机制工作平台 管理后台"
admin.site.site_title = "党建平台管理"

DOCS_CSP = {"style-src": ["'unsafe-inline'"]}
REDOC_CSP = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "worker-src": ["blob:"],
}

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
    path("", include("dangjian.membership.api_urls")),
    path("", include("dangjian.elections.api_urls")),
    path("", include("dangjian.honours.api_urls")),
    path("", include("dangjian.statistics.api_urls")),
    path("", include("dangjian.finance.api_urls")),
    path("", include("dangjian.notices.api_urls")),
    path("", include("dangjian.partyschool.api_urls")),
    path("", include("dangjian.review.api_urls")),
    path("", include("dangjian.column.api_urls")),
    path("", include("dangjian.manual.api_urls")),
    path("", include("dangjian.core.import_api")),
    path("auth/", include("dangjian.core.api_urls")),
    path("documents/", DocumentView.as_view(), name="api-documents"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The API documentation pages (signed-in users only) are the only pages with a relaxed CSP:
    # Swagger UI (its script served apart by the split view) needs inline styles, Redoc also an
    # inline bootstrap script and a blob: worker.
    path(
        "docs/",
        csp_update(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_update(REDOC_CSP)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
]

urlpatterns = [
    path("", reports_views.home, name="home"),
    path("search/", reports_views.global_search, name="search"),
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
    path("membership/", include("dangjian.membership.urls")),
    path("elections/", include("dangjian.elections.urls")),
    path("honours/", include("dangjian.honours.urls")),
    path("statistics/", include("dangjian.statistics.urls")),
    path("column/", include("dangjian.column.urls")),
    path("finance/", include("dangjian.finance.urls")),
    path("notices/", include("dangjian.notices.urls")),
    path("partyschool/", include("dangjian.partyschool.urls")),
    path("review/", include("dangjian.review.urls")),
    path("help/", include("dangjian.manual.urls")),
    path("audit/", include("dangjian.core.audit_urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]
