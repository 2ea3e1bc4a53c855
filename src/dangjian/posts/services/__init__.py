"""Every write of the posts app: atomic, validated by posts.rules, audited — one module per
entity, re-exported here (`from dangjian.posts import services; services.post_claim(...)`).

Rights are the actions of posts.permissions (core.access), checked here: an officer acts on
the posts, records and checks of their subtree; 定岗 is done by the level above the post's
organisation; a member acts on their own claims, commitments, duty records and summaries. A
refused right raises PermissionDenied naming the rule; a broken rule raises ValidationError
on the field.
"""

# core.audit is reachable as services.audit, as it was from the single module (tests patch
# services.audit.created to make a write fail after its file is stored).
from dangjian.core import audit
from dangjian.posts.services._common import NO_PERSON, UNCHANGED, Unchanged
from dangjian.posts.services.catalogue import (
    DEPARTMENT_CATALOGUE,
    POST_TYPE_FIELDS,
    post_type_create,
    post_type_delete,
    post_type_set_active,
    post_type_update,
)
from dangjian.posts.services.commitments import (
    COMMITMENT_AREAS,
    COMMITMENT_FIELDS,
    commitment_create,
    commitment_progress_add,
    commitment_publish,
    commitment_update,
)
from dangjian.posts.services.duty import (
    DUTY_CHECK_FIELDS,
    DUTY_RECORD_FIELDS,
    duty_check_circulate,
    duty_check_monthly,
    duty_check_quarterly,
    duty_record_create,
    duty_record_delete,
    duty_record_update,
)
from dangjian.posts.services.posts import (
    POST_FIELDS,
    POST_ORG_KINDS,
    STATE_RULES,
    STEP_LABELS,
    post_assign,
    post_claim,
    post_confirm,
    post_create,
    post_delete,
    post_evaluate,
    post_perform,
    post_publish,
    post_release,
    post_rollover,
    post_update,
)
from dangjian.posts.services.summaries import (
    ORG_SUMMARY_KIND,
    SUMMARY_FIELDS,
    summary_member_create,
    summary_org_create,
    summary_update,
)

__all__ = [
    "audit",
    "COMMITMENT_AREAS",
    "COMMITMENT_FIELDS",
    "DEPARTMENT_CATALOGUE",
    "DUTY_CHECK_FIELDS",
    "DUTY_RECORD_FIELDS",
    "NO_PERSON",
    "ORG_SUMMARY_KIND",
    "POST_FIELDS",
    "POST_ORG_KINDS",
    "POST_TYPE_FIELDS",
    "STATE_RULES",
    "STEP_LABELS",
    "SUMMARY_FIELDS",
    "UNCHANGED",
    "Unchanged",
    "commitment_create",
    "commitment_progress_add",
    "commitment_publish",
    "commitment_update",
    "duty_check_circulate",
    "duty_check_monthly",
    "duty_check_quarterly",
    "duty_record_create",
    "duty_record_delete",
    "duty_record_update",
    "post_assign",
    "post_claim",
    "post_confirm",
    "post_create",
    "post_delete",
    "post_evaluate",
    "post_perform",
    "post_publish",
    "post_release",
    "post_rollover",
    "post_type_create",
    "post_type_delete",
    "post_type_set_active",
    "post_type_update",
    "post_update",
    "summary_member_create",
    "summary_org_create",
    "summary_update",
]
