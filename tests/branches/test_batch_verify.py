"""批量销号: the level above verifies many items reported done at once; an item not yet done
is listed with the rule and left as it is; the branch's own officers are refused."""

from datetime import date

import pytest
from django.urls import reverse

from dangjian.branches import services
from dangjian.branches.models import RectificationItem
from tests.branches.conftest import YEAR

pytestmark = pytest.mark.django_db

URL = reverse("branches:item_batch_verify")


@pytest.fixture
def items(world, submitted):
    second = services.rectification_item_create(
        actor=world.secretary_a,
        plan=submitted.plan,
        problem="党员学习笔记不全",
        measures="每月检查学习笔记",
        responsible=world.member_a,
        deadline=date(YEAR, 10, 31),
    )
    open_item = services.rectification_item_create(
        actor=world.secretary_a,
        plan=submitted.plan,
        problem="活动阵地不足",
        measures="改造活动室",
        responsible=world.member_a,
        deadline=date(YEAR, 12, 31),
    )
    for item in (submitted.item, second):
        services.rectification_item_done(actor=world.member_user, item=item, result="已落实")
    return [submitted.item, second, open_item]


def test_general_branch_verifies_the_done_ones(world, as_user, items):
    client = as_user(world.gb_secretary_a)
    html = client.get(reverse("branches:item_list"), {"status": "done"}).content.decode()
    assert "批量销号" in html and 'name="ids"' in html
    response = client.post(URL, {"ids": [i.pk for i in items]})
    results = response.context["results"]
    assert [r.ok for r in results] == [True, True, False]
    assert "只有已报告完成的整改事项可以销号" in results[2].message
    verified = RectificationItem.objects.filter(verified_on__isnull=False)
    assert set(verified.values_list("pk", flat=True)) == {items[0].pk, items[1].pk}


def test_branch_secretary_and_others(world, as_user, items):
    response = as_user(world.secretary_a).post(URL, {"ids": [items[0].pk]})
    assert not response.context["results"][0].ok  # the branch does not verify its own items
    assert as_user(world.secretary_b).post(URL, {"ids": [items[0].pk]}).context["results"] == []
    assert as_user(world.member_user).post(URL, {"ids": [items[0].pk]}).status_code == 403
    assert as_user(None).post(URL, {"ids": [items[0].pk]}).status_code == 302
    assert not RectificationItem.objects.filter(verified_on__isnull=False).exists()
