"""Scoped reads of surveys. Results are aggregates only, and only from the minimum number of
ballots on: nothing here returns a single ballot, a ballot's id or which link was used."""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from dangjian.core.models import User
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.surveys import rules
from dangjian.surveys.models import (
    Rating,
    Survey,
    SurveyAnswer,
    SurveyBallot,
    SurveyKind,
    SurveyToken,
)

ORG_CHOICE_LIMIT = 300
RATING_LABELS = dict(Rating.choices)


def default_min_responses() -> int:
    return int(settings.SURVEY_MIN_RESPONSES)


def min_responses_floor() -> int:
    return int(settings.SURVEY_MIN_RESPONSES_FLOOR)


@dataclass
class SubjectResult:
    distribution: dict[str, int]
    score: Decimal | None
    count: int


@dataclass
class SurveyResult:
    survey_id: int
    responses: int  # ballots cast
    minimum: int
    issued: int  # links handed out
    visible: bool
    # member rating: person id → result; satisfaction: the key None
    subjects: dict[int | None, SubjectResult] = field(default_factory=dict)
    satisfaction_rate: Decimal | None = None

    @property
    def progress(self) -> int:
        return rules.progress_percent(self.responses, self.minimum)


def rating_scores(kind: str) -> dict[str, int]:
    return rules.scores_for(kind, settings.SURVEY_RATING_SCORES)


def rating_choices(kind: str) -> list[tuple[str, str]]:
    """The options of a survey kind in their order (优秀 … 不称职; 满意 … 不满意)."""
    return [(value, RATING_LABELS[value]) for value in rules.ratings_for(kind)]


def results(surveys: list[Survey], *, counts_only: bool = False) -> dict[int, SurveyResult]:
    """Results of several surveys in three queries. Below its minimum a survey's result carries
    only the counts (visible=False) and no distribution at all; `counts_only` skips the
    distributions for every survey (two queries, for progress pages)."""
    ids = [s.pk for s in surveys]
    if not ids:
        return {}
    ballots = dict(
        Survey.objects.filter(pk__in=ids).annotate(n=Count("ballots")).values_list("pk", "n")
    )
    issued = dict(
        SurveyToken.objects.filter(survey_id__in=ids)
        .values("survey_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("survey_id", "n")
    )
    out = {
        s.pk: SurveyResult(
            survey_id=s.pk,
            responses=ballots.get(s.pk, 0),
            minimum=s.min_responses,
            issued=issued.get(s.pk, 0),
            visible=rules.result_visible(ballots.get(s.pk, 0), s.min_responses),
        )
        for s in surveys
    }
    shown = [pk for pk, r in out.items() if r.visible]
    if not shown or counts_only:
        return out
    rows = (
        SurveyAnswer.objects.filter(ballot__survey_id__in=shown)
        .values("ballot__survey_id", "subject_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    distributions: dict[int, dict[int | None, dict[str, int]]] = {}
    for row in rows:
        per_subject = distributions.setdefault(row["ballot__survey_id"], {})
        per_subject.setdefault(row["subject_id"], {})[row["rating"]] = row["n"]
    kinds = {s.pk: s.kind for s in surveys}
    for pk in shown:
        scores = rating_scores(kinds[pk])
        result = out[pk]
        for subject_id, distribution in distributions.get(pk, {}).items():
            result.subjects[subject_id] = SubjectResult(
                distribution=distribution,
                score=rules.mean_score(distribution, scores),
                count=sum(distribution.values()),
            )
        overall = result.subjects.get(None)
        if overall is not None:
            result.satisfaction_rate = rules.satisfaction_rate(overall.distribution)
    return out


def list_results(surveys: list[Survey]) -> dict[int, SurveyResult]:
    """What a list shows: the counts of every survey and the satisfaction rate of satisfaction
    surveys. Member ratings' distributions (one per member) are left out (five queries)."""
    out = results(surveys, counts_only=True)
    out.update(results([s for s in surveys if s.kind == SurveyKind.BRANCH_SATISFACTION]))
    return out


def result(survey: Survey) -> SurveyResult:
    return results([survey])[survey.pk]


# --- what officers read --------------------------------------------------------------------


def surveys_for(user: User) -> QuerySet[Survey]:
    """The surveys the user may read (officers: their subtree), with their organisation."""
    return Survey.objects.visible_to(user).select_related("organisation")


def org_choices(user: User) -> list[Organisation]:
    """Organisations of the user's scope for filter bars and the create form (no groups)."""
    return list(
        Organisation.objects.visible_to(user)
        .active()
        .exclude(kind=OrgKind.GROUP)
        .only("id", "name", "depth", "path", "kind")[:ORG_CHOICE_LIMIT]
    )


def organisation(user: User, pk: int | None) -> Organisation | None:
    """The organisation `pk` if the user sees it (None when absent, unknown or out of scope)."""
    if pk is None:
        return None
    return Organisation.objects.visible_to(user).filter(pk=pk).first()


def subject_candidates(org: Organisation, limit: int = 300) -> QuerySet[Person]:
    """Members (正式/预备, 在册) of the organisation's subtree: whom a member rating may cover."""
    return (
        Person.objects.under_path(org.path)
        .members()
        .filter(is_active=True)
        .select_related("primary_org")
        .order_by("primary_org__path", "name", "id")[:limit]
    )


@dataclass
class Batch:
    number: int
    issued: int
    used: int | None  # None: not counted per batch (rules.batch_counts_shown)


def batches(survey: Survey) -> list[Batch]:
    """Links per batch and how many of each batch were used (counts only, one query). When a
    batch is smaller than the minimum's floor no batch's count is given: a batch of one link
    would tell whether its holder answered (and the total less the others would too)."""
    rows = list(
        SurveyToken.objects.filter(survey=survey)
        .values("batch")
        .annotate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)))
        .order_by("batch")
    )
    shown = rules.batch_counts_shown([r["issued"] for r in rows], floor=min_responses_floor())
    return [Batch(r["batch"], r["issued"], r["used"] if shown else None) for r in rows]


