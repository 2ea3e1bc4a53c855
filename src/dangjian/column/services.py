"""Every write of the work column: atomic, checked (core.access, column.rules), audited with a
named event.

An article is written by the officers of its organisation (or of a level above), submitted for
review, approved (published on the public site at once) or returned by an officer of the level
above, and withdrawn by the author's organisation or the level above
(《168模式实施意见》§五(二)4, 《组织建设年实施方案》§四(四)). Submitting tells the officers of
the level above in their message centre (a core Reminder, kept in step by the reminder sweep,
column.reminders); a decision clears it."""

import io
from datetime import date
from typing import Any, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.column import events, permissions, rules, selectors
from dangjian.column.models import (
    Article,
    ArticleAttachment,
    ArticlePhoto,
    ArticleState,
    ColumnKind,
)
from dangjian.core import audit
from dangjian.core.access import Actor, can, require
from dangjian.core.models import AuditEvent, Reminder, User
from dangjian.org.models import Organisation
from dangjian.posts.models import DutySummary, SummaryKind

AUTHOR_KINDS = ("committee", "general_branch", "branch")
SUMMARY_KINDS = (SummaryKind.BRANCH_ANNUAL, SummaryKind.GENERAL_BRANCH_ANNUAL)
REMINDER_CATEGORY = "专栏稿件"


class ArticleFields(TypedDict, total=False):
    organisation: Organisation
    column: str
    year: int
    title: str
    body: str


ARTICLE_FIELDS = [*ArticleFields.__annotations__, "state"]


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _refuse(article: Article, step: str, field: str | None = None) -> None:
    error = rules.step_error(article.state, step)
    if error:
        raise ValidationError({field: error} if field else error)


def _clean(article: Article) -> None:
    errors: dict[str, str] = {}
    for name, label, limit in (
        ("title", "标题", rules.TITLE_MAX),
        ("body", "正文", rules.BODY_MAX),
    ):
        error = rules.text_error(getattr(article, name), limit=limit, label=label)
        if error:
            errors[name] = error
    article.title = (article.title or "").strip()
    article.body = (article.body or "").strip()
    org = article.organisation
    if org.kind not in AUTHOR_KINDS:
        errors["organisation"] = "请选择党委、党总支或党支部（党小组不单独供稿）。"
    elif org.dissolved_on is not None:
        errors["organisation"] = "该党组织已撤销。"
    summary = article.source_summary
    if summary is not None and summary.organisation_id != article.organisation_id:
        errors["organisation"] = "年度工作总结只能以提交该总结的党组织名义发布。"
    if errors:
        raise ValidationError(errors)
    article.full_clean(exclude=["organisation", "source_summary", "created_by"])


def _locked(article: Article) -> Article:
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=article.pk)
    )


@transaction.atomic
def article_create(*, actor: Actor, **fields: Unpack[ArticleFields]) -> Article:
    article = Article(created_by=_user(actor), **fields)
    require(actor, permissions.WRITE, article)
    _clean(article)
    article.save()
    audit.created(actor=actor, obj=article, fields=ARTICLE_FIELDS)
    return article


@transaction.atomic
def article_update(*, actor: Actor, article: Article, **fields: Unpack[ArticleFields]) -> Article:
    article = _locked(article)
    require(actor, permissions.WRITE, article)
    _refuse(article, "edit")
    if "organisation" in fields:
        # The new organisation must lie in the actor's scope too.
        require(actor, permissions.WRITE, Article(organisation=fields["organisation"]))
    audit.audited_update(
        actor=actor, obj=article, fields=dict(fields), audit_fields=ARTICLE_FIELDS, clean=_clean
    )
    return article


@transaction.atomic
def article_delete(*, actor: Actor, article: Article) -> None:
    article = _locked(article)
    require(actor, permissions.WRITE, article)
    _refuse(article, "delete")
    before = audit.snapshot(article, ARTICLE_FIELDS)
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=article, before=before)
    _resolve(article)
    article.delete()


