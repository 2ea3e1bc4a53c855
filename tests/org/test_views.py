"""Screens of the org app: scoping for every view, forms, tree operations, audit, query counts."""

from datetime import date

import pytest
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.org.models import Organisation, Person, Position
from tests.factories import make_id_number, make_person
from tests.harness import assert_num_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

# (url name, kwargs builder) of every officer read view on branch_a objects.
READ_VIEWS = [
    ("org:org_detail", lambda w: {"pk": w.branch_a.pk}),
    ("org:org_children", lambda w: {"pk": w.branch_a.pk}),
    ("org:person_detail", lambda w: {"pk": w.member_a.pk}),
]
WRITE_VIEWS = [
    ("org:org_edit", lambda w: {"pk": w.branch_a.pk}),
    ("org:org_create", lambda w: {"parent_pk": w.branch_a.pk}),
    ("org:org_move", lambda w: {"pk": w.group_a.pk}),
    ("org:org_dissolve", lambda w: {"pk": w.group_a.pk}),
    ("org:position_create", lambda w: {"pk": w.branch_a.pk}),
    ("org:term_create", lambda w: {"pk": w.branch_a.pk}),
    ("org:person_edit", lambda w: {"pk": w.member_a.pk}),
    ("org:person_status", lambda w: {"pk": w.member_a.pk}),
]


@pytest.mark.parametrize("name,kwargs", READ_VIEWS + WRITE_VIEWS)
def test_object_views_by_role(world, as_role, name, kwargs):
    """In scope 200, another branch 404, a member 403 except on their own record, anonymous
    to the sign-in page."""
    member = 200 if name == "org:person_detail" else 403
    assert_role_matrix(
        as_role,
        reverse(name, kwargs=kwargs(world)),
        {"officer": 200, "other_officer": 404, "member": member, "anonymous": 302},
    )


@pytest.mark.parametrize("name", ["org:org_tree", "org:person_list", "org:person_create"])
def test_list_pages_by_role(world, as_role, name):
    assert_role_matrix(as_role, reverse(name), {"officer": 200, "member": 403, "anonymous": 302})


def test_member_cannot_open_another_person(world, as_user):
    response = as_user(world.member_user).get(
        reverse("org:person_detail", kwargs={"pk": world.member_b.pk})
    )
    assert response.status_code == 404


def test_general_branch_secretary_reaches_branch_below(world, as_user):
    client = as_user(world.gb_secretary_a)
    assert client.get(reverse("org:org_detail", args=[world.branch_a.pk])).status_code == 200
    assert client.get(reverse("org:org_detail", args=[world.branch_b.pk])).status_code == 404


def test_root_creation_only_for_org_department(world, as_user):
    assert as_user(world.secretary_a).get(reverse("org:org_create_root")).status_code == 403
    assert as_user(world.org_officer).get(reverse("org:org_create_root")).status_code == 200


def test_tree_shows_own_subtree_with_counts(world, as_user):
    response = as_user(world.secretary_a).get(reverse("org:org_tree"))
    html = response.content.decode()
    assert "机关一支部" in html and "信息工程学院" not in html
    assert "2 人" in html  # the secretary and the member


def test_group_node_counts_its_own_members(world, as_user):
    make_person(world.branch_a, group=world.group_a)
    html = (
        as_user(world.secretary_a)
        .get(reverse("org:org_children", args=[world.branch_a.pk]))
        .content.decode()
    )
    assert "1 人" in html


def test_tree_children_and_search(world, as_user):
    client = as_user(world.org_officer)
    html = client.get(reverse("org:org_children", args=[world.committee.pk])).content.decode()
    assert "机关党总支" in html and "信息工程学院党总支" in html and "机关一支部" not in html
    html = client.get(reverse("org:org_tree"), {"q": "一支部"}).content.decode()
    assert "机关一支部" in html and "中共示范学院委员会 / 机关党总支" in html
    html = as_user(world.secretary_b).get(reverse("org:org_tree"), {"q": "一支部"}).content.decode()
    assert "没有找到" in html


def test_person_list_is_scoped_and_filtered(world, as_user):
    client = as_user(world.secretary_a)
    html = client.get(reverse("org:person_list")).content.decode()
    assert "赵党员" in html and "钱党员" not in html
    make_person(world.branch_a, status="activist", name="孙积极")

    def names(**params):
        response = client.get(reverse("org:person_list"), params)
        return {p.name for p in response.context["page"].rows}

    assert names(status="activist") == {"孙积极"}
    assert names(q="赵") == {"赵党员"}
    assert names(status="member") == {"赵党员", "张书记"}
    # Filtering by an organisation out of scope shows nothing rather than leaking.
    html = client.get(reverse("org:person_list"), {"org": world.branch_b.pk}).content.decode()
    assert "没有符合条件的人员" in html


