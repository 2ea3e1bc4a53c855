"""流动党员 end to end: services, pages and API by role, bad input, filters, export and query
counts — a record type declared once with core.records."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEvent, SecurityEvent
from dangjian.membership import services
from dangjian.membership.models import AwayKind, MemberAway
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def away(world):
    return services.away_create(
        actor=world.secretary_a,
        person=world.member_a,
        kind=AwayKind.INTERN,
        place="深圳某公司",
        left_on=TODAY - timedelta(days=100),
        keeps_contact=world.secretary_a.person,
        group=world.group_a,
    )


def _url(name, *args):
    return reverse(f"membership:away_{name}", args=args)


def test_create_update_delete_are_audited(world, away):
    assert AuditEvent.objects.filter(object_id=away.pk, action="create").exists()
    services.away_update(actor=world.secretary_a, away=away, place="广州某公司")
    away.refresh_from_db()
    assert away.place == "广州某公司"
    change = AuditEvent.objects.get(object_id=away.pk, action="update")
    assert "去向" in str(change.changes)
    services.away_delete(actor=world.gb_secretary_a, away=away)
    assert not MemberAway.objects.exists()


def test_rules_and_rights_are_the_services(world, away):
    with pytest.raises(ValidationError) as refused:
        services.away_create(
            actor=world.secretary_a,
            person=world.member_a,
            kind=AwayKind.ABROAD,
            place="英国",
            left_on=TODAY,
        )
    assert "尚未返回" in str(refused.value.message_dict["returned_on"])
    with pytest.raises(ValidationError) as refused:
        services.away_update(actor=world.secretary_a, away=away, until=away.left_on - timedelta(1))
    assert "until" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.away_update(actor=world.secretary_a, away=away, group=world.branch_a)
    assert refused.value.message_dict["group"] == ["请选择党小组。"]
    with pytest.raises(PermissionDenied):
        services.away_update(actor=world.secretary_b, away=away, note="越权")
    with pytest.raises(PermissionDenied):
        services.away_create(
            actor=world.secretary_b, person=world.member_a, kind="other", place="x", left_on=TODAY
        )


def test_pages_by_role(as_role, world, away):
    everyone = {"officer": 200, "gb_officer": 200, "org_officer": 200, "anonymous": 302}
    assert_role_matrix(as_role, _url("list"), {**everyone, "other_officer": 200, "member": 200})
    assert_role_matrix(
        as_role, _url("detail", away.pk), {**everyone, "other_officer": 404, "member": 200}
    )
    assert_role_matrix(
        as_role, _url("edit", away.pk), {**everyone, "other_officer": 404, "member": 403}
    )
    assert_role_matrix(as_role, _url("create"), {"officer": 200, "member": 403, "anonymous": 302})
    assert_role_matrix(as_role, _url("export"), {"officer": 200, "member": 200, "anonymous": 302})
    assert_role_matrix(
        as_role,
        _url("delete", away.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )


def test_the_list_shows_each_scope_its_own(as_role, world, away):
    make_person(world.branch_b, name="孙党员")
    assert "赵党员" in as_role("officer").get(_url("list")).content.decode()
    assert "赵党员" not in as_role("other_officer").get(_url("list")).content.decode()
    assert "赵党员" in as_role("member").get(_url("list")).content.decode()


def test_the_page_form_keeps_what_was_typed_and_names_the_rule(as_role, world):
    data = {
        "person": world.member_a.pk,
        "kind": "intern",
        "place": "杭州实习单位",
        "left_on": "2026-03-01",
        "until": "2026-02-01",
    }
    response = as_role("officer").post(_url("create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "杭州实习单位" in page
    assert "预计返回日期不能早于外出日期" in page
    data["until"] = "2026-09-01"
    response = as_role("officer").post(_url("create"), data)
    created = MemberAway.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", created.pk)


def test_filters_and_export(as_role, world, away):
    client = as_role("officer")
    assert "赵党员" in client.get(_url("list"), {"lapsed": "1"}).content.decode()
    assert "赵党员" not in client.get(_url("list"), {"lapsed": "0"}).content.decode()
    page = client.get(_url("list"), {"away": "maybe"}).content.decode()
    assert "赵党员" in page and "已忽略该条件" in page
    response = client.get(_url("export"), {"kind": "intern"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")
    b"".join(response.streaming_content)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


def test_the_list_costs_the_same_queries_with_more_rows(as_role, world, away):
    client = as_role("org_officer")
    with capture_queries() as few:
        client.get(_url("list"))
    for n in range(5):
        person = make_person(world.branch_b, name=f"外出{n}")
        services.away_create(
            actor=world.org_officer, person=person, kind="study", place="北京", left_on=TODAY
        )
    with assert_max_queries(len(few)):
        assert client.get(_url("list")).status_code == 200


API = "/api/v1/membership/away/"


def test_api_by_role(api_as_role, world, away):
    one = f"{API}{away.pk}/"
    anonymous = (401, 403)
    assert_role_matrix(api_as_role, API, {"officer": 200, "member": 200, "anonymous": anonymous})
    assert_role_matrix(
        api_as_role,
        one,
        {"officer": 200, "other_officer": 404, "member": 200, "anonymous": anonymous},
    )
    # Another branch's member is not among the officer's choices: a 400 on the field.
    new = {"person": world.member_b.pk, "kind": "study", "place": "上海", "left_on": "2026-05-01"}
    assert_role_matrix(
        api_as_role,
        API,
        {"other_officer": 201, "officer": 400, "member": 403, "anonymous": anonymous},
        method="post",
        data=new,
        format="json",
    )
    assert_role_matrix(
        api_as_role,
        one,
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": anonymous},
        method="patch",
        data={"note": "已联系"},
        format="json",
    )
    assert_role_matrix(
        api_as_role,
        one,
        {"officer": 204, "other_officer": 404, "member": 403, "anonymous": anonymous},
        method="delete",
    )


def test_api_answers_bad_input_with_field_errors(api_as_role, world, away):
    api = api_as_role("officer")
    response = api.patch(f"{API}{away.pk}/", {"until": "2000-01-01"}, format="json")
    assert response.status_code == 400 and "until" in response.json()
    response = api.post(API, {"person": world.member_a.pk, "kind": "nope"}, format="json")
    assert response.status_code == 400 and {"kind", "place", "left_on"} <= set(response.json())
    assert api.post(API, ["not", "an", "object"], format="json").status_code == 400
    assert api.get(API, {"lapsed": "perhaps"}).status_code == 400
    response = api.patch(f"{API}{away.pk}/", {"note": "按月联系"}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "深圳某公司"
