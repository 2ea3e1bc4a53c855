"""Word and PDF of 发展党员工作流程纪实表, with the print page's scoping and the audit of a
download of personal data."""

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent
from tests.documents_check import assert_download_roles, assert_downloads

pytestmark = pytest.mark.django_db


def test_dossier_word_and_pdf(world, as_user, as_role, advance):
    case = advance("converted")
    word, _pdf = assert_downloads(
        as_user(world.secretary_a),
        "development:case_print",
        [case.pk],
        contains=["发展党员工作流程纪实表", f"姓名：{case.person.name}", "入党介绍人"],
    )
    assert "所在党支部：机关一支部" in word
    assert_download_roles(
        as_role,
        "development:case_print",
        [case.pk],
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "anonymous": 302},
    )


def test_a_dossier_download_is_recorded_and_a_refused_one_is_not(world, as_user, advance):
    case = advance("converted")
    url = reverse("development:case_print_pdf", args=[case.pk])
    assert as_user(world.secretary_b).get(url).status_code == 404
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()
    assert as_user(world.secretary_a).get(url).status_code == 200
    [event] = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT)
    assert event.detail == f"发展党员工作流程纪实表（{case.person}）（PDF）"
    assert event.user == world.secretary_a and event.path == url
