"""Every write of the development pipeline: one service per transition (`case_<verb>`), atomic,
the case locked (select_for_update), its right checked (development.permissions), its rules
checked (development.rules), audited as a named event (development.events), and written on the
case's timeline (CaseEvent). The person's Party status follows the case through
`org.services.person_change_status` (the history is kept there, once).

A refused right is a PermissionDenied naming the rule; a broken rule is a ValidationError
naming it (《基层组织建设实施意见》§四(三)1). By entity: `cases` (the steps), `notices` (notices,
objections and votes), `probation` (reports and the conversion).
"""

from dangjian.development.models import OPEN_STATUSES, PROBATION_STATUSES
from dangjian.development.services._common import CASE_FIELDS
from dangjian.development.services.cases import (
    case_approve,
    case_cancel,
    case_create,
    case_event_add,
    case_make_activist,
    case_make_candidate,
    case_make_target,
    case_record_exam,
    case_record_talk,
    case_start_cultivation,
    stage_definition_update,
)
from dangjian.development.services.history import case_import_history
from dangjian.development.services.notices import (
    notice_create,
    objection_create,
    objection_resolve,
    vote_record,
)
from dangjian.development.services.probation import (
    CONVERSION_STEPS,
    case_apply_conversion,
    case_approve_conversion,
    case_conversion_step,
    case_extend,
    probation_report_create,
)

__all__ = [
    "CASE_FIELDS",
    "CONVERSION_STEPS",
    "OPEN_STATUSES",
    "PROBATION_STATUSES",
    "case_apply_conversion",
    "case_import_history",
    "case_approve",
    "case_approve_conversion",
    "case_cancel",
    "case_conversion_step",
    "case_create",
    "case_event_add",
    "case_extend",
    "case_make_activist",
    "case_make_candidate",
    "case_make_target",
    "case_record_exam",
    "case_record_talk",
    "case_start_cultivation",
    "notice_create",
    "objection_create",
    "objection_resolve",
    "probation_report_create",
    "stage_definition_update",
    "vote_record",
]
