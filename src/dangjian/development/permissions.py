"""Rights of member development beyond reading a dossier (core.access).

The branch's officers and those above act on a case; the general branch's own steps — the
talk, the approval, the conversion review and approval, an extension or a cancellation of the
probation — need an officer strictly above the branch (《基层组织建设实施意见》§四(三)1(7)(8)); the
wording of the ten steps is the organisation department's.
"""

from dangjian.core.access import ABOVE, SCOPE, STAFF, Action, declare

NOT_OFFICER = "只有本支部及上级党组织的书记、委员和组织部干事可以办理发展党员工作。"
ABOVE_ONLY = (
    "{step}由党总支办理：须由党支部的上级党组织（党总支）的书记或委员办理，"
    "党支部不能为本支部办理（《基层组织建设实施意见》§四(三)1(7)(8)）。"
)
STAGE_EDIT_REFUSED = "发展步骤的名称、要求和应存材料由党委组织部设置。"

ACT = "development.act"
OPEN_CASE = "development.open_case"
TALK = "development.talk"
APPROVE = "development.approve"
REVIEW_CONVERSION = "development.review_conversion"
APPROVE_CONVERSION = "development.approve_conversion"
EXTEND = "development.extend"
CANCEL_PROBATION = "development.cancel_probation"
EDIT_STAGES = "development.edit_stages"

# The general branch's own steps: action → the step as the refusal names it.
ABOVE_STEPS = {
    TALK: "指派专人谈话",
    APPROVE: "审批预备党员",
    REVIEW_CONVERSION: "党总支审查转正",
    APPROVE_CONVERSION: "审批预备党员转正",
    EXTEND: "延长预备期",
    CANCEL_PROBATION: "取消预备党员资格",
}

declare(
    Action(ACT, SCOPE, org="organisation", label="办理发展党员工作", message=NOT_OFFICER),
    Action(OPEN_CASE, SCOPE, org="primary_org", label="建立发展党员档案", message=NOT_OFFICER),
    *(
        Action(name, ABOVE, org="organisation", label=step, message=ABOVE_ONLY.format(step=step))
        for name, step in ABOVE_STEPS.items()
    ),
    Action(EDIT_STAGES, STAFF, label="设置发展步骤", message=STAGE_EDIT_REFUSED),
)