@transaction.atomic
def article_from_summary(*, actor: Actor, summary: DutySummary) -> Article:
    """A draft of the 年度工作总结 column from an annual summary as it was submitted
    (《168模式实施意见》§五(二)4), not retyped: its organisation, year and text."""
    summary = DutySummary.objects.select_related("organisation").get(pk=summary.pk)
    if summary.kind not in SUMMARY_KINDS:
        raise ValidationError({"summary": "只有党支部、党总支的年度工作总结可以在专栏发布。"})
    live = Article.objects.filter(source_summary=summary).exclude(state=ArticleState.WITHDRAWN)
    if live.exists():
        raise ValidationError({"summary": "该年度工作总结已有专栏稿件，请在原稿件上修改。"})
    article = Article(
        organisation=summary.organisation,
        column=ColumnKind.ANNUAL_SUMMARY,
        year=summary.year,
        title=rules.annual_summary_title(
            summary.organisation.name, summary.year, summary.get_kind_display()
        ),
        body=summary.content,
        source_summary=summary,
        created_by=_user(actor),
    )
    require(actor, permissions.WRITE, article)
    _clean(article)
    article.save()
    audit.created(
        actor=actor, obj=article, fields=ARTICLE_FIELDS, note="由年度工作总结生成，未重新录入"
    )
    return article


# --- the review --------------------------------------------------------------------------------


def _step(
    actor: Actor,
    article: Article,
    step: str,
    event: Any,
    changes: dict[str, Any],
    note: str = "",
) -> Article:
    _refuse(article, step)
    with audit.recording(actor=actor, obj=article, fields=["state"], event=event, note=note):
        article.state = rules.step_target(step)
        for name, value in changes.items():
            setattr(article, name, value)
        article.save(update_fields=["state", *changes])
    return article


@transaction.atomic
def article_submit(*, actor: Actor, article: Article) -> Article:
    """报送审核: the officers of the level above are told in their message centre."""
    article = _locked(article)
    require(actor, permissions.SUBMIT, article)
    _clean(article)
    changes = {
        "submitted_at": timezone.now(),
        "submitted_by": _user(actor),
        "reviewed_at": None,
        "reviewed_by": None,
        "review_note": "",
    }
    article = _step(actor, article, "submit", events.ARTICLE_SUBMITTED, changes)
    _resolve(article)
    _remind_reviewers(article)
    return article


def _check_reviewer(actor: Actor, article: Article) -> None:
    require(actor, permissions.REVIEW, article)
    user = _user(actor)
    error = rules.reviewer_error(
        reviewer_id=user.pk if user else None,
        author_ids=[article.created_by_id, article.submitted_by_id],
        reviewer_above=can(actor, permissions.REVIEW, article),
    )
    if error:
        raise ValidationError(error)


def _note(note: str, *, required: bool, label: str) -> str:
    error = rules.text_error(note, limit=rules.REASON_MAX, label=label, required=required)
    if error:
        raise ValidationError({"note": error})
    return (note or "").strip()


@transaction.atomic
def article_approve(*, actor: Actor, article: Article, note: str = "") -> Article:
    """审核通过: published on the public site at once."""
    article = _locked(article)
    _check_reviewer(actor, article)
    note = _note(note, required=False, label="审核意见")
    now = timezone.now()
    changes = {
        "reviewed_at": now,
        "reviewed_by": _user(actor),
        "review_note": note,
        "published_at": now,
        "withdrawn_at": None,
        "withdraw_reason": "",
    }
    article = _step(actor, article, "approve", events.ARTICLE_APPROVED, changes, note)
    _resolve(article)
    return article


@transaction.atomic
def article_return(*, actor: Actor, article: Article, note: str) -> Article:
    """退回修改, with the reason: the author's organisation is told."""
    article = _locked(article)
    _check_reviewer(actor, article)
    note = _note(note, required=True, label="退回原因")
    changes = {"reviewed_at": timezone.now(), "reviewed_by": _user(actor), "review_note": note}
    article = _step(actor, article, "return", events.ARTICLE_RETURNED, changes, note)
    _resolve(article)
    _remind_authors(article)
    return article


@transaction.atomic
def article_withdraw(*, actor: Actor, article: Article, note: str) -> Article:
    """撤回: by the author's organisation or the level above (the reviewer); the article
    leaves the public site at once."""
    article = _locked(article)
    require(actor, permissions.WITHDRAW, article)
    note = _note(note, required=True, label="撤回原因")
    changes = {"withdrawn_at": timezone.now(), "withdraw_reason": note}
    article = _step(actor, article, "withdraw", events.ARTICLE_WITHDRAWN, changes, note)
    _resolve(article)
    return article


# --- photos and attachments --------------------------------------------------------------------


def _file_added(actor: Actor, article: Article, name: str) -> None:
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=article,
        note=name,
        event=events.FILE_ADDED,
    )


# Formats whose metadata (EXIF: where and when, the camera; XMP) a re-save drops.
_REWRITTEN = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_PIXELS = 60_000_000


def _without_metadata(file: Any) -> Any:
    """The photo re-saved without its metadata, turned upright first (the EXIF orientation
    goes with the rest): a phone's picture carries where it was taken, and the published
    column shows it to everyone. A file Pillow cannot read is left to the upload policy."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            kind = _REWRITTEN.get(image.format or "")
            if kind is None:
                return file
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise ValidationError({"file": "图片像素过大，请缩小后再上传。"})
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            options: dict[str, Any] = {"quality": 90} if kind in ("jpeg", "webp") else {}
            if kind == "jpeg" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            if image.info.get("icc_profile"):
                options["icc_profile"] = image.info["icc_profile"]  # colours, not personal
            upright.save(out, kind.upper(), **options)
    except Image.DecompressionBombError as exc:
        raise ValidationError({"file": "图片像素过大，请缩小后再上传。"}) from exc
    except (UnidentifiedImageError, OSError, ValueError):
        file.seek(0)
        return file
    return SimpleUploadedFile(file.name, out.getvalue(), f"image/{kind}")


@transaction.atomic
def photo_add(*, actor: Actor, article: Article, file: Any, caption: str = "") -> ArticlePhoto:
    article = _locked(article)
    require(actor, permissions.WRITE, article)
    _refuse(article, "attach", "file")
    error = rules.count_error(article.photos.count(), settings.COLUMN_MAX_PHOTOS, "图片")
    if error:
        raise ValidationError({"file": error})
    error = rules.text_error(caption, limit=rules.CAPTION_MAX, label="图片说明", required=False)
    if error:
        raise ValidationError({"caption": error})
    photo = ArticlePhoto(
        article=article, file=_without_metadata(file), caption=(caption or "").strip()
    )
    photo.full_clean(exclude=["article"])
    photo.save()
    _file_added(actor, article, f"图片 {photo.file_name}")
    return photo


@transaction.atomic
def attachment_add(*, actor: Actor, article: Article, file: Any) -> ArticleAttachment:
    article = _locked(article)
    require(actor, permissions.WRITE, article)
    _refuse(article, "attach", "file")
    error = rules.count_error(article.attachments.count(), settings.COLUMN_MAX_ATTACHMENTS, "附件")
    if error:
        raise ValidationError({"file": error})
    attachment = ArticleAttachment(article=article, file=file)
    attachment.full_clean(exclude=["article"])
    attachment.save()
    _file_added(actor, article, f"附件 {attachment.file_name}")
    return attachment


@transaction.atomic
def file_remove(*, actor: Actor, file: ArticlePhoto | ArticleAttachment) -> None:
    article = _locked(file.article)
    require(actor, permissions.WRITE, article)
    _refuse(article, "attach")
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=article,
        note=file.file_name,
        event=events.FILE_REMOVED,
    )
    file.delete()


# --- the message centre ------------------------------------------------------------------------


def review_key(article: Article) -> str:
    return f"column:review:{article.pk}"


def returned_key(article: Article) -> str:
    return f"column:returned:{article.pk}"


def _remind(person_ids: list[int], *, key: str, title: str, url: str, due_on: date) -> None:
    for person_id in person_ids:
        Reminder.objects.update_or_create(
            person_id=person_id,
            key=key,
            defaults={
                "category": REMINDER_CATEGORY,
                "title": title[:200],
                "due_on": due_on,
                "url": url,
                "resolved_at": None,
                "dismissed_at": None,
            },
        )


def _remind_reviewers(article: Article) -> None:
    reviewers = selectors.reviewers_of([article.organisation]).get(article.organisation_id, [])
    _remind(
        reviewers,
        key=review_key(article),
        title=selectors.review_title(article.organisation.name, article.title),
        url=reverse("column:article_detail", args=[article.pk]),
        due_on=selectors.reminder_due(timezone.localdate()),
    )


def _remind_authors(article: Article) -> None:
    officers = selectors.officers_of_orgs([article.organisation_id])
    _remind(
        officers.get(article.organisation_id, []),
        key=returned_key(article),
        title=selectors.returned_title(article.title),
        url=reverse("column:article_detail", args=[article.pk]),
        due_on=selectors.reminder_due(timezone.localdate()),
    )


def _resolve(article: Article) -> None:
    """The article's open reminders are done (decided, withdrawn, submitted again)."""
    Reminder.objects.filter(
        key__in=[review_key(article), returned_key(article)], resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
