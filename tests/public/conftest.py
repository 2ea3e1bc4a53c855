"""Board data for the public app: posts in every state, commitments, tasks, suggestions."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from dangjian.org.models import Unit
from dangjian.posts.models import Commitment, Post, PostType
from dangjian.public import rules
from dangjian.public.models import Suggestion
from dangjian.targets.models import Task, WorkItem
from tests.factories import make_id_number

YEAR = timezone.localdate().year
SECRET_ID = make_id_number(date(1987, 6, 15), 7)
SECRET_PHONE = "13912345678"
SECRET_BIRTH = date(1987, 6, 15)
SECRET_UNIT = "保密处室甲"

_codes = iter(range(10_000))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The suggestion box counts per address in the cache: start every test afresh."""
    cache.clear()
    yield
    cache.clear()


def make_post(org, holder, state="published", year=YEAR, **fields):
    post_type = PostType.objects.get_or_create(name="党建工作岗", defaults={"duties": "抓党建"})[0]
    fields.setdefault("name", f"{state}岗位")
    fields.setdefault("duties", f"{state}职责")
    return Post.objects.create(
        organisation=org, post_type=post_type, year=year, holder=holder, state=state, **fields
    )


def _code(n: int) -> str:
    """A valid, unique tracking code for test rows (never drawn by the service: prefix TEST)."""
    digits = ""
    for _ in range(6):
        n, r = divmod(n, len(rules.TRACKING_ALPHABET))
        digits += rules.TRACKING_ALPHABET[r]
    return "TEST" + digits


def make_suggestion(org, **fields):
    n = next(_codes)
    fields.setdefault("content", f"意见内容{n}")
    fields.setdefault("tracking_code", _code(n))
    fields.setdefault("client_hash", "x" * 64)
    return Suggestion.objects.create(organisation=org, **fields)


def make_work_item(org, step=1, year=YEAR, title="年度工作计划"):
    return WorkItem.objects.create(
        organisation=org, year=year, kind="annual_plan", title=title, step=step
    )


def make_task(work_item, responsible, published=True, **fields):
    fields.setdefault("title", "公开任务")
    return Task.objects.create(
        work_item=work_item,
        target="完成100%",
        measures="内部措施不公开",
        assignee_kind="person",
        assignee_person=responsible,
        responsible=responsible,
        deadline=date(work_item.year, 12, 31),
        role=5,
        commitment="公开承诺内容" if published else "未公开承诺内容",
        published_on=date(work_item.year, 3, 1) if published else None,
        progress=40,
        **fields,
    )


@pytest.fixture
def board_world(world):
    """branch_a with one post in each state, published and unpublished commitments and tasks."""
    w = world
    unit = Unit.objects.create(name=SECRET_UNIT, kind="office")
    holder = w.member_a
    holder.id_number = SECRET_ID
    holder.phone = SECRET_PHONE
    holder.birth_date = SECRET_BIRTH
    holder.unit = unit
    holder.save()
    w.posts = {
        state: make_post(w.branch_a, holder, state=state, progress=f"{state}进展")
        for state in ("set", "claimed", "confirmed", "published", "performing", "evaluated")
    }
    w.posts["evaluated"].grade = "excellent"
    w.posts["evaluated"].reward = "优秀共产党员"
    w.posts["evaluated"].save()
    w.commitment = Commitment.objects.create(
        person=holder,
        organisation=w.branch_a,
        year=YEAR,
        political="公开的思想政治承诺",
        duties="d",
        development="d",
        pairing="d",
        integrity="d",
        org_life="d",
        published_on=date(YEAR, 2, 1),
    )
    w.hidden_commitment = Commitment.objects.create(
        person=w.secretary_a.person,
        organisation=w.branch_a,
        year=YEAR,
        political="未公开的承诺",
        duties="d",
        development="d",
        pairing="d",
        integrity="d",
        org_life="d",
    )
    w.work_item = make_work_item(w.branch_a, step=4)
    w.task = make_task(w.work_item, holder, title="公开的任务")
    w.hidden_task = make_task(w.work_item, holder, published=False, title="未公开的任务")
    w.public_reply = make_suggestion(
        w.branch_a,
        content="公开答复的意见",
        name="提交人张三",
        contact="13800000000",
        status="answered",
        reply="已公开答复",
        reply_public=True,
        replied_on=timezone.localdate(),
    )
    w.private_reply = make_suggestion(
        w.branch_a,
        content="不公开的意见",
        status="answered",
        reply="不公开的答复",
        reply_public=False,
        replied_on=timezone.localdate() - timedelta(days=0),
    )
    return w
