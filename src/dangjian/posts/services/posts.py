"""Posts and their six steps (《设岗定责通知》§2): 设岗, 认岗, 定岗, 明岗, 履岗, 评岗."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from dangjian.core import access, audit
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.posts import events, permissions, rules
from dangjian.posts.models import Post, PostGrade, PostState, PostType
from dangjian.posts.services._common import check_year, given, person_of

POST_FIELDS = [
    "organisation",
    "year",
    "name",
    "duties",
    "targets",
    "holder",
    "state",
    "claimed_by_self",
    "confirmed_on",
    "published_on",
    "progress",
    "score",
    "grade",
    "evaluation",
    "reward",
    "evaluated_on",
]
POST_ORG_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)

# Why a transition is refused when the post is in another state (the six steps, 《设岗定责通知》§2).
STATE_RULES = {
    "claim": "只有“设岗”状态、尚无人认领的岗位可以认岗。",
    "release": "只有“认岗”状态的岗位可以退岗，定岗后不能退岗。",
    "confirm": "只有已认岗的岗位可以定岗。",
    "publish": "只有已定岗的岗位可以明岗公示。",
    "perform": "只有已明岗公示的岗位可以开始履岗。",
    "evaluate": "只有已明岗或履岗中的岗位可以评岗。",
}
STEP_LABELS = {
    "claim": "认岗",
    "release": "退岗",
    "confirm": "定岗",
    "publish": "明岗",
    "perform": "履岗",
    "evaluate": "评岗",
}


# --- posts: 设岗 -------------------------------------------------------------------------


def _lock(post: Post) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("organisation", "post_type", "holder__primary_org")
        .get(pk=post.pk)
    )


def _check_post_org(organisation: Organisation, post_type: PostType) -> None:
    if organisation.kind not in POST_ORG_KINDS:
        raise ValidationError({"organisation": "岗位设在党支部或党总支。"})
    if organisation.is_dissolved:
        raise ValidationError({"organisation": "该党组织已撤销，不能设岗。"})
    if not post_type.is_active:
        raise ValidationError({"post_type": "该岗位已停用，请选择其他岗位。"})
    owner = post_type.organisation
    if owner is not None and not organisation.path.startswith(owner.path):
        raise ValidationError({"post_type": "该岗位是其他党总支设置的本单位岗位，不能选用。"})


@transaction.atomic
def post_create(
    *,
    actor: User,
    organisation: Organisation,
    post_type: PostType,
    year: int,
    name: str = "",
    duties: str = "",
    targets: str = "",
) -> Post:
    """设岗: a post of the catalogue set in an organisation for one year (name and duties copied,
    editable; one post may carry several duties)."""
    access.require(actor, permissions.SET_POST, Post(organisation=organisation))
    check_year(year)
    _check_post_org(organisation, post_type)
    post = Post(
        organisation=organisation,
        post_type=post_type,
        year=year,
        name=name.strip() or post_type.name,
        duties=duties.strip() or post_type.duties,
        targets=targets.strip() or post_type.annual_tasks,
    )
    post.full_clean()
    post.save()
    audit.created(actor=actor, obj=post, fields=POST_FIELDS)
    return post


@transaction.atomic
def post_update(
    *,
    actor: User,
    post: Post,
    name: str | None = None,
    duties: str | None = None,
    targets: str | None = None,
    progress: str | None = None,
) -> Post:
    """Name, duties, targets and progress (工作进展) of a post (given fields only), until it is
    evaluated."""
    post = _lock(post)
    access.require(actor, permissions.SET_POST, post)
    if post.state == PostState.EVALUATED:
        raise ValidationError({"state": "岗位已评岗，不能再修改。"})
    audit.audited_update(
        actor=actor,
        obj=post,
        fields=given(name=name, duties=duties, targets=targets, progress=progress),
        audit_fields=POST_FIELDS,
        clean=lambda p: p.full_clean(),
    )
    return post


@transaction.atomic
def post_delete(*, actor: User, post: Post) -> None:
    post = _lock(post)
    access.require(actor, permissions.SET_POST, post)
    if post.state != PostState.SET:
        raise ValidationError({"state": "只有尚未认岗的岗位可以删除。"})
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=post,
        before=audit.snapshot(post, POST_FIELDS),
    )
    post.delete()


@transaction.atomic
def post_rollover(*, actor: User, organisation: Organisation, year: int) -> list[Post]:
    """按上年设岗: copy last year's posts of an organisation into `year`, in state 设岗 without
    holders (no post for life, 《设岗定责通知》§2). Posts already copied are not copied again."""
    access.require(actor, permissions.SET_POST, Post(organisation=organisation))
    check_year(year)
    previous = list(
        Post.objects.filter(organisation=organisation, year=year - 1)
        .select_related("post_type")
        .order_by("id")
    )
    if not previous:
        raise ValidationError(
            {"year": f"{organisation.name}{year - 1}年度没有设岗，无可复制的岗位。"}
        )
    existing = set(
        Post.objects.filter(organisation=organisation, year=year).values_list(
            "post_type_id", "name"
        )
    )
    created = []
    for old in previous:
        if (old.post_type_id, old.name) in existing or not old.post_type.is_active:
            continue
        existing.add((old.post_type_id, old.name))
        post = Post.objects.create(
            organisation=organisation,
            post_type=old.post_type,
            year=year,
            name=old.name,
            duties=old.duties,
            targets=old.targets,
        )
        audit.created(actor=actor, obj=post, fields=POST_FIELDS, note=f"按{year - 1}年度设岗复制")
        created.append(post)
    if not created:
        raise ValidationError({"year": f"{year}年度已按上年设岗，不能重复复制。"})
    return created


# --- posts: transitions ------------------------------------------------------------------


def _step(post: Post, name: str) -> None:
    """Run the FSM transition `name`, or refuse naming the rule."""
    method = getattr(post, name)
    if not can_proceed(method):
        raise ValidationError(
            {
                "state": f"岗位当前为“{post.get_state_display()}”，不能{STEP_LABELS[name]}："
                f"{STATE_RULES[name]}"
            }
        )
    method()


def _check_holder(post: Post, person: Person) -> None:
    error = rules.holder_error(
        party_status=person.party_status,
        category=person.category,
        audience=post.post_type.audience,
    )
    if error is None and not person.is_active:
        error = "该党员已不在册。"
    if error is None and not rules.in_subtree(
        person.primary_org.path if person.primary_org else None, post.organisation.path
    ):
        error = rules.OUTSIDE_SUBTREE
    if error is None:
        duplicate = (
            Post.objects.filter(
                holder=person,
                post_type_id=post.post_type_id,
                organisation_id=post.organisation_id,
                year=post.year,
            )
            .exclude(pk=post.pk)
            .exists()
        )
        if duplicate:
            error = rules.DUPLICATE_HOLDER
    if error:
        raise ValidationError({"holder": error})


def _transition(
    actor: User, post: Post, before: dict[str, str], event: EventType, note: str = ""
) -> Post:
    post.full_clean()
    post.save()
    audit.changed(
        actor=actor,
        obj=post,
        fields=POST_FIELDS,
        before=before,
        event=event,
        note=note,
    )
    return post


@transaction.atomic
def post_claim(*, actor: User, post: Post) -> Post:
    """认岗: a member claims an open post of their own branch (或其上级党总支)."""
    person = person_of(actor)
    post = _lock(post)
    before = audit.snapshot(post, POST_FIELDS)
    if post.state != PostState.SET:
        _step(post, "claim")
    _check_holder(post, person)
    _step(post, "claim")
    post.holder = person
    post.claimed_by_self = True
    return _transition(actor, post, before, events.POST_CLAIMED)


@transaction.atomic
def post_assign(*, actor: User, post: Post, holder: Person) -> Post:
    """认岗 by assignment: an officer names the holder (因人择岗)."""
    post = _lock(post)
    access.require(actor, permissions.ASSIGN, post)
    before = audit.snapshot(post, POST_FIELDS)
    if post.state != PostState.SET:
        _step(post, "claim")
    holder = Person.objects.select_related("primary_org").get(pk=holder.pk)
    _check_holder(post, holder)
    _step(post, "claim")
    post.holder = holder
    post.claimed_by_self = False
    return _transition(actor, post, before, events.POST_ASSIGNED)


@transaction.atomic
def post_release(*, actor: User, post: Post) -> Post:
    """退岗 (认岗 → 设岗) by the holder or an officer in scope."""
    post = _lock(post)
    access.require(actor, permissions.RELEASE, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "release")
    post.holder = None
    post.claimed_by_self = False
    return _transition(actor, post, before, events.POST_RELEASED)


@transaction.atomic
def post_confirm(*, actor: User, post: Post, confirmed_on: date | None = None) -> Post:
    """定岗: confirmed by the level above the post's organisation (the general branch)."""
    post = _lock(post)
    access.require(actor, permissions.CONFIRM, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "confirm")
    post.confirmed_on = confirmed_on or timezone.localdate()
    return _transition(actor, post, before, events.POST_CONFIRMED)


