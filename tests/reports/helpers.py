"""Small builders for the rows the quarterly figures count (created directly with the ORM)."""

import itertools
from datetime import date, datetime, time

from django.utils import timezone

from dangjian.orglife.models import Meeting
from dangjian.posts.models import Commitment, DutyCheck, DutyRecord, Post, PostType
from dangjian.public.models import Suggestion
from dangjian.targets.models import Opinion, Task, WorkItem

_seq = itertools.count(1)


def post_type():
    return PostType.objects.create(name=f"党建工作岗{next(_seq)}", duties="做好党建工作")


def make_post(org, state="published", year=2025, holder=None, kind=None):
    return Post.objects.create(
        organisation=org,
        post_type=kind or post_type(),
        year=year,
        name="党建工作岗",
        duties="做好党建工作",
        state=state,
        holder=holder,
    )


def make_commitment(person, org, year=2025, published_on=None):
    return Commitment.objects.create(
        person=person,
        organisation=org,
        year=year,
        political="坚定理想信念",
        duties="履行岗位职责",
        development="服务发展",
        pairing="结对帮扶",
        integrity="廉洁自律",
        org_life="按时参加组织生活",
        published_on=published_on,
    )


def make_duty_record(person, org, occurred_on):
    return DutyRecord.objects.create(
        person=person, organisation=org, occurred_on=occurred_on, place="会议室", content="履职"
    )


def make_duty_check(org, checked_on):
    return DutyCheck.objects.create(
        organisation=org,
        kind="monthly",
        period_start=checked_on.replace(day=1),
        period_end=checked_on,
        checked_on=checked_on,
        findings="记录完整",
    )


def make_work_item(org, step=1, year=2025):
    return WorkItem.objects.create(
        organisation=org, year=year, kind="project", title=f"事项{next(_seq)}", step=step
    )


def make_task(work_item, responsible, deadline, completed_on=None):
    return Task.objects.create(
        work_item=work_item,
        title=f"任务{next(_seq)}",
        target="完成",
        measures="措施",
        assignee_kind="person",
        assignee_person=responsible,
        responsible=responsible,
        deadline=deadline,
        role=5,
        completed_on=completed_on,
    )


def make_opinion(work_item, received_on, handling="pending"):
    return Opinion.objects.create(
        work_item=work_item,
        source="meeting",
        category="party",
        content="意见",
        received_on=received_on,
        handling=handling,
    )


def make_suggestion(org, on: date, status="received"):
    suggestion = Suggestion.objects.create(
        organisation=org,
        tracking_code=f"T{next(_seq):08d}",
        content="建议",
        status=status,
        client_hash="x",
    )
    at = timezone.make_aware(datetime.combine(on, time(10, 0)))
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=at)
    return suggestion


def make_meeting(org, held_on, kind="general", minutes=60, **fields):
    """A meeting from 09:00 lasting `minutes`, created directly (no attendance)."""
    end = 9 * 60 + minutes
    fields.setdefault("topic", "会议")
    return Meeting.objects.create(
        organisation=org,
        kind=kind,
        held_on=held_on,
        starts_at=time(9),
        ends_at=time(end // 60, end % 60),
        duration_minutes=minutes,
        place="会议室",
        **fields,
    )
