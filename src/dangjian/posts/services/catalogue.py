"""岗位目录: the department's posts and the general branches' own posts
(《168模式实施意见》§五(二)1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.core.scoping import scope_for
from dangjian.org.models import Organisation, OrgKind
from dangjian.posts import permissions
from dangjian.posts.models import PostAudience, PostType
from dangjian.posts.services._common import given

POST_TYPE_FIELDS = ["name", "audience", "duties", "annual_tasks", "organisation", "is_active"]
DEPARTMENT_CATALOGUE = "岗位目录中的示范岗位由党委组织部设置，党总支可另设本单位岗位。"


def _check_post_type(post_type: PostType, actor: User) -> None:
    org = post_type.organisation
    if org is None:
        # The department's own posts: the department itself (scope "everything"), not the
        # committee's officers (core.access's DEPARTMENT would let them in).
        if not scope_for(actor).everything:
            raise PermissionDenied(DEPARTMENT_CATALOGUE)
    else:
        if org.kind != OrgKind.GENERAL_BRANCH:
            raise ValidationError({"organisation": "本单位岗位由党总支设置，请选择党总支。"})
        access.require(actor, permissions.EDIT_CATALOGUE, post_type)
    clash = PostType.objects.filter(organisation=org, name=post_type.name).exclude(pk=post_type.pk)
    if clash.exists():
        raise ValidationError({"name": "岗位目录中已有同名岗位。"})
    post_type.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def post_type_create(
    *,
    actor: User,
    name: str,
    duties: str,
    organisation: Organisation | None = None,
    audience: str = PostAudience.ALL,
    annual_tasks: str = "",
    display_order: int = 100,
) -> PostType:
    post_type = PostType(
        organisation=organisation,
        name=name,
        audience=audience,
        duties=duties,
        annual_tasks=annual_tasks,
        display_order=display_order,
    )
    _check_post_type(post_type, actor)
    post_type.save()
    audit.created(actor=actor, obj=post_type, fields=POST_TYPE_FIELDS)
    return post_type


@transaction.atomic
def post_type_update(
    *,
    actor: User,
    post_type: PostType,
    name: str | None = None,
    audience: str | None = None,
    duties: str | None = None,
    annual_tasks: str | None = None,
    display_order: int | None = None,
) -> PostType:
    """Change a catalogue post (given fields only); it stays with its organisation."""
    post_type = PostType.objects.select_for_update().get(pk=post_type.pk)
    audit.audited_update(
        actor=actor,
        obj=post_type,
        fields=given(
            name=name,
            audience=audience,
            duties=duties,
            annual_tasks=annual_tasks,
            display_order=display_order,
        ),
        audit_fields=POST_TYPE_FIELDS,
        clean=lambda obj: _check_post_type(obj, actor),
    )
    return post_type


@transaction.atomic
def post_type_set_active(*, actor: User, post_type: PostType, is_active: bool) -> PostType:
    """Deactivate a useless post; past posts keep it.

    《设岗定责通知》§2: 去除不实用、不适应、难作为的岗位."""
    post_type = PostType.objects.select_for_update().get(pk=post_type.pk)
    audit.audited_update(
        actor=actor,
        obj=post_type,
        fields={"is_active": is_active},
        audit_fields=POST_TYPE_FIELDS,
        clean=lambda obj: _check_post_type(obj, actor),
        action=AuditEvent.Action.STATUS,
    )
    return post_type


@transaction.atomic
def post_type_delete(*, actor: User, post_type: PostType) -> None:
    post_type = PostType.objects.select_for_update().get(pk=post_type.pk)
    _check_post_type(post_type, actor)
    if post_type.posts.exists():
        raise ValidationError({"is_active": "该岗位已被使用，不能删除；不再需要时请停用。"})
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=post_type,
        before=audit.snapshot(post_type, POST_TYPE_FIELDS),
    )
    post_type.delete()
