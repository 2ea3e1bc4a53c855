"""Rights of the outreach app beyond reading (core.access).

Officers of a person's organisation and of the levels above manage that person's contacts,
links and visits; a member manages their own contacts and visits; the links of school leaders
to colleges are set by the organisation department (《基层组织建设实施意见》§四(四)1).
"""

from dangjian.core.access import MEMBER, SCOPE, SELF, STAFF, Action, declare
from dangjian.outreach import rules

NOT_IN_SCOPE = "您不是该党员所在党组织或其上级党组织的书记、委员，不能办理。"
NO_PERSON = "您的账号没有关联人员信息，请联系组织部干事。"

# On a Person: their own contacts and visits, or an officer of their organisation.
MANAGE = "outreach.manage"
# On a Link: set or end a link of the organisation's people.
LINK = "outreach.link"
# A school leader's link to a college (no object: the department's).
LEADER_LINK = "outreach.leader_link"
# Record one's own visits or contacts: a person behind the account.
OWN = "outreach.own"

declare(
    Action(MANAGE, (SELF, SCOPE), person="", org="primary_org", message=NOT_IN_SCOPE),
    Action(LINK, SCOPE, org="organisation", label="设置联系点", message=NOT_IN_SCOPE),
    Action(
        LEADER_LINK,
        STAFF,
        label="设置校领导联系点和领导班子成员联系点",
        message=rules.SCHOOL_LEADER_LINKS,
    ),
    Action(OWN, MEMBER, label="登记走访", message=NO_PERSON),
)
