"""Administrative units (行政单位) and leading groups (领导小组): screens, rules, services."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.org import rules, services
from dangjian.org.models import LeadingGroup, LeadingGroupMember, Unit
from tests.factories import make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db


def events(model: str, obj_id: int, action: str):
    """Audit rows of one object: object ids collide across models, so name the model too."""
    return AuditEvent.objects.filter(content_type__model=model, object_id=obj_id, action=action)


@pytest.fixture
def units(world):
    """信息工程学院 → 2024级 (grade) → 软件技术2401班; 党委组织部 (office) at the top level."""
    college = Unit.objects.create(name="信息工程学院", kind="college", display_order=1)
    grade = Unit.objects.create(name="2024级", kind="grade", parent=college)
    klass = Unit.objects.create(name="软件技术2401班", kind="class", parent=grade)
    office = Unit.objects.create(name="党委组织部", kind="office", display_order=2)
    world.branch_b.covered_units.add(college)
    return SimpleNamespace(college=college, grade=grade, klass=klass, office=office)


@pytest.fixture
def group(world):
    """branch_a's leading group, led by its secretary."""
    g = LeadingGroup.objects.create(
        organisation=world.branch_a, name="“168”工作领导小组", office="支部委员会"
    )
    LeadingGroupMember.objects.create(
        group=g, person=world.secretary_a.person, role="leader", display_order=1
    )
    return g


def unit_post(**overrides):
    data = {"name": "机电工程学院", "kind": "college", "parent": "", "display_order": "10"}
    data.update(overrides)
    return data


# --- Rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parent_kind,child_kind,message",
    [
        ("college", "class", None),
        ("grade", "class", None),
        (None, "class", "应为学院或年段"),
        ("office", "class", "应为学院或年段"),
        ("other", "class", "应为学院或年段"),
        ("class", "class", "班级下不能"),
        ("class", "other", "班级下不能"),
        (None, "college", None),
        ("other", "office", None),
        ("college", "grade", None),
        (None, "union", None),
    ],
)
def test_unit_parent_rule(parent_kind, child_kind, message):
    error = rules.unit_parent_error(parent_kind, child_kind)
    assert (error is None) if message is None else (message in error)


@pytest.mark.parametrize(
    "person,role,members,fields",
    [
        (1, "leader", [], set()),
        (2, "leader", [(1, "leader")], {"role"}),  # one leader per group
        (2, "deputy", [(1, "leader")], set()),
        (1, "leader", [(1, "leader")], {"person"}),  # same person, same role
        (1, "member", [(1, "deputy")], {"person"}),  # one place per person
        (1, "office_head", [(1, "member")], set()),  # 办公室主任（兼）
        (1, "member", [(1, "office_head")], set()),
        (1, "office_head", [(1, "member"), (1, "office_head")], {"person"}),
        (2, "leader", [(1, "deputy")], set()),
    ],
)
def test_leading_group_member_rule(person, role, members, fields):
    assert set(rules.leading_group_member_errors(person, role, members)) == fields


# --- Unit screens: who may do what ---------------------------------------------------------


