"""Reminders (待办) of the work column, kept in step by the reminder sweep (the services make
and clear them at once; the sweep repairs what they missed):

- a submitted article → the officers of the nearest level above with officers in post, who
  review it (《168模式实施意见》§五(二)4);
- a returned article → the officers of its own organisation, who revise and resubmit it.

Three queries whatever the number of articles."""

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils import timezone

from dangjian.column import selectors
from dangjian.column.models import Article, ArticleState
from dangjian.column.services import REMINDER_CATEGORY, returned_key, review_key
from dangjian.core.reminders import Due


def collect(today: date, horizon: date) -> Iterator[Due]:
    open_articles = list(
        Article.objects.filter(state__in=[ArticleState.SUBMITTED, ArticleState.RETURNED])
        .select_related("organisation")
        .only(
            "id",
            "title",
            "state",
            "submitted_at",
            "reviewed_at",
            "organisation__id",
            "organisation__name",
            "organisation__path",
        )
    )
    if not open_articles:
        return
    submitted = [a for a in open_articles if a.state == ArticleState.SUBMITTED]
    returned = [a for a in open_articles if a.state == ArticleState.RETURNED]
    reviewers = selectors.reviewers_of(
        {a.organisation_id: a.organisation for a in submitted}.values()
    )
    authors = selectors.officers_of_orgs({a.organisation_id for a in returned})
    for article in submitted:
        since = article.submitted_at or timezone.now()
        for person_id in reviewers.get(article.organisation_id, []):
            yield Due(
                person_id=person_id,
                key=review_key(article),
                category=REMINDER_CATEGORY,
                title=selectors.review_title(article.organisation.name, article.title)[:200],
                due_on=selectors.reminder_due(timezone.localtime(since).date()),
                url=reverse("column:article_detail", args=[article.pk]),
            )
    for article in returned:
        since = article.reviewed_at or timezone.now()
        for person_id in authors.get(article.organisation_id, []):
            yield Due(
                person_id=person_id,
                key=returned_key(article),
                category=REMINDER_CATEGORY,
                title=selectors.returned_title(article.title)[:200],
                due_on=selectors.reminder_due(timezone.localtime(since).date()),
                url=reverse("column:article_detail", args=[article.pk]),
            )
