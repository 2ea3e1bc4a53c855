"""Scoped reads of member duty evaluation: a fixed number of queries whatever the rows.

`gather(cycle)` collects every figure a computation needs (and what is still missing) in
seven queries; the cycle page, the compute service and the blockers preview share it."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.urls import reverse

from dangjian.appraisal import rules
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    MemberRectification,
    SelfReport,
)
from dangjian.core.models import User
from dangjian.org.models import Organisation, OrgKind, Person, orgs_under
from dangjian.posts.models import DutyRecord, Post
from dangjian.surveys import selectors as survey_selectors
from dangjian.surveys.models import Survey

ORG_CHOICE_LIMIT = 500
NAMES_SHOWN = 10


def survey_url(survey_id: int) -> str:
    """The surveys app's page of a survey (发放链接、二维码、结果)."""
    return reverse("surveys:survey_detail", args=[survey_id])


def org_choices(user: User, under: Organisation | None = None) -> list[Organisation]:
    """Organisations of the user's scope for filter bars (no groups), optionally only those
    under the organisation of a cycle."""
    qs = Organisation.objects.visible_to(user).active().exclude(kind=OrgKind.GROUP)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return list(qs.only("id", "name", "depth", "path", "kind")[:ORG_CHOICE_LIMIT])


# --- cycles ------------------------------------------------------------------------------


def cycles(user: User) -> QuerySet[EvaluationCycle]:
    """The cycles the user sees, with how many members each evaluates (counted per row shown:
    a join would count every result of every cycle before the page is cut)."""
    results_per_cycle = (
        EvaluationResult.objects.filter(cycle=OuterRef("pk"))
        .order_by()
        .values("cycle")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        EvaluationCycle.objects.visible_to(user)
        .select_related("organisation")
        .annotate(n_results=Coalesce(Subquery(results_per_cycle), 0))
    )


def results_in_scope(user: User, cycle: EvaluationCycle) -> QuerySet[EvaluationResult]:
    """The results of a cycle an officer may read (a branch secretary: their branch's)."""
    return EvaluationResult.objects.editable_by(user).filter(cycle=cycle)


# --- gathering the three sources ----------------------------------------------------------


@dataclass
class Inputs:
    result: EvaluationResult
    self_score: Decimal | None = None
    self_missing: bool = True
    masses_score: Decimal | None = None
    masses_responses: int = 0
    branch_score: Decimal | None = None
    raters: int = 0


@dataclass
class Gathered:
    rows: list[Inputs] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)


# What a computation reads and writes of a result (the rest stays deferred).
GATHER_FIELDS = (
    "cycle_id",
    "person_id",
    "organisation_id",
    "person__name",
    "organisation__name",
    "self_score",
    "self_missing",
    "masses_score",
    "masses_responses",
    "branch_score",
    "raters",
    "final_score",
    "grade",
    "computed_at",
    "note",
)


def surveys_of(cycle: EvaluationCycle) -> list[Survey]:
    return list(cycle.surveys.select_related("organisation").order_by("organisation__path"))


