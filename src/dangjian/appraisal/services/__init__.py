"""Every write of member duty evaluation: atomic, validated by appraisal.rules, audited.

Rights (appraisal.permissions): an officer creates, computes and publishes the cycles of their
subtree; an officer of a member's branch (or above) rates that member, never themselves; a
member writes their own self-report while the window is open and the cycle not computed;
honours and rectification are handled by the member's branch (or above), the member reporting
their own rectification done. A refused right raises PermissionDenied naming the rule; a broken
rule raises ValidationError.

By entity: cycles (create, compute, publish, 评岗), evaluations (self-reports, ratings,
honours), rectification.
"""

from dangjian.appraisal.services.common import actor_person
from dangjian.appraisal.services.cycles import (
    PostsEvaluated,
    cycle_compute,
    cycle_create,
    cycle_evaluate_posts,
    cycle_publish,
)
from dangjian.appraisal.services.evaluations import (
    branch_rate,
    honour_award,
    honour_revoke,
    ratings_save,
    self_report_submit,
)
from dangjian.appraisal.services.rectification import (
    rectification_complete,
    rectification_explain,
    rectification_verify,
)

__all__ = [
    "PostsEvaluated",
    "actor_person",
    "branch_rate",
    "cycle_compute",
    "cycle_create",
    "cycle_evaluate_posts",
    "cycle_publish",
    "honour_award",
    "honour_revoke",
    "ratings_save",
    "rectification_complete",
    "rectification_explain",
    "rectification_verify",
    "self_report_submit",
]
