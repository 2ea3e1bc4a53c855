"""Changes of accounts, roles and officer positions are recorded from every interface
(model saves from services and commands, the Django admin, groups and permissions)."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from dangjian.core.models import AdminRole, SecurityEvent, User
from dangjian.org.models import Position
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

ACCOUNT, ROLE = SecurityEvent.Kind.ACCOUNT, SecurityEvent.Kind.ROLE


def details(kind):
    return list(
        SecurityEvent.objects.filter(kind=kind).order_by("id").values_list("detail", flat=True)
    )


def test_creating_and_deactivating_an_account_is_recorded(db):
    user = make_user(None, username="zhang3")
    assert details(ACCOUNT) == ["新建账号 zhang3"]
    user.is_active = False
    user.save()
    assert details(ACCOUNT)[-1] == "账号 zhang3：启用 是→否"


def test_role_flags_are_recorded(db):
    user = make_user(None, username="li4")
    user.is_staff = True
    user.is_org_officer = True
    user.save()
    assert details(ROLE) == ["账号 li4：可登录管理后台 否→是；组织部干事 否→是"]
    user.admin_role = AdminRole.SECURITY
    user.save(update_fields=["admin_role"])
    assert details(ROLE)[-1] == "账号 li4：管理员角色 无→安全管理员"


def test_a_sign_in_timestamp_is_not_an_account_change(db):
    user = make_user(None)
    before = SecurityEvent.objects.count()
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])
    assert SecurityEvent.objects.count() == before


def test_createsuperuser_makes_the_system_administrator_and_is_recorded(db):
    call_command(
        "createsuperuser", username="root", email="r@example.com", interactive=False, verbosity=0
    )
    root = User.objects.get(username="root")
    assert root.admin_role == AdminRole.SYSTEM
    assert details(ACCOUNT) == ["新建账号 root（可登录管理后台、超级用户、管理员角色：系统管理员）"]


def test_groups_and_permissions_are_recorded(db):
    user = make_user(None, username="wang5")
    group = Group.objects.create(name="组织部")
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    group.permissions.add(Permission.objects.get(codename="change_person"))
    found = details(ROLE)
    assert found[0] == "账号 wang5：增加用户组 组织部"
    assert found[1].startswith("账号 wang5：增加权限 ")
    assert found[2].startswith("用户组 组织部：增加权限 ")


def test_an_admin_change_names_the_administrator_and_address(world, client):
    target = make_user(None, username="zhao6")
    client.force_login(world.admin)
    url = reverse("admin:core_user_change", args=[target.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": "zhao6",
            "is_active": "on",
            "is_org_officer": "on",
            "admin_role": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "groups": [],
            "user_permissions": [],
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(url, data, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = SecurityEvent.objects.filter(kind=ROLE).latest("id")
    assert event.detail == "账号 zhao6：组织部干事 否→是"
    assert event.user == world.admin and event.ip == "10.2.2.2"


def test_officer_positions_are_recorded_members_positions_are_not(world):
    person = make_person(world.branch_a, name="孙委员")
    position = Position.objects.create(
        person=person, organisation=world.branch_a, title="organisation", starts_on=date(2026, 1, 1)
    )
    assert details(ROLE)[-1] == "任命党组织职务：孙委员 机关一支部 组织委员（2026-01-01起）"
    position.ends_on = date(2026, 6, 30)
    position.save()
    assert details(ROLE)[-1].startswith(
        "变更党组织职务：孙委员 机关一支部 组织委员（2026-01-01起）"
    )
    assert details(ROLE)[-1].endswith("（2026-01-01起至2026-06-30）")
    position.delete()
    assert details(ROLE)[-1].startswith("删除党组织职务：孙委员")
    before = SecurityEvent.objects.count()
    Position.objects.create(
        person=person, organisation=world.group_a, title="group_leader", starts_on=date(2026, 1, 1)
    )
    assert SecurityEvent.objects.count() == before
