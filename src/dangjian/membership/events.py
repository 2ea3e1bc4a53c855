"""The named steps of membership administration on the audit trail (core.events)."""

from dangjian.core.events import EventType

TRANSFER_SENT = EventType("membership.transfer_sent", "发出组织关系转接")
TRANSFER_RECEIVED = EventType("membership.transfer_received", "接收组织关系")
TRANSFER_APPROVED = EventType("membership.transfer_approved", "审批同意组织关系转接")
TRANSFER_REJECTED = EventType("membership.transfer_rejected", "退回组织关系转接")
TRANSFER_CANCELLED = EventType("membership.transfer_cancelled", "撤回组织关系转接")
TRANSFER_COMPLETED = EventType("membership.transfer_completed", "组织关系转接办结")
LETTER_ISSUED = EventType("membership.letter_issued", "开具组织关系介绍信")
SLIP_RETURNED = EventType("membership.slip_returned", "登记介绍信回执")
TRANSFER_ARRIVED = EventType("membership.transfer_arrived", "接收外单位转入的党员")
