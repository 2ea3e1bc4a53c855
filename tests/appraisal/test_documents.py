"""Word and PDF of 党员履岗考评结果表: the print page's rows (a branch secretary's share of a
committee cycle), landscape, and the print page's scoping."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT

from tests.appraisal.conftest import window_today
from tests.documents_check import assert_download_roles, assert_downloads, body, docx_text

pytestmark = pytest.mark.django_db


def test_results_word_and_pdf(world, as_user, computed):
    word, pdf = assert_downloads(
        as_user(world.org_officer),
        "appraisal:cycle_print",
        [computed.pk],
        contains=["党员履岗考评结果表", "赵党员", "95.5"],
    )
    # A branch secretary's download holds their branch's rows only, as their print page.
    client = as_user(world.secretary_b)
    url = reverse("appraisal:cycle_print_docx", args=[computed.pk])
    response = client.get(url)
    text = docx_text(response)
    assert "钱党员" in text and "赵党员" not in text
    section = Document(io.BytesIO(body(client.get(url)))).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE  # the form is A4 landscape


def test_results_downloads_by_role(world, as_role, make_cycle):
    start, end = window_today()
    cycle = make_cycle(
        actor=world.secretary_a, organisation=world.branch_a, starts_on=start, ends_on=end
    )
    assert_download_roles(as_role, "appraisal:cycle_print", [cycle.pk])
