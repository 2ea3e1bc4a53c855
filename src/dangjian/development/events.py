"""The named steps of a development dossier on the audit trail (core.events)."""

from dangjian.core.events import EventType

MADE_ACTIVIST = EventType("development.made_activist", "确定为入党积极分子")
EXAM_RECORDED = EventType("development.exam_recorded", "登记党校考试成绩")
MADE_CANDIDATE = EventType("development.made_candidate", "确定为培养考察对象")
CULTIVATION_STARTED = EventType("development.cultivation_started", "开始培养考察")
MADE_TARGET = EventType("development.made_target", "确定为发展对象")
ADMITTED = EventType("development.admitted", "支部大会通过接收为预备党员")
TALK_RECORDED = EventType("development.talk_recorded", "党总支指派专人谈话")
APPROVED = EventType("development.approved", "党总支委员会审批为预备党员")
CONVERSION_APPLIED = EventType("development.conversion_applied", "提出书面转正申请")
CONVERSION_OPINIONS = EventType("development.conversion_opinions", "征求党内外师生意见")
CONVERSION_COMMITTEE = EventType("development.conversion_committee", "支委会讨论评议转正")
CONVERSION_REVIEWED = EventType("development.conversion_reviewed", "党总支审查转正")
CONVERTED = EventType("development.converted", "党总支审批转为正式党员")
EXTENDED = EventType("development.extended", "延长预备期")
PROBATION_CANCELLED = EventType("development.probation_cancelled", "取消预备党员资格")
DEVELOPMENT_ENDED = EventType("development.ended", "终止发展")
OBJECTION_RESOLVED = EventType("development.objection_resolved", "核查处理公示意见")
HISTORY_IMPORTED = EventType("development.history_imported", "导入历史发展档案")
