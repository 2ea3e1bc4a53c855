"""一人一档 and 一支部一档: records gathered, scoped like each record, printable, no N+1."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import SecurityEvent
from dangjian.membership import services as membership
from dangjian.org.models import Position
from dangjian.posts.models import Commitment, DutyRecord, Post, PostType
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db


def _url(person, **query):
    url = reverse("reports:person_file", args=[person.pk])
    return url + ("?print=1" if query.get("print") else "")


@pytest.fixture
def records(world):
    today = timezone.localdate()
    post_type = PostType.objects.create(name="学习宣传岗", audience="all", duties="组织学习")
    post = Post.objects.create(
        organisation=world.branch_a,
        post_type=post_type,
        year=today.year,
        name="学习宣传岗",
        holder=world.member_a,
        state="performing",
    )
    Commitment.objects.create(person=world.member_a, organisation=world.branch_a, year=today.year)
    for n in range(3):
        DutyRecord.objects.create(
            person=world.member_a,
            organisation=world.branch_a,
            post=post,
            occurred_on=today - timedelta(days=n),
            content=f"第{n}次履职",
        )
    membership.away_create(
        actor=world.secretary_a,
        person=world.member_a,
        kind="intern",
        place="厦门实习单位",
        left_on=date(today.year, 1, 5),
    )
    return post


def test_the_file_by_role(as_role, world, records):
    url = _url(world.member_a)
    expected = {"officer": 200, "gb_officer": 200, "org_officer": 200, "member": 200}
    assert_role_matrix(as_role, url, {**expected, "other_officer": 404, "anonymous": 302})


def test_the_file_gathers_the_records(as_role, world, records):
    page = as_role("member").get(_url(world.member_a)).content.decode()
    for text in ("学习宣传岗", "年承诺书", "第0次履职", "厦门实习单位", "尚未返回"):
        assert text in page, text
    assert "第一党小组" not in page  # nothing of others


def test_print_is_recorded_as_a_print_of_personal_data(as_role, world, records):
    response = as_role("officer").get(_url(world.member_a, print=True))
    assert response.status_code == 200 and "党员一人一档" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PRINT).exists()


def test_the_file_costs_the_same_queries_with_more_records(as_role, world, records):
    client = as_role("officer")
    with capture_queries() as few:
        client.get(_url(world.member_a))
    Position.objects.create(
        person=world.member_a,
        organisation=world.group_a,
        title="group_leader",
        starts_on=date(2025, 1, 1),
    )
    for n in range(5):
        DutyRecord.objects.create(
            person=world.member_a,
            organisation=world.branch_a,
            post=records,
            occurred_on=timezone.localdate() - timedelta(days=10 + n),
            content="更多",
        )
    with assert_max_queries(len(few)):
        assert client.get(_url(world.member_a)).status_code == 200


# --- 一支部一档 ---------------------------------------------------------------------------------


def test_the_branch_file_by_role(as_role, world, records):
    url = reverse("reports:branch_file", args=[world.branch_a.pk])
    assert_role_matrix(
        as_role,
        url,
        {
            "officer": 200,
            "gb_officer": 200,
            "org_officer": 200,
            "other_officer": 404,
            "anonymous": 302,
        },
    )
    page = as_role("officer").get(url).content.decode()
    assert "履岗 1个" in page and "张书记" in page and "正式党员 2人" in page
    assert as_role("officer").get(url + "?print=1").status_code == 200


def test_the_branch_file_costs_the_same_queries_with_more_records(as_role, world, records):
    client = as_role("gb_officer")
    url = reverse("reports:branch_file", args=[world.branch_a.pk])
    with capture_queries() as few:
        client.get(url)
    Post.objects.create(
        organisation=world.branch_a,
        post_type=records.post_type,
        year=records.year,
        name="另一个岗位",
        state="set",
    )
    with assert_max_queries(len(few)):
        assert client.get(url).status_code == 200
