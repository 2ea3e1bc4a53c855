"""Every write of the posts app: atomic, validated by posts.rules, audited.

Rights are the actions of posts.permissions (core.access): an officer acts on the posts,
records and checks of their subtree; 定岗 is done by the level above the post's organisation; a
member acts on their own claims, commitments, duty records and summaries. A refused right
raises PermissionDenied naming the rule; a broken rule raises ValidationError on the field.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.core.scoping import scope_for
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.posts import permissions, rules
from dangjian.posts.models import (
    Commitment,
    CommitmentProgress,
    DutyCheck,
    DutyCheckKind,
    DutyRecord,
    DutySummary,
    Post,
    PostState,
    PostType,
    SummaryKind,
)

POST_TYPE_FIELDS = ["name", "audience", "duties", "annual_tasks", "organisation", "is_active"]
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
COMMITMENT_AREAS = ["political", "duties", "development", "pairing", "integrity", "org_life"]
COMMITMENT_FIELDS = ["year", *COMMITMENT_AREAS, "published_on"]
DUTY_RECORD_FIELDS = ["occurred_on", "place", "content", "effect", "post", "attachment"]
DUTY_CHECK_FIELDS = [
    "organisation",
    "kind",
    "period_start",
    "period_end",
    "checked_on",
    "records_checked",
    "findings",
    "circulated_on",
]
SUMMARY_FIELDS = ["kind", "organisation", "person", "year", "semester", "content", "submitted_on"]

NO_PERSON = "您的账号没有关联人员信息，请联系组织部干事。"
POST_ORG_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)

# Why a transition is refused when the post is in another state (the six steps, seed 002 §2).
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


# --- rights ------------------------------------------------------------------------------


def can_check_quarterly(user: User) -> bool:
    """The department's quarterly check: department officers or officers of the committee."""
    return access.can(user, permissions.CHECK_QUARTERLY)


def _person(user: User) -> Person:
    person = Person.objects.select_related("primary_org").filter(pk=user.person_id).first()
    if person is None:
        raise ValidationError(NO_PERSON)
    return person


def allowed_actions(user: User, post: Post) -> list[str]:
    """The transitions this user may start on this post now (buttons on the post page)."""
    actions = []
    if post.state == PostState.SET:
        if user.person_id and post.holder_id is None:
            actions.append("claim")
        if access.can(user, permissions.ASSIGN, post):
            actions.append("assign")
    if post.state == PostState.CLAIMED:
        if access.can(user, permissions.RELEASE, post):
            actions.append("release")
        if access.can(user, permissions.CONFIRM, post):
            actions.append("confirm")
    if post.state == PostState.CONFIRMED and access.can(user, permissions.PUBLISH, post):
        actions.append("publish")
    if post.state == PostState.PUBLISHED and access.can(user, permissions.PERFORM, post):
        actions.append("perform")
    if post.state in (PostState.PUBLISHED, PostState.PERFORMING) and access.can(
        user, permissions.EVALUATE, post
    ):
        actions.append("evaluate")
    return actions


# --- catalogue ---------------------------------------------------------------------------


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
def post_type_create(*, actor, organisation: Organisation | None = None, **fields) -> PostType:
    post_type = PostType(organisation=organisation, **fields)
    _check_post_type(post_type, actor)
    post_type.save()
    audit.created(actor=actor, obj=post_type, fields=POST_TYPE_FIELDS)
    return post_type


@transaction.atomic
def post_type_update(*, actor, post_type: PostType, **fields) -> PostType:
    post_type = PostType.objects.select_for_update().get(pk=post_type.pk)
    fields.pop("organisation", None)  # a catalogue post stays with its organisation
    return audit.audited_update(
        actor=actor,
        obj=post_type,
        fields=fields,
        audit_fields=POST_TYPE_FIELDS,
        clean=lambda obj: _check_post_type(obj, actor),
    )


@transaction.atomic
def post_type_set_active(*, actor, post_type: PostType, is_active: bool) -> PostType:
    """Deactivate a useless post; past posts keep it.

    Seed 002 §2: 去除不实用、不适应、难作为的岗位."""
    post_type = PostType.objects.select_for_update().get(pk=post_type.pk)
    return audit.audited_update(
        actor=actor,
        obj=post_type,
        fields={"is_active": is_active},
        audit_fields=POST_TYPE_FIELDS,
        clean=lambda obj: _check_post_type(obj, actor),
        action=AuditEvent.Action.STATUS,
    )


