"""Rights of elections (core.access): the organisation's own officers (and those above) prepare
and hold the election; the level above approves the plan and the result (选举工作条例: 报上级
党组织审批)."""

from dangjian.core.access import ABOVE, SCOPE, Action, declare

MANAGE = "elections.manage"
APPROVE = "elections.approve"

declare(
    Action(MANAGE, SCOPE, org="organisation", label="办理本组织的换届选举"),
    Action(
        APPROVE,
        ABOVE,
        org="organisation",
        label="批复换届选举",
        message="换届选举的方案和结果由上级党组织批复。",
    ),
)
