"""领导班子成员联系点 (《延伸提升168机制意见》§五: 领导班子成员都要分别确定1个以上单位作为联系点):
a new kind of outreach link, set by the department for members of the leadership only, with its
own frequency (ours: a semester), visits that count toward it, and the page that flags who holds
none."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.org.models import LeadingGroup, LeadingGroupMember
from dangjian.outreach import rules, services
from tests.factories import make_person
from tests.harness import assert_role_matrix

pytestmark = pytest.mark.django_db


def test_rules_at_their_boundaries():
    assert rules.DEFAULT_FREQUENCIES[rules.LEADER_POINT] == rules.Frequency("semester", 1)
    assert rules.points_missing(0) == 1
    assert rules.points_missing(1) == 0
    assert rules.points_missing(2) == 0
    # A unit of any kind, or a named organisation; nothing at all is refused.
    assert rules.link_target_error(rules.LEADER_POINT, "college", "") is None
    assert rules.link_target_error(rules.LEADER_POINT, None, "机关一支部") is None
    assert rules.link_target_error(rules.LEADER_POINT, None, "  ")[0] == "target"


@pytest.fixture
def leadership(world):
    group = LeadingGroup.objects.create(organisation=world.gb_a, name="“168”工作领导小组")
    head = make_person(world.branch_a, name="领导甲")
    deputy = make_person(world.branch_a, name="领导乙")
    LeadingGroupMember.objects.create(group=group, person=head, role="leader")
    LeadingGroupMember.objects.create(group=group, person=deputy, role="deputy")
    return group, head, deputy


def _point(world, person, **kw):
    kw.setdefault("target", "机关一支部")
    return services.link_create(
        actor=world.org_officer,
        visitor=person,
        kind=rules.LEADER_POINT,
        since=timezone.localdate() - timedelta(days=200),
        **kw,
    )


def test_only_the_department_sets_points_and_only_for_the_leadership(world, leadership):
    _group, head, _deputy = leadership
    with pytest.raises(PermissionDenied):
        services.link_create(
            actor=world.gb_secretary_a, visitor=head, kind=rules.LEADER_POINT, target="x"
        )
    with pytest.raises(ValidationError) as exc:
        _point(world, world.member_a)
    assert "领导班子" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _point(world, head, target="")
    assert "target" in exc.value.message_dict
    link = _point(world, head)
    assert link.target == "机关一支部"


def test_a_visit_counts_toward_the_point(world, leadership):
    _group, head, _deputy = leadership
    link = _point(world, head)
    today = timezone.localdate()
    services.visit_create(
        actor=world.org_officer,
        visitor=head,
        kind=rules.LEADER_POINT,
        link=link,
        visited_on=today,
        content="指导支部开展主题党日，协调解决活动场地",
    )
    from dangjian.outreach import selectors

    rows = {r["person"].pk: r for r in selectors.leader_points(world.org_officer, today)}
    head_row = rows[head.pk]
    assert head_row["points"][0].done == 1 and head_row["status"] == rules.DONE
    assert rows[leadership[2].pk]["missing"] == 1
    assert rows[leadership[2].pk]["status_label"] == "未确定联系点"


def test_page_and_api_by_role(as_role, api_as_role, world, leadership):
    _group, head, _deputy = leadership
    _point(world, head)
    url = reverse("outreach:leader_points")
    responses = assert_role_matrix(
        as_role,
        url,
        {"gb_officer": 200, "org_officer": 200, "member": 403, "anonymous": 302},
    )
    html = responses["gb_officer"].content.decode()
    assert "领导甲" in html and "领导乙" in html and "未确定" in html
    # Another general branch's secretary sees no member of this leadership.
    other = as_role("other_officer").get(url).content.decode()
    assert "领导甲" not in other
    missing = as_role("gb_officer").get(url + "?missing=1").content.decode()
    assert "领导乙" in missing and "领导甲" not in missing
    assert_role_matrix(
        as_role,
        reverse("outreach:leader_points_export"),
        {"gb_officer": (200, 302), "member": 403, "anonymous": 302},
    )
    api = "/api/v1/outreach/leader-points/"
    responses = assert_role_matrix(
        api_as_role,
        api,
        {"gb_officer": 200, "other_officer": 200, "member": 403, "anonymous": (401, 403)},
    )
    body = responses["gb_officer"].json()
    assert body["summary"] == {"members": 2, "holding": 1, "missing": 1, "done": 0, "overdue": 0}
    assert responses["other_officer"].json()["summary"]["members"] == 0
    # A bad day is ignored (today), never a 500.
    assert api_as_role("gb_officer").get(api + "?on=x").status_code == 200


def test_api_refuses_a_point_for_someone_outside_the_leadership(api_as_role, world, leadership):
    response = api_as_role("org_officer").post(
        "/api/v1/outreach/links/",
        {"visitor": world.member_a.pk, "kind": "leader_point", "target": "机关一支部"},
        format="json",
    )
    assert response.status_code == 400
    assert "visitor" in response.json()


def test_a_past_semester_without_a_visit_is_overdue(world, leadership):
    from dangjian.outreach import selectors

    _group, head, _deputy = leadership
    services.link_create(
        actor=world.org_officer,
        visitor=head,
        kind=rules.LEADER_POINT,
        target="机关一支部",
        since=date(2024, 9, 1),
    )
    rows = {
        r["person"].pk: r for r in selectors.leader_points(world.org_officer, date(2025, 1, 10))
    }
    assert rows[head.pk]["status"] == rules.OVERDUE
