"""Word and PDF of 中国共产党党员组织关系介绍信 (one letter, and a batch: one page each), with
the print page's scoping."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangjian.membership import services
from tests.documents_check import assert_download_roles, assert_downloads
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(world):
    person = make_person(world.branch_a, name="冯毕业生", category="student")
    return services.transfer_issue_letter(
        actor=world.secretary_a,
        person=person,
        destination_text="中共某市某区委组织部",
        reason="毕业离校",
        issued_on=timezone.localdate() - timedelta(days=3),
        dues_paid_until=date(2026, 6, 1),
    )


def test_letter_word_and_pdf(world, as_user, as_role, letter):
    word, pdf = assert_downloads(
        as_user(world.secretary_a),
        "membership:transfer_print",
        [letter.pk],
        contains=["（存根）", "介绍信回执", letter.letter_number, "冯毕业生", "某区委组织部"],
    )
    assert_download_roles(
        as_role,
        "membership:transfer_print",
        [letter.pk],
        {"officer": 200, "org_officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )


def test_batch_letters_one_page_each(world, as_user, as_role):
    students = [make_person(world.branch_a, name=f"学生{i}", category="student") for i in range(3)]
    batch = services.transfer_batch_out(
        actor=world.secretary_a,
        organisation=world.branch_a,
        rows=[services.BatchRow(p, "中共某市委组织部") for p in students],
        reason="毕业离校",
    )
    word, pdf = assert_downloads(
        as_user(world.secretary_a),
        "membership:batch_print",
        [batch.pk],
        contains=["学生0", "学生2"],
    )
    assert word.count("（存根）") == 3
    assert pdf.count("\f") >= 2  # a letter a page, as printed
    assert_download_roles(
        as_role,
        "membership:batch_print",
        [batch.pk],
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )
