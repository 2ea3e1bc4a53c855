"""Who may do what in organisational life (core.access). Reading is the scoping idiom: the
officers of an organisation and of the levels above read its meetings, trainings and hours."""

from dangjian.core.access import SCOPE, STAFF, Action, declare

NOT_YOUR_MEMBER = "该人员不在您管理的党组织内，不能{what}学时。"

declare(
    # Meetings and trainings are recorded and changed by the officers of the organisation
    # that held them and of the levels above.
    Action("orglife.record", SCOPE, org="organisation", label="办理"),
    # 组织生活频次要求 are the department's (《实施意见》四(二)3).
    Action("orglife.edit_rules", STAFF, message="组织生活频次要求由党委组织部设置。"),
    # Individual study hours of a member of one's subtree.
    Action(
        "orglife.add_hours",
        SCOPE,
        org="primary_org",
        message=NOT_YOUR_MEMBER.format(what="登记"),
    ),
    Action(
        "orglife.delete_hours",
        SCOPE,
        org="person__primary_org",
        message=NOT_YOUR_MEMBER.format(what="删除"),
    ),
)
