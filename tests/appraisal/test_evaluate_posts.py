"""评岗 from the year's evaluation (《168模式实施意见》§五(二)5: 年终结合……民主评议党员工作进行考
评): the published result of a 年终总评 goes onto the member's posts in 履岗 — one fact,
recorded once, shown on the post and its public board."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.appraisal import services
from dangjian.appraisal.models import EvaluationResult, Honour
from dangjian.posts.models import Post, PostState, PostType
from tests.appraisal.conftest import window_today


def _post(world, holder, state, name):
    post_type = PostType.objects.get_or_create(name="党建工作岗", defaults={"duties": "抓党建"})[0]
    return Post.objects.create(
        organisation=world.branch_a,
        post_type=post_type,
        year=timezone.localdate().year,
        holder=holder,
        state=state,
        name=name,
        duties="职责",
    )


@pytest.fixture
def year_cycle(world, make_cycle, rate_all, vote):
    """A published 年终总评 of this year: member_a 优秀 (95.5) with an honour."""
    today = timezone.localdate()
    start, end = window_today()
    cycle = make_cycle(kind="year", period=1, year=today.year, starts_on=start, ends_on=end)
    rate_all(cycle, scores={world.member_a.pk: 100}, today=today)
    vote(cycle, today=today)
    services.self_report_submit(
        actor=world.member_user,
        cycle=cycle,
        report="履职情况",
        self_score=Decimal(100),
        today=today,
    )
    cycle = services.cycle_compute(actor=world.org_officer, cycle=cycle, today=today)
    cycle = services.cycle_publish(actor=world.org_officer, cycle=cycle, today=today)
    result = EvaluationResult.objects.get(cycle=cycle, person=world.member_a)
    services.honour_award(actor=world.org_officer, result=result, kind="excellent_member")
    return cycle


def test_performing_posts_take_the_grade_total_and_honours(world, year_cycle):
    performing = _post(world, world.member_a, PostState.PERFORMING, "党建工作岗")
    published = _post(world, world.member_a, PostState.PUBLISHED, "文明建设岗")
    outcome = services.cycle_evaluate_posts(actor=world.org_officer, cycle=year_cycle)
    assert (outcome.evaluated, outcome.not_performing, outcome.already) == (1, 1, 0)
    performing.refresh_from_db()
    assert performing.state == PostState.EVALUATED and performing.grade == "excellent"
    assert performing.score == Decimal("95.5") and "优秀共产党员" in performing.reward
    assert year_cycle.title in performing.evaluation
    published.refresh_from_db()
    assert published.state == PostState.PUBLISHED and published.grade == ""
    # a second run changes nothing
    again = services.cycle_evaluate_posts(actor=world.org_officer, cycle=year_cycle)
    assert (again.evaluated, again.already) == (0, 1)


def test_only_published_year_results_and_only_in_scope(world, year_cycle, make_cycle):
    quarter = make_cycle()  # 一季一评: a step on the way, not the year's evaluation
    with pytest.raises(ValidationError, match="过程考评"):
        services.cycle_evaluate_posts(actor=world.org_officer, cycle=quarter)
    with pytest.raises(PermissionDenied):
        services.cycle_evaluate_posts(actor=world.secretary_b, cycle=year_cycle)


def test_unpublished_year_cycle_refused(world, make_cycle):
    start, end = window_today()
    cycle = make_cycle(kind="democratic", period=1, starts_on=start, ends_on=end)
    with pytest.raises(ValidationError, match="公布后"):
        services.cycle_evaluate_posts(actor=world.org_officer, cycle=cycle)


def test_the_button_evaluates_and_reports(world, year_cycle, as_user):
    post = _post(world, world.member_a, PostState.PERFORMING, "党建工作岗")
    url = reverse("appraisal:cycle_evaluate_posts", args=[year_cycle.pk])
    assert (
        "evaluate-posts"
        in as_user(world.org_officer)
        .get(reverse("appraisal:cycle_detail", args=[year_cycle.pk]))
        .content.decode()
    )
    assert as_user(world.member_user).post(url).status_code == 403
    assert as_user(world.secretary_b).post(url).status_code in (403, 404)  # another branch
    post.refresh_from_db()
    assert post.state == PostState.PERFORMING
    assert as_user(None).post(url).status_code == 302
    response = as_user(world.org_officer).post(url, follow=True)
    assert "已为1个岗位评岗" in response.content.decode()
    post.refresh_from_db()
    assert post.state == PostState.EVALUATED
    assert not Honour.objects.filter(person=world.member_b).exists()


def test_api_action(world, year_cycle):
    from rest_framework.test import APIClient

    _post(world, world.member_a, PostState.PERFORMING, "党建工作岗")
    client = APIClient()
    client.force_authenticate(world.org_officer)
    url = f"/api/v1/appraisal/cycles/{year_cycle.pk}/evaluate-posts/"
    response = client.post(url)
    assert response.status_code == 200 and response.json()["evaluated"] == 1
    client.force_authenticate(world.member_user)
    assert client.post(url).status_code in (403, 404)
