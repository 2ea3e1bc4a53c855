"""Who may do what with quarterly reports (core.access): each action is asked of the reporting
organisation. 《延伸提升168机制意见》§五: each organisation reports quarterly to the level above."""

from dangjian.core.access import ABOVE, SCOPE, Action, declare

declare(
    Action("reports.generate", SCOPE, org="", message="只能为本组织或下级党组织生成季报表。"),
    Action(
        "reports.write",
        SCOPE,
        org="",
        message="季报表由本组织书记、委员或上级党组织填写和报送。",
    ),
    Action(
        "reports.review",
        ABOVE,
        org="",
        message="季报表由上级党组织审核，不能审核本组织的季报表。",
    ),
)
