"""Rights of member duty evaluation beyond reading and changing rows (core.access).

An officer of an organisation (or above) organises, computes and publishes its cycles, rates
its members, awards and revokes their honours and handles their rectification; the member
reports their own rectification done and writes their own self-report. Nobody rates, honours
or verifies themselves: those are rules of the services (appraisal.services), not relations.
"""

from dangjian.core.access import MEMBER, SCOPE, SELF, Action, declare

NOT_RATER = "您不是该党员所在党支部或其上级党组织的书记、委员，不能作综合评定。"
NOT_OWN_REPORT = "只能提交本人的述岗自评。"

declare(
    # on an Organisation: the one whose subtree the cycle evaluates
    Action("appraisal.create_cycle", SCOPE, org="", label="组织该党组织的党员考评"),
    # on an EvaluationCycle: compute, publish, use for 评岗, see what blocks the computation
    Action("appraisal.manage_cycle", SCOPE, org="organisation", label="计算或公布本次考评"),
    # on an EvaluationResult
    Action("appraisal.rate", SCOPE, org="organisation", message=NOT_RATER),
    Action("appraisal.award_honour", SCOPE, org="organisation", label="授予荣誉"),
    # on an Honour
    Action("appraisal.revoke_honour", SCOPE, org="organisation", label="撤销荣誉"),
    # on a MemberRectification: the explanation at the general meeting, the verification
    Action("appraisal.handle_rectification", SCOPE, org="organisation", label="办理限期整改"),
    Action(
        "appraisal.report_rectification",
        (SELF, SCOPE),
        org="organisation",
        person="person",
        label="登记整改完成",
    ),
    # on a Person: the self-report is the member's own
    Action("appraisal.write_self_report", SELF, person="", message=NOT_OWN_REPORT),
    # anyone with a person record: 我的考评, self-reports, ratings given
    Action("appraisal.take_part", MEMBER, label="参加党员考评"),
)