@transaction.atomic
def post_publish(*, actor: User, post: Post, published_on: date | None = None) -> Post:
    """明岗: the post, its holder and duties are published (公示)."""
    post = _lock(post)
    access.require(actor, permissions.PUBLISH, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "publish")
    post.published_on = published_on or timezone.localdate()
    return _transition(actor, post, before, events.POST_PUBLISHED)


@transaction.atomic
def post_perform(*, actor: User, post: Post, note: str = "") -> Post:
    """履岗: started by the holder or an officer (also automatically by the first duty record)."""
    post = _lock(post)
    access.require(actor, permissions.PERFORM, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "perform")
    return _transition(actor, post, before, events.POST_PERFORMING, note=note)


@transaction.atomic
def post_evaluate(
    *,
    actor: User,
    post: Post,
    evaluation: str,
    grade: str = "",
    score: Decimal | float | None = None,
    reward: str = "",
    evaluated_on: date | None = None,
) -> Post:
    """评岗: grade (or a score mapped to a grade by the bands of 《168模式实施意见》), evaluation,
    reward."""
    post = _lock(post)
    access.require(actor, permissions.EVALUATE, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "evaluate")
    if score is not None:
        error = rules.score_error(score)
        if error:
            raise ValidationError({"score": error})
        mapped = rules.grade_for_score(score)
        if grade and grade != mapped:
            label = PostGrade(mapped).label
            raise ValidationError({"grade": f"考评等次与分数不符：{score}分应为“{label}”。"})
        grade = mapped
    if not grade:
        raise ValidationError({"grade": "请选择考评等次或填写考评分数。"})
    if not evaluation.strip():
        raise ValidationError({"evaluation": "请填写考核评议意见。"})
    post.score = Decimal(str(score)) if score is not None else None
    post.grade = grade
    post.evaluation = evaluation.strip()
    post.reward = reward.strip()
    post.evaluated_on = evaluated_on or timezone.localdate()
    return _transition(actor, post, before, events.POST_EVALUATED)
