"""Every write of the branches app: atomic, validated by branches.rules, audited; each asks
core.access for its right first (branches/permissions.py says who may do what). A refused
right raises PermissionDenied naming the rule; a broken rule raises ValidationError.

One module per entity — standards, gradings (with grading years), plans, items — and the
public names here, so `from dangjian.branches import services; services.grading_decide(...)`
reads as it always did.
"""

from dangjian.branches.selectors import (
    default_dates,
    set_annual_assessment_reader,
    set_secretary_review_reader,
)
from dangjian.branches.services._common import SURVEY_FIELDS
from dangjian.branches.services.gradings import (
    grading_create,
    grading_decide,
    grading_reopen,
    grading_start_all,
    grading_survey_save,
    grading_year_create,
    grading_year_update,
)
from dangjian.branches.services.items import (
    rectification_item_create,
    rectification_item_delete,
    rectification_item_done,
    rectification_item_update,
    rectification_item_verify,
)
from dangjian.branches.services.plans import (
    rectification_plan_create,
    rectification_plan_discuss,
    rectification_plan_open,
    rectification_plan_submit,
    rectification_plan_update,
    rectification_plan_withdraw,
)
from dangjian.branches.services.standards import standard_update

__all__ = [
    "SURVEY_FIELDS",
    # Reads other apps still take from here (demo's loader, assessment's ready()).
    "default_dates",
    "set_annual_assessment_reader",
    "set_secretary_review_reader",
    "grading_create",
    "grading_decide",
    "grading_reopen",
    "grading_start_all",
    "grading_survey_save",
    "grading_year_create",
    "grading_year_update",
    "rectification_item_create",
    "rectification_item_delete",
    "rectification_item_done",
    "rectification_item_update",
    "rectification_item_verify",
    "rectification_plan_create",
    "rectification_plan_discuss",
    "rectification_plan_open",
    "rectification_plan_submit",
    "rectification_plan_update",
    "rectification_plan_withdraw",
    "standard_update",
]