def test_person_list_keyset_pages(world, as_user):
    for i in range(60):
        make_person(world.branch_a, name=f"批量{i:02d}")
    client = as_user(world.secretary_a)
    first = client.get(reverse("org:person_list"))
    page = first.context["page"]
    assert len(page.rows) == 50 and page.next_token and not page.prev_token
    second = client.get(reverse("org:person_list"), {"after": page.next_token})
    rows2 = second.context["page"].rows
    assert len(rows2) == 12  # 60 + secretary + member = 62
    assert not {p.pk for p in page.rows} & {p.pk for p in rows2}
    back = client.get(reverse("org:person_list"), {"before": second.context["page"].prev_token})
    assert [p.pk for p in back.context["page"].rows] == [p.pk for p in page.rows]
    assert client.get(reverse("org:person_list"), {"after": "garbage"}).status_code == 200


def test_person_list_query_count_is_constant(world, as_user):
    client = as_user(world.secretary_a)
    client.get(reverse("org:person_list"))  # warm up sessions and content types

    def count(expected=None):
        with assert_num_queries(expected) as log:
            assert client.get(reverse("org:person_list")).status_code == 200
        return log

    few = count()
    for _i in range(30):
        make_person(world.branch_a, group=world.group_a)
    count(few)


def test_org_detail_query_count_is_constant(world, as_user):
    client = as_user(world.secretary_a)
    url = reverse("org:org_detail", args=[world.branch_a.pk])
    client.get(url)
    with capture_queries() as few:
        client.get(url)
    for _i in range(20):
        make_person(world.branch_a, group=world.group_a)
    with assert_num_queries(few):
        client.get(url)


def _person_post(world, **overrides):
    data = {
        "name": "周新人",
        "gender": "F",
        "ethnicity": "汉族",
        "birth_date": "",
        "id_number": make_id_number(date(2001, 5, 4), 7, male=False),
        "phone": "13800001111",
        "category": "student",
        "unit": "",
        "primary_org": world.branch_a.pk,
        "group": "",
        "is_active": "on",
        "note": "",
    }
    data.update(overrides)
    return data


def test_person_create_and_audit(world, as_user):
    client = as_user(world.secretary_a)
    response = client.post(reverse("org:person_create"), _person_post(world))
    person = Person.objects.get(name="周新人")
    assert response.status_code == 302
    assert person.birth_date == date(2001, 5, 4)  # read from the ID number
    event = AuditEvent.objects.get(
        object_id=person.pk, content_type__model="person", action="create"
    )
    assert event.actor == world.secretary_a and event.changes["姓名"] == [None, "周新人"]
    html = client.get(reverse("org:person_detail", args=[person.pk])).content.decode()
    assert "操作记录" in html and "3800" not in html  # phone masked for a branch secretary


def test_person_form_keeps_input_and_explains(world, as_user):
    client = as_user(world.secretary_a)
    bad = _person_post(world, id_number="110105199001011234", phone="12345")
    response = client.post(reverse("org:person_create"), bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "身份证号校验位不正确" in html and "手机号应为11位数字" in html
    assert 'value="周新人"' in html
    assert not Person.objects.filter(name="周新人").exists()


def test_person_cannot_be_put_in_out_of_scope_branch(world, as_user):
    response = as_user(world.secretary_a).post(
        reverse("org:person_create"), _person_post(world, primary_org=world.branch_b.pk)
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="周新人").exists()


def test_status_change_history_and_refusal(world, as_user):
    client = as_user(world.secretary_a)
    activist = make_person(world.branch_a, status="activist", name="吴积极")
    url = reverse("org:person_status", args=[activist.pk])
    response = client.post(url, {"new_status": "candidate", "effective_on": "2026-03-01"})
    assert response.status_code == 302
    activist.refresh_from_db()
    assert activist.party_status == "candidate"
    assert activist.status_changes.get().from_status == "activist"
    response = client.post(url, {"new_status": "target", "effective_on": "2026-02-01"})
    assert "生效日期不能早于上一次变更" in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            object_id=activist.pk, content_type__model="person", action="status"
        ).count()
        == 1
    )


def test_org_create_move_dissolve(world, as_user):
    client = as_user(world.gb_secretary_a)
    response = client.post(
        reverse("org:org_create", args=[world.gb_a.pk]),
        {
            "name": "机关九支部",
            "short_name": "",
            "kind": "branch",
            "category": "organ",
            "code": "BA9",
            "display_order": 9,
            "founded_on": "2026-01-01",
            "activity_room_area": "18",
            "note": "",
        },
    )
    assert response.status_code == 302
    new = Organisation.objects.get(code="BA9")
    assert Organisation.objects.get_parent(new) == world.gb_a
    assert not new.room_meets_standard  # 18 m² < 20 m²
    # Move the group from 机关一支部 to the new branch.
    response = client.post(reverse("org:org_move", args=[world.group_a.pk]), {"new_parent": new.pk})
    assert response.status_code == 302
    world.group_a.refresh_from_db()
    assert world.group_a.path.startswith(new.path)
    assert AuditEvent.objects.filter(
        object_id=world.group_a.pk, action="move", content_type__model="organisation"
    ).exists()
    # Cannot move under an organisation outside the subtree.
    response = client.post(
        reverse("org:org_move", args=[world.group_a.pk]), {"new_parent": world.branch_b.pk}
    )
    assert response.status_code == 200 and "new_parent" in response.context["form"].errors
    # Dissolve keeps history.
    response = client.post(
        reverse("org:org_dissolve", args=[new.pk]), {"dissolved_on": "2026-06-30", "note": "合并"}
    )
    assert response.status_code == 302
    new.refresh_from_db()
    world.group_a.refresh_from_db()
    assert new.dissolved_on == date(2026, 6, 30) and world.group_a.dissolved_on == date(2026, 6, 30)
    assert Organisation.objects.filter(pk=new.pk).exists()


