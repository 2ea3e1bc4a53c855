"""全局搜索: scoped by the user's subtree, each group the list page's own filter (so 查看全部
shows the same rows), bounded per source, a constant number of queries."""

from datetime import date, time

import pytest
from django.urls import reverse

from dangjian.orglife import services as orglife_services
from dangjian.reports import search
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

URL = reverse("search")


def _meeting(world, org, topic):
    return orglife_services.meeting_create(
        actor=world.org_officer,
        organisation=org,
        kind="general",
        held_on=date(2025, 3, 10),
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        topic=topic,
        place="党员活动室",
    )


def _groups(response):
    return {g.source.label: g for g in response.context["groups"]}


def test_roles(world, as_role):
    assert_role_matrix(as_role, URL + "?q=赵", {"officer": 200, "member": 403, "anonymous": 302})


def test_finds_people_organisations_and_meetings_in_scope_only(world, as_user):
    _meeting(world, world.branch_a, "学习二十大精神专题会")
    _meeting(world, world.branch_b, "学习二十大精神交流会")
    mine = _groups(as_user(world.secretary_a).get(URL, {"q": "赵党员"}))
    assert [h.title for h in mine["人员"].hits] == ["赵党员"]
    meetings = _groups(as_user(world.secretary_a).get(URL, {"q": "二十大"}))["组织生活"]
    assert [h.title for h in meetings.hits] == ["学习二十大精神专题会"]
    other = _groups(as_user(world.secretary_b).get(URL, {"q": "赵党员"}))
    assert "人员" not in other  # another branch's member is not found
    orgs = _groups(as_user(world.org_officer).get(URL, {"q": "支部"}))["党组织"]
    assert {h.title for h in orgs.hits} >= {"机关一支部", "信息工程学院学生支部"}


def test_each_group_is_bounded_and_links_to_its_list(world, as_user):
    for i in range(search.PER_SOURCE + 2):
        make_person(world.branch_a, name=f"孙党员{i}")
    client = as_user(world.secretary_a)
    group = _groups(client.get(URL, {"q": "孙"}))["人员"]
    assert len(group.hits) == search.PER_SOURCE and group.more
    listed = client.get(group.url)
    assert listed.status_code == 200
    assert len(listed.context["page"].rows) == search.PER_SOURCE + 2


def test_empty_and_unknown_words(world, as_user):
    client = as_user(world.org_officer)
    assert client.get(URL).context["groups"] == []
    response = client.get(URL, {"q": "不存在的词" * 20})
    assert response.status_code == 200 and response.context["groups"] == []
    assert len(response.context["q"]) == search.MAX_LENGTH
    assert "没有找到" in response.content.decode()


def test_constant_queries(world, as_user):
    client = as_user(world.org_officer)
    _meeting(world, world.branch_a, "党课：支部建设")
    with capture_queries() as few:
        client.get(URL, {"q": "支部"})
    for i in range(8):
        _meeting(world, world.branch_b, f"党课：支部建设{i}")
        make_person(world.branch_b, name=f"支部{i}")
    with assert_max_queries(few):
        response = client.get(URL, {"q": "支部"})
    assert response.context["groups"][0].source.label == "人员"


def test_top_bar_box_for_officers_only(world, as_user):
    assert 'action="/search/"' in as_user(world.secretary_a).get("/").content.decode()
    assert 'action="/search/"' not in as_user(world.member_user).get("/").content.decode()
