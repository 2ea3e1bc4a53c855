"""Reads of 联述联评联考: scoped querysets, the progress of the ratings, and the published
results other apps show (the public board, 一支部一档, the branch grading, the secretaries'
grades)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from dangjian.core.access import Actor
from dangjian.org.models import Organisation
from dangjian.review.models import ReviewRound, RoundState, SecretaryReport
from dangjian.surveys import selectors as survey_selectors
from dangjian.surveys.selectors import SurveyResult

REPORT_RELATIONS = ("round", "organisation", "secretary")


def rounds_for(user: Actor) -> QuerySet[ReviewRound]:
    return ReviewRound.objects.visible_to(user).select_related("organisation")


def reports_for(user: Actor) -> QuerySet[SecretaryReport]:
    return SecretaryReport.objects.visible_to(user).select_related(*REPORT_RELATIONS)


@dataclass
class Progress:
    """A report's row: the rating's ballots towards its minimum, hidden figures withheld."""

    report: SecretaryReport
    rating: SurveyResult | None


def with_progress(reports: Iterable[SecretaryReport]) -> list[Progress]:
    """Each report with its survey's counts (two queries for the whole page)."""
    reports = list(reports)
    surveys = [r.survey for r in reports if r.survey is not None]
    results = survey_selectors.results(surveys, counts_only=True) if surveys else {}
    return [Progress(r, results.get(r.survey_id) if r.survey_id else None) for r in reports]


def round_counts(round_: ReviewRound, user: Actor) -> dict[str, int]:
    """How many reports of the round the user sees are in each state."""
    counts: dict[str, int] = {}
    for state in reports_for(user).filter(round=round_).values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def published_reports(
    organisation_ids: Iterable[int], year: int | None = None
) -> QuerySet[SecretaryReport]:
    """The published results of these organisations (public: no scope)."""
    qs = SecretaryReport.objects.filter(
        organisation_id__in=list(organisation_ids), round__state=RoundState.PUBLISHED
    ).select_related(*REPORT_RELATIONS)
    if year is not None:
        qs = qs.filter(round__year=year)
    return qs.order_by("-round__year", "organisation__path")


def result_text(report: SecretaryReport) -> str:
    return (
        f"{report.round.year}年度书记述职评议（联述联评联考）：{report.secretary.name} "
        f"{report.grade}（{report.total}分）"
    )


def last_result_text(branch: Organisation) -> str:
    """The latest published result of the organisation's secretary (for the branch grading's
    年度考核情况, registered with branches)."""
    last = published_reports([branch.pk]).first()
    return result_text(last) if last is not None else ""


def secretary_results(organisation_ids: Iterable[int], year: int) -> dict[int, str]:
    """Published grades of the year by organisation, as "优秀（91.2分）" (for the secretaries'
    grades of assessment, registered there); one query."""
    return {
        r.organisation_id: f"{r.grade}（{r.total}分）"
        for r in published_reports(organisation_ids, year)
    }
