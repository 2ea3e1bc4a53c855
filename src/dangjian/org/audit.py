"""Security log of officer positions (等保 8.1.4.2): appointing, changing and removing a
secretary, deputy or committee member changes who may act on a subtree, so each is a ROLE
event, as account and group changes are (core.account_audit)."""

from django.db.models.signals import post_delete, post_save, pre_save

from dangjian.core.account_audit import BEFORE_ATTR, write_event
from dangjian.core.models import SecurityEvent
from dangjian.org.models import Position
from dangjian.org.rules import OFFICER_TITLES


def _position_text(position) -> str:
    term = f"{position.starts_on}起" + (f"至{position.ends_on}" if position.ends_on else "")
    return f"{position.person} {position.organisation} {position.get_title_display()}（{term}）"


def position_pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).select_related("person", "organisation").first()
    setattr(instance, BEFORE_ATTR, before)


def position_post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, BEFORE_ATTR, None)
    if before is not None:
        delattr(instance, BEFORE_ATTR)
    officer_now = instance.title in OFFICER_TITLES
    officer_before = before is not None and before.title in OFFICER_TITLES
    if created or before is None:
        if officer_now:
            write_event(SecurityEvent.Kind.ROLE, f"任命党组织职务：{_position_text(instance)}")
        return
    if not (officer_now or officer_before):
        return
    old, new = _position_text(before), _position_text(instance)
    if old != new:
        write_event(SecurityEvent.Kind.ROLE, f"变更党组织职务：{old} → {new}")


def position_post_delete(sender, instance, **kwargs):
    if instance.title in OFFICER_TITLES:
        write_event(SecurityEvent.Kind.ROLE, f"删除党组织职务：{_position_text(instance)}")


def connect() -> None:
    uid = "dangjian.org.audit"
    pre_save.connect(position_pre_save, sender=Position, dispatch_uid=f"{uid}.pos_pre")
    post_save.connect(position_post_save, sender=Position, dispatch_uid=f"{uid}.pos_post")
    post_delete.connect(position_post_delete, sender=Position, dispatch_uid=f"{uid}.pos_delete")
