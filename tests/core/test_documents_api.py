"""GET /api/v1/documents/?path=…: the Word and PDF downloads for API clients, asking the same
print view as the API's user (scope, rights, audit); anything but a download's path is 400."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.posts import services
from tests.documents_check import docx_text, pdf_text
from tests.harness import assert_role_matrix
from tests.posts.test_views import AREAS

pytestmark = pytest.mark.django_db

API = "/api/v1/documents/"


@pytest.fixture
def commitment(world):
    year = timezone.localdate().year
    return services.commitment_create(actor=world.member_user, year=year, **AREAS)


def test_a_download_through_the_api_by_role(world, api_as_role, commitment):
    path = reverse("posts:commitment_print_docx", args=[commitment.pk])
    responses = assert_role_matrix(
        api_as_role,
        f"{API}?path={path}",
        {
            "officer": 200,
            "other_officer": 404,
            "member": 200,  # their own commitment, as on its print page
            "anonymous": (401, 403),
        },
    )
    assert "按时参加组织生活" in docx_text(responses["officer"])
    pdf = api_as_role("officer").get(API, {"path": path.replace(".docx", ".pdf")})
    assert "党员岗位责任承诺书" in pdf_text(pdf)


def test_a_query_of_the_form_is_passed_on(world, api_as_role):
    path = reverse("targets:annex1_docx") + f"?org={world.branch_a.pk}&year=2026"
    response = api_as_role("officer").get(API, {"path": path})
    assert "机关一支部" in docx_text(response)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "https://evil.example/posts/annex2.pdf",
        "//evil.example/x.pdf",
        "/no/such/page.pdf",
        "/posts/commitments/1/print/",  # the page, not a download
        "/org/people/export.xlsx",  # an export, not a document
        "posts/annex2.pdf",
    ],
)
def test_anything_but_a_download_is_400_naming_the_field(world, api_as_role, path):
    response = api_as_role("officer").get(API, {"path": path})
    assert response.status_code == 400 and "path" in response.json()
