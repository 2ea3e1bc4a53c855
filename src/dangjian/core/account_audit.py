"""Account, role and officer-position changes into the security audit, from every interface
(admin, services, API, commands): signals on core.User and org.Position, and on the user's
groups and permissions. Who made the change comes from the request being served
(core.security_audit.current_request); from a command it is empty.

This is the one place where signals carry logic: a change made anywhere must be recorded."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from dangjian.core import security_log
from dangjian.core.models import AdminRole, SecurityEvent, User
from dangjian.core.security_audit import current_request

ACCOUNT_FIELDS = {"username": "用户名", "is_active": "启用", "person_id": "对应人员"}
ROLE_FIELDS = {
    "is_staff": "可登录管理后台",
    "is_superuser": "超级用户",
    "is_org_officer": "组织部干事",
    "admin_role": "管理员角色",
}
BEFORE_ATTR = "_dangjian_audit_before"


def write_event(kind: str, detail: str, *, deleted_pk=None) -> None:
    request = current_request()
    user = getattr(request, "user", None)
    if deleted_pk is not None and user is not None and user.pk == deleted_pk:
        # An account deleting itself: the row must not point at the deleted user.
        security_log.record(kind, request=None, username=user.get_username(), detail=detail)
        return
    security_log.record(kind, request=request, detail=detail)


def _shown(field: str, value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "admin_role":
        return AdminRole(value or "").label
    return "—" if value in (None, "") else str(value)


def user_pre_save(sender, instance: User, raw=False, update_fields=None, **kwargs):
    # A superuser (createsuperuser, the admin) is the system administrator unless given a role.
    if instance.is_superuser and not instance.admin_role:
        instance.admin_role = AdminRole.SYSTEM
    if raw or instance.pk is None:
        return
    tracked = {**ACCOUNT_FIELDS, **ROLE_FIELDS}
    if update_fields is not None and not set(update_fields) & {*tracked, "person"}:
        return  # e.g. last_login at each sign-in: nothing to compare
    before = User.objects.filter(pk=instance.pk).values(*tracked).first()
    setattr(instance, BEFORE_ATTR, before)


def user_post_save(sender, instance: User, created=False, raw=False, **kwargs):
    if raw:
        return
    name = instance.get_username()
    if created:
        roles = [label for field, label in ROLE_FIELDS.items() if getattr(instance, field)]
        suffix = f"（{'、'.join(roles)}：{_shown('admin_role', instance.admin_role)}）"
        write_event(SecurityEvent.Kind.ACCOUNT, f"新建账号 {name}" + (suffix if roles else ""))
        return
    before = getattr(instance, BEFORE_ATTR, None)
    if not before:
        return
    delattr(instance, BEFORE_ATTR)
    for fields, kind in (
        (ACCOUNT_FIELDS, SecurityEvent.Kind.ACCOUNT),
        (ROLE_FIELDS, SecurityEvent.Kind.ROLE),
    ):
        changes = [
            f"{label} {_shown(field, before[field])}→{_shown(field, getattr(instance, field))}"
            for field, label in fields.items()
            if before[field] != getattr(instance, field)
        ]
        if changes:
            write_event(kind, f"账号 {name}：" + "；".join(changes))


def user_post_delete(sender, instance: User, **kwargs):
    write_event(
        SecurityEvent.Kind.ACCOUNT, f"删除账号 {instance.get_username()}", deleted_pk=instance.pk
    )


M2M_ACTIONS = {"post_add": "增加", "post_remove": "移除", "post_clear": "清空"}


def _m2m_detail(action, model, pk_set) -> str:
    if action == "post_clear" or not pk_set:
        return ""
    return "、".join(str(obj) for obj in model.objects.filter(pk__in=pk_set))


def user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in M2M_ACTIONS:
        return
    what = "用户组" if sender is User.groups.through else "权限"
    if reverse:  # group.user_set.add(user): instance is the group, pk_set the users
        users = _m2m_detail(action, model, pk_set) or "全部用户"
        detail = f"{what} {instance}：{M2M_ACTIONS[action]}账号 {users}"
    else:
        detail = (
            f"账号 {instance.get_username()}：{M2M_ACTIONS[action]}{what} "
            f"{_m2m_detail(action, model, pk_set)}"
        ).rstrip()
    write_event(SecurityEvent.Kind.ROLE, detail)


def group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in M2M_ACTIONS or reverse:
        return
    detail = f"用户组 {instance}：{M2M_ACTIONS[action]}权限 {_m2m_detail(action, model, pk_set)}"
    write_event(SecurityEvent.Kind.ROLE, detail.rstrip())


def connect() -> None:
    uid = "dangjian.core.account_audit"
    pre_save.connect(user_pre_save, sender=User, dispatch_uid=f"{uid}.user_pre")
    post_save.connect(user_post_save, sender=User, dispatch_uid=f"{uid}.user_post")
    post_delete.connect(user_post_delete, sender=User, dispatch_uid=f"{uid}.user_delete")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(user_groups_changed, sender=through, dispatch_uid=f"{uid}.{through}")
    m2m_changed.connect(
        group_permissions_changed, sender=Group.permissions.through, dispatch_uid=f"{uid}.group"
    )
