"""批量定岗 / 批量明岗公示 (core.batch): each ticked post through the single step's service in
its own transaction, each row's result reported, refusals named and audited, scoped."""

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent
from dangjian.posts import services
from dangjian.posts.models import Post, PostState
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix

pytestmark = pytest.mark.django_db

URL = reverse("posts:post_batch")


@pytest.fixture
def claimed(world, make_post):
    """Three posts of branch_a claimed for three members, and one still 设岗."""
    posts = []
    for i in range(3):
        holder = world.member_a if i == 0 else make_person(world.branch_a, name=f"党员{i}")
        posts.append(services.post_assign(actor=world.secretary_a, post=make_post(), holder=holder))
    unclaimed = make_post()
    return posts, unclaimed


def _ids(*posts):
    return [p.pk for p in posts]


def test_general_branch_confirms_many_and_each_row_is_reported(world, as_user, claimed):
    posts, unclaimed = claimed
    client = as_user(world.gb_secretary_a)
    response = client.post(URL, {"action": "confirm", "ids": _ids(*posts, unclaimed)})
    assert response.status_code == 200
    results = response.context["results"]
    assert [r.ok for r in results].count(True) == 3
    [refused] = [r for r in results if not r.ok]
    assert "设岗" in refused.message or "认岗" in refused.message  # the step rule, named
    states = dict(Post.objects.values_list("pk", "state"))
    assert all(states[p.pk] == PostState.CONFIRMED for p in posts)
    assert states[unclaimed.pk] == PostState.SET
    assert "未办理 1 项" in response.content.decode()


def test_branch_secretary_is_refused_row_by_row_and_audited(world, as_user, claimed):
    posts, _ = claimed
    response = as_user(world.secretary_a).post(URL, {"action": "confirm", "ids": _ids(*posts)})
    results = response.context["results"]
    assert results and not any(r.ok for r in results)
    assert all("定岗由党总支确定" in r.message for r in results)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.REFUSED).count() == len(posts)
    assert not Post.objects.filter(state=PostState.CONFIRMED).exists()


def test_out_of_scope_posts_are_not_touched(world, as_user, claimed):
    posts, _ = claimed
    response = as_user(world.secretary_b).post(URL, {"action": "confirm", "ids": _ids(*posts)})
    assert response.context["results"] == []
    assert "没有选择任何对象" in response.content.decode()
    assert not Post.objects.filter(state=PostState.CONFIRMED).exists()


def test_roles_and_bad_input(world, as_role, as_user, claimed):
    posts, _ = claimed
    data = {"action": "confirm", "ids": _ids(*posts)}
    assert_role_matrix(as_role, URL, {"member": 403, "anonymous": 302}, method="post", data=data)
    client = as_user(world.gb_secretary_a)
    assert client.post(URL, {"action": "delete", "ids": _ids(*posts)}).status_code == 404
    assert client.get(URL).status_code == 405
    junk = client.post(URL, {"action": "confirm", "ids": ["x", "-1", ""]})
    assert junk.status_code == 200 and junk.context["results"] == []


def test_list_offers_the_batch_for_its_state_and_publish_follows(world, as_user, claimed):
    posts, _ = claimed
    client = as_user(world.gb_secretary_a)
    html = client.get(reverse("posts:post_list"), {"state": "claimed"}).content.decode()
    assert "批量定岗" in html and 'name="ids"' in html
    assert "batch-form" not in client.get(reverse("posts:post_list")).content.decode()
    client.post(URL, {"action": "confirm", "ids": _ids(*posts)})
    secretary = as_user(world.secretary_a)
    assert (
        "批量明岗公示"
        in secretary.get(reverse("posts:post_list"), {"state": "confirmed"}).content.decode()
    )
    with assert_max_queries(12 * len(posts) + 12):
        response = secretary.post(URL, {"action": "publish", "ids": _ids(*posts)})
    assert all(r.ok for r in response.context["results"])
    assert Post.objects.filter(state=PostState.PUBLISHED).count() == 3
