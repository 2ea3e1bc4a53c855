import io
import json

from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import make_user


def signed_in():
    client = APIClient()
    client.force_authenticate(make_user(None))
    return client


def test_schema_endpoint_returns_openapi(db):
    response = signed_in().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/organisations/", "/api/v1/people/", "/api/v1/positions/"):
        assert path in schema["paths"]


# A few routes of every app: the one schema of the project must describe them all.
APP_ROUTES = [
    "/api/v1/organisations/{id}/subtree/",
    "/api/v1/goals/",
    "/api/v1/membership/away/{id}/",
    "/api/v1/finance/standards/",
    "/api/v1/finance/payments/",
    "/api/v1/finance/payments/batch/",
    "/api/v1/finance/statistics/",
    "/api/v1/finance/fund/{id}/",
    "/api/v1/work-items/{id}/close-step/",
    "/api/v1/tasks/{id}/progress/",
    "/api/v1/tasks/{id}/publish/",
    "/api/v1/post-types/",
    "/api/v1/posts/{id}/confirm/",
    "/api/v1/posts/rollover/",
    "/api/v1/commitments/",
    "/api/v1/duty-records/",
    "/api/v1/duty-checks/quarterly/",
    "/api/v1/public/boards/{code}/",
    "/api/v1/public/suggestions/",
    "/api/v1/public/track/{code}/",
    "/api/v1/suggestions/{id}/to-opinion/",
    "/api/v1/quarterly-reports/{id}/submit/",
    "/api/v1/quarterly-reports/coverage/",
    "/api/v1/meetings/",
    "/api/v1/frequency-rules/{id}/",
    "/api/v1/compliance/",
    "/api/v1/trainings/",
    "/api/v1/study-records/",
    "/api/v1/hours-summary/",
    "/api/v1/development/cases/{id}/talk/",
    "/api/v1/development/cases/{id}/apply-conversion/",
    "/api/v1/development/notices/{id}/objections/",
    "/api/v1/development/votes/",
    "/api/v1/development/probation-reports/",
    "/api/v1/development/stages/",
    "/api/v1/outreach/contacts/{id}/end/",
    "/api/v1/outreach/links/",
    "/api/v1/outreach/visits/{id}/",
    "/api/v1/outreach/compliance/",
    "/api/v1/surveys/",
    "/api/v1/surveys/{id}/issue/",
    "/api/v1/surveys/{id}/result/",
    "/api/v1/surveys/ballots/",
    "/api/v1/surveys/forms/{token}/",
    "/api/v1/branches/gradings/{id}/decide/",
    "/api/v1/branches/rectification-plans/{id}/submit/",
    "/api/v1/branches/rectification-items/{id}/verify/",
    "/api/v1/branches/summary/",
    "/api/v1/assessment/templates/",
    "/api/v1/assessment/rounds/{id}/funding/",
    "/api/v1/assessment/branch-assessments/{id}/appeal/",
    "/api/v1/assessment/branch-assessments/{id}/answer/",
    "/api/v1/appraisal/cycles/{id}/compute/",
    "/api/v1/appraisal/cycles/{id}/evaluate-posts/",
    "/api/v1/appraisal/results/",
    "/api/v1/appraisal/self-reports/",
    "/api/v1/appraisal/ratings/bulk/",
    "/api/v1/appraisal/honours/",
    "/api/v1/appraisal/rectifications/{id}/explain/",
    "/api/v1/honours/rounds/{id}/decide/",
    "/api/v1/honours/units/{id}/checks/",
]


def test_schema_generates_without_warnings_and_covers_every_app(db, tmp_path):
    # The same check as `dangjian spectacular --validate --fail-on-warn` (raises on a warning).
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(tmp_path / "schema.json"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    schema = json.loads((tmp_path / "schema.json").read_text())
    assert [route for route in APP_ROUTES if route not in schema["paths"]] == []
    # Choice fields named alike (kind, category, status…) get their own named enums.
    names = set(schema["components"]["schemas"])
    assert {"OrgKindEnum", "SuggestionCategoryEnum", "GoalKindEnum", "WorkItemKindEnum"} <= names


def test_docs_page_serves_swagger_ui_from_own_static_files(db):
    response = signed_in().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert cdn not in html


def test_schema_and_docs_are_not_public(db):
    assert APIClient().get("/api/v1/schema/").status_code in (401, 403)
    assert APIClient().get("/api/v1/docs/").status_code in (401, 403)