def gather(cycle: EvaluationCycle) -> Gathered:
    """Every figure of every result of the cycle and the pieces still missing (named)."""
    results = list(
        EvaluationResult.objects.filter(cycle=cycle)
        .select_related("person", "organisation")
        .only(*GATHER_FIELDS)
        .order_by("organisation__path", "person__name", "id")
    )
    reports = dict(SelfReport.objects.filter(cycle=cycle).values_list("person_id", "self_score"))
    scores: dict[int, list[Decimal]] = defaultdict(list)
    for ratee_id, score in BranchRating.objects.filter(cycle=cycle).values_list(
        "ratee_id", "score"
    ):
        scores[ratee_id].append(score)
    out = Gathered()
    surveys = surveys_of(cycle) if cycle.has_survey else []
    by_org = {s.organisation_id: s for s in surveys}
    outcome = survey_selectors.results(surveys)
    short_orgs: set[int] = set()
    for survey in surveys:
        res = outcome[survey.pk]
        if rules.masses_short(res.responses, res.minimum):
            short_orgs.add(survey.organisation_id)
            out.blockers.append(
                rules.masses_short_message(survey.organisation.name, res.responses, res.minimum)
            )
    unrated: dict[str, list[str]] = defaultdict(list)
    unsurveyed: list[str] = []
    for result in results:
        row = Inputs(result=result)
        if result.person_id in reports:
            row.self_score = reports[result.person_id]
            row.self_missing = False
        given = scores.get(result.person_id, [])
        row.branch_score = rules.mean(given)
        row.raters = len(given)
        if not given and cycle.weight_branch > 0:
            unrated[result.organisation.name].append(result.person.name)
        if cycle.has_survey and result.organisation_id not in short_orgs:
            own = by_org.get(result.organisation_id)
            subject = outcome[own.pk].subjects.get(result.person_id) if own else None
            if subject is None or subject.score is None:
                unsurveyed.append(result.person.name)
            else:
                row.masses_score = subject.score
                row.masses_responses = subject.count
        out.rows.append(row)
    for org_name, people in unrated.items():
        out.blockers.append(rules.missing_ratings_message(people, org_name, NAMES_SHOWN))
    if unsurveyed:
        out.blockers.append(
            f"党员民意测评中没有以下党员的评价：{rules.name_list(unsurveyed, NAMES_SHOWN)}。"
        )
    return out


# --- progress ------------------------------------------------------------------------------


def progress(user: User, cycle: EvaluationCycle) -> dict[str, Any]:
    """Per branch in the user's scope: members, self-reports, members rated, the survey —
    grouped counts, six queries."""
    visible = results_in_scope(user, cycle)
    per_org = {
        row["organisation_id"]: {**row, "reported": 0, "rated": 0}
        for row in visible.order_by()
        .values("organisation_id", "organisation__name", "organisation__path")
        .annotate(members=Count("pk"))
    }
    # a self-report and a rating carry the organisation of the result they belong to
    for org_id, n in (
        SelfReport.objects.filter(cycle=cycle, organisation_id__in=list(per_org))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    ):
        per_org[org_id]["reported"] = n
    for org_id, n in (
        BranchRating.objects.filter(cycle=cycle, organisation_id__in=list(per_org))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("ratee_id", distinct=True))
        .values_list("organisation_id", "n")
    ):
        per_org[org_id]["rated"] = n
    surveys = [s for s in surveys_of(cycle) if s.organisation_id in per_org]
    outcome = survey_selectors.results(surveys, counts_only=True)
    for survey in surveys:
        res = outcome[survey.pk]
        per_org[survey.organisation_id]["survey"] = {
            "id": survey.pk,
            "title": survey.title,
            "responses": res.responses,
            "minimum": res.minimum,
            "issued": res.issued,
            "enough": not rules.masses_short(res.responses, res.minimum),
            "url": survey_url(survey.pk),
        }
    rows = sorted(per_org.values(), key=lambda r: r["organisation__path"])
    for row in rows:
        row["behind"] = progress_behind(row)
    totals = {
        "members": sum(r["members"] for r in rows),
        "reported": sum(r["reported"] for r in rows),
        "rated": sum(r["rated"] for r in rows),
        "surveys": len(surveys),
        "surveys_enough": sum(1 for r in rows if r.get("survey", {}).get("enough")),
    }
    return {"rows": rows, "totals": totals}


def progress_behind(row: dict[str, Any]) -> bool:
    """A branch still owes something: a self-report, a rating, or survey answers below the
    minimum (a survey not yet issued counts as owed when the cycle has one)."""
    survey = row.get("survey")
    return (
        row["reported"] < row["members"]
        or row["rated"] < row["members"]
        or (survey is not None and not survey["enough"])
    )


# --- results table -----------------------------------------------------------------------


