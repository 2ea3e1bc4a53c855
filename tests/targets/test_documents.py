"""Word and PDF of annex 1 (年度工作目标分解表), the work item's cell spanning its tasks as on
the paper form, with the print page's scoping."""

import pytest

from tests.documents_check import OFFICER_ONLY, assert_download_roles, assert_downloads
from tests.targets.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_annex1_word_and_pdf(t, as_user, as_role):
    q = f"?org={t.world.branch_a.pk}&year={YEAR}"
    word, _pdf = assert_downloads(
        as_user(t.world.secretary_a),
        "targets:annex1",
        query=q,
        contains=[f"{YEAR}年度工作目标分解表", "发展学生党员不少于10名"],
    )
    assert "机关一支部" in word
    assert_download_roles(as_role, "targets:annex1", [], OFFICER_ONLY, query=q)
