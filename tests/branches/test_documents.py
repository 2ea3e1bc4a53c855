"""Word and PDF of 党支部调查摸底与分类定级表 and of the year's summary and rectification
forms, with the print pages' scoping."""

import pytest
from django.urls import reverse

from tests.documents_check import (
    OFFICER_ONLY,
    assert_download_roles,
    assert_downloads,
    docx_text,
)

pytestmark = pytest.mark.django_db


def test_grading_form_word_and_pdf(world, as_user, as_role, graded):
    word, _pdf = assert_downloads(
        as_user(world.org_officer),
        "branches:grading_print",
        [graded.pk],
        contains=["党支部调查摸底与分类定级表", "党支部：机关一支部", "调查摸底评分"],
    )
    assert "合计（建议等次：较好）" in word
    assert_download_roles(as_role, "branches:grading_print", [graded.pk], OFFICER_ONLY)


@pytest.mark.parametrize(
    "name, heading",
    [("branches:year_summary", "党支部分类定级汇总表"), ("branches:year_rectification", "整改")],
)
def test_year_forms_word_and_pdf(world, as_user, as_role, graded, name, heading):
    year = graded.grading_year
    word, _pdf = assert_downloads(as_user(world.org_officer), name, [year.pk], contains=[heading])
    if name == "branches:year_summary":
        assert "机关一支部" in word and "较好" in word
    # As on the print page: another branch sees the committee's year, never gb_a's rows.
    assert_download_roles(as_role, name, [year.pk], {**OFFICER_ONLY, "other_officer": 200})
    client = as_user(world.secretary_b)
    other_gb = client.get(reverse(f"{name}_pdf", args=[year.pk]), {"gb": world.gb_a.pk})
    assert other_gb.status_code == 404
    assert "机关一支部" not in docx_text(client.get(reverse(f"{name}_docx", args=[year.pk])))
