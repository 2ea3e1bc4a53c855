"""branches/permissions.py: each declared action as the branch's officer, the level above,
another branch's officer, a member, the department and an anonymous visitor; `restrict` agrees
with `can`; the named workflow events land on the audit trail."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.branches import events, services
from dangjian.branches.models import BranchGrading, RectificationItem
from dangjian.core import access
from dangjian.core.models import AuditEvent
from dangjian.org.models import Organisation

pytestmark = pytest.mark.django_db


def api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def objects(world, year, plan):
    grading = BranchGrading.objects.get(branch=world.branch_a)
    return {
        "organisation": world.branch_a,
        "year": year,
        "grading": grading,
        "plan": plan.plan,
        "item": plan.item,
    }


# action, the object it is asked about, and who may: (secretary_a, gb_secretary_a,
# secretary_b, member_user, org_officer, anonymous)
MATRIX = [
    ("branches.set_up", None, (False, False, False, False, True, False)),
    ("branches.act_for", "organisation", (True, True, False, False, True, False)),
    ("branches.edit_year", "year", (False, False, False, False, True, False)),
    ("branches.start_surveys", None, (True, True, True, False, True, False)),
    ("branches.fill_survey", "grading", (True, True, False, False, True, False)),
    ("branches.decide_grading", "grading", (False, True, False, False, True, False)),
    ("branches.lead", "organisation", (False, True, False, False, True, False)),
    ("branches.edit_plan", "plan", (True, True, False, False, True, False)),
    ("branches.edit_item", "item", (True, True, False, False, True, False)),
    # the responsible person (member_a) reports their own item done
    ("branches.report_done", "item", (True, True, False, True, True, False)),
    ("branches.verify_item", "item", (False, True, False, False, True, False)),
]
USERS = ["secretary_a", "gb_secretary_a", "secretary_b", "member_user", "org_officer", "anonymous"]


@pytest.mark.parametrize(("name", "target", "expected"), MATRIX)
def test_each_action_by_role(world, objects, name, target, expected):
    obj = objects[target] if target else None
    for user_name, allowed in zip(USERS, expected, strict=True):
        user = AnonymousUser() if user_name == "anonymous" else getattr(world, user_name)
        assert access.can(user, name, obj) is allowed, (name, user_name)


def test_every_branches_action_is_in_the_matrix():
    declared = {n for n in access.declared() if n.startswith("branches.")}
    assert declared == {name for name, _target, _expected in MATRIX}


def test_restrict_agrees_with_can(world, objects):
    for user in (world.secretary_a, world.gb_secretary_a, world.secretary_b, world.member_user):
        items = set(RectificationItem.objects.restrict(user, "branches.verify_item"))
        assert items == {
            i
            for i in RectificationItem.objects.all()
            if access.can(user, "branches.verify_item", i)
        }
        done = set(RectificationItem.objects.restrict(user, "branches.report_done"))
        assert (objects["item"] in done) == access.can(
            user, "branches.report_done", objects["item"]
        )
        led = set(Organisation.objects.restrict(user, "branches.lead"))
        assert (world.branch_a in led) == access.can(user, "branches.lead", world.branch_a)


def test_verification_records_its_named_event(world, plan):
    item = services.rectification_item_done(
        actor=world.member_user, item=plan.item, result="已落实"
    )
    services.rectification_item_verify(actor=world.gb_secretary_a, item=item)
    steps = list(
        AuditEvent.objects.filter(
            object_id=item.pk, action="status", content_type__model="rectificationitem"
        )
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert steps == [events.ITEM_DONE.name, events.ITEM_VERIFIED.name]


def test_one_item_filter_for_the_page_the_export_and_the_api(world, as_user, submitted):
    client = api_client(world.secretary_a)
    url = "/api/v1/branches/rectification-items/"
    bad = client.get(url, {"status": "bogus"})
    assert bad.status_code == 400 and "status" in bad.json()
    found = client.get(url, {"q": "组织生活", "status": "overdue", "year": 2025}).json()
    assert [row["problem"] for row in found["results"]] == ["组织生活次数不足"]
    assert client.get(url, {"q": "没有这样的问题"}).json()["results"] == []
    page = as_user(world.secretary_a).get(reverse("branches:item_list"), {"status": "bogus"})
    assert page.status_code == 200 and "组织生活次数不足" in page.content.decode()
