"""Every write of the assessment app: atomic, validated by assessment.rules, audited.

One module per entity: templates (score sheets and items), rounds, scores (self and group),
claims (bonus points), assessments (the steps of one branch's assessment), appeals. Rights are
assessment.permissions (core.access); reads, the institution's settings and the notice's
default text are assessment.selectors (re-exported here for the demo and older callers).
A refused right raises PermissionDenied naming the rule; a broken rule raises ValidationError.

    from dangjian.assessment import services
    services.round_create(actor=..., template=..., ...)
"""

from dangjian.assessment.permissions import (
    NOT_BRANCH_OFFICER,
    NOT_DEPARTMENT,
    NOT_GROUP,
    OUT_OF_SCOPE,
)
from dangjian.assessment.selectors import (
    FundSettings,
    answer_days,
    appeal_days,
    base_full_marks,
    base_items,
    default_notice,
    fund_settings,
    funding_for,
    member_counts,
    template_in_use,
)
from dangjian.assessment.services._base import (
    APPEAL_FIELDS,
    ASSESSMENT_FIELDS,
    CLAIM_FIELDS,
    GROUP_RULE,
    ITEM_FIELDS,
    ROUND_FIELDS,
    SELF_RULE,
    STEP_RULES,
    TEMPLATE_FIELDS,
    TEMPLATE_IN_USE,
    VETO_RULE_TEXT,
)
from dangjian.assessment.services.appeals import appeal_answer, appeal_file
from dangjian.assessment.services.assessments import (
    assessment_notify,
    assessment_reopen,
    assessment_score,
    assessment_submit,
    assessment_veto,
)
from dangjian.assessment.services.claims import (
    bonus_claim_create,
    bonus_claim_delete,
    bonus_claim_review,
)
from dangjian.assessment.services.rounds import round_create
from dangjian.assessment.services.scores import ScoreEntry, group_scores_save, self_scores_save
from dangjian.assessment.services.templates import item_update, template_copy, template_update

__all__ = [
    "APPEAL_FIELDS",
    "ASSESSMENT_FIELDS",
    "CLAIM_FIELDS",
    "GROUP_RULE",
    "ITEM_FIELDS",
    "NOT_BRANCH_OFFICER",
    "NOT_DEPARTMENT",
    "NOT_GROUP",
    "OUT_OF_SCOPE",
    "ROUND_FIELDS",
    "SELF_RULE",
    "STEP_RULES",
    "TEMPLATE_FIELDS",
    "TEMPLATE_IN_USE",
    "VETO_RULE_TEXT",
    "FundSettings",
    "ScoreEntry",
    "answer_days",
    "appeal_answer",
    "appeal_days",
    "appeal_file",
    "assessment_notify",
    "assessment_reopen",
    "assessment_score",
    "assessment_submit",
    "assessment_veto",
    "base_full_marks",
    "base_items",
    "bonus_claim_create",
    "bonus_claim_delete",
    "bonus_claim_review",
    "default_notice",
    "fund_settings",
    "funding_for",
    "group_scores_save",
    "item_update",
    "member_counts",
    "round_create",
    "self_scores_save",
    "template_copy",
    "template_in_use",
    "template_update",
]