@transaction.atomic
def post_type_delete(*, actor, post_type: PostType) -> None:
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


# --- posts: 设岗 -------------------------------------------------------------------------


def _lock(post: Post) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("organisation", "post_type", "holder__primary_org")
        .get(pk=post.pk)
    )


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应为2000至2100之间的四位年份。"})


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
    actor,
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
    _check_year(year)
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
def post_update(*, actor, post: Post, **fields) -> Post:
    """Name, duties, targets and progress (工作进展) of a post, until it is evaluated."""
    post = _lock(post)
    access.require(actor, permissions.SET_POST, post)
    if post.state == PostState.EVALUATED:
        raise ValidationError({"state": "岗位已评岗，不能再修改。"})
    allowed = {k: v for k, v in fields.items() if k in ("name", "duties", "targets", "progress")}
    return audit.audited_update(
        actor=actor,
        obj=post,
        fields=allowed,
        audit_fields=POST_FIELDS,
        clean=lambda p: p.full_clean(),
    )


@transaction.atomic
def post_delete(*, actor, post: Post) -> None:
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
def post_rollover(*, actor, organisation: Organisation, year: int) -> list[Post]:
    """按上年设岗: copy last year's posts of an organisation into `year`, in state 设岗 without
    holders (no post for life, seed 002 §2). Posts already copied are not copied again."""
    access.require(actor, permissions.SET_POST, Post(organisation=organisation))
    _check_year(year)
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
        person.primary_org.path if person.primary_org_id else None, post.organisation.path
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


def _transition(actor, post: Post, before: dict, note: str = "") -> Post:
    post.full_clean()
    post.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=post,
        before=before,
        after=audit.snapshot(post, POST_FIELDS),
        note=note,
    )
    return post


@transaction.atomic
def post_claim(*, actor, post: Post) -> Post:
    """认岗: a member claims an open post of their own branch (或其上级党总支)."""
    person = _person(actor)
    post = _lock(post)
    before = audit.snapshot(post, POST_FIELDS)
    if post.state != PostState.SET:
        _step(post, "claim")
    _check_holder(post, person)
    _step(post, "claim")
    post.holder = person
    post.claimed_by_self = True
    return _transition(actor, post, before, note="本人认岗")


@transaction.atomic
def post_assign(*, actor, post: Post, holder: Person) -> Post:
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
    return _transition(actor, post, before, note="党组织安排上岗")


@transaction.atomic
def post_release(*, actor, post: Post) -> Post:
    """退岗 (认岗 → 设岗) by the holder or an officer in scope."""
    post = _lock(post)
    access.require(actor, permissions.RELEASE, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "release")
    post.holder = None
    post.claimed_by_self = False
    return _transition(actor, post, before)


@transaction.atomic
def post_confirm(*, actor, post: Post, confirmed_on: date | None = None) -> Post:
    """定岗: confirmed by the level above the post's organisation (the general branch)."""
    post = _lock(post)
    access.require(actor, permissions.CONFIRM, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "confirm")
    post.confirmed_on = confirmed_on or timezone.localdate()
    return _transition(actor, post, before)


@transaction.atomic
def post_publish(*, actor, post: Post, published_on: date | None = None) -> Post:
    """明岗: the post, its holder and duties are published (公示)."""
    post = _lock(post)
    access.require(actor, permissions.PUBLISH, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "publish")
    post.published_on = published_on or timezone.localdate()
    return _transition(actor, post, before)


@transaction.atomic
def post_perform(*, actor, post: Post, note: str = "") -> Post:
    """履岗: started by the holder or an officer (also automatically by the first duty record)."""
    post = _lock(post)
    access.require(actor, permissions.PERFORM, post)
    before = audit.snapshot(post, POST_FIELDS)
    _step(post, "perform")
    return _transition(actor, post, before, note=note)


@transaction.atomic
def post_evaluate(
    *,
    actor,
    post: Post,
    evaluation: str,
    grade: str = "",
    score: Decimal | float | None = None,
    reward: str = "",
    evaluated_on: date | None = None,
) -> Post:
    """评岗: grade (or a score mapped to a grade by the bands of seed 000), evaluation, reward."""
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
            label = dict(post._meta.get_field("grade").choices)[mapped]
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
    return _transition(actor, post, before)


