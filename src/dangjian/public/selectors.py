"""Reads for the public board (no login) and the officers' suggestion list.

The board is read by anyone, so every public read names exactly the fields that leave the
database (`.values(*WHITELIST)`): never an ID number, phone, birth date or unit, never a post
before 明岗 (set/claimed/confirmed) nor an unpublished commitment or task.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangjian.appraisal.models import (
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
)
from dangjian.core.models import User
from dangjian.honours.models import Category as CommendationCategory
from dangjian.honours.selectors import on_notice, published_awards
from dangjian.org.models import Organisation, Person, orgs_under
from dangjian.posts.models import Commitment, Post, PostGrade
from dangjian.public import rules
from dangjian.public.models import Suggestion, SuggestionCategory, SuggestionStatus
from dangjian.review.models import RoundState, SecretaryReport
from dangjian.targets.models import Task, WorkItem

# --- Field whitelists: what the public may see ---------------------------------------------

PUBLIC_ORG_FIELDS = ("id", "name", "code", "kind", "path", "depth")
PUBLIC_POST_FIELDS = (
    "id",
    "year",
    "name",
    "duties",
    "targets",
    "progress",
    "grade",
    "evaluation",
    "reward",
    "published_on",
    "evaluated_on",
    "holder__name",
)
PUBLIC_COMMITMENT_FIELDS = (
    "id",
    "year",
    "person__name",
    "political",
    "duties",
    "development",
    "pairing",
    "integrity",
    "org_life",
    "published_on",
)
PUBLIC_TASK_FIELDS = (
    "id",
    "title",
    "target",
    "commitment",
    "deadline",
    "progress",
    "completed_on",
    "published_on",
    "work_item__title",
    "responsible__name",
    "assignee_org__name",
    "assignee_unit__name",
    "assignee_person__name",
)
PUBLIC_REPLY_FIELDS = ("id", "category", "content", "reply", "replied_on")
PUBLIC_NAMEPLATE_FIELDS = (
    "id",
    "year",
    "name",
    "duties",
    "holder__name",
    "organisation__name",
)

# 考核评议公开 / 奖惩结果公开: only a published evaluation's name, cycle and grade, and the
# honour — never a sub-score, a vote count or a rater.
PUBLIC_RESULT_FIELDS = ("cycle_id", "person__name", "organisation__name", "grade")
PUBLIC_CYCLE_FIELDS = ("id", "title", "published_on", "bands")
PUBLIC_HONOUR_FIELDS = ("id", "year", "kind", "person__name", "organisation__name", "awarded_on")

COMMITMENT_AREAS = (
    ("political", "思想政治"),
    ("duties", "履行岗位职责"),
    ("development", "服务发展"),
    ("pairing", "结对帮带帮扶"),
    ("integrity", "廉政建设"),
    ("org_life", "参加组织生活"),
)

GRADE_LABELS = dict(PostGrade.choices)
HONOUR_LABELS = dict(HonourKind.choices)
CATEGORY_LABELS = dict(SuggestionCategory.choices)
STATUS_LABELS = dict(SuggestionStatus.choices)
ANSWERED_STATUSES = (SuggestionStatus.ANSWERED, SuggestionStatus.CLOSED)


# --- The board ----------------------------------------------------------------------------


BOARD_INDEX_PAGE = 24  # headings (general branches, committees with direct branches) a page
BOARD_SEARCH_LIMIT = 200  # organisations a search shows at the most


def board_organisations(q: str = "", after: str = "") -> tuple[list[dict], str]:
    """A page of the index: general branches in tree order, each with its branches, and the
    branches directly under a committee under “<committee>直属党支部”; the path to continue
    after ("" on the last page). `q` (a name or code) shows the matching boards instead, each
    general branch that matches with all its branches. Reads at most a page of the tree."""
    active = Organisation.objects.active()
    boards = active.filter(kind__in=rules.BOARD_ORG_KINDS)
    q = q.strip()
    if q:
        hits = list(
            boards.filter(Q(name__contains=q) | Q(code__icontains=q))
            .order_by("path")
            .values(*PUBLIC_ORG_FIELDS)[:BOARD_SEARCH_LIMIT]
        )
        heads = [h for h in hits if h["kind"] == "general_branch"]
        steplen = Organisation.steplen
        parents = {h["path"][:-steplen] for h in hits if h["kind"] == "branch"}
        heads += list(
            active.filter(path__in=parents - {h["path"] for h in heads}).values(*PUBLIC_ORG_FIELDS)
        )
        matched = {h["path"] for h in hits}
        groups = _board_groups(boards, sorted(heads, key=lambda h: h["path"]), matched)
        return [g for g in groups if g["matched"] or g["branches"]], ""
    rows = list(
        active.filter(kind__in=("committee", "general_branch"), path__gt=after)
        .order_by("path")
        .values(*PUBLIC_ORG_FIELDS)[: BOARD_INDEX_PAGE + 1]
    )
    more = len(rows) > BOARD_INDEX_PAGE
    heads = rows[:BOARD_INDEX_PAGE]
    groups = _board_groups(boards, heads, None)
    groups = [g for g in groups if g["kind"] == "general_branch" or g["branches"]]
    return groups, heads[-1]["path"] if more else ""


def _board_groups(boards: Any, heads: list[dict], matched: set[str] | None) -> list[dict]:
    """Each heading with its branches (all of them, or those `matched` unless the heading
    itself matched), in one query over the headings' children."""
    if not heads:
        return []
    children = Q()
    for head in heads:
        children |= Q(path__startswith=head["path"], depth=head["depth"] + 1)
    steplen = Organisation.steplen
    branches: dict[str, list[dict]] = {}
    for row in boards.filter(children, kind="branch").order_by("path").values(*PUBLIC_ORG_FIELDS):
        branches.setdefault(row["path"][:-steplen], []).append(row)
    groups = []
    for head in heads:
        own = head["kind"] == "general_branch"
        hit = matched is None or head["path"] in matched
        rows = branches.get(head["path"], [])
        if matched is not None and not hit:
            rows = [r for r in rows if r["path"] in matched]
        groups.append(
            {
                **head,
                "name": head["name"] if own else f"{head['name']}直属党支部",
                "code": head["code"] if own else "",
                "branches": rows,
                "matched": hit and own,
            }
        )
    return groups


