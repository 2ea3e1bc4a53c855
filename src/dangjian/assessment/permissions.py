"""Rights of the assessment app beyond read/change (core.access; 《支部考核办法》三、四).

- the organisation department (党委组织部负责组织协调工作) creates rounds and edits the
  score-sheet templates;
- a branch's own officers (书记、委员 of that branch) self-score, attach evidence, claim bonus
  points, submit the self-assessment and ask for a review;
- the assessment group (考核领导小组) is made of the officers strictly above the branch — the
  general branch's officers and the organisation department: they score, accept or reject
  bonus claims, record a veto, send the written notice and answer appeals. Whoever holds an
  office in the branch itself never scores it.

core.access has no relation "an officer of the organisation itself" (SCOPE includes the levels
above; ABOVE does not exclude a department user who also sits in the branch): the two
assessment sides add that test (`holds_office_in`) to the declared relation.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dangjian.assessment.models import BranchAssessment
from dangjian.core import access
from dangjian.core.access import ABOVE, DEPARTMENT, SCOPE, Action, declare
from dangjian.core.models import User
from dangjian.org.models import Organisation, Position
from dangjian.org.rules import OFFICER_TITLES

NOT_DEPARTMENT = (
    "只有党委组织部可以创建考核、修改考核评分表"
    "（党支部工作目标管理《支部考核办法》§三：党委组织部负责组织协调工作）。"
)
NOT_BRANCH_OFFICER = (
    "只有本支部的书记、委员可以填报支部自评、申报附加分、提交自评和申请复核"
    "（《支部考核办法》§四：被考核支部自评并接受考评）。"
)
NOT_GROUP = (
    "考核评分、认定附加分、一票否决、书面通知和复核意见由考核领导小组作出，"
    "即上级党总支和党委组织部；党支部书记、委员不能考评本支部（《支部考核办法》§三、四(一)）。"
)
OUT_OF_SCOPE = "只能对本人管理范围内的党组织创建考核。"

EDIT_TEMPLATES = "assessment.edit_templates"
CREATE_ROUND = "assessment.create_round"
ROUND_UNDER = "assessment.round_under"
SELF_ASSESS = "assessment.self_assess"
JUDGE = "assessment.judge"

declare(
    Action(EDIT_TEMPLATES, DEPARTMENT, label="修改考核评分表", message=NOT_DEPARTMENT),
    Action(CREATE_ROUND, DEPARTMENT, label="创建考核", message=NOT_DEPARTMENT),
    # The round's organisation: the department creates rounds within its scope only.
    Action(ROUND_UNDER, SCOPE, org="", label="创建考核", message=OUT_OF_SCOPE),
    # The branch side (with holds_office_in): self-scores, claims, submit, appeal.
    Action(SELF_ASSESS, SCOPE, org="branch", label="填报支部自评", message=NOT_BRANCH_OFFICER),
    # The assessment group (and not an officer of the branch): scores, veto, notice, answer.
    Action(JUDGE, ABOVE, org="branch", label="考评党支部", message=NOT_GROUP),
)

AnyUser = User | AnonymousUser | None


def holds_office_in(user: AnyUser, branch: Organisation) -> bool:
    """A current secretary, deputy or committee member of the branch itself."""
    person_id = getattr(user, "person_id", None)
    if not person_id or not getattr(user, "is_authenticated", False):
        return False
    return (
        Position.objects.current()
        .filter(person_id=person_id, organisation_id=branch.pk, title__in=OFFICER_TITLES)
        .exists()
    )


def in_group(user: AnyUser, assessment: BranchAssessment) -> bool:
    """The assessment group for the branch: officers strictly above it (the general branch's,
    the committee's) and the organisation department — never the branch's own officers."""
    return access.can(user, JUDGE, assessment) and not holds_office_in(user, assessment.branch)


def is_branch_side(user: AnyUser, assessment: BranchAssessment) -> bool:
    """The branch's own officers (who act for it in its self-assessment)."""
    return holds_office_in(user, assessment.branch) and access.can(user, SELF_ASSESS, assessment)


def require_department(user: AnyUser, action: str = EDIT_TEMPLATES) -> None:
    access.require(user, action)


def require_branch_side(user: AnyUser, assessment: BranchAssessment) -> None:
    if not is_branch_side(user, assessment):
        raise PermissionDenied(access.refusal(SELF_ASSESS))


def require_group(user: AnyUser, assessment: BranchAssessment) -> None:
    if not in_group(user, assessment):
        raise PermissionDenied(access.refusal(JUDGE))


class Rights:
    """Which party a user is on one branch assessment: the branch's own officers (`branch`) or
    the assessment group (`group`); neither for anyone else who can see it."""

    def __init__(self, user: AnyUser, assessment: BranchAssessment) -> None:
        self.branch = is_branch_side(user, assessment)
        self.group = not self.branch and in_group(user, assessment)
