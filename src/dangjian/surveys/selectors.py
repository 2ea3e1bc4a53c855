"""Scoped reads of surveys. Results are aggregates only, and only from the minimum number of
ballots on: nothing here returns a single ballot."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from dangjian.surveys import rules
from dangjian.surveys.models import Survey, SurveyAnswer, SurveyToken


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


def rating_scores(kind: str) -> dict[str, int]:
    return rules.scores_for(kind, getattr(settings, "SURVEY_RATING_SCORES", None))


def results(surveys: list[Survey]) -> dict[int, SurveyResult]:
    """Results of several surveys in three queries. Below its minimum a survey's result carries
    only the counts (visible=False) and no distribution at all."""
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
    if not shown:
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


def result(survey: Survey) -> SurveyResult:
    return results([survey])[survey.pk]