def test_unit_list_open_to_every_officer(world, units, as_user):
    url = reverse("org:unit_list")
    for user in (world.secretary_a, world.secretary_b, world.org_officer):
        assert as_user(user).get(url).status_code == 200
    assert as_user(world.member_user).get(url).status_code == 403
    response = as_user(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


UNIT_WRITE_VIEWS = [
    ("org:unit_create", lambda u: {}, lambda u: unit_post()),
    (
        "org:unit_edit",
        lambda u: {"pk": u.office.pk},
        lambda u: unit_post(name="组织部", kind="office"),
    ),
    ("org:unit_dissolve", lambda u: {"pk": u.office.pk}, lambda u: {"dissolved_on": "2026-01-10"}),
]


@pytest.mark.parametrize("name,kwargs,data", UNIT_WRITE_VIEWS)
def test_unit_writes_for_the_organisation_department_only(
    world, units, as_user, name, kwargs, data
):
    url = reverse(name, kwargs=kwargs(units))
    for user in (world.secretary_a, world.gb_secretary_a, world.member_user):
        client = as_user(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data(units)).status_code == 403
    for response in (as_user(None).get(url), as_user(None).post(url, data(units))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client = as_user(world.org_officer)
    assert client.get(url).status_code == 200
    response = client.post(url, data(units))
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.parametrize("name", ["org:unit_edit", "org:unit_dissolve"])
def test_unknown_unit_is_404(world, as_user, name):
    assert as_user(world.org_officer).get(reverse(name, args=[999999])).status_code == 404


# --- Unit list -----------------------------------------------------------------------------


def test_unit_tree_lists_children_indented_with_orgs_and_people(world, units, as_user):
    make_person(world.branch_b, unit=units.klass)
    make_person(world.branch_b, unit=units.klass)
    make_person(world.branch_b, unit=units.klass, is_active=False)
    make_person(world.branch_b, unit=units.college)
    response = as_user(world.secretary_a).get(reverse("org:unit_list"))
    rows = response.context["units"]
    assert [(u.name, u.depth) for u in rows] == [
        ("信息工程学院", 0),
        ("2024级", 1),
        ("软件技术2401班", 2),
        ("党委组织部", 0),
    ]
    by_name = {u.name: u for u in rows}
    assert by_name["软件技术2401班"].people_count == 2  # the inactive person is not counted
    assert by_name["信息工程学院"].people_count == 1
    assert by_name["信息工程学院"].subtree_people == 3
    html = response.content.decode()
    assert "信息工程学院学生支部" in html  # the covering Party organisation
    # Out of the secretary's scope: named, not linked.
    assert reverse("org:org_detail", args=[world.branch_b.pk]) not in html
    assert reverse("org:unit_create") not in html  # no create button for a branch secretary
    html = as_user(world.org_officer).get(reverse("org:unit_list")).content.decode()
    assert reverse("org:org_detail", args=[world.branch_b.pk]) in html
    assert reverse("org:unit_edit", args=[units.klass.pk]) in html


def test_unit_list_filters_by_kind_and_name(world, units, as_user):
    client = as_user(world.secretary_a)

    def names(**params):
        return [u.name for u in client.get(reverse("org:unit_list"), params).context["units"]]

    assert names(kind="class") == ["软件技术2401班"]
    assert names(q="组织") == ["党委组织部"]
    assert names(q="学院", kind="office") == []
    html = client.get(reverse("org:unit_list"), {"kind": "class"}).content.decode()
    assert "<th>上级单位</th>" in html and "2024级" in html


def test_unit_list_menu_entry_is_active(world, as_user):
    html = as_user(world.secretary_a).get(reverse("org:unit_list")).content.decode()
    assert f'nav-link active" href="{reverse("org:unit_list")}"' in html
    html = as_user(world.member_user).get(reverse("home")).content.decode()
    assert reverse("org:unit_list") not in html


def test_unit_list_query_count_is_constant(world, as_user):
    client = as_user(world.secretary_a)

    def add_college(n):
        college = Unit.objects.create(name=f"学院{n}", kind="college")
        world.branch_a.covered_units.add(college)
        for i in range(4):
            klass = Unit.objects.create(name=f"班级{n}-{i}", kind="class", parent=college)
            world.branch_b.covered_units.add(klass)
            make_person(world.branch_a, unit=klass)

    def count(expected=None):
        with assert_num_queries(expected) as log:
            response = client.get(reverse("org:unit_list"))
        assert response.status_code == 200
        return len(response.context["units"]), log

    add_college(0)
    client.get(reverse("org:unit_list"))  # warm up sessions and content types
    shown, few = count()
    for n in range(1, 5):
        add_college(n)
    shown_more, _ = count(few)
    assert (shown, shown_more) == (5, 25)


# --- Unit create / edit / dissolve ---------------------------------------------------------


def test_unit_create_under_parent_and_audit(world, units, as_user):
    client = as_user(world.org_officer)
    response = client.post(
        reverse("org:unit_create"),
        unit_post(name="软件技术2402班", kind="class", parent=units.grade.pk),
    )
    unit = Unit.objects.get(name="软件技术2402班")
    assert response.status_code == 302 and unit.parent == units.grade
    event = events("unit", unit.pk, "create").get()
    assert event.actor == world.org_officer and event.changes["上级单位"] == [None, "2024级"]
    # The list offers a "下级" link that preselects the parent.
    response = client.get(reverse("org:unit_create"), {"parent": units.college.pk})
    assert response.context["form"].initial["parent"] == units.college.pk


def test_duplicate_unit_name_in_parent_is_a_field_error(world, units, as_user):
    client = as_user(world.org_officer)
    response = client.post(
        reverse("org:unit_create"),
        unit_post(name="软件技术2401班", kind="class", parent=units.grade.pk),
    )
    assert response.status_code == 200
    assert "“2024级”下已有名为“软件技术2401班”的单位" in response.context["form"].errors["name"][0]
    assert "请修正下面标出的错误" in response.content.decode()  # kept what was typed
    # The top level too (SQL lets NULL parents repeat a name; the service does not).
    response = client.post(reverse("org:unit_create"), unit_post(name="信息工程学院"))
    assert "顶层已有名为“信息工程学院”的单位" in response.context["form"].errors["name"][0]
    # The same name under another parent is fine.
    response = client.post(
        reverse("org:unit_create"), unit_post(name="2024级", kind="grade", parent=units.office.pk)
    )
    assert response.status_code == 302
    # Renaming onto a sibling's name is refused as well.
    response = client.post(
        reverse("org:unit_edit", args=[units.office.pk]),
        unit_post(name="信息工程学院", kind="office"),
    )
    assert "已有名为" in response.context["form"].errors["name"][0]


def test_class_must_sit_under_college_or_grade(world, units, as_user):
    client = as_user(world.org_officer)
    response = client.post(
        reverse("org:unit_create"), unit_post(name="无主班", kind="class", parent=units.office.pk)
    )
    assert "班级的上级单位应为学院或年段" in response.context["form"].errors["parent"][0]
    response = client.post(reverse("org:unit_create"), unit_post(name="无主班", kind="class"))
    assert "班级的上级单位应为学院或年段" in response.context["form"].errors["kind"][0]
    assert not Unit.objects.filter(name="无主班").exists()
    # A college whose classes hang below cannot turn into an office.
    with pytest.raises(ValidationError) as exc:
        services.unit_update(actor=None, unit=units.grade, kind="office")
    assert "现有下级单位" in exc.value.message_dict["kind"][0]


def test_unit_parent_cycle_refused(world, units, as_user):
    for parent in (units.college, units.grade):
        with pytest.raises(ValidationError) as exc:
            services.unit_update(actor=None, unit=units.college, parent=parent)
        assert "不能是本单位或其下级单位" in exc.value.message_dict["parent"][0]
    # The form does not even offer the unit itself or its descendants.
    client = as_user(world.org_officer)
    url = reverse("org:unit_edit", args=[units.college.pk])
    offered = set(client.get(url).context["form"].fields["parent"].queryset)
    assert offered == {units.office}  # classes are never parents
    response = client.post(url, unit_post(name="信息工程学院", parent=units.grade.pk))
    assert response.status_code == 200 and response.context["form"].errors["parent"]
    units.college.refresh_from_db()
    assert units.college.parent is None


def test_unit_edit_audits_before_and_after(world, units, as_user):
    client = as_user(world.org_officer)
    response = client.post(
        reverse("org:unit_edit", args=[units.office.pk]),
        unit_post(name="组织部", kind="office", display_order="5"),
    )
    assert response.status_code == 302
    event = events("unit", units.office.pk, "update").get()
    assert event.changes["名称"] == ["党委组织部", "组织部"]
    assert event.changes["显示顺序"] == [2, 5]
    html = client.get(reverse("org:unit_edit", args=[units.office.pk])).content.decode()
    assert "操作记录" in html and "组织部" in html


def test_dissolve_refused_while_people_or_children_remain(world, units, as_user):
    make_person(world.branch_b, unit=units.klass)
    make_person(world.branch_b, unit=units.klass)
    make_person(world.branch_b, unit=units.klass, is_active=False)
    client = as_user(world.org_officer)
    response = client.post(
        reverse("org:unit_dissolve", args=[units.klass.pk]), {"dissolved_on": "2026-01-10"}
    )
    assert response.status_code == 200
    assert "该单位仍有2名在册人员" in response.context["form"].errors["dissolved_on"][0]
    response = client.post(
        reverse("org:unit_dissolve", args=[units.grade.pk]), {"dissolved_on": "2026-01-10"}
    )
    assert "仍有1个下级单位未撤销" in response.context["form"].errors["dissolved_on"][0]
    assert not Unit.objects.filter(dissolved_on__isnull=False).exists()


def test_dissolved_unit_is_kept_in_history(world, units, as_user):
    client = as_user(world.org_officer)
    response = client.post(
        reverse("org:unit_dissolve", args=[units.office.pk]),
        {"dissolved_on": "2026-01-10", "note": "机构调整"},
    )
    assert response.status_code == 302
    units.office.refresh_from_db()
    assert units.office.dissolved_on == date(2026, 1, 10)
    event = events("unit", units.office.pk, "dissolve").get()
    assert event.note == "机构调整" and event.changes["撤销日期"] == [None, "2026-01-10"]
    names = [u.name for u in client.get(reverse("org:unit_list")).context["units"]]
    assert "党委组织部" not in names
    response = client.get(reverse("org:unit_list"), {"dissolved": "1"})
    assert "党委组织部" in [u.name for u in response.context["units"]]
    assert "已于2026-01-10撤销" in response.content.decode()
    # No longer offered as a parent, and no longer editable.
    form = client.get(reverse("org:unit_create")).context["form"]
    assert units.office not in form.fields["parent"].queryset
    response = client.post(
        reverse("org:unit_edit", args=[units.office.pk]), unit_post(name="新名", kind="office")
    )
    assert "该单位已撤销" in str(response.context["form"].non_field_errors())


# --- Leading groups: who may do what -------------------------------------------------------


def group_post():
    return {"name": "党风廉政建设领导小组", "office": "支部委员会", "duties": "统筹推进。"}


# (url name, kwargs builder, valid POST builder) of every leading-group view on branch_a.
GROUP_VIEWS = [
    ("org:leading_group_create", lambda w, g: {"pk": w.branch_a.pk}, lambda w: group_post()),
    ("org:leading_group_edit", lambda w, g: {"pk": g.pk}, lambda w: group_post()),
    (
        "org:leading_group_member_add",
        lambda w, g: {"pk": g.pk},
        lambda w: {"person": w.member_a.pk, "role": "member", "display_order": "2"},
    ),
]


@pytest.mark.parametrize("name,kwargs,data", GROUP_VIEWS)
def test_group_views_in_scope_officer(world, group, as_user, name, kwargs, data):
    url = reverse(name, kwargs=kwargs(world, group))
    client = as_user(world.secretary_a)
    assert client.get(url).status_code == 200
    response = client.post(url, data(world))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"].startswith(reverse("org:org_detail", args=[world.branch_a.pk]))


@pytest.mark.parametrize("name,kwargs,data", GROUP_VIEWS)
def test_group_views_officer_above_may_act(world, group, as_user, name, kwargs, data):
    url = reverse(name, kwargs=kwargs(world, group))
    assert as_user(world.gb_secretary_a).get(url).status_code == 200


@pytest.mark.parametrize("name,kwargs,data", GROUP_VIEWS)
def test_group_views_other_branch_officer_404(world, group, as_user, name, kwargs, data):
    url = reverse(name, kwargs=kwargs(world, group))
    client = as_user(world.secretary_b)
    assert client.get(url).status_code == 404
    assert client.post(url, data(world)).status_code == 404


@pytest.mark.parametrize("name,kwargs,data", GROUP_VIEWS)
def test_group_views_member_403(world, group, as_user, name, kwargs, data):
    url = reverse(name, kwargs=kwargs(world, group))
    client = as_user(world.member_user)
    assert client.get(url).status_code == 403
    assert client.post(url, data(world)).status_code == 403


@pytest.mark.parametrize("name,kwargs,data", GROUP_VIEWS)
def test_group_views_anonymous_to_login(world, group, as_user, name, kwargs, data):
    url = reverse(name, kwargs=kwargs(world, group))
    for response in (as_user(None).get(url), as_user(None).post(url, data(world))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_member_remove_scoping(world, group, as_user):
    member = LeadingGroupMember.objects.create(group=group, person=world.member_a, role="member")
    url = reverse("org:leading_group_member_remove", args=[member.pk])
    assert as_user(world.secretary_b).post(url).status_code == 404
    assert as_user(world.member_user).post(url).status_code == 403
    response = as_user(None).post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert as_user(world.secretary_a).get(url).status_code == 405  # POST only
    assert LeadingGroupMember.objects.filter(pk=member.pk).exists()
    response = as_user(world.secretary_a).post(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#lg-{group.pk}")
    assert not LeadingGroupMember.objects.filter(pk=member.pk).exists()
    event = events("leadinggroupmember", member.pk, "delete").get()
    assert event.actor == world.secretary_a
    assert event.changes["人员"] == ["赵党员", None] and event.changes["职务"] == ["成员", None]


# --- Leading groups: the org page, forms, rules, audit ---------------------------------------


def test_org_page_card_lists_groups_with_links(world, group, as_user):
    LeadingGroupMember.objects.create(group=group, person=world.member_a, role="member")
    url = reverse("org:org_detail", args=[world.branch_a.pk])
    html = as_user(world.secretary_a).get(url).content.decode()
    assert "“168”工作领导小组" in html and "办公室设在支部委员会" in html
    assert "张书记" in html and "赵党员" in html
    assert reverse("org:leading_group_create", args=[world.branch_a.pk]) in html
    assert reverse("org:leading_group_edit", args=[group.pk]) in html
    assert reverse("org:leading_group_member_add", args=[group.pk]) in html
    assert "data-confirm=" in html and "移出" in html
    # A Party group below, seen by the same secretary, offers creation too; once
    # dissolved, its page offers nothing.
    group_url = reverse("org:leading_group_create", args=[world.group_a.pk])
    assert (
        group_url
        in as_user(world.secretary_a)
        .get(reverse("org:org_detail", args=[world.group_a.pk]))
        .content.decode()
    )
    services.organisation_dissolve(actor=None, org=world.group_a, dissolved_on=date(2026, 1, 1))
    html = (
        as_user(world.secretary_a)
        .get(reverse("org:org_detail", args=[world.group_a.pk]))
        .content.decode()
    )
    assert "新建领导小组" not in html


def test_group_create_edit_and_audit(world, as_user):
    client = as_user(world.secretary_a)
    client.post(reverse("org:leading_group_create", args=[world.branch_a.pk]), group_post())
    group = LeadingGroup.objects.get(organisation=world.branch_a)
    assert events("leadinggroup", group.pk, "create").get().changes["名称"] == [
        None,
        "党风廉政建设领导小组",
    ]
    # Same name in the same organisation is refused.
    response = client.post(
        reverse("org:leading_group_create", args=[world.branch_a.pk]), group_post()
    )
    assert "本组织已有名为" in response.context["form"].errors["name"][0]
    response = client.post(
        reverse("org:leading_group_edit", args=[group.pk]),
        {**group_post(), "office": "党委组织部"},
    )
    assert response.status_code == 302
    event = events("leadinggroup", group.pk, "update").get()
    assert event.changes == {"办公室设在": ["支部委员会", "党委组织部"]}
    html = client.get(reverse("org:leading_group_edit", args=[group.pk])).content.decode()
    assert "操作记录" in html


def test_member_add_audit_and_order(world, group, as_user):
    client = as_user(world.secretary_a)
    url = reverse("org:leading_group_member_add", args=[group.pk])
    assert client.get(url).context["form"].initial["display_order"] == 2  # after the leader
    client.post(url, {"person": world.member_a.pk, "role": "deputy", "display_order": "2"})
    member = group.members.get(person=world.member_a)
    event = events("leadinggroupmember", member.pk, "create").get()
    assert event.changes["职务"] == [None, "副组长"] and event.changes["人员"] == [None, "赵党员"]
    assert event.note.startswith("“168”工作领导小组")


def test_second_leader_refused(world, group, as_user):
    response = as_user(world.secretary_a).post(
        reverse("org:leading_group_member_add", args=[group.pk]),
        {"person": world.member_a.pk, "role": "leader", "display_order": "2"},
    )
    assert response.status_code == 200
    assert "本领导小组已有组长" in response.context["form"].errors["role"][0]
    assert group.members.count() == 1


def test_same_person_twice_refused_but_office_head_concurrently(world, group, as_user):
    client = as_user(world.secretary_a)
    url = reverse("org:leading_group_member_add", args=[group.pk])
    secretary = world.secretary_a.person
    response = client.post(url, {"person": secretary.pk, "role": "member", "display_order": "2"})
    assert "该人员已是本领导小组的组长" in response.context["form"].errors["person"][0]
    # 办公室主任（兼）: a member may head the office as well, once.
    data = {"person": secretary.pk, "role": "office_head", "display_order": "9"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert "不能重复添加" in response.context["form"].errors["person"][0]
    assert group.members.filter(person=secretary).count() == 2


def test_member_choices_are_visible_people_members_first(world, group, as_user):
    masses = make_person(world.branch_a, status="masses", name="孙群众")
    client = as_user(world.secretary_a)
    url = reverse("org:leading_group_member_add", args=[group.pk])
    choices = client.get(url).context["form"].fields["person"].widget.choices
    ids = [value for value, _label in choices if value]
    assert world.member_b.pk not in ids  # another branch's person is not offered
    assert ids[-1] == masses.pk  # Party members first, the masses last
    assert client.get(url, {"q": "孙"}).context["form"].fields["person"].widget.choices[1:] == [
        (masses.pk, "孙群众（群众，机关一支部）")
    ]
    # Posting an out-of-scope person is refused by the field.
    response = client.post(url, {"person": world.member_b.pk, "role": "member", "display_order": 3})
    assert response.status_code == 200 and response.context["form"].errors["person"]
