"""Scoped reads of posts, commitments, duty records, checks and summaries."""

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from dangjian.core import access, aggregates
from dangjian.core.models import User
from dangjian.core.params import parse_int
from dangjian.core.scoping import scope_for
from dangjian.org.models import Organisation, Person
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.org.selectors import scope_org_ids
from dangjian.posts import permissions
from dangjian.posts.models import (
    Commitment,
    CommitmentProgress,
    DutyCheck,
    DutyRecord,
    DutySummary,
    Post,
    PostState,
    PostType,
    SummaryKind,
)

# States from 定岗 on: the registration form (党员定岗情况登记表) and annex 2 list these.
CONFIRMED_STATES = [
    PostState.CONFIRMED,
    PostState.PUBLISHED,
    PostState.PERFORMING,
    PostState.EVALUATED,
]


def this_year() -> int:
    return timezone.localdate().year


def visible_org(user: User, pk: object) -> Organisation | None:
    """An organisation of the user's scope by id (None when absent or out of scope)."""
    pk = parse_int(pk)
    if pk is None:
        return None
    return Organisation.objects.visible_to(user).filter(pk=pk).first()


def reachable_posts(user: User) -> QuerySet[Post]:
    """Posts the user reads: their scope and their own posts, plus the open posts they may claim."""
    visible = Post.objects.visible_to(user)
    if scope_for(user).everything:
        return visible  # every post already, open ones included (and no OR to defeat indexes)
    person = (
        Person.objects.select_related("primary_org").filter(pk=user.person_id).first()
        if getattr(user, "person_id", None)
        else None
    )
    if person is None:
        return visible
    open_posts = Post.objects.open_for(person).values("pk")
    ids = scope_org_ids(user)
    if ids is None:
        return Post.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=open_posts))
    # A small scope, and the few open posts, as literal ids (see org.selectors.narrowed): three
    # index scans OR-ed, where a subquery in the OR has PostgreSQL filter every post.
    return Post.objects.filter(
        Q(organisation_id__in=ids)
        | Q(holder_id=person.pk)
        | Q(pk__in=list(open_posts.values_list("pk", flat=True)))
    )


def allowed_actions(user: User, post: Post) -> list[str]:
    """The steps this user may start on this post now (the buttons of the post page)."""
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


def with_post_relations(qs: QuerySet[Post]) -> QuerySet[Post]:
    return qs.select_related("organisation", "post_type", "holder")


