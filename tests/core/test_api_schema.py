import io

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


def test_schema_generates_without_warnings(db, tmp_path):
    # The same check as `dangjian spectacular --validate --fail-on-warn` (raises on a warning).
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi:")


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
