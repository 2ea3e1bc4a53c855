"""Who may do what in branch grading and rectification (《组织建设年实施方案》附件1 二(二)、(四)).

- The organisation department (or an officer of the committee) sets up grading years and edits
  the grading standards (`set_up`), for the organisations in its scope (`edit_year`, `act_for`).
- A branch's officers — and the officers above them — fill in the branch's survey and
  self-grade, its rectification plan and items (`fill_survey`, `edit_plan`, `edit_item`); an
  item's responsible person may also report it done (`report_done`).
- The GRADE is decided by the level above (党总支对党支部…进行分类定级): the general branch's
  officers or the department, never the branch itself (`decide_grading`); the level above also
  verifies (销号) the items the branch reports done (`verify_item`).

A service that needs the level above first asks for the scope (`fill_survey`, `edit_item`), so
that an officer of another branch hears "not yours" and the branch's own officers hear "the
level above decides this".
"""

from dangjian.branches.rules import GRADE_BY_LEVEL_ABOVE
from dangjian.core.access import ABOVE, DEPARTMENT, OFFICER, SCOPE, SELF, Action, declare

# The words the decision's refusal has always used (a test asserts them).
NOT_IN_SCOPE = "您不是该党支部或其上级党组织的书记、委员，不能办理。"

declare(
    Action(
        "branches.set_up",
        DEPARTMENT,
        label="设置年度分类定级和评分参考标准",
        message="年度分类定级和评分参考标准由党委组织部（“168”领导小组办公室）设置。",
    ),
    # On an Organisation: open a grading year for it, start a branch's survey, draft its plan.
    Action("branches.act_for", SCOPE, org="", label="为该党组织办理分类定级和整改"),
    Action("branches.edit_year", SCOPE, org="organisation", label="修改年度分类定级"),
    Action("branches.start_surveys", OFFICER, label="建立调查摸底表"),
    Action("branches.fill_survey", SCOPE, org="branch", message=NOT_IN_SCOPE),
    Action(
        "branches.decide_grading", ABOVE, org="branch", label="定级", message=GRADE_BY_LEVEL_ABOVE
    ),
    # On an Organisation: its level above (starts its survey in bulk, verifies its items).
    Action("branches.lead", ABOVE, org="", label="作为上级党组织办理"),
    Action("branches.edit_plan", SCOPE, org="branch", label="修改整改提高方案"),
    Action("branches.edit_item", SCOPE, org="plan__branch", label="修改整改事项"),
    Action(
        "branches.report_done",
        (SELF, SCOPE),
        person="responsible",
        org="plan__branch",
        label="报告整改完成",
        message="整改事项由本支部书记、委员或责任人报告完成。",
    ),
    Action(
        "branches.verify_item",
        ABOVE,
        org="plan__branch",
        label="核实销号",
        message=(
            "整改事项由党支部报告完成，由上级党组织（党总支或党委组织部）核实销号"
            "（《组织建设年实施方案》附件1 二(四)：学校…加强对整改工作的督促指导）。"
        ),
    ),
)