def results_table(
    user: User,
    cycle: EvaluationCycle,
    *,
    org: Organisation | None = None,
    grade: str = "",
    by_score: bool = False,
) -> tuple[QuerySet[EvaluationResult], tuple[str, ...]]:
    """The results an officer sees, in a branch's subtree and of a grade, and their order."""
    qs = results_in_scope(user, cycle).select_related("person", "organisation", "rectification")
    if org is not None:
        qs = qs.filter(organisation__path__startswith=org.path)
    if grade:
        qs = qs.filter(grade=grade)
    if by_score:
        # The keyset cursor is JSON: order by the total in tenths (an integer), not a Decimal.
        qs = qs.annotate(
            score_tenths=Coalesce(Cast(Round(F("final_score") * 10), IntegerField()), Value(-1))
        )
        return qs, ("-score_tenths", "id")
    return qs, ("organisation__path", "person__name", "id")


def decorate(results: list[EvaluationResult], cycle: EvaluationCycle) -> None:
    """Posts of the year, honours of the cycle: two queries for the whole page."""
    ids = [r.person_id for r in results]
    posts: dict[int, list[str]] = defaultdict(list)
    for holder_id, name in (
        Post.objects.filter(holder_id__in=ids, year=cycle.year)
        .order_by("holder_id", "id")
        .values_list("holder_id", "name")
    ):
        posts[holder_id].append(name)
    honours: dict[int, list[str]] = defaultdict(list)
    labels = dict(HonourKind.choices)
    for person_id, kind in (
        Honour.objects.filter(person_id__in=ids, cycle=cycle)
        .order_by("kind")
        .values_list("person_id", "kind")
    ):
        honours[person_id].append(labels[kind])
    for r in results:
        try:
            rect: MemberRectification | None = r.rectification
        except MemberRectification.DoesNotExist:
            rect = None
        # display attributes of the loaded rows (the table, the print, the export)
        vars(r).update(
            post_names=posts.get(r.person_id, []),
            honour_names=honours.get(r.person_id, []),
            rect=rect,
        )


def table_rows(results: list[EvaluationResult], cycle: EvaluationCycle) -> list[dict[str, Any]]:
    """The printed and exported table: 序号, 姓名, 所在支部, 岗位, 述岗自评, 民意测评（票数）,
    综合评定, 总分, 等次, 荣誉, 整改."""
    rows = []
    for index, r in enumerate(results, start=1):
        shown = vars(r)  # decorate()'s attributes
        if r.self_missing and r.computed_at:
            self_text = rules.SELF_MISSING_LABEL
        else:
            self_text = fmt(r.self_score)
        masses = ""
        if cycle.has_survey and r.masses_score is not None:
            masses = f"{fmt(r.masses_score)}（{r.masses_responses}票）"
        rows.append(
            {
                "index": index,
                "name": r.person.name,
                "branch": r.organisation.name,
                "posts": "、".join(shown["post_names"]),
                "self": self_text,
                "masses": masses if cycle.has_survey else "—",
                "branch_score": fmt(r.branch_score),
                "final": f"{r.final_score:.1f}" if r.final_score is not None else "",
                "grade": r.grade,
                "honours": "、".join(shown["honour_names"]),
                "rectification": shown["rect"].get_state_display() if shown["rect"] else "",
            }
        )
    return rows