# --- commitments -------------------------------------------------------------------------


@transaction.atomic
def commitment_create(*, actor, year: int, **areas) -> Commitment:
    """承诺书 (seed 002 §二3): one per member per year, on the six areas."""
    person = _person(actor)
    if not person.is_member or person.primary_org_id is None:
        raise ValidationError({"year": "只有党员（正式或预备）填写党员岗位责任承诺书。"})
    _check_year(year)
    if Commitment.objects.filter(person=person, year=year).exists():
        raise ValidationError({"year": f"您已填写{year}年度承诺书，每人每年一份，请修改原承诺书。"})
    commitment = Commitment(person=person, organisation=person.primary_org, year=year, **areas)
    commitment.full_clean()
    commitment.save()
    audit.created(actor=actor, obj=commitment, fields=COMMITMENT_FIELDS)
    return commitment


@transaction.atomic
def commitment_update(*, actor, commitment: Commitment, **areas) -> Commitment:
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    access.require(actor, permissions.EDIT_COMMITMENT, commitment)
    if commitment.published_on:
        raise ValidationError({"published_on": "承诺书已公开，不能再修改；践诺情况请填写进展。"})
    fields = {k: v for k, v in areas.items() if k in COMMITMENT_AREAS}
    return audit.audited_update(
        actor=actor,
        obj=commitment,
        fields=fields,
        audit_fields=COMMITMENT_FIELDS,
        clean=lambda c: c.full_clean(validate_constraints=False),
    )


@transaction.atomic
def commitment_publish(*, actor, commitment: Commitment, published_on: date | None = None):
    """公开承诺 by an officer of the member's branch (or above)."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=commitment.pk)
    )
    access.require(actor, permissions.PUBLISH_COMMITMENT, commitment)
    if commitment.published_on:
        raise ValidationError({"published_on": "该承诺书已公开。"})
    return audit.audited_update(
        actor=actor,
        obj=commitment,
        fields={"published_on": published_on or timezone.localdate()},
        audit_fields=COMMITMENT_FIELDS,
        clean=lambda c: None,
        action=AuditEvent.Action.STATUS,
    )


@transaction.atomic
def commitment_progress_add(
    *, actor, commitment: Commitment, note: str, reported_on: date | None = None
) -> CommitmentProgress:
    """践诺情况: the member reports how the commitment is kept."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    access.require(actor, permissions.EDIT_COMMITMENT, commitment)
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": "日期不能晚于今天。"})
    if not note.strip():
        raise ValidationError({"note": "请填写践诺情况。"})
    progress = CommitmentProgress.objects.create(
        commitment=commitment, reported_on=reported_on, note=note.strip()
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=commitment,
        after={"践诺情况": f"{reported_on.isoformat()} {progress.note[:100]}"},
    )
    return progress


# --- duty records ------------------------------------------------------------------------


def _check_record(record: DutyRecord, person: Person) -> None:
    error = rules.occurred_on_error(record.occurred_on, timezone.localdate())
    if error:
        raise ValidationError({"occurred_on": error})
    if record.post_id is not None and record.post.holder_id != person.pk:
        raise ValidationError({"post": "只能选择本人担任的岗位。"})
    record.full_clean(exclude=["person", "organisation", "duty_check"])


def _start_performing(actor, post: Post | None) -> None:
    """The first duty record against a published post starts 履岗 (seed 002 §2)."""
    if post is not None and Post.objects.filter(pk=post.pk, state=PostState.PUBLISHED).exists():
        post_perform(actor=actor, post=post, note="首次记录履职情况，自动进入履岗")


@transaction.atomic
def duty_record_create(
    *,
    actor,
    occurred_on: date,
    place: str,
    content: str,
    effect: str = "",
    post: Post | None = None,
    attachment=None,
) -> DutyRecord:
    """履职记实 (seed 000 §五(二)4): time, place, content, effect — by the member."""
    person = _person(actor)
    if not person.is_member or person.primary_org_id is None:
        raise ValidationError({"content": "只有党员（正式或预备）记录履职情况。"})
    record = DutyRecord(
        person=person,
        organisation=person.primary_org,
        occurred_on=occurred_on,
        place=place,
        content=content,
        effect=effect,
        post=post,
        attachment=attachment or "",
    )
    _check_record(record, person)
    record.save()
    audit.created(actor=actor, obj=record, fields=DUTY_RECORD_FIELDS)
    _start_performing(actor, post)
    return record


