"""The OpenAPI schema with the public app's endpoints generates without warnings.

The lead adds the two ENUM_NAME_OVERRIDES below to settings (the suggestion categories share
the field name “category” with the opinion categories of targets); this test applies them
itself so that it checks this app whatever settings.py holds."""

import io

import pytest
from django.core.management import call_command
from drf_spectacular import plumbing
from drf_spectacular.settings import spectacular_settings

pytestmark = pytest.mark.django_db

OVERRIDES = {
    "SuggestionCategoryEnum": "dangjian.public.models.SuggestionCategory",
    "SuggestionStatusEnum": "dangjian.public.models.SuggestionStatus",
}


def test_schema_has_public_endpoints_without_warnings(tmp_path, monkeypatch):
    monkeypatch.setattr(
        spectacular_settings,
        "ENUM_NAME_OVERRIDES",
        {**spectacular_settings.ENUM_NAME_OVERRIDES, **OVERRIDES},
    )
    plumbing._load_enum_name_overrides.cache_clear()
    try:
        call_command(
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yaml"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    finally:
        plumbing._load_enum_name_overrides.cache_clear()
    text = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/public/boards/{code}/:",
        "/api/v1/public/suggestions/:",
        "/api/v1/public/track/{code}/:",
        "/api/v1/suggestions/{id}/to-opinion/:",
    ):
        assert path in text
    assert "client_hash" not in text