def batch_tokens(survey: Survey, batch: int) -> list[str]:
    """The secrets of a batch's links in the order they were made (used or not: a printed
    sheet or a list of links must not tell which were answered)."""
    return list(
        SurveyToken.objects.filter(survey=survey, batch=batch)
        .order_by("pk")
        .values_list("token", flat=True)
    )


def comments(survey: Survey) -> list[str]:
    """The comments of a survey whose result is visible, in random order and without dates."""
    texts = list(
        SurveyBallot.objects.filter(survey=survey)
        .exclude(comment="")
        .order_by()
        .values_list("comment", flat=True)
    )
    random.SystemRandom().shuffle(texts)
    return texts


@dataclass
class ResultRow:
    subject_id: int | None
    name: str
    counts: list[tuple[str, str, int]]  # (rating, label, count) in the kind's order
    count: int
    score: Decimal | None
    grade: str
    rate: Decimal | None = None


def result_rows(survey: Survey, res: SurveyResult) -> list[ResultRow]:
    """One row per subject (by name) or the single row of a satisfaction survey; empty
    while the result is hidden."""
    if not res.visible:
        return []
    choices = rating_choices(survey.kind)
    if survey.kind == SurveyKind.MEMBER_RATING:
        people = list(survey.subjects.order_by("name", "id").values_list("pk", "name"))
    else:
        people = [(None, survey.organisation.name)]
    rows = []
    for pk, name in people:
        sub = res.subjects.get(pk)
        dist = sub.distribution if sub else {}
        score = sub.score if sub else None
        rows.append(
            ResultRow(
                subject_id=pk,
                name=name,
                counts=[(value, label, dist.get(value, 0)) for value, label in choices],
                count=sub.count if sub else 0,
                score=score,
                grade=rules.grade_for(score) if survey.kind == SurveyKind.MEMBER_RATING else "",
                rate=res.satisfaction_rate if pk is None else None,
            )
        )
    return rows


# --- what the public answer page reads -----------------------------------------------------


def token_row(token: str) -> SurveyToken | None:
    """The link with its survey and organisation, None for an unknown secret."""
    if not rules.token_well_formed(token):
        return None
    return SurveyToken.objects.select_related("survey__organisation").filter(token=token).first()


def answer_subjects(survey: Survey) -> list[tuple[int, str]]:
    """Whom a member-rating ballot rates: (id, name) only — no other personal data."""
    if survey.kind != SurveyKind.MEMBER_RATING:
        return []
    return list(survey.subjects.order_by("name", "id").values_list("pk", "name"))


def answer_state(row: SurveyToken, today: date) -> str | None:
    """None when the link may be answered today; else "used", rules.NOT_OPEN or rules.CLOSED."""
    if row.used:
        return "used"
    survey = row.survey
    return rules.unanswerable(survey.state, survey.opens_on, survey.closes_on, today)