BOARD_NOT_FOUND = "没有找到该党组织的公开栏。"


def board_organisation(code: str) -> Organisation | None:
    """An organisation with a public board (active general branch or branch), else None."""
    org = (
        Organisation.objects.active()
        .filter(code=code, kind__in=rules.BOARD_ORG_KINDS)
        .only(*PUBLIC_ORG_FIELDS)
        .first()
    )
    return org


def board_years(org: Organisation, requested: int | None) -> tuple[int, list[int]]:
    years = list(
        Post.objects.public()
        .filter(organisation=org)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return rules.board_years(years, timezone.localdate().year, requested)


def _related_orgs(org: Organisation) -> tuple[dict | None, list[dict]]:
    """The general branch above a branch, or the branches under a general branch."""
    steplen = Organisation.steplen
    parent_path = org.path[:-steplen]
    rows = list(
        Organisation.objects.active()
        .filter(kind__in=rules.BOARD_ORG_KINDS)
        .filter(Q(path=parent_path) | Q(path__startswith=org.path, depth=org.depth + 1))
        .order_by("display_order", "path")
        .values("name", "code", "path")
    )
    parent = next((r for r in rows if r["path"] == parent_path), None)
    return parent, [r for r in rows if r["path"] != parent_path]


def board(org: Organisation, year: int) -> dict:
    """The six disclosures of each published post, the published commitments, the published
    task commitments with their progress, the public replies of the suggestion box, and the
    published member evaluations and honours of the year (考核评议公开, 奖惩结果公开)."""
    posts = list(
        Post.objects.public()
        .filter(organisation=org, year=year)
        .order_by("holder__name", "id")
        .values(*PUBLIC_POST_FIELDS)
    )
    for post in posts:
        post["holder_name"] = post.pop("holder__name") or ""
        post["grade_label"] = GRADE_LABELS.get(post["grade"], "")
    commitments = list(
        Commitment.objects.filter(organisation=org, year=year, published_on__isnull=False)
        .order_by("person__name", "id")
        .values(*PUBLIC_COMMITMENT_FIELDS)
    )
    for item in commitments:
        item["person_name"] = item.pop("person__name")
        item["areas"] = [
            {"label": label, "text": item.pop(field)} for field, label in COMMITMENT_AREAS
        ]
    tasks = list(
        Task.objects.filter(
            work_item__organisation=org, work_item__year=year, published_on__isnull=False
        )
        .order_by("deadline", "id")
        .values(*PUBLIC_TASK_FIELDS)
    )
    for task in tasks:
        task["work_item_title"] = task.pop("work_item__title")
        task["responsible_name"] = task.pop("responsible__name")
        org_name = task.pop("assignee_org__name")
        unit_name = task.pop("assignee_unit__name")
        person_name = task.pop("assignee_person__name")
        task["assignee_name"] = org_name or unit_name or person_name or ""
    replies = list(
        Suggestion.objects.filter(
            organisation=org,
            reply_public=True,
            status__in=ANSWERED_STATUSES,
            replied_on__year=year,
        )
        .order_by("-replied_on", "-id")
        .values(*PUBLIC_REPLY_FIELDS)
    )
    for reply in replies:
        reply["category_label"] = CATEGORY_LABELS.get(reply["category"], "")
    appraisals, honours = _appraisals(org, year)
    secretary_reviews = _secretary_reviews(org, year)
    parent, children = _related_orgs(org)
    return {
        "organisation": {"name": org.name, "code": org.code, "kind": org.kind},
        "parent": parent,
        "children": children,
        "year": year,
        "posts": posts,
        "commitments": commitments,
        "tasks": tasks,
        "replies": replies,
        "appraisals": appraisals,
        "honours": honours,
        "commendations": _commendations(org, year),
        "secretary_reviews": secretary_reviews,
        "commendation_notices": _commendation_notices(org),
    }


def _commendation_notices(org: Organisation) -> list[dict]:
    """公示 of the nominees of an honours round whose notice runs today, over the subtree, so
    the masses can raise an objection with the department. One query."""
    rows = (
        on_notice(timezone.localdate())
        .filter(organisation__in=orgs_under((org.path,)))
        .order_by("category", "organisation__path", "id")
        .values(
            "id",
            "category",
            "person__name",
            "organisation__name",
            "round__title",
            "round__notice_ends_on",
        )[:200]
    )
    labels = dict(CommendationCategory.choices)
    return [
        {
            "id": r["id"],
            "category": r["category"],
            "category_label": labels.get(r["category"], ""),
            "name": r["person__name"] or r["organisation__name"],
            "organisation_name": r["organisation__name"],
            "round_title": r["round__title"],
            "notice_ends_on": r["round__notice_ends_on"],
        }
        for r in rows
    ]


def _commendations(org: Organisation, year: int) -> list[dict]:
    """奖惩结果公开 of the honours rounds (两优一先, 《基层组织建设实施意见》§四(五)3): the
    awards of a published round of the year over the organisation's subtree. One query."""
    rows = list(
        published_awards()
        .filter(round__year=year, organisation__in=orgs_under((org.path,)))
        .order_by("category", "organisation__path", "id")
        .values(
            "id",
            "category",
            "person__name",
            "organisation__name",
            "round__title",
            "round__decision_number",
            "round__published_on",
        )
    )
    labels = dict(CommendationCategory.choices)
    return [
        {
            "id": r["id"],
            "category": r["category"],
            "category_label": labels.get(r["category"], ""),
            "name": r["person__name"] or r["organisation__name"],
            "organisation_name": r["organisation__name"],
            "round_title": r["round__title"],
            "decision_number": r["round__decision_number"],
            "published_on": r["round__published_on"],
        }
        for r in rows
    ]


def _secretary_reviews(org: Organisation, year: int) -> list[dict]:
    """书记述职评议 (联述联评联考, 《组织建设年实施方案》§四(三)): the published results of the year
    of the secretaries in the organisation's subtree. One query."""
    return list(
        SecretaryReport.objects.filter(
            round__state=RoundState.PUBLISHED,
            round__year=year,
            organisation__in=orgs_under((org.path,)),
        )
        .order_by("organisation__path", "id")
        .values("organisation__name", "secretary__name", "total", "grade", "round__published_on")
    )


def _appraisals(org: Organisation, year: int) -> tuple[list[dict], list[dict]]:
    """考核评议公开 and 奖惩结果公开 (《168模式实施意见》§五(二)5: 考核结果要进行公布): the
    published evaluations of the year over the organisation's subtree, each grade with its members'
    names; and the honours of the year. Three queries."""
    under = orgs_under((org.path,))
    results = list(
        EvaluationResult.objects.filter(
            cycle__state=CycleState.PUBLISHED, cycle__year=year, organisation__in=under
        )
        .order_by("cycle_id", "organisation__path", "person__name", "id")
        .values(*PUBLIC_RESULT_FIELDS)
    )
    cycles = {
        c["id"]: c
        for c in EvaluationCycle.objects.filter(pk__in={r["cycle_id"] for r in results}).values(
            *PUBLIC_CYCLE_FIELDS
        )
    }
    appraisals = []
    for cycle_id in sorted(cycles, key=lambda pk: (cycles[pk]["published_on"], pk)):
        cycle = cycles[cycle_id]
        # grade → branch → names, in the order of the cycle's bands and of the tree
        grades: dict[str, dict[str, list[str]]] = {str(band[1]): {} for band in cycle["bands"]}
        for row in results:
            if row["cycle_id"] == cycle_id and row["grade"] in grades:
                by_branch = grades[row["grade"]]
                by_branch.setdefault(row["organisation__name"], []).append(row["person__name"])
        appraisals.append(
            {
                "title": cycle["title"],
                "published_on": cycle["published_on"],
                "grades": [
                    {
                        "grade": grade,
                        "count": sum(len(n) for n in by_branch.values()),
                        "names": [name for n in by_branch.values() for name in n],
                        "groups": [
                            {"organisation": branch, "names": n} for branch, n in by_branch.items()
                        ],
                    }
                    for grade, by_branch in grades.items()
                ],
                "count": sum(len(n) for by_branch in grades.values() for n in by_branch.values()),
            }
        )
    honours = list(
        Honour.objects.filter(year=year, organisation__in=under)
        .filter(Q(cycle__isnull=True) | Q(cycle__state=CycleState.PUBLISHED))
        .order_by("kind", "organisation__path", "person__name", "id")
        .values(*PUBLIC_HONOUR_FIELDS)
    )
    for honour in honours:
        honour["person_name"] = honour.pop("person__name")
        honour["organisation_name"] = honour.pop("organisation__name")
        honour["kind_label"] = HONOUR_LABELS.get(honour["kind"], "")
    return appraisals, honours


def nameplate_post(pk: int) -> dict[str, Any] | None:
    """A published post's nameplate fields, else None (unpublished posts have none)."""
    row = (
        Post.objects.public()
        .filter(pk=pk, organisation__dissolved_on__isnull=True, holder__isnull=False)
        .values(*PUBLIC_NAMEPLATE_FIELDS)
        .first()
    )
    if row is None:
        return None
    return {
        "id": row["id"],
        "year": row["year"],
        "post_name": row["name"],
        "duties": rules.short_duties(row["duties"]),
        "holder_name": row["holder__name"],
        "organisation_name": row["organisation__name"],
    }


def find_by_code(raw: str) -> Suggestion | None:
    """The suggestion with this tracking code, or None (also for malformed codes)."""
    code = rules.normalise_code(raw)
    if not rules.tracking_code_valid(code):
        return None
    return Suggestion.objects.select_related("organisation").filter(tracking_code=code).first()


def assignable_people(actor: User, suggestion: Suggestion) -> QuerySet[Person]:
    """People an officer may hand the suggestion to: active people in the officer's scope
    whose organisation is the suggestion's organisation, one above it or one below it."""
    org = suggestion.organisation
    steplen = Organisation.steplen
    ancestors = [org.path[:i] for i in range(steplen, len(org.path) + 1, steplen)]
    around = Q(path__in=ancestors) | Q(path__startswith=org.path)
    orgs = Organisation.objects.filter(around).order_by().values("pk")
    return Person.objects.editable_by(actor).filter(is_active=True, primary_org__in=orgs)


def opinion_work_items(actor: User, suggestion: Suggestion) -> QuerySet[WorkItem]:
    """Work items a suggestion may feed: still at step 1, of the suggestion's organisation or
    one above it, and visible to the officer."""
    org = suggestion.organisation
    steplen = Organisation.steplen
    ancestor_paths = [org.path[:i] for i in range(steplen, len(org.path) + 1, steplen)]
    return (
        WorkItem.objects.visible_to(actor)
        .filter(step=rules.OPINIONS_STEP, organisation__path__in=ancestor_paths)
        .select_related("organisation")
        .order_by("-year", "organisation__path", "id")
    )


def tracking_view(suggestion: Suggestion) -> dict[str, Any]:
    """What the submitter sees with their code: never the officers' notes or the assignee."""
    answered = suggestion.status in ANSWERED_STATUSES
    return {
        "tracking_code": suggestion.tracking_code,
        "organisation": suggestion.organisation.name,
        "status": suggestion.status,
        "status_label": suggestion.get_status_display(),
        "category": suggestion.category,
        "category_label": suggestion.get_category_display(),
        "submitted_on": timezone.localtime(suggestion.created_at).date(),
        "reply": suggestion.reply if answered else "",
        "replied_on": suggestion.replied_on if answered else None,
    }


# --- Officers: the suggestion list ----------------------------------------------------------


def suggestions(user: User) -> QuerySet[Suggestion]:
    """Suggestions of the officer's subtree, for the list, its export and the API."""
    return Suggestion.objects.visible_to(user).select_related("organisation", "assigned_to")


def status_counts(qs: QuerySet[Suggestion]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in one grouped query."""
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in SuggestionStatus.choices]
