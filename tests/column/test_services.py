"""The column's services: the review by the level above, withdrawal, reminders, audit, the
annual summaries and the files."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.column import reminders, services
from dangjian.column.models import Article, ArticleState, ColumnKind
from dangjian.core.audit import events_for
from dangjian.core.models import Reminder
from dangjian.posts.models import DutySummary, SummaryKind
from tests.column.conftest import draft, published, submitted
from tests.core import upload_samples as samples
from tests.factories import make_officer
from tests.harness import assert_max_queries

pytestmark = pytest.mark.django_db


def test_draft_to_published_to_withdrawn(world):
    article = draft(world)
    assert article.state == ArticleState.DRAFT
    article = services.article_submit(actor=world.secretary_a, article=article)
    assert article.state == ArticleState.SUBMITTED and article.submitted_by == world.secretary_a
    article = services.article_approve(actor=world.gb_secretary_a, article=article, note="同意")
    assert article.state == ArticleState.PUBLISHED and article.published_at is not None
    assert article.reviewed_by == world.gb_secretary_a
    article = services.article_withdraw(actor=world.secretary_a, article=article, note="有误")
    assert article.state == ArticleState.WITHDRAWN and article.withdraw_reason == "有误"
    names = [e.event for e in events_for(article)]
    for step in ("column.submitted", "column.approved", "column.withdrawn"):
        assert names.count(step) == 1, names


def test_the_authors_own_organisation_cannot_approve(world):
    article = submitted(world)
    with pytest.raises(PermissionDenied, match="本组织不能审核自己的稿件"):
        services.article_approve(actor=world.secretary_a, article=article)
    deputy = make_officer(world.branch_a, title="deputy", name="孙副书记")
    with pytest.raises(PermissionDenied):
        services.article_return(actor=deputy, article=article, note="再改改")
    assert Article.objects.get(pk=article.pk).state == ArticleState.SUBMITTED


def test_another_branch_and_a_member_cannot_approve(world):
    article = submitted(world)
    for actor in (world.secretary_b, world.member_user, None):
        with pytest.raises(PermissionDenied):
            services.article_approve(actor=actor, article=article)


def test_the_committee_and_the_department_are_above_too(world):
    committee_secretary = make_officer(world.committee, name="党委书记")
    services.article_approve(actor=committee_secretary, article=submitted(world))
    services.article_approve(actor=world.org_officer, article=submitted(world))


def test_nobody_approves_what_they_wrote(world):
    """The general branch writes for its branch: the same person cannot then approve it."""
    article = submitted(world, actor=world.gb_secretary_a)
    with pytest.raises(ValidationError, match="撰写人或报送人"):
        services.article_approve(actor=world.gb_secretary_a, article=article)
    other = make_officer(world.gb_a, title="committee", name="总支委员")
    assert services.article_approve(actor=other, article=article).state == ArticleState.PUBLISHED


def test_a_return_needs_a_reason_and_the_author_revises(world):
    article = submitted(world)
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.article_return(actor=world.gb_secretary_a, article=article, note=" ")
    article = services.article_return(
        actor=world.gb_secretary_a, article=article, note="请补充图片"
    )
    assert article.state == ArticleState.RETURNED and article.review_note == "请补充图片"
    article = services.article_update(actor=world.secretary_a, article=article, title="修改后")
    article = services.article_submit(actor=world.secretary_a, article=article)
    assert article.state == ArticleState.SUBMITTED and article.review_note == ""


def test_no_edit_or_approve_out_of_turn(world):
    article = published(world)
    with pytest.raises(ValidationError, match="请先撤回"):
        services.article_update(actor=world.secretary_a, article=article, title="改")
    with pytest.raises(ValidationError, match="不能审核通过"):
        services.article_approve(actor=world.gb_secretary_a, article=article)
    with pytest.raises(ValidationError, match="不能撤回"):
        services.article_withdraw(actor=world.secretary_a, article=draft(world), note="x")


def test_withdrawn_by_the_reviewer_and_not_by_another_branch(world):
    article = published(world)
    with pytest.raises(PermissionDenied):
        services.article_withdraw(actor=world.secretary_b, article=article, note="不妥")
    with pytest.raises(ValidationError, match="请填写撤回原因"):
        services.article_withdraw(actor=world.gb_secretary_a, article=article, note="")
    article = services.article_withdraw(actor=world.gb_secretary_a, article=article, note="不妥")
    assert article.state == ArticleState.WITHDRAWN


def test_text_is_bounded_and_required(world):
    with pytest.raises(ValidationError) as exc:
        draft(world, title="题" * 81, body="")
    assert "标题不能超过80字" in str(exc.value) and "请填写正文" in str(exc.value)
    with pytest.raises(ValidationError, match="正文不能超过20000字"):
        draft(world, body="字" * 20_001)


def test_a_group_or_a_dissolved_organisation_does_not_write(world):
    with pytest.raises(ValidationError, match="党小组不单独供稿"):
        draft(world, org=world.group_a)
    world.branch_b.dissolved_on = timezone.localdate()
    world.branch_b.save()
    with pytest.raises(ValidationError, match="已撤销"):
        draft(world, actor=world.org_officer, org=world.branch_b)


def test_writing_is_for_the_subtree(world):
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.secretary_b)
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.member_user)
    article = draft(world)
    with pytest.raises(PermissionDenied):
        services.article_update(actor=world.secretary_a, article=article, organisation=world.gb_b)


def test_reviewers_are_told_and_the_reminder_clears(world):
    article = submitted(world)
    reminder = Reminder.objects.get(key=services.review_key(article))
    assert reminder.person == world.gb_secretary_a.person and reminder.resolved_at is None
    assert reminder.url == f"/column/article/{article.pk}/"
    assert (reminder.due_on - timezone.localdate()).days == 5  # COLUMN_REVIEW_DAYS
    services.article_return(actor=world.gb_secretary_a, article=article, note="补充")
    assert Reminder.objects.get(key=services.review_key(article)).resolved_at is not None
    back = Reminder.objects.get(key=services.returned_key(article))
    assert back.person == world.secretary_a.person and back.resolved_at is None
    services.article_submit(actor=world.secretary_a, article=article)
    assert Reminder.objects.get(key=services.returned_key(article)).resolved_at is not None
    assert Reminder.objects.get(key=services.review_key(article)).resolved_at is None


def test_reviewers_skip_a_level_without_officers(world):
    """A branch whose general branch has no officers in post is reviewed by the committee."""
    article = submitted(world, actor=world.secretary_b, org=world.branch_b)
    assert not Reminder.objects.filter(key=services.review_key(article)).exists()
    committee_secretary = make_officer(world.committee, name="党委书记")
    article2 = submitted(world, actor=world.secretary_b, org=world.branch_b, title="第二篇")
    keys = Reminder.objects.filter(person=committee_secretary.person).values_list("key", flat=True)
    assert list(keys) == [services.review_key(article2)]


def test_the_sweep_provider_agrees_with_the_services(world, django_assert_num_queries):
    for i in range(3):
        submitted(world, title=f"稿件{i}")
    returned = submitted(world, title="退回的")
    services.article_return(actor=world.gb_secretary_a, article=returned, note="补充")
    today = timezone.localdate()
    with assert_max_queries(4):
        due = list(reminders.collect(today, today))
    assert {d.key for d in due} == {
        *(services.review_key(a) for a in Article.objects.filter(state="submitted")),
        services.returned_key(returned),
    }
    assert {d.person_id for d in due} == {
        world.gb_secretary_a.person_id,
        world.secretary_a.person_id,
    }


def _summary(world, org=None, kind=SummaryKind.BRANCH_ANNUAL):
    return DutySummary.objects.create(
        kind=kind,
        organisation=org or world.branch_a,
        year=2026,
        content="一年来，支部认真落实“三会一课”制度。\n党员亮岗履职成效明显。",
        submitted_on=timezone.localdate(),
    )


def test_an_annual_summary_is_published_from_the_submitted_text(world):
    summary = _summary(world)
    article = services.article_from_summary(actor=world.secretary_a, summary=summary)
    assert article.column == ColumnKind.ANNUAL_SUMMARY and article.year == 2026
    assert article.body == summary.content and article.organisation == world.branch_a
    assert article.title == "机关一支部2026年度亮岗履职工作总结"
    with pytest.raises(ValidationError, match="已有专栏稿件"):
        services.article_from_summary(actor=world.secretary_a, summary=summary)
    with pytest.raises(PermissionDenied):
        services.article_from_summary(actor=world.secretary_b, summary=_summary(world))
    semester = _summary(world, kind=SummaryKind.MEMBER_SEMESTER)
    with pytest.raises(ValidationError, match="党支部、党总支的年度工作总结"):
        services.article_from_summary(actor=world.secretary_a, summary=semester)


def test_files_follow_the_upload_policy_and_the_limits(world, media, settings):
    article = draft(world)
    png = SimpleUploadedFile("活动.png", samples.png_bytes())
    photo = services.photo_add(actor=world.secretary_a, article=article, file=png, caption="合影")
    assert photo.file_name == "活动.png"
    with pytest.raises(ValidationError):
        services.photo_add(
            actor=world.secretary_a,
            article=article,
            file=SimpleUploadedFile("a.pdf", samples.pdf_bytes()),
        )
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.secretary_a,
            article=article,
            file=SimpleUploadedFile("x.html", samples.HTML),
        )
    settings.COLUMN_MAX_PHOTOS = 1
    with pytest.raises(ValidationError, match="最多1个图片"):
        services.photo_add(
            actor=world.secretary_a,
            article=article,
            file=SimpleUploadedFile("b.png", samples.png_bytes()),
        )
    article = services.article_submit(actor=world.secretary_a, article=article)
    with pytest.raises(ValidationError, match="请先撤回"):
        services.file_remove(actor=world.secretary_a, file=photo)
