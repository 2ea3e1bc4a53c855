"""The named steps of dues and the activity fund, on the audit trail."""

from dangjian.core.events import EventType

STANDARD_SET = EventType("finance.standard_set", "核定党费标准")
PAYMENT_RECORDED = EventType("finance.payment_recorded", "登记党费收缴")
PAYMENT_IMPORTED = EventType("finance.payment_imported", "导入党费收缴")
FUND_COMPUTED = EventType("finance.fund_computed", "按规定计算经费收入")