def _own_unchecked(actor, record: DutyRecord) -> DutyRecord:
    record = DutyRecord.objects.select_for_update().get(pk=record.pk)
    access.require(actor, permissions.EDIT_DUTY_RECORD, record)
    if record.duty_check_id is not None:
        raise ValidationError({"content": "该记录已经党支部检查，不能再修改或删除。"})
    return record


@transaction.atomic
def duty_record_update(*, actor, record: DutyRecord, **fields) -> DutyRecord:
    record = _own_unchecked(actor, record)
    person = _person(actor)
    if fields.get("attachment") is None:
        fields.pop("attachment", None)
    elif fields.get("attachment") is False:  # the form's “clear” box
        fields["attachment"] = ""
    allowed = {k: v for k, v in fields.items() if k in DUTY_RECORD_FIELDS}
    record = audit.audited_update(
        actor=actor,
        obj=record,
        fields=allowed,
        audit_fields=DUTY_RECORD_FIELDS,
        clean=lambda r: _check_record(r, person),
    )
    _start_performing(actor, record.post)
    return record


@transaction.atomic
def duty_record_delete(*, actor, record: DutyRecord) -> None:
    record = _own_unchecked(actor, record)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=record,
        before=audit.snapshot(record, DUTY_RECORD_FIELDS),
    )
    record.delete()


# --- duty checks -------------------------------------------------------------------------


@transaction.atomic
def duty_check_monthly(
    *,
    actor,
    organisation: Organisation,
    year: int,
    month: int,
    findings: str,
    checked_on: date | None = None,
) -> DutyCheck:
    """党支部书记按月检查 (seed 000 §五(二)4): marks the branch's unchecked records of the month."""
    if organisation.kind != OrgKind.BRANCH:
        raise ValidationError({"organisation": "月检查以党支部为单位，请选择党支部。"})
    access.require(actor, permissions.CHECK, DutyCheck(organisation=organisation))
    error = rules.month_error(year, month, timezone.localdate())
    if error:
        raise ValidationError({"month": error})
    if not findings.strip():
        raise ValidationError({"findings": "请填写检查情况。"})
    start, end = rules.month_bounds(year, month)
    records = DutyRecord.objects.select_for_update().filter(
        organisation=organisation, occurred_on__range=(start, end), duty_check__isnull=True
    )
    ids = list(records.values_list("pk", flat=True))
    check = DutyCheck.objects.create(
        organisation=organisation,
        kind=DutyCheckKind.MONTHLY,
        period_start=start,
        period_end=end,
        checked_on=checked_on or timezone.localdate(),
        checker=actor if actor.is_authenticated else None,
        records_checked=len(ids),
        findings=findings.strip(),
    )
    DutyRecord.objects.filter(pk__in=ids).update(duty_check=check)
    audit.created(actor=actor, obj=check, fields=DUTY_CHECK_FIELDS)
    return check


@transaction.atomic
def duty_check_quarterly(
    *,
    actor,
    organisation: Organisation,
    year: int,
    quarter: int,
    findings: str,
    checked_on: date | None = None,
) -> DutyCheck:
    """党委组织部按季度检查各党总支 (seed 000 §五(二)4)."""
    access.require(actor, permissions.CHECK_QUARTERLY)
    if organisation.kind != OrgKind.GENERAL_BRANCH:
        raise ValidationError({"organisation": "季度检查以党总支为单位，请选择党总支。"})
    access.require(actor, permissions.CHECK, DutyCheck(organisation=organisation))
    error = rules.quarter_error(year, quarter, timezone.localdate())
    if error:
        raise ValidationError({"quarter": error})
    if not findings.strip():
        raise ValidationError({"findings": "请填写检查情况。"})
    start, end = rules.quarter_bounds(year, quarter)
    count = (
        DutyRecord.objects.in_subtree(organisation).filter(occurred_on__range=(start, end)).count()
    )
    check = DutyCheck.objects.create(
        organisation=organisation,
        kind=DutyCheckKind.QUARTERLY,
        period_start=start,
        period_end=end,
        checked_on=checked_on or timezone.localdate(),
        checker=actor if actor.is_authenticated else None,
        records_checked=count,
        findings=findings.strip(),
    )
    audit.created(actor=actor, obj=check, fields=DUTY_CHECK_FIELDS)
    return check


