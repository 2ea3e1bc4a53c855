"""The steps in the life of an organisation and a person that the audit trail names
(core.events)."""

from dangjian.core.events import EventType

STATUS_CHANGED = EventType("org.status_changed", "变更政治面貌")
ORGANISATION_DISSOLVED = EventType("org.organisation_dissolved", "撤销党组织")
UNIT_DISSOLVED = EventType("org.unit_dissolved", "撤销行政单位")
POSITION_ENDED = EventType("org.position_ended", "离任")
GROUP_MEMBER_ADDED = EventType("org.group_member_added", "添加领导小组成员")
GROUP_MEMBER_REMOVED = EventType("org.group_member_removed", "移出领导小组成员")
