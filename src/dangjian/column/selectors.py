"""Reads of the work column: the officers' articles and review queue (scoped), who reviews an
organisation's articles, and the public column (published articles only, the fields that may
leave the database named: no author, submitter or reviewer)."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from dangjian.column import permissions, rules
from dangjian.column.models import (
    Article,
    ArticleAttachment,
    ArticlePhoto,
    ArticleState,
    ColumnKind,
)
from dangjian.org.models import Organisation
from dangjian.org.selectors import officers_of
from dangjian.posts.models import DutySummary, SummaryKind

# --- officers ---------------------------------------------------------------------------------


def articles(user: Any) -> QuerySet[Article]:
    """The articles of the user's subtrees, drafts included."""
    return Article.objects.visible_to(user).select_related("organisation")


def review_queue(user: Any) -> QuerySet[Article]:
    """Submitted articles the user may approve: those of the organisations below their own."""
    return (
        Article.objects.restrict(user, permissions.REVIEW)
        .filter(state=ArticleState.SUBMITTED)
        .select_related("organisation")
    )


def publishable_summaries(user: Any) -> QuerySet[DutySummary]:
    """Annual summaries of branches and general branches in the user's scope that have no live
    article yet (《168模式实施意见》§五(二)4)."""
    live = Article.objects.exclude(state=ArticleState.WITHDRAWN).filter(
        source_summary__isnull=False
    )
    return (
        DutySummary.objects.visible_to(user)
        .filter(kind__in=[SummaryKind.BRANCH_ANNUAL, SummaryKind.GENERAL_BRANCH_ANNUAL])
        .exclude(pk__in=live.values("source_summary_id"))
        .select_related("organisation")
        .order_by("-year", "organisation__path", "-id")
    )


def officers_of_orgs(org_ids: Iterable[int]) -> dict[int, list[int]]:
    return officers_of(org_ids)


def _ancestor_paths(path: str) -> list[str]:
    step = Organisation.steplen
    return [path[:end] for end in range(step, len(path), step)]


def reviewers_of(orgs: Iterable[Organisation]) -> dict[int, list[int]]:
    """Person ids of the officers who review each organisation's articles: those of the
    nearest level above that has officers in post (a branch's general branch; the committee
    when the general branch has none). Two queries whatever the number of organisations."""
    orgs = list(orgs)
    paths = {p for o in orgs for p in _ancestor_paths(o.path)}
    if not paths:
        return {}
    above = dict(Organisation.objects.filter(path__in=paths).values_list("path", "pk"))
    officers = officers_of(above.values())
    result: dict[int, list[int]] = {}
    for org in orgs:
        for path in reversed(_ancestor_paths(org.path)):
            people = officers.get(above.get(path, 0), [])
            if people:
                result[org.pk] = sorted(set(people))
                break
    return result


def reminder_due(since: date) -> date:
    """When a reminder of the column falls due: COLUMN_REVIEW_DAYS after the step."""
    return since + timedelta(days=settings.COLUMN_REVIEW_DAYS)


def review_title(org_name: str, title: str) -> str:
    return f"{org_name}报送专栏稿件《{title}》，请审核"


def returned_title(title: str) -> str:
    return f"专栏稿件《{title}》被上级党组织退回修改"


# --- the public column ------------------------------------------------------------------------

# What the public sees of an article and its organisation: never who wrote, submitted or
# reviewed it, nor a draft's fields.
PUBLIC_ARTICLE_FIELDS = (
    "id",
    "column",
    "year",
    "title",
    "body",
    "published_at",
    "organisation__id",
    "organisation__name",
    "organisation__code",
)
PUBLIC_FILE_FIELDS = ("id", "article_id", "file", "file_name", "file_size")
PUBLIC_PAGE_ORDER = ("-published_at", "-id")


def public_articles(column: str | None = None, org: Organisation | None = None) -> QuerySet:
    """Published articles, newest first; of one column and of one organisation's subtree."""
    qs = Article.objects.published().select_related("organisation").only(*PUBLIC_ARTICLE_FIELDS)
    if column:
        qs = qs.filter(column=column)
    if org is not None:
        qs = qs.filter(organisation__path__startswith=org.path)
    return qs


def public_article(pk: int) -> Article | None:
    return public_articles().filter(pk=pk).first()


def public_photos(article: Article) -> list[ArticlePhoto]:
    return list(ArticlePhoto.objects.filter(article=article).only(*PUBLIC_FILE_FIELDS, "caption"))


def public_attachments(article: Article) -> list[ArticleAttachment]:
    return list(ArticleAttachment.objects.filter(article=article).only(*PUBLIC_FILE_FIELDS))


def first_photos(article_ids: list[int]) -> dict[int, ArticlePhoto]:
    """The first photo of each article on a page (one query)."""
    result: dict[int, ArticlePhoto] = {}
    rows = (
        ArticlePhoto.objects.filter(article_id__in=article_ids)
        .only(*PUBLIC_FILE_FIELDS, "caption")
        .order_by("article_id", "id")
    )
    for photo in rows:
        result.setdefault(photo.article_id, photo)
    return result


def public_file(kind: str, pk: int) -> ArticlePhoto | ArticleAttachment | None:
    """A photo or attachment of a published article, else None (drafts' files stay behind the
    scoped media view)."""
    if kind == "photo":
        return (
            ArticlePhoto.objects.filter(pk=pk, article__state=ArticleState.PUBLISHED)
            .only(*PUBLIC_FILE_FIELDS)
            .first()
        )
    if kind != "attachment":
        return None
    return (
        ArticleAttachment.objects.filter(pk=pk, article__state=ArticleState.PUBLISHED)
        .only(*PUBLIC_FILE_FIELDS)
        .first()
    )


def public_organisations() -> QuerySet[Organisation]:
    """Organisations with published articles (the column's organisation filter)."""
    ids = Article.objects.published().values("organisation_id")
    return Organisation.objects.filter(pk__in=ids).only("id", "name", "code", "path")


def column_choices() -> list[tuple[str, str]]:
    return list(ColumnKind.choices)


def column_label(column: str) -> str:
    return dict(ColumnKind.choices).get(column, "")


def excerpt(article: Article) -> str:
    return rules.summary_of(article.body)
