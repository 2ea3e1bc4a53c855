"""The “168” part of the home page: officers' to-dos in their scope, a member's own overview."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.org.models import Organisation
from dangjian.posts import services as posts
from dangjian.posts.models import DutyRecord, Post, PostType
from dangjian.reports import dashboard
from tests.harness import assert_max_queries, assert_num_queries, capture_queries, role_user

pytestmark = pytest.mark.django_db


def claimed_post(world, org):
    post = posts.post_create(
        actor=world.org_officer,
        organisation=org,
        post_type=PostType.objects.get(name="党建工作岗", organisation=None),
        year=timezone.localdate().year,
    )
    holder = world.member_user if org == world.branch_a else None
    if holder:
        return posts.post_claim(actor=holder, post=post)
    return post


def todo(user, label):
    return next(t.count for t in dashboard.officer_todos(user) if t.label == label)


def test_a_claimed_post_waits_for_the_general_branch_not_the_branch(world):
    claimed_post(world, world.branch_a)
    # 定岗 is the general branch's step: it waits for gb_a, not for the branch secretary.
    assert todo(world.gb_secretary_a, "待定岗") == 1
    assert todo(world.secretary_a, "待定岗") == 0
    assert todo(world.secretary_b, "待定岗") == 0


def test_unchecked_records_of_past_months_wait_for_the_branch(world):
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    DutyRecord.objects.create(
        person=world.member_a,
        organisation=world.branch_a,
        occurred_on=last_month,
        place="活动室",
        content="集中学习",
    )
    assert todo(world.secretary_a, "往月未检查的履职记实") == 1
    assert todo(world.secretary_b, "往月未检查的履职记实") == 0


def test_home_shows_todos_to_officers_and_own_overview_to_members(world, as_user):
    claimed_post(world, world.branch_a)
    page = as_user(world.gb_secretary_a).get(reverse("home")).content.decode()
    assert "“168”机制待办" in page and "待定岗" in page and "推广面" in page
    page = as_user(world.member_user).get(reverse("home")).content.decode()
    assert "我的亮岗履职" in page and "党建工作岗 · 认岗" in page
    assert "“168”机制待办" not in page


def test_home_query_count_does_not_grow_with_records(world, as_user):
    client = as_user(world.org_officer)
    client.get(reverse("home"))
    with capture_queries() as few:
        client.get(reverse("home"))
    claimed_post(world, world.branch_a)
    for n in range(5):
        for person, org in ((world.member_a, world.branch_a), (world.member_b, world.branch_b)):
            DutyRecord.objects.create(
                person=person,
                organisation=org,
                occurred_on=timezone.localdate(),
                place=str(n),
                content="记实",
            )
    with assert_num_queries(few):
        client.get(reverse("home"))


@pytest.mark.parametrize("role", ["org_officer", "gb_officer", "officer", "member", "admin"])
def test_home_runs_at_most_ten_queries_for_every_role(world, as_user, role):
    """Issue 13: the home page in ≤ 10 queries — its counters are one batched query."""
    claimed_post(world, world.branch_a)
    client = as_user(role_user(world, role))
    client.get(reverse("home"))
    with assert_max_queries(10, f"home as {role}"):
        assert client.get(reverse("home")).status_code == 200


def test_batched_counts_equal_the_counts_one_by_one(world):
    """The batch answers exactly what each queryset's count() answers, empty ones included."""
    claimed_post(world, world.branch_a)
    querysets = [
        Post.objects.all(),
        Post.objects.none(),
        Organisation.objects.filter(kind="branch"),
        Organisation.objects.filter(pk__in=[]),
        Organisation.objects.restructurable_by(world.secretary_a),
        Post.objects.visible_to(world.gb_secretary_a).filter(state="claimed"),
    ]
    counts = dashboard.Counts()
    keys = [counts.add(qs) for qs in querysets]
    with assert_num_queries(1):
        batched = [counts[k] for k in keys]
    assert batched == [qs.count() for qs in querysets]
    assert batched[0] == 1 and batched[2] >= 2
