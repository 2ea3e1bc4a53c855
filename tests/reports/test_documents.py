"""Word and PDF of the quarterly report (季报表), 一人一档 and 一支部一档, with the print
pages' scoping; a person's file downloaded is recorded as an export of personal data."""

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent
from tests.documents_check import OFFICER_ONLY, assert_download_roles, assert_downloads

pytestmark = pytest.mark.django_db


def test_quarterly_report_word_and_pdf(world, as_user, as_role, draft):
    word, _pdf = assert_downloads(
        as_user(world.secretary_a),
        "reports:report_print",
        [draft.pk],
        contains=["填报单位", "工作进展情况", "机关一支部"],
    )
    assert_download_roles(as_role, "reports:report_print", [draft.pk], OFFICER_ONLY)


def test_person_file_word_and_pdf(world, as_user, as_role):
    word, _pdf = assert_downloads(
        as_user(world.secretary_a),
        "reports:person_file",
        [world.member_a.pk],
        query="?print=1",
        contains=["党员一人一档", "基本信息", "赵党员"],
    )
    assert "所在党组织" in word and "机关一支部" in word
    assert_download_roles(
        as_role,
        "reports:person_file",
        [world.member_a.pk],
        {
            "officer": 200,
            "gb_officer": 200,
            "org_officer": 200,
            "member": 200,  # their own file
            "other_officer": 404,
            "anonymous": 302,
        },
    )
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, detail__contains="赵党员")
    assert {e.detail for e in events} == {"一人一档：赵党员（Word）", "一人一档：赵党员（PDF）"}


def test_branch_file_word_and_pdf(world, as_user, as_role):
    assert_downloads(
        as_user(world.secretary_a),
        "reports:branch_file",
        [world.branch_a.pk],
        query="?print=1",
        contains=["机关一支部"],
    )
    assert_download_roles(
        as_role,
        "reports:branch_file",
        [world.branch_a.pk],
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "anonymous": 302},
    )


def test_another_member_cannot_download_a_file(world, as_user):
    url = reverse("reports:person_file_pdf", args=[world.member_b.pk])
    assert as_user(world.member_user).get(url).status_code == 404
