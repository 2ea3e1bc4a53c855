"""Rights on organisations, people and units beyond reading and changing them (core.access).

Some rights belong to the organisation department proper (and administrators): their scope
is the whole institution (`Scope.everything`). core.access's DEPARTMENT relation also takes in
a committee's officers, who do not hold these rights, so they are declared as SCOPE on
INSTITUTION, the one object whose organisation path ("") lies under no organisation.
"""

from types import SimpleNamespace

from dangjian.core.access import ABOVE, SCOPE, Action, declare

# The whole institution as an object of the access policy: only Scope.everything covers it.
INSTITUTION = SimpleNamespace(path="")

RESTRUCTURE_REFUSED = "调整隶属关系或撤销本组织，须由上级党组织办理。"
TOP_LEVEL_REFUSED = "只有组织部干事可以新建顶层党组织。"
UNIT_REFUSED = "只有组织部干事可以新建、修改或撤销行政单位。"

declare(
    # Moving or dissolving an organisation is the level above's work, never its own.
    Action(
        "org.restructure", ABOVE, org="", label="调整隶属关系或撤销", message=RESTRUCTURE_REFUSED
    ),
    # On INSTITUTION: the organisation department proper and administrators.
    Action("org.create_top_level", SCOPE, org="", message=TOP_LEVEL_REFUSED),
    Action("org.manage_units", SCOPE, org="", message=UNIT_REFUSED),
    Action("org.read_full_identity", SCOPE, org="", label="查看完整的身份证号和手机号"),
    Action("org.unassign_person", SCOPE, org="", label="登记不属于任何党组织的人员"),
)