@transaction.atomic
def duty_check_circulate(*, actor, check: DutyCheck, circulated_on: date | None = None):
    """通报 the findings of a check."""
    check = (
        DutyCheck.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=check.pk)
    )
    access.require(actor, permissions.CIRCULATE_CHECK, check)
    if check.kind == DutyCheckKind.QUARTERLY:
        access.require(actor, permissions.CHECK_QUARTERLY)
    if check.circulated_on:
        raise ValidationError({"circulated_on": "该检查情况已通报。"})
    return audit.audited_update(
        actor=actor,
        obj=check,
        fields={"circulated_on": circulated_on or timezone.localdate()},
        audit_fields=DUTY_CHECK_FIELDS,
        clean=lambda c: None,
        action=AuditEvent.Action.STATUS,
    )


# --- summaries ---------------------------------------------------------------------------


def _save_summary(actor, summary: DutySummary) -> DutySummary:
    summary.full_clean()
    summary.save()
    audit.created(actor=actor, obj=summary, fields=SUMMARY_FIELDS)
    return summary


@transaction.atomic
def summary_member_create(*, actor, year: int, semester: int, content: str) -> DutySummary:
    """每个党员在学期末写一篇“履职”情况个人小结 (seed 000 §五(二)4)."""
    person = _person(actor)
    if not person.is_member or person.primary_org_id is None:
        raise ValidationError({"content": "只有党员（正式或预备）提交履职小结。"})
    _check_year(year)
    error = rules.semester_error(semester)
    if error:
        raise ValidationError({"semester": error})
    if DutySummary.objects.filter(
        kind=SummaryKind.MEMBER_SEMESTER, person=person, year=year, semester=semester
    ).exists():
        raise ValidationError({"semester": "您已提交该学期的履职小结，请修改原小结。"})
    return _save_summary(
        actor,
        DutySummary(
            kind=SummaryKind.MEMBER_SEMESTER,
            organisation=person.primary_org,
            person=person,
            year=year,
            semester=semester,
            content=content,
            submitted_on=timezone.localdate(),
        ),
    )


ORG_SUMMARY_KIND = {
    OrgKind.BRANCH: SummaryKind.BRANCH_ANNUAL,
    OrgKind.GENERAL_BRANCH: SummaryKind.GENERAL_BRANCH_ANNUAL,
}


@transaction.atomic
def summary_org_create(
    *, actor, organisation: Organisation, year: int, content: str
) -> DutySummary:
    """党支部、党总支年度“亮岗履职”工作总结 (seed 000 §五(二)4)."""
    kind = ORG_SUMMARY_KIND.get(organisation.kind)
    if kind is None:
        raise ValidationError({"organisation": "年度亮岗履职工作总结由党支部或党总支提交。"})
    access.require(actor, permissions.EDIT_ORG_SUMMARY, DutySummary(organisation=organisation))
    _check_year(year)
    if DutySummary.objects.filter(kind=kind, organisation=organisation, year=year).exists():
        raise ValidationError({"year": f"{organisation.name}已提交{year}年度总结，请修改原总结。"})
    return _save_summary(
        actor,
        DutySummary(
            kind=kind,
            organisation=organisation,
            year=year,
            content=content,
            submitted_on=timezone.localdate(),
        ),
    )


@transaction.atomic
def summary_update(*, actor, summary: DutySummary, content: str) -> DutySummary:
    summary = (
        DutySummary.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=summary.pk)
    )
    if summary.kind == SummaryKind.MEMBER_SEMESTER:
        access.require(actor, permissions.EDIT_OWN_SUMMARY, summary)
    else:
        access.require(actor, permissions.EDIT_ORG_SUMMARY, summary)
    return audit.audited_update(
        actor=actor,
        obj=summary,
        fields={"content": content},
        audit_fields=SUMMARY_FIELDS,
        clean=lambda s: s.full_clean(),
    )
