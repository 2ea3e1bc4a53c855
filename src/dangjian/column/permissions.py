"""Rights of the work column (core.access).

The officers of an organisation and of the levels above write, submit and withdraw its
articles (SCOPE); approving or returning one is for the level above only (ABOVE: its own
officers are not), 《168模式实施意见》§五(二)4. Reading the published column is PUBLIC."""

from dangjian.core.access import ABOVE, PUBLIC, SCOPE, Action, declare

WRITE = "column.write"
SUBMIT = "column.submit"
REVIEW = "column.review"
WITHDRAW = "column.withdraw"
READ_PUBLISHED = "column.read_published"

declare(
    Action(WRITE, SCOPE, org="organisation", label="撰写和修改稿件"),
    Action(SUBMIT, SCOPE, org="organisation", label="报送稿件"),
    Action(
        REVIEW,
        ABOVE,
        org="organisation",
        label="审核稿件",
        message="稿件须由上级党组织（党总支、党委）或党委组织部审核，本组织不能审核自己的稿件。",
    ),
    Action(WITHDRAW, SCOPE, org="organisation", label="撤回稿件"),
    Action(READ_PUBLISHED, PUBLIC, label="查看工作专栏"),
)