def test_dissolve_refused_with_people(world, as_user):
    response = as_user(world.gb_secretary_a).post(
        reverse("org:org_dissolve", args=[world.branch_a.pk]), {"dissolved_on": "2026-06-30"}
    )
    assert response.status_code == 200
    assert "仍有" in response.content.decode()
    world.branch_a.refresh_from_db()
    assert world.branch_a.dissolved_on is None


def test_branch_secretary_cannot_dissolve_or_move_own_branch(world, as_user):
    client = as_user(world.secretary_a)
    assert client.get(reverse("org:org_dissolve", args=[world.branch_a.pk])).status_code == 403
    assert client.get(reverse("org:org_move", args=[world.branch_a.pk])).status_code == 403
    html = client.get(reverse("org:org_detail", args=[world.branch_a.pk])).content.decode()
    assert "调整隶属" not in html
    assert (
        as_user(world.gb_secretary_a)
        .get(reverse("org:org_move", args=[world.branch_a.pk]))
        .status_code
        == 200
    )


def test_kind_change_must_fit_children(world):
    from django.core.exceptions import ValidationError

    from dangjian.org import services

    with pytest.raises(ValidationError, match="下级组织"):
        services.organisation_update(actor=None, org=world.gb_a, kind="branch")


def test_kind_must_fit_parent(world, as_user):
    response = as_user(world.secretary_a).post(
        reverse("org:org_create", args=[world.branch_a.pk]),
        {"name": "错误", "kind": "general_branch", "code": "X1", "display_order": 1},
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(code="X1").exists()


def test_position_appointment_gives_scope_and_end_removes_it(world, as_user):
    new_officer = make_person(world.branch_a, name="冯委员")
    from tests.factories import make_user

    user = make_user(new_officer)
    client = as_user(world.secretary_a)
    response = client.post(
        reverse("org:position_create", args=[world.branch_a.pk]),
        {"person": new_officer.pk, "title": "organisation", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 302
    assert as_user(user).get(reverse("org:org_tree")).status_code == 200
    position = Position.objects.get(person=new_officer)
    as_user(world.secretary_a).post(
        reverse("org:position_end", args=[position.pk]), {"ends_on": "2026-02-01"}
    )
    assert as_user(user).get(reverse("org:org_tree")).status_code == 403


def test_second_current_secretary_refused(world, as_user):
    other = make_person(world.branch_a, name="陈党员")
    response = as_user(world.gb_secretary_a).post(
        reverse("org:position_create", args=[world.branch_a.pk]),
        {"person": other.pk, "title": "secretary", "starts_on": "2026-01-01"},
    )
    assert "已有在任书记" in response.content.decode()


def test_home_counts_for_scope(world, as_user):
    response = as_user(world.secretary_a).get(reverse("home"))
    counts = response.context["counts"]
    assert counts["branches"] == 1 and counts["members"] == 2
    response = as_user(world.org_officer).get(reverse("home"))
    assert response.context["counts"]["general_branches"] == 2
    response = as_user(world.member_user).get(reverse("home"))
    assert response.context["counts"] is None and "查看我的档案" in response.content.decode()


def test_tree_levels_come_a_page_at_a_time(world, as_user, monkeypatch):
    """A level shows views.TREE_PAGE nodes and a button for the next ones; each page counts
    the members under its own nodes."""
    from dangjian.org import views
    from tests.factories import make_org

    monkeypatch.setattr(views, "TREE_PAGE", 2)
    roots = [world.committee] + [make_org(None, name=f"党委{i}") for i in range(3)]
    make_person(make_org(make_org(roots[3], kind="general_branch"), kind="branch"))
    client = as_user(world.org_officer)
    html = client.get(reverse("org:org_tree")).content.decode()
    assert "中共示范学院委员会" in html and "党委0" in html and "党委1" not in html
    assert f"{reverse('org:org_roots')}?start=2" in html and "5 人" in html
    html = client.get(reverse("org:org_roots"), {"start": 2}).content.decode()
    assert "党委1" in html and "党委2" in html and "显示更多" not in html
    assert "1 人" in html and "0 人" in html
    children = reverse("org:org_children", args=[world.committee.pk])
    html = client.get(children).content.decode()
    assert "机关党总支" in html and "显示更多" not in html
    make_org(world.committee, kind="general_branch", name="第三党总支", display_order=999)
    html = client.get(children).content.decode()
    assert "第三党总支" not in html and f"{children}?start=2" in html
    assert "第三党总支" in client.get(children, {"start": 2}).content.decode()
