"""The audit trail records readable values: choices by label, people by name, lists as text."""

import pytest

from dangjian.core import audit

pytestmark = pytest.mark.django_db


def test_a_json_list_such_as_grade_bands_is_recorded_as_text(world):
    from dangjian.appraisal.models import EvaluationCycle

    cycle = EvaluationCycle(bands=[[90, "优秀"], [80, "称职"], [60, "基本称职"]])
    assert audit.snapshot(cycle, ["bands"]) == {"等次分数线": "90 优秀；80 称职；60 基本称职"}


def test_choices_by_label_and_related_rows_by_name(world):
    world.member_a.party_status = "probationary"
    snap = audit.snapshot(world.member_a, ["party_status", "primary_org"])
    assert snap == {"政治面貌": "预备党员", "所在党支部": "机关一支部"}
