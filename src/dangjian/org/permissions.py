"""Rights on organisations, people and units beyond reading and changing them (core.access).

Some rights belong to the organisation department's own staff and administrators (STAFF):
a committee's officers, though they act for the institution (DEPARTMENT), do not hold them.
"""

from dangjian.core.access import ABOVE, SCOPE, STAFF, Action, declare

RESTRUCTURE_REFUSED = "调整隶属关系或撤销本组织，须由上级党组织办理。"
TOP_LEVEL_REFUSED = "只有组织部干事可以新建顶层党组织。"
UNIT_REFUSED = "只有组织部干事可以新建、修改或撤销行政单位。"

declare(
    # Moving or dissolving an organisation is the level above's work, never its own.
    Action("org.restructure", ABOVE, org="", label="调整隶属关系", message=RESTRUCTURE_REFUSED),
    Action("org.create_top_level", STAFF, message=TOP_LEVEL_REFUSED),
    Action("org.manage_units", STAFF, message=UNIT_REFUSED),
    Action("org.read_full_identity", STAFF, label="查看完整的身份证号和手机号"),
    Action("org.unassign_person", STAFF, label="登记不属于任何党组织的人员"),
    # Standing on the roll (停止党籍, 出党, 死亡, 转出, 恢复党籍): the person's organisation's
    # officers and those above.
    Action("org.change_standing", SCOPE, org="primary_org", label="办理党籍变动"),
    # Positions give scope: only officers of the organisation (or above) appoint and end them.
    Action("org.appoint", SCOPE, org="organisation", label="任免职务"),
)