def state_counts(posts: QuerySet[Post], user: Any = None) -> Counter[str]:
    """How many of `posts` are in each state (one grouped query; a scope over everything
    keeps them a while: core.aggregates)."""
    grouped = (
        posts.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    return Counter(aggregates.kept(user, aggregates.sql_of(grouped), lambda: dict(grouped)))


def confirmed_posts(user: User, org: Organisation, year: int) -> QuerySet[Post]:
    """Posts from 定岗 on in an organisation subtree and year, ordered for the forms."""
    return (
        Post.objects.visible_to(user)
        .in_subtree(org)
        .filter(year=year, state__in=CONFIRMED_STATES, holder__isnull=False)
        .select_related("organisation", "holder", "post_type")
        .order_by("organisation__path", "holder__name", "id")
    )


def annex2_rows(user: User, org: Organisation, year: int) -> list[dict[str, Any]]:
    """Rows of 《延伸提升168机制意见》附件2 (年度党员亮岗履职一览表): posts with the holder's
    commitment."""
    posts = list(confirmed_posts(user, org, year))
    commitments = {
        c.person_id: c
        for c in Commitment.objects.filter(
            year=year, person_id__in={p.holder_id for p in posts}
        ).prefetch_related(
            Prefetch("updates", queryset=CommitmentProgress.objects.order_by("-reported_on", "-id"))
        )
    }
    rows = []
    for index, post in enumerate(posts, start=1):
        assert post.holder is not None  # confirmed_posts: held posts only
        commitment = commitments.get(post.holder_id)
        targets = post.targets
        if commitment is not None:
            targets = f"{targets}\n承诺：{commitment.duties}".strip()
        progress = post.progress
        if not progress and commitment is not None:
            updates = list(commitment.updates.all())
            progress = updates[0].note if updates else ""
        review = ""
        if post.grade:
            review = post.get_grade_display()
            if post.score is not None:
                review += f"（{post.score}分）"
            if post.evaluation:
                review += f"：{post.evaluation}"
        rows.append(
            {
                "index": index,
                "name": post.holder.name,
                "branch": post.organisation.name,
                "post": post.name,
                "duties": post.duties,
                "targets": targets,
                "progress": progress,
                "review": review,
                "reward": post.reward,
            }
        )
    return rows


def registration_rows(user: User, org: Organisation, year: int) -> list[dict[str, Any]]:
    """Rows of the 党员定岗情况登记表 (《168模式实施意见》§五(二)2)."""
    rows = []
    for index, post in enumerate(confirmed_posts(user, org, year), start=1):
        holder = post.holder
        assert holder is not None  # confirmed_posts: held posts only
        rows.append(
            {
                "index": index,
                "branch": post.organisation.name,
                "name": holder.name,
                "gender": holder.get_gender_display(),
                "status": "正式" if holder.party_status == "full" else "预备",
                "post": post.name,
                "duties": post.duties,
                "targets": post.targets,
                "confirmed_on": post.confirmed_on,
                "note": "本人认岗" if post.claimed_by_self else "组织安排",
            }
        )
    return rows


def catalogue(user: User) -> QuerySet[PostType]:
    """Catalogue posts the user reads, with how many posts use each (one query)."""
    return (
        PostType.objects.visible_to(user)
        .select_related("organisation")
        .annotate(used=Count("posts"))
        .order_by("organisation__path", "display_order", "id")
    )


def post_types_for(organisation: Organisation | None) -> QuerySet[PostType]:
    """Active catalogue posts an organisation may set: the department's and its general branch's."""
    qs = PostType.objects.active()
    if organisation is None:
        return qs.filter(organisation__isnull=True)
    steplen = Organisation.steplen
    ancestors = [
        organisation.path[:end] for end in range(steplen, len(organisation.path) + 1, steplen)
    ]
    return qs.filter(Q(organisation__isnull=True) | Q(organisation__path__in=ancestors))


def duty_records(user: User) -> QuerySet[DutyRecord]:
    """Duty records of the user's subtree, for the list, its export and the API."""
    return DutyRecord.objects.visible_to(user).select_related("person", "organisation", "post")


def duty_checks(user: User) -> QuerySet[DutyCheck]:
    return DutyCheck.objects.visible_to(user).select_related("organisation", "checker")


def commitments(user: User) -> QuerySet[Commitment]:
    """Commitment letters of the user's subtree with how many progress notes each has."""
    return (
        Commitment.objects.visible_to(user)
        .select_related("person", "organisation")
        .annotate(update_count=Count("updates"))
    )


def semester_status(user: User, org: Organisation, year: int, semester: int) -> QuerySet[Person]:
    """Members of an organisation subtree and whether each has handed in the semester summary."""
    submitted = DutySummary.objects.filter(
        kind=SummaryKind.MEMBER_SEMESTER, person=OuterRef("pk"), year=year, semester=semester
    )
    return (
        Person.objects.visible_to(user)
        .in_subtree(org)
        .filter(is_active=True, party_status__in=MEMBER_STATUSES)
        .select_related("primary_org")
        .annotate(submitted=Exists(submitted))
        .order_by("submitted", "primary_org__path", "name", "id")
    )


def org_summaries(user: User, org: Organisation, year: int) -> QuerySet[DutySummary]:
    return (
        DutySummary.objects.visible_to(user)
        .in_subtree(org)
        .filter(year=year)
        .exclude(kind=SummaryKind.MEMBER_SEMESTER)
        .select_related("organisation")
        .order_by("organisation__path")
    )


def member_home(person: Person, year: int) -> dict[str, Any]:
    """The member's page: own posts, open posts, commitment, summaries, recent records."""
    return {
        "my_posts": list(
            Post.objects.filter(holder=person)
            .filter(Q(year=year) | ~Q(state=PostState.EVALUATED))
            .select_related("organisation", "post_type")
            .order_by("-year", "id")
        ),
        "open_posts": list(
            Post.objects.open_for(person)
            .filter(year=year)
            .select_related("organisation", "post_type")
            .order_by("organisation__path", "id")
        ),
        "commitment": Commitment.objects.filter(person=person, year=year).first(),
        "summaries": list(
            DutySummary.objects.filter(person=person, kind=SummaryKind.MEMBER_SEMESTER).order_by(
                "-year", "-semester"
            )[:6]
        ),
        "recent_records": list(
            DutyRecord.objects.filter(person=person)
            .select_related("post")
            .order_by("-occurred_on", "-id")[:5]
        ),
    }


def month_value(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def is_officer(user: User) -> bool:
    return scope_for(user).is_officer
