"""What every write of the branches app shares: the audited fields of each record, the
refusals that name a rule of 《组织建设年实施方案》, today, and validation without the uniqueness
checks (the services check those themselves, with their own words)."""

from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db import models
from django.utils import timezone

from dangjian.branches import rules

YEAR_FIELDS = ["organisation", "year", "theme", *rules.TIMELINE_KEYS]


STANDARD_FIELDS = ["name", "applies_to", "bands", "is_active", "note"]


SURVEY_FIELDS = [
    "members_count",
    "committee_complete",
    "committee_note",
    "activity_room_area",
    "annual_assessment",
    "problems",
    "self_grade",
    "masses_opinion",
]


GRADING_FIELDS = [
    "grading_year",
    "branch",
    "round",
    "standard",
    *SURVEY_FIELDS,
    "total",
    "suggested_grade",
    "grade",
    "decision_reason",
    "graded_by",
    "graded_on",
    "state",
]


PLAN_FIELDS = [
    "branch",
    "year",
    "grading",
    "source",
    "reason",
    "goals",
    "discussed_on",
    "meeting",
    "discussion_note",
    "state",
    "submitted_on",
    "completed_on",
]


PLAN_EDITABLE = ["reason", "goals"]


ITEM_FIELDS = [
    "order",
    "problem",
    "measures",
    "responsible",
    "deadline",
    "long_term",
    "state",
    "done_on",
    "result",
    "verified_by",
    "verified_on",
    "verify_note",
]


ITEM_EDITABLE = ["order", "problem", "measures", "responsible", "deadline", "long_term"]


NOT_A_BRANCH = "分类定级和整改以党支部为单位（《组织建设年实施方案》附件1 二(二)）。"


NO_STANDARD = "没有适用于该支部类别的启用中的评分参考标准，请联系党委组织部。"


def _today() -> date:
    return timezone.localdate()


def _full_clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


class TimelineDates(TypedDict, total=False):
    """The year's dates (rules.TIMELINE_KEYS); one left out or empty keeps the seed's."""

    plans_due: date | None
    grading_due: date | None
    restructure_from: date | None
    restructure_to: date | None
    rectification_plans_due: date | None
    regrading_from: date | None
    regrading_to: date | None
    items_due: date | None
    review_from: date | None
    review_to: date | None


class SurveyFacts(TypedDict, total=False):
    """The survey's facts and opinions (SURVEY_FIELDS); one left out is kept, None clears it."""

    members_count: int | None
    committee_complete: bool | None
    committee_note: str | None
    activity_room_area: Decimal | None
    annual_assessment: str | None
    problems: str | None
    self_grade: str | None
    masses_opinion: str | None
