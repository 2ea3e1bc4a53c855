"""Rights of notices beyond reading (core.access): the officers of the sending organisation and
of the levels above draft, publish and withdraw its notices and see who has read them."""

from dangjian.core.access import SCOPE, Action, declare

MANAGE_NOTICE = "notices.manage"

declare(Action(MANAGE_NOTICE, SCOPE, org="organisation", label="发布通知公告"))
