"""The Party school's named steps on the audit trail (core.events)."""

from dangjian.core.events import EventType

ATTENDANCE_RECORDED = EventType("partyschool.attendance_recorded", "登记党校课次出勤")
EXAM_RECORDED = EventType("partyschool.exam_recorded", "登记党校考试成绩")
