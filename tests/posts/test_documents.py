"""Word and PDF of the posts' forms: 党员岗位责任承诺书, 党员定岗情况登记表 and annex 2
(党员亮岗履职一览表), with the print page's scoping; downloads of personal data are audited."""

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent
from dangjian.posts import services
from tests.documents_check import (
    OFFICER_ONLY,
    assert_download_roles,
    assert_downloads,
    docx_text,
)
from tests.posts.test_views import AREAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(world, year):
    return services.commitment_create(actor=world.member_user, year=year, **AREAS)


def test_commitment_word_and_pdf(world, as_user, commitment):
    word, pdf = assert_downloads(
        as_user(world.secretary_a),
        "posts:commitment_print",
        [commitment.pk],
        contains=["党员岗位责任承诺书", "姓名：赵党员", "按时参加组织生活"],
    )
    assert "所在党支部：机关一支部" in word


def test_commitment_downloads_by_role(world, as_role, commitment):
    # The member's own commitment: the member reads it too, as on its print page.
    assert_download_roles(
        as_role,
        "posts:commitment_print",
        [commitment.pk],
        {"officer": 200, "other_officer": 404, "member": 200, "anonymous": 302},
    )


def test_a_download_of_personal_data_is_recorded(world, as_user, commitment):
    client = as_user(world.secretary_a)
    response = client.get(reverse("posts:commitment_print_docx", args=[commitment.pk]))
    docx_text(response)
    [event] = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT)
    assert event.user == world.secretary_a and event.rows == 1
    assert event.detail == f"党员承诺书（{world.member_a}）（Word）"


@pytest.mark.parametrize("name", ["posts:registration", "posts:annex2"])
def test_registration_and_annex2_word_and_pdf(world, as_user, as_role, published_post, year, name):
    q = f"?org={world.branch_a.pk}&year={year}"
    word, _pdf = assert_downloads(
        as_user(world.gb_secretary_a), name, query=q, contains=[world.member_a.name]
    )
    assert published_post.name in word
    # As on the print page, another branch's officer gets the form of their own scope.
    assert_download_roles(as_role, name, [], {**OFFICER_ONLY, "other_officer": 200}, query=q)
    other = docx_text(as_user(world.secretary_b).get(reverse(f"{name}_docx") + q))
    assert world.member_a.name not in other
