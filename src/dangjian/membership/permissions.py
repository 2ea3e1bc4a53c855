"""Rights of membership administration beyond reading (core.access): the officers of a member's
organisation and of the levels above keep the member's records."""

from dangjian.core.access import SCOPE, Action, declare

MANAGE_AWAY = "membership.manage_away"
# 组织关系转接: the origin's officers send, issue letters and record the returned slip; the
# destination's officers receive; the approving general branch's officers approve.
TRANSFER_SEND = "membership.transfer_send"
TRANSFER_RECEIVE = "membership.transfer_receive"
TRANSFER_APPROVE = "membership.transfer_approve"

declare(
    Action(MANAGE_AWAY, SCOPE, org="person__primary_org", label="登记流动党员"),
    Action(TRANSFER_SEND, SCOPE, org="origin_org", label="办理本组织党员的组织关系转出"),
    Action(TRANSFER_RECEIVE, SCOPE, org="destination_org", label="接收转入本组织的党员"),
    # The object is the approving organisation itself (a general branch, or the committee).
    Action(TRANSFER_APPROVE, SCOPE, org="", label="审批该组织关系转接"),
)
