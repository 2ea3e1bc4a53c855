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


def test_changes_are_listed_in_the_models_field_order(world):
    from django.contrib.contenttypes.models import ContentType

    from dangjian.core.models import AuditEvent
    from dangjian.org.models import Person

    event = AuditEvent(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=world.member_a.pk,
        # as PostgreSQL's jsonb returns them: shorter keys first
        changes={
            "姓名": ["甲", "乙"],
            "政治面貌": ["群众", "入党申请人"],
            "出生日期": [None, "2000-01-01"],
        },
    )
    assert [label for label, _ in event.change_list] == ["姓名", "出生日期", "政治面貌"]
