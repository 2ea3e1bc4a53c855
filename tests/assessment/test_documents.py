"""Word and PDF of 考核评分表 (a branch's sheet and a template's blank sheet), the merged cells
of the seed's layout kept, with the print page's scoping."""

import io

import pytest
from django.urls import reverse
from docx import Document

from tests.assessment.conftest import scored
from tests.documents_check import OFFICER_ONLY, assert_download_roles, assert_downloads

pytestmark = pytest.mark.django_db


def test_score_sheet_word_and_pdf(world, as_user, as_role, template, ass_a):
    scored(world, template, ass_a)
    client = as_user(world.org_officer)
    word, _pdf = assert_downloads(
        client,
        "assessment:sheet_print",
        [ass_a.pk],
        contains=["1.班子健全，分工明确，定期改选。", "支部建设（25分）", "学院考评"],
    )
    # The first-level indicator spans its five items (rowspan="5" on the print page).
    response = client.get(reverse("assessment:sheet_print_docx", args=[ass_a.pk]))
    table = Document(io.BytesIO(response.content)).tables[0]
    column = [row.cells[0]._tc for row in table.rows[1:6]]
    assert len(set(column)) == 1 and "支部建设（25分）" in table.rows[1].cells[0].text
    assert_download_roles(as_role, "assessment:sheet_print", [ass_a.pk], OFFICER_ONLY)


def test_blank_template_word_and_pdf(world, as_user, as_role, template):
    assert_downloads(
        as_user(world.secretary_a),
        "assessment:template_print",
        [template.pk],
        contains=["□优秀", "支部建设（25分）"],
    )
    assert_download_roles(
        as_role,
        "assessment:template_print",
        [template.pk],
        {"officer": 200, "other_officer": 200, "member": 403, "anonymous": 302},
    )
