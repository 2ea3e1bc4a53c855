"""REST API for organisations, people and positions (/api/v1/).

Every endpoint runs as an officer in scope (secretary_a on branch_a), an officer of another
branch (secretary_b), a plain member (member_user, the user of member_a) and an anonymous
visitor. Out-of-scope reads are 404, forbidden writes 403.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.core.models import AuditEvent
from dangjian.org.models import Organisation, Person, Position, StatusChange
from tests.factories import make_id_number, make_org, make_person
from tests.harness import QueryLog, assert_num_queries, assert_role_matrix

API = "/api/v1"
TODAY = timezone.localdate().isoformat()
ANON = (401, 403)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def audit_count(obj, action) -> int:
    return AuditEvent.objects.filter(
        object_id=obj.pk, object_repr=str(obj)[:200], action=action
    ).count()


def secretary_position(w) -> Position:
    return Position.objects.get(person=w.secretary_a.person, organisation=w.branch_a)


# --- permission matrix ----------------------------------------------------------------------
# case: (method, url(w), payload(w) or None, {role: expected status}); anonymous is 401/403.

CASES = {
    "org retrieve": (
        "get",
        lambda w: f"{API}/organisations/{w.branch_a.pk}/",
        None,
        {"secretary_a": 200, "secretary_b": 404, "member_user": 404},
    ),
    "org subtree": (
        "get",
        lambda w: f"{API}/organisations/{w.branch_a.pk}/subtree/",
        None,
        {"secretary_a": 200, "secretary_b": 404, "member_user": 404},
    ),
    "org ancestors": (
        "get",
        lambda w: f"{API}/organisations/{w.branch_a.pk}/ancestors/",
        None,
        {"secretary_a": 200, "secretary_b": 404, "member_user": 404},
    ),
    "org create": (
        "post",
        lambda w: f"{API}/organisations/",
        lambda w: {"parent": w.branch_a.pk, "kind": "group", "name": "第二党小组", "code": "G2"},
        {"secretary_a": 201, "secretary_b": 400, "member_user": 403},
    ),
    "org update": (
        "patch",
        lambda w: f"{API}/organisations/{w.branch_a.pk}/",
        lambda w: {"short_name": "机关一"},
        {"secretary_a": 200, "secretary_b": 404, "member_user": 403},
    ),
    "org move": (
        "post",
        lambda w: f"{API}/organisations/{w.group_a.pk}/move/",
        lambda w: {"new_parent": w.branch_a.pk},
        {"secretary_a": 200, "secretary_b": 404, "member_user": 403},
    ),
    "org dissolve": (
        "post",
        lambda w: f"{API}/organisations/{w.group_a.pk}/dissolve/",
        lambda w: {"dissolved_on": TODAY, "note": "合并"},
        {"secretary_a": 200, "secretary_b": 404, "member_user": 403},
    ),
    "person retrieve": (
        "get",
        lambda w: f"{API}/people/{w.member_a.pk}/",
        None,
        {"secretary_a": 200, "secretary_b": 404, "member_user": 200},
    ),
    "person create": (
        "post",
        lambda w: f"{API}/people/",
        lambda w: {
            "name": "孙群众",
            "gender": "F",
            "category": "staff",
            "primary_org": w.branch_a.pk,
        },
        {"secretary_a": 201, "secretary_b": 400, "member_user": 403},
    ),
    "person update": (
        "patch",
        lambda w: f"{API}/people/{w.member_a.pk}/",
        lambda w: {"note": "已核对"},
        {"secretary_a": 200, "secretary_b": 404, "member_user": 403},
    ),
    "person status": (
        "post",
        lambda w: f"{API}/people/{w.member_a.pk}/status/",
        lambda w: {"new_status": "probationary", "effective_on": TODAY},
        {"secretary_a": 200, "secretary_b": 404, "member_user": 403},
    ),
    "position retrieve": (
        "get",
        lambda w: f"{API}/positions/{secretary_position(w).pk}/",
        None,
        {"secretary_a": 200, "secretary_b": 404, "member_user": 404},
    ),
    "position create": (
        "post",
        lambda w: f"{API}/positions/",
        lambda w: {
            "person": w.member_a.pk,
            "organisation": w.branch_a.pk,
            "title": "propaganda",
            "starts_on": TODAY,
        },
        {"secretary_a": 201, "secretary_b": 400, "member_user": 403},
    ),
    "position end": (
        "post",
        lambda w: f"{API}/positions/{secretary_position(w).pk}/end/",
        lambda w: {"ends_on": TODAY},
        {"secretary_a": 200, "secretary_b": 404, "member_user": 403},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_permission_matrix(world, api_as_role, case):
    method, url, payload, expected = CASES[case]
    assert_role_matrix(
        api_as_role,
        url(world),
        expected | {"anonymous": ANON},
        method,
        None if payload is None else payload(world),
        format="json",
    )


@pytest.mark.parametrize("endpoint", ["organisations", "people", "positions"])
def test_anonymous_cannot_list(world, endpoint):
    assert client_for(None).get(f"{API}/{endpoint}/").status_code in ANON


def test_lists_are_scoped(world):
    w = world
    orgs_a = ids(client_for(w.secretary_a).get(f"{API}/organisations/"))
    assert orgs_a == {w.branch_a.pk, w.group_a.pk}
    orgs_b = ids(client_for(w.secretary_b).get(f"{API}/organisations/"))
    assert orgs_b == {w.branch_b.pk}

    people_b = ids(client_for(w.secretary_b).get(f"{API}/people/"))
    assert w.member_a.pk not in people_b and w.member_b.pk in people_b
    positions_b = ids(client_for(w.secretary_b).get(f"{API}/positions/"))
    assert secretary_position(w).pk not in positions_b


def test_member_sees_only_own_records(world):
    client = client_for(world.member_user)
    assert ids(client.get(f"{API}/people/")) == {world.member_a.pk}
    assert ids(client.get(f"{API}/organisations/")) == set()
    assert client.get(f"{API}/people/{world.member_b.pk}/").status_code == 404


def test_org_officer_and_admin_see_everything(world):
    total = Organisation.objects.count()
    for user in (world.org_officer, world.admin):
        response = client_for(user).get(f"{API}/organisations/")
        assert len(response.json()["results"]) == total


# --- personal data ----------------------------------------------------------------------


@pytest.fixture
def member_with_numbers(world):
    id_number = make_id_number(date(1990, 1, 1), 7)
    Person.objects.filter(pk=world.member_a.pk).update(id_number=id_number, phone="13812345678")
    return id_number


def test_branch_secretary_sees_masked_numbers_only(world, member_with_numbers):
    data = client_for(world.secretary_a).get(f"{API}/people/{world.member_a.pk}/").json()
    assert data["id_number"] is None and data["phone"] is None
    assert data["id_number_masked"] == member_with_numbers[:4] + "*" * 10 + member_with_numbers[-4:]
    assert data["phone_masked"] == "138****5678"
    listed = client_for(world.secretary_a).get(f"{API}/people/").json()["results"]
    assert all(row["id_number"] is None for row in listed)
    assert member_with_numbers not in str(listed)


def test_member_sees_own_numbers_masked(world, member_with_numbers):
    data = client_for(world.member_user).get(f"{API}/people/{world.member_a.pk}/").json()
    assert data["id_number"] is None and data["phone"] is None


def test_org_officer_sees_full_numbers(world, member_with_numbers):
    data = client_for(world.org_officer).get(f"{API}/people/{world.member_a.pk}/").json()
    assert data["id_number"] == member_with_numbers
    assert data["phone"] == "13812345678"
    assert data["id_number_masked"] != member_with_numbers


# --- organisations: writes ----------------------------------------------------------------


def test_create_organisation_writes_audit_event(world):
    response = client_for(world.secretary_a).post(
        f"{API}/organisations/",
        {"parent": world.branch_a.pk, "kind": "group", "name": "第二党小组", "code": "GRA2"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    org = Organisation.objects.get(pk=data["id"])
    assert Organisation.objects.get_parent(org) == world.branch_a
    assert data["parent"] == world.branch_a.pk
    assert data["depth"] == world.branch_a.depth + 1
    assert data["path"].startswith(world.branch_a.path)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=org.pk, actor=world.secretary_a
    ).exists()


def test_only_org_officer_creates_roots(world):
    payload = {"parent": None, "kind": "committee", "name": "新党委", "code": "C2"}
    response = client_for(world.secretary_a).post(f"{API}/organisations/", payload, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()
    response = client_for(world.org_officer).post(f"{API}/organisations/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["parent"] is None


@pytest.mark.parametrize(
    "parent",
    [
        pytest.param(lambda w: 999999, id="unknown id"),
        pytest.param(lambda w: w.branch_b.pk, id="out of scope"),
        pytest.param(lambda w: w.gb_a.pk, id="visible only above scope"),
        pytest.param(lambda w: "abc", id="not a number"),
        pytest.param(lambda w: 1.5, id="fraction"),
        pytest.param(lambda w: 10**30, id="huge"),
        pytest.param(lambda w: True, id="boolean"),
    ],
)
def test_create_organisation_bad_parent_is_400(world, parent):
    response = client_for(world.secretary_a).post(
        f"{API}/organisations/",
        {"parent": parent(world), "kind": "group", "name": "小组", "code": "X1"},
        format="json",
    )
    assert response.status_code == 400
    assert "parent" in response.json()


def test_create_organisation_service_errors_are_400(world):
    client = client_for(world.secretary_a)
    wrong_kind = {"parent": world.branch_a.pk, "kind": "branch", "name": "支部", "code": "X2"}
    response = client.post(f"{API}/organisations/", wrong_kind, format="json")
    assert response.status_code == 400
    assert response.json()["kind"] == ["党支部下不能设立党支部"]
    duplicate = {"parent": world.branch_a.pk, "kind": "group", "name": "小组", "code": "GRA"}
    assert client.post(f"{API}/organisations/", duplicate, format="json").status_code == 400


def test_update_organisation(world):
    response = client_for(world.secretary_a).patch(
        f"{API}/organisations/{world.branch_a.pk}/",
        {"short_name": "机关一", "activity_room_area": "25.5"},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.branch_a.refresh_from_db()
    assert world.branch_a.short_name == "机关一"
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=world.branch_a.pk)
    assert len(event.changes) == 2  # short name and room area, before → after


def test_move_organisation(world):
    branch_a2 = make_org(world.gb_a, name="机关二支部", code="BA2")
    response = client_for(world.gb_secretary_a).post(
        f"{API}/organisations/{world.group_a.pk}/move/",
        {"new_parent": branch_a2.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.group_a.refresh_from_db()
    assert world.group_a.path.startswith(branch_a2.path)
    assert response.json()["parent"] == branch_a2.pk
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.MOVE, object_id=world.group_a.pk
    ).exists()


def test_move_under_own_descendant_is_400(world):
    response = client_for(world.org_officer).post(
        f"{API}/organisations/{world.gb_a.pk}/move/",
        {"new_parent": world.branch_a.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["new_parent"] == ["不能移动到自身或其下级组织之下"]


def test_move_to_parent_out_of_scope_is_400(world):
    response = client_for(world.secretary_a).post(
        f"{API}/organisations/{world.group_a.pk}/move/",
        {"new_parent": world.branch_b.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "new_parent" in response.json()


def test_dissolve_organisation(world):
    response = client_for(world.secretary_a).post(
        f"{API}/organisations/{world.group_a.pk}/dissolve/",
        {"dissolved_on": TODAY, "note": "并入支部"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["dissolved_on"] == TODAY
    world.group_a.refresh_from_db()
    assert world.group_a.is_dissolved
    event = AuditEvent.objects.get(action=AuditEvent.Action.DISSOLVE, object_id=world.group_a.pk)
    assert event.note == "并入支部"


def test_own_scope_root_cannot_be_moved_or_dissolved(world):
    client = client_for(world.secretary_a)
    response = client.post(
        f"{API}/organisations/{world.branch_a.pk}/dissolve/", {"dissolved_on": TODAY}, format="json"
    )
    assert response.status_code == 403
    assert "上级党组织" in response.json()["detail"]
    response = client.post(
        f"{API}/organisations/{world.branch_a.pk}/move/",
        {"new_parent": world.gb_a.pk},
        format="json",
    )
    assert response.status_code == 403


def test_dissolve_with_active_people_is_400(world):
    response = client_for(world.gb_secretary_a).post(
        f"{API}/organisations/{world.branch_a.pk}/dissolve/",
        {"dissolved_on": TODAY},
        format="json",
    )
    assert response.status_code == 400
    assert "在册人员" in response.json()["dissolved_on"][0]
    world.branch_a.refresh_from_db()
    assert not world.branch_a.is_dissolved


@pytest.mark.parametrize("bad_date", ["2025-02-30", "yesterday", "", None, 20250101])
def test_dissolve_bad_date_is_400(world, bad_date):
    response = client_for(world.secretary_a).post(
        f"{API}/organisations/{world.group_a.pk}/dissolve/",
        {"dissolved_on": bad_date},
        format="json",
    )
    assert response.status_code == 400
    assert "dissolved_on" in response.json()


def test_malformed_json_is_400(world):
    client = client_for(world.secretary_a)
    for url in (f"{API}/organisations/", f"{API}/organisations/{world.branch_a.pk}/"):
        method = client.post if url.endswith("organisations/") else client.patch
        response = method(url, "{not json", content_type="application/json")
        assert response.status_code == 400
        assert response.json() == {"detail": "请求内容不是合法的 JSON"}
    response = client.post(f"{API}/people/", [1, 2], format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("pk", ["abc", "999999", "0"])
def test_unknown_or_malformed_object_id_is_404(world, pk):
    response = client_for(world.org_officer).get(f"{API}/organisations/{pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


# --- organisations: reads -----------------------------------------------------------------


def test_retrieve_organisation(world):
    data = client_for(world.secretary_a).get(f"{API}/organisations/{world.group_a.pk}/").json()
    assert data["name"] == "第一党小组"
    assert data["parent"] == world.branch_a.pk
    assert data["depth"] == 4
    assert data["path"] == world.group_a.path


def test_organisation_list_filters(world):
    client = client_for(world.org_officer)
    url = f"{API}/organisations/"
    assert ids(client.get(url, {"kind": "branch"})) == {world.branch_a.pk, world.branch_b.pk}
    assert ids(client.get(url, {"category": "student"})) == {world.branch_b.pk}
    assert ids(client.get(url, {"parent": world.committee.pk})) == {world.gb_a.pk, world.gb_b.pk}
    assert ids(client.get(url, {"parent": world.committee.pk, "kind": "branch"})) == set()
    assert ids(client.get(url, {"parent": 999999})) == set()
    assert ids(client.get(url, {"q": "信息工程"})) == {world.gb_b.pk, world.branch_b.pk}
    # Latin letters still match in either case (Chinese text has none: a plain LIKE).
    Organisation.objects.filter(pk=world.branch_a.pk).update(short_name="IT支部")
    assert ids(client.get(url, {"q": "it支"})) == {world.branch_a.pk}
    assert ids(client.get(url, {"q": "IT支"})) == {world.branch_a.pk}
    paths = [row["path"] for row in client.get(url).json()["results"]]
    assert paths == sorted(paths)


def test_organisation_list_leaves_out_dissolved_unless_asked(world):
    Organisation.objects.filter(pk=world.group_a.pk).update(dissolved_on=date(2024, 1, 1))
    client = client_for(world.secretary_a)
    assert ids(client.get(f"{API}/organisations/")) == {world.branch_a.pk}
    listed = ids(client.get(f"{API}/organisations/", {"include_dissolved": "1"}))
    assert listed == {world.branch_a.pk, world.group_a.pk}
    # A dissolved organisation can still be read.
    assert client.get(f"{API}/organisations/{world.group_a.pk}/").status_code == 200


@pytest.mark.parametrize(
    "params", [{"kind": "nope"}, {"parent": "abc"}, {"parent": "-1"}, {"include_dissolved": "x"}]
)
def test_organisation_list_bad_filter_is_400(world, params):
    response = client_for(world.secretary_a).get(f"{API}/organisations/", params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_subtree(world):
    client = client_for(world.gb_secretary_a)
    response = client.get(f"{API}/organisations/{world.gb_a.pk}/subtree/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [world.branch_a.pk, world.group_a.pk]
    assert "next" in response.json()  # paginated
    only_groups = client.get(f"{API}/organisations/{world.gb_a.pk}/subtree/", {"kind": "group"})
    assert ids(only_groups) == {world.group_a.pk}
    leaf = client.get(f"{API}/organisations/{world.group_a.pk}/subtree/")
    assert ids(leaf) == set()


def test_subtree_leaves_out_dissolved_unless_asked(world):
    Organisation.objects.filter(pk=world.group_a.pk).update(dissolved_on=date(2024, 1, 1))
    client = client_for(world.secretary_a)
    url = f"{API}/organisations/{world.branch_a.pk}/subtree/"
    assert ids(client.get(url)) == set()
    assert ids(client.get(url, {"include_dissolved": "1"})) == {world.group_a.pk}


def test_ancestors_show_names_outside_scope(world):
    response = client_for(world.secretary_a).get(
        f"{API}/organisations/{world.group_a.pk}/ancestors/"
    )
    assert response.status_code == 200
    assert response.json() == [
        {"id": world.committee.pk, "name": "中共示范学院委员会", "kind": "committee"},
        {"id": world.gb_a.pk, "name": "机关党总支", "kind": "general_branch"},
        {"id": world.branch_a.pk, "name": "机关一支部", "kind": "branch"},
    ]
    root = client_for(world.org_officer).get(f"{API}/organisations/{world.committee.pk}/ancestors/")
    assert root.json() == []


# --- people -----------------------------------------------------------------------------------


def test_create_person(world):
    id_number = make_id_number(date(1995, 6, 1), 11, male=False)
    response = client_for(world.secretary_a).post(
        f"{API}/people/",
        {
            "name": "孙群众",
            "gender": "F",
            "category": "staff",
            "primary_org": world.branch_a.pk,
            "group": world.group_a.pk,
            "id_number": id_number.lower(),
            "phone": "13900001111",
            "party_status": "applicant",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    person = Person.objects.get(pk=data["id"])
    assert person.id_number == id_number
    assert person.birth_date == date(1995, 6, 1)
    assert person.party_status == "applicant"
    assert data["id_number"] is None and data["phone_masked"] == "139****1111"
    assert data["primary_org_name"] == "机关一支部" and data["group_name"] == "第一党小组"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=person.pk).exists()


def test_blank_id_numbers_do_not_collide(world):
    client = client_for(world.secretary_a)
    for name in ("甲", "乙"):
        response = client.post(
            f"{API}/people/",
            {
                "name": name,
                "gender": "M",
                "category": "staff",
                "primary_org": world.branch_a.pk,
                "id_number": "",
            },
            format="json",
        )
        assert response.status_code == 201, response.content
    assert Person.objects.filter(name__in=["甲", "乙"], id_number__isnull=True).count() == 2


def test_invalid_id_checksum_is_400(world):
    good = make_id_number(date(1995, 6, 1), 11)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client_for(world.secretary_a).post(
        f"{API}/people/",
        {
            "name": "孙群众",
            "gender": "M",
            "category": "staff",
            "primary_org": world.branch_a.pk,
            "id_number": bad,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["id_number"] == ["身份证号校验位不正确"]


def test_person_needs_primary_org_in_scope(world):
    client = client_for(world.secretary_a)
    payload = {"name": "孙群众", "gender": "M", "category": "staff"}
    response = client.post(f"{API}/people/", {**payload, "primary_org": None}, format="json")
    assert response.status_code == 400 and "primary_org" in response.json()
    response = client.post(
        f"{API}/people/", {**payload, "primary_org": world.branch_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["primary_org"] == ["所在党组织不存在或不在您的管理范围内"]


def test_group_of_another_branch_is_400(world):
    group_b = make_org(world.branch_b, name="学生第一党小组", code="GRB")
    url = f"{API}/people/{world.member_a.pk}/"
    # Out of a branch secretary's scope ...
    response = client_for(world.secretary_a).patch(url, {"group": group_b.pk}, format="json")
    assert response.status_code == 400
    assert "group" in response.json()
    # ... and, for an officer who sees everything, not a group of the person's branch.
    response = client_for(world.org_officer).patch(url, {"group": group_b.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["group"] == ["党小组须属于所在党支部"]


def test_update_person(world):
    response = client_for(world.secretary_a).patch(
        f"{API}/people/{world.member_a.pk}/",
        {"group": world.group_a.pk, "phone": "13700002222"},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.member_a.refresh_from_db()
    assert world.member_a.group == world.group_a and world.member_a.phone == "13700002222"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_id=world.member_a.pk
    ).exists()


def test_change_status(world):
    applicant = make_person(world.branch_a, status="masses", name="周申请")
    response = client_for(world.secretary_a).post(
        f"{API}/people/{applicant.pk}/status/",
        {"new_status": "applicant", "effective_on": TODAY, "note": "递交入党申请书"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["party_status"] == "applicant"
    applicant.refresh_from_db()
    assert applicant.applied_on == timezone.localdate()
    assert StatusChange.objects.filter(person=applicant, to_status="applicant").exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.STATUS, object_id=applicant.pk
    ).exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"new_status": "full", "effective_on": TODAY}, "new_status"),  # same as now
        ({"new_status": "bogus", "effective_on": TODAY}, "new_status"),
        ({"new_status": "masses", "effective_on": "2025-13-01"}, "effective_on"),
        ({"new_status": "masses"}, "effective_on"),
    ],
)
def test_change_status_bad_input_is_400(world, payload, field):
    response = client_for(world.secretary_a).post(
        f"{API}/people/{world.member_a.pk}/status/", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_change_status_in_future_is_400(world):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(world.secretary_a).post(
        f"{API}/people/{world.member_a.pk}/status/",
        {"new_status": "masses", "effective_on": tomorrow},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["new_status"] == ["生效日期不能晚于今天"]


def test_people_list_filters(world):
    applicant = make_person(world.branch_a, status="applicant", name="周申请", category="student")
    client = client_for(world.org_officer)
    url = f"{API}/people/"
    assert ids(client.get(url, {"q": "周"})) == {applicant.pk}
    assert ids(client.get(url, {"party_status": "applicant"})) == {applicant.pk}
    assert ids(client.get(url, {"category": "student"})) == {applicant.pk}
    in_gb_b = ids(client.get(url, {"org": world.gb_b.pk}))
    assert in_gb_b == {world.member_b.pk, world.secretary_b.person_id}
    assert ids(client.get(url, {"org": 999999})) == set()
    assert client.get(url, {"org": "x"}).status_code == 400
    # A branch secretary cannot filter their way into another branch.
    assert ids(client_for(world.secretary_a).get(url, {"org": world.branch_b.pk})) == set()


# --- positions ------------------------------------------------------------------------------


def test_create_position(world):
    response = client_for(world.secretary_a).post(
        f"{API}/positions/",
        {
            "person": world.member_a.pk,
            "organisation": world.branch_a.pk,
            "title": "propaganda",
            "starts_on": TODAY,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["person_name"] == "赵党员" and data["is_current"] is True
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=data["id"], content_type__model="position"
    ).exists()


def test_second_secretary_is_400(world):
    response = client_for(world.secretary_a).post(
        f"{API}/positions/",
        {
            "person": world.member_a.pk,
            "organisation": world.branch_a.pk,
            "title": "secretary",
            "starts_on": TODAY,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "title" in response.json()


def test_position_person_out_of_scope_is_400(world):
    response = client_for(world.secretary_a).post(
        f"{API}/positions/",
        {
            "person": world.member_b.pk,
            "organisation": world.branch_a.pk,
            "title": "committee",
            "starts_on": TODAY,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["person"] == ["人员不存在或不在您的管理范围内"]


def test_end_position(world):
    position = secretary_position(world)
    response = client_for(world.gb_secretary_a).post(
        f"{API}/positions/{position.pk}/end/", {"ends_on": TODAY}, format="json"
    )
    assert response.status_code == 200, response.content
    position.refresh_from_db()
    assert position.ends_on == timezone.localdate()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_id=position.pk, content_type__model="position"
    ).exists()
    too_early = client_for(world.gb_secretary_a).post(
        f"{API}/positions/{position.pk}/end/", {"ends_on": "2019-01-01"}, format="json"
    )
    assert too_early.status_code == 400
    assert "ends_on" in too_early.json()


def test_position_list_filters(world):
    client = client_for(world.org_officer)
    url = f"{API}/positions/"
    position = secretary_position(world)
    assert ids(client.get(url, {"person": world.secretary_a.person_id})) == {position.pk}
    assert ids(client.get(url, {"organisation": world.branch_a.pk})) == {position.pk}
    assert client.get(url, {"person": "x"}).status_code == 400


# --- token authentication ------------------------------------------------------------------


def test_token_auth(world):
    client = APIClient()
    response = client.post(
        f"{API}/auth/token/",
        {"username": world.secretary_a.username, "password": "pass-123456"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(f"{API}/organisations/")
    assert response.status_code == 200
    assert ids(response) == {world.branch_a.pk, world.group_a.pk}
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get(f"{API}/organisations/").status_code in ANON


def test_token_auth_rejects_wrong_password(world):
    response = APIClient().post(
        f"{API}/auth/token/",
        {"username": world.secretary_a.username, "password": "wrong"},
        format="json",
    )
    assert response.status_code == 400


# --- query counts ---------------------------------------------------------------------------


def _add_rows(world, endpoint: str, n: int) -> None:
    for _ in range(n):
        if endpoint == "organisations":
            make_org(world.branch_a, kind="group")
        elif endpoint == "people":
            make_person(world.branch_a, group=world.group_a)
        else:
            person = make_person(world.branch_a)
            Position.objects.create(
                person=person,
                organisation=world.branch_a,
                title="committee",
                starts_on=date.today(),
            )


def _count_queries(client, url, expected=None) -> tuple[QueryLog, int]:
    with assert_num_queries(expected, url) as log:
        response = client.get(url)
    assert response.status_code == 200
    return log, len(response.json()["results"])


@pytest.mark.parametrize(
    "endpoint, url",
    [
        ("organisations", "organisations/"),
        ("organisations", "organisations/{branch_a}/subtree/"),
        ("people", "people/"),
        ("positions", "positions/"),
    ],
)
def test_list_query_count_does_not_grow(world, endpoint, url):
    client = client_for(world.secretary_a)
    url = f"{API}/{url.format(branch_a=world.branch_a.pk)}"
    _add_rows(world, endpoint, 5)
    few, rows_few = _count_queries(client, url)
    _add_rows(world, endpoint, 20)
    many, rows_many = _count_queries(client, url, few)
    assert rows_many == rows_few + 20
    assert len(many) <= 5  # session, user, scope, page (+ a filter's lookup)


BAD_INPUTS = {
    "org create, no parent": (
        "post",
        "organisations/",
        {"kind": "group", "name": "x", "code": "Y"},
    ),
    "org create, bad kind": (
        "post",
        "organisations/",
        {"parent": "{branch_a}", "kind": "nope", "name": "x", "code": "Y"},
    ),
    "org update, kind breaks tree": ("patch", "organisations/{branch_a}/", {"kind": "group"}),
    "org update, bad area": ("patch", "organisations/{branch_a}/", {"activity_room_area": "abc"}),
    "org update, long name": ("patch", "organisations/{branch_a}/", {"name": "长" * 200}),
    "org move, no parent": ("post", "organisations/{group_a}/move/", {}),
    "org move, null": ("post", "organisations/{group_a}/move/", {"new_parent": None}),
    "person update, unknown unit": ("patch", "people/{member_a}/", {"unit": 999999}),
    "person update, bad gender": ("patch", "people/{member_a}/", {"gender": "X"}),
    "person update, long id": ("patch", "people/{member_a}/", {"id_number": "1" * 19}),
    "person update, bad phone": ("patch", "people/{member_a}/", {"phone": "12345"}),
    "person update, birth date vs id": (
        "patch",
        "people/{member_a}/",
        {"id_number": make_id_number(date(1980, 5, 5), 3), "birth_date": "1990-01-01"},
    ),
    "person update, group as primary org": (
        "patch",
        "people/{member_a}/",
        {"primary_org": "{group_a}"},
    ),
    "person update, primary org null": ("patch", "people/{member_a}/", {"primary_org": None}),
    "person status, empty": ("post", "people/{member_a}/status/", {}),
    "position create, bad title": (
        "post",
        "positions/",
        {"person": "{member_a}", "organisation": "{branch_a}", "title": "king", "starts_on": TODAY},
    ),
    "position create, ends before start": (
        "post",
        "positions/",
        {
            "person": "{member_a}",
            "organisation": "{branch_a}",
            "title": "committee",
            "starts_on": "2024-01-02",
            "ends_on": "2024-01-01",
        },
    ),
    "position end, no date": ("post", "positions/{position}/end/", {}),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_400(world, case):
    method, url, payload = BAD_INPUTS[case]
    refs = {
        "branch_a": world.branch_a.pk,
        "group_a": world.group_a.pk,
        "member_a": world.member_a.pk,
        "position": secretary_position(world).pk,
    }
    payload = {
        key: int(value.format(**refs)) if isinstance(value, str) and value[:1] == "{" else value
        for key, value in payload.items()
    }
    response = getattr(client_for(world.secretary_a), method)(
        f"{API}/{url.format(**refs)}", payload, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()  # field errors, in Chinese


@pytest.mark.parametrize(
    "query",
    [
        "organisations/?parent=100000000000000000000000000000",
        "organisations/?page_size=abc",
        "people/?org=100000000000000000000000000000",
        "positions/?cursor=garbage",
    ],
)
def test_odd_query_parameters_never_500(world, query):
    response = client_for(world.secretary_a).get(f"{API}/{query}")
    assert response.status_code in (200, 400, 404)
