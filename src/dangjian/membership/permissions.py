"""Rights of membership administration beyond reading (core.access): the officers of a member's
organisation and of the levels above keep the member's records."""

from dangjian.core.access import SCOPE, Action, declare

MANAGE_AWAY = "membership.manage_away"

declare(Action(MANAGE_AWAY, SCOPE, org="person__primary_org", label="登记流动党员"))
