"""Rights of the Party school (core.access): the officers of the organisation that runs a
class (the committee's Party school, a general branch's class) and of the levels above keep its
sessions, attendance and exam results. Reading is the scoping idiom."""

from dangjian.core.access import SCOPE, Action, declare

MANAGE = "partyschool.manage"

declare(
    # The object is the class (orglife.Training).
    Action(MANAGE, SCOPE, org="organisation", label="管理该培训班的课次、出勤和考试成绩"),
)