def fmt(value: Decimal | None) -> str:
    """A sub-score with two decimals, so that a column of them lines up."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


# --- grade distribution --------------------------------------------------------------------


def distribution(user: User, cycle: EvaluationCycle) -> dict[str, Any]:
    """Grades per organisation one level below the cycle's (general branches for a committee):
    one grouped query, one query of names. The table; appraisal.charts draws it."""
    bands = [str(b[1]) for b in cycle.bands]
    steplen = Organisation.steplen
    cut = len(cycle.organisation.path) + steplen
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(bands, 0))
    rows = (
        results_in_scope(user, cycle)
        .exclude(grade="")
        .order_by()
        .values("organisation__path", "grade")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        path = row["organisation__path"][:cut]
        if row["grade"] in counts[path]:
            counts[path][row["grade"]] += row["n"]
    org_names = dict(Organisation.objects.filter(path__in=list(counts)).values_list("path", "name"))
    groups = [
        {
            "name": org_names.get(path, path),
            "counts": [counts[path][g] for g in bands],
            "total": sum(counts[path].values()),
        }
        for path in sorted(counts)
    ]
    totals = [sum(g["counts"][i] for g in groups) for i in range(len(bands))]
    return {
        "bands": bands,
        "groups": groups,
        "totals": totals,
        "total": sum(totals),
    }


# --- rating page ---------------------------------------------------------------------------


def rating_rows(user: User, cycle: EvaluationCycle, org: Organisation) -> list[dict[str, Any]]:
    """One row per evaluated member of `org` (and its groups): self-report summary, posts,
    duty records in the period, how many have rated them, and the user's own rating — six
    queries."""
    results = list(
        results_in_scope(user, cycle)
        .filter(organisation=org)
        .select_related("person")
        .order_by("person__name", "id")
    )
    ids = [r.person_id for r in results]
    reports = {r.person_id: r for r in SelfReport.objects.filter(cycle=cycle, person_id__in=ids)}
    mine = {
        r.ratee_id: r
        for r in BranchRating.objects.filter(
            cycle=cycle, ratee_id__in=ids, rater_id=getattr(user, "person_id", None)
        )
    }
    raters = dict(
        BranchRating.objects.filter(cycle=cycle, ratee_id__in=ids)
        .order_by()
        .values("ratee_id")
        .annotate(n=Count("pk"))
        .values_list("ratee_id", "n")
    )
    posts: dict[int, list[str]] = defaultdict(list)
    for holder_id, name in (
        Post.objects.filter(holder_id__in=ids, year=cycle.year)
        .order_by("id")
        .values_list("holder_id", "name")
    ):
        posts[holder_id].append(name)
    records = dict(
        DutyRecord.objects.filter(
            person_id__in=ids, occurred_on__range=(cycle.period_start, cycle.period_end)
        )
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    rows = []
    for r in results:
        report = reports.get(r.person_id)
        rating = mine.get(r.person_id)
        rows.append(
            {
                "result": r,
                "person": r.person,
                "report": report,
                "posts": posts.get(r.person_id, []),
                "records": records.get(r.person_id, 0),
                "raters": raters.get(r.person_id, 0),
                "score": rating.score if rating else None,
                "comment": rating.comment if rating else "",
                "is_self": r.person_id == getattr(user, "person_id", None),
            }
        )
    return rows


def rating_orgs(user: User, cycle: EvaluationCycle) -> list[dict[str, Any]]:
    """The branches of the cycle the user may rate, with how many members and how many
    the user has rated."""
    person_id = getattr(user, "person_id", None)
    return list(
        results_in_scope(user, cycle)
        .order_by("organisation__path")
        .values("organisation_id", "organisation__name")
        .annotate(
            members=Count("pk"),
            mine=Count(
                "pk",
                filter=Q(
                    Exists(
                        BranchRating.objects.filter(
                            cycle=cycle, ratee_id=OuterRef("person_id"), rater_id=person_id
                        )
                    )
                ),
            ),
        )
    )


# --- the member's own pages ----------------------------------------------------------------


def member_overview(person: Person) -> dict[str, Any]:
    """我的考评: open cycles (self-report), published results, honours, rectifications."""
    results = list(
        EvaluationResult.objects.filter(person=person)
        .select_related("cycle", "organisation")
        .order_by("-cycle__year", "-cycle__period", "-cycle_id")
    )
    open_results = [r for r in results if r.cycle.state == CycleState.OPEN]
    reports = {
        r.cycle_id: r
        for r in SelfReport.objects.filter(person=person, cycle__state=CycleState.OPEN)
    }
    for r in open_results:
        r.report = reports.get(r.cycle_id)
    return {
        "open_results": open_results,
        "published": [r for r in results if r.cycle.state == CycleState.PUBLISHED],
        # honours and rectifications follow the result: seen once the cycle is published
        "honours": list(
            Honour.objects.filter(person=person)
            .filter(Q(cycle__isnull=True) | Q(cycle__state=CycleState.PUBLISHED))
            .order_by("-year", "kind")
        ),
        "rectifications": list(
            MemberRectification.objects.filter(
                person=person, result__cycle__state=CycleState.PUBLISHED
            )
            .select_related("result__cycle", "explain_meeting")
            .order_by("-created_at")
        ),
    }


def posts_of_year(person: Person, year: int) -> list[Post]:
    return list(
        Post.objects.filter(holder=person, year=year).select_related("organisation").order_by("id")
    )


def duty_records_in(
    person: Person, cycle: EvaluationCycle, limit: int = 20
) -> tuple[int, list[DutyRecord]]:
    qs = DutyRecord.objects.filter(
        person=person, occurred_on__range=(cycle.period_start, cycle.period_end)
    )
    return qs.count(), list(qs.select_related("post").order_by("-occurred_on", "-id")[:limit])


# --- honours and rectifications -----------------------------------------------------------


def honours(user: User) -> QuerySet[Honour]:
    return Honour.objects.visible_to(user).select_related("person", "organisation", "cycle")


def rectifications(user: User) -> QuerySet[MemberRectification]:
    return MemberRectification.objects.visible_to(user).select_related(
        "person", "organisation", "result__cycle", "explain_meeting"
    )


# --- the institution's rules (settings) --------------------------------------------------------


def grade_bands() -> list[list[object]]:
    """APPRAISAL_GRADE_BANDS: [[90, "优秀"], [80, "称职"], [60, "基本称职"]]
    (《168模式实施意见》§五(二)5), below the last band → 不称职."""
    raw = settings.APPRAISAL_GRADE_BANDS
    return rules.normalise_bands(raw)


def default_weights() -> tuple[Decimal, Decimal, Decimal]:
    """APPRAISAL_DEFAULT_WEIGHTS (self, masses, branch): 20/30/50 — the seeds give none."""
    raw = settings.APPRAISAL_DEFAULT_WEIGHTS
    if isinstance(raw, dict):
        raw = (raw.get("self", 0), raw.get("masses", 0), raw.get("branch", 0))
    ws, wm, wb = (Decimal(str(w)) for w in raw)
    return ws, wm, wb


def rectify_days() -> int:
    return int(settings.APPRAISAL_RECTIFY_DAYS)


def masses_poor_below() -> Decimal:
    return Decimal(str(settings.APPRAISAL_MASSES_POOR_BELOW))


# --- who a cycle evaluates -------------------------------------------------------------------


def population_of(organisation: Organisation, population: str, year: int) -> QuerySet[Person]:
    """The members a cycle evaluates: in the organisation's subtree, active, of the
    population (本年度在岗党员: holders of a post of that year fixed by 定岗 or later)."""
    qs = Person.objects.filter(
        is_active=True,
        primary_org__in=orgs_under((organisation.path,)),
        party_status__in=rules.population_statuses(population),
    )
    category = rules.population_category(population)
    if category:
        qs = qs.filter(category=category)
    if population == rules.POST_HOLDERS:
        qs = qs.filter(
            Exists(
                Post.objects.filter(
                    holder=OuterRef("pk"), year=year, state__in=rules.HELD_POST_STATES
                )
            )
        )
    return qs.select_related("primary_org").order_by("primary_org__path", "name", "id")


def blockers(cycle: EvaluationCycle) -> list[str]:
    """What still prevents computing the cycle (shown beside the compute button)."""
    return gather(cycle).blockers


def posts_snapshot(person: Person, year: int) -> list[dict]:
    return [
        {"name": p.name, "organisation": p.organisation.name, "state": p.get_state_display()}
        for p in Post.objects.filter(holder=person, year=year)
        .select_related("organisation")
        .order_by("id")
    ]
