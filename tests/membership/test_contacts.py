"""流动党员联系记录 (the contact log of members away, 《支部考核办法》 item 8: 保持联系): the
date rule at its boundaries, the last contact kept from the log, rights, pages and API by role,
bad input, filters, export and query counts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.membership import rules, services
from dangjian.membership.models import AwayContact, AwayKind
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

TODAY = date.today()
LEFT = TODAY - timedelta(days=100)


def test_a_contact_falls_while_the_member_is_away():
    back = LEFT + timedelta(days=50)
    assert rules.contact_date_error(LEFT, LEFT, None, TODAY) is None
    assert (
        rules.contact_date_error(LEFT - timedelta(1), LEFT, None, TODAY)
        == "联系日期不能早于外出日期。"
    )
    assert rules.contact_date_error(TODAY, LEFT, None, TODAY) is None
    assert (
        rules.contact_date_error(TODAY + timedelta(1), LEFT, None, TODAY)
        == "联系日期不能晚于今天。"
    )
    assert rules.contact_date_error(back, LEFT, back, TODAY) is None
    assert (
        rules.contact_date_error(back + timedelta(1), LEFT, back, TODAY)
        == "联系日期不能晚于实际返回日期。"
    )


def test_contact_lapses_the_day_after_the_interval():
    """AWAY_CONTACT_DAYS (90): contacted 90 days ago is still in touch, 91 days ago lapsed."""
    last = TODAY - timedelta(days=90)
    assert not rules.contact_lapsed(LEFT, last, None, TODAY, 90)
    assert rules.contact_lapsed(LEFT, last - timedelta(1), None, TODAY, 90)
    assert not rules.contact_lapsed(LEFT, last - timedelta(1), TODAY, TODAY, 90)


@pytest.fixture
def away(world):
    return services.away_create(
        actor=world.secretary_a,
        person=world.member_a,
        kind=AwayKind.INTERN,
        place="深圳某公司",
        left_on=LEFT,
        keeps_contact=world.secretary_a.person,
    )


@pytest.fixture
def contact(world, away):
    return services.contact_create(
        actor=world.secretary_a,
        away=away,
        contacted_on=TODAY - timedelta(days=10),
        way="phone",
        content="了解实习情况，提醒按时交纳党费",
    )


def _url(name, *args):
    return reverse(f"membership:contact_{name}", args=args)


def test_the_log_keeps_the_last_contact_and_is_audited(world, away, contact):
    away.refresh_from_db()
    assert away.last_contact_on == contact.contacted_on
    assert contact.by == world.secretary_a.person  # the officer who logged it, by default
    older = services.contact_create(
        actor=world.gb_secretary_a, away=away, contacted_on=LEFT, way="visit", content="送行"
    )
    away.refresh_from_db()
    assert away.last_contact_on == contact.contacted_on  # an older entry changes nothing
    services.contact_update(actor=world.secretary_a, contact=older, contacted_on=TODAY)
    away.refresh_from_db()
    assert away.last_contact_on == TODAY
    services.contact_delete(actor=world.secretary_a, contact=older)
    services.contact_delete(actor=world.secretary_a, contact=contact)
    away.refresh_from_db()
    assert away.last_contact_on is None
    actions = set(
        AuditEvent.objects.filter(content_type__model="awaycontact").values_list(
            "action", flat=True
        )
    )
    assert actions == {"create", "update", "delete"}


def test_rules_and_rights_are_the_services(world, away):
    with pytest.raises(ValidationError) as refused:
        services.contact_create(
            actor=world.secretary_a,
            away=away,
            contacted_on=LEFT - timedelta(1),
            way="phone",
            content="x",
        )
    assert refused.value.message_dict["contacted_on"] == ["联系日期不能早于外出日期。"]
    with pytest.raises(PermissionDenied):
        services.contact_create(
            actor=world.secretary_b, away=away, contacted_on=TODAY, way="phone", content="越权"
        )
    with pytest.raises(PermissionDenied):
        services.contact_create(
            actor=world.member_a.user, away=away, contacted_on=TODAY, way="phone", content="本人"
        )


def test_pages_by_role(as_role, world, contact):
    everyone = {"officer": 200, "gb_officer": 200, "org_officer": 200, "anonymous": 302}
    assert_role_matrix(as_role, _url("list"), {**everyone, "other_officer": 200, "member": 200})
    assert_role_matrix(
        as_role, _url("detail", contact.pk), {**everyone, "other_officer": 404, "member": 200}
    )
    assert_role_matrix(
        as_role, _url("edit", contact.pk), {**everyone, "other_officer": 404, "member": 403}
    )
    assert_role_matrix(as_role, _url("create"), {"officer": 200, "member": 403, "anonymous": 302})
    assert_role_matrix(as_role, _url("export"), {"officer": 200, "member": 200, "anonymous": 302})
    assert_role_matrix(
        as_role,
        _url("delete", contact.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
    )


def test_the_list_shows_each_scope_its_own(as_role, contact):
    assert "赵党员" in as_role("officer").get(_url("list")).content.decode()
    assert "赵党员" not in as_role("other_officer").get(_url("list")).content.decode()


def test_the_page_form_keeps_what_was_typed_and_names_the_rule(as_role, away):
    data = {
        "away": away.pk,
        "contacted_on": (TODAY + timedelta(days=3)).isoformat(),
        "way": "video",
        "content": "视频谈心，了解思想动态",
    }
    response = as_role("officer").post(_url("create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "视频谈心，了解思想动态" in page
    assert "联系日期不能晚于今天" in page
    data["contacted_on"] = TODAY.isoformat()
    response = as_role("officer").post(_url("create"), data)
    created = AwayContact.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", created.pk)
    away.refresh_from_db()
    assert away.last_contact_on == TODAY


def test_filters_and_export(as_role, away, contact):
    client = as_role("officer")
    assert "赵党员" in client.get(_url("list"), {"way": "phone"}).content.decode()
    assert "赵党员" not in client.get(_url("list"), {"way": "visit"}).content.decode()
    assert "赵党员" in client.get(_url("list"), {"away": away.pk}).content.decode()
    page = client.get(_url("list"), {"year": "abc"}).content.decode()
    assert "已忽略该条件" in page
    response = client.get(_url("export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")
    b"".join(response.streaming_content)


def test_the_list_costs_the_same_queries_with_more_rows(as_role, world, contact):
    client = as_role("org_officer")
    with capture_queries() as few:
        client.get(_url("list"))
    for n in range(5):
        person = make_person(world.branch_b, name=f"外出{n}")
        a = services.away_create(
            actor=world.org_officer, person=person, kind="study", place="北京", left_on=LEFT
        )
        services.contact_create(
            actor=world.org_officer, away=a, contacted_on=TODAY, way="phone", content="近况"
        )
    with assert_max_queries(len(few)):
        assert client.get(_url("list")).status_code == 200


API = "/api/v1/membership/contacts/"


def test_api_by_role_and_bad_input(api_as_role, world, away, contact):
    one = f"{API}{contact.pk}/"
    anonymous = (401, 403)
    assert_role_matrix(api_as_role, API, {"officer": 200, "member": 200, "anonymous": anonymous})
    assert_role_matrix(
        api_as_role,
        one,
        {"officer": 200, "other_officer": 404, "member": 200, "anonymous": anonymous},
    )
    new = {"away": away.pk, "contacted_on": TODAY.isoformat(), "way": "phone", "content": "电话"}
    assert_role_matrix(
        api_as_role,
        API,
        {"officer": 201, "other_officer": 400, "member": 403, "anonymous": anonymous},
        method="post",
        data=new,
        format="json",
    )
    assert_role_matrix(
        api_as_role,
        one,
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": anonymous},
        method="patch",
        data={"content": "补充"},
        format="json",
    )
    api = api_as_role("officer")
    response = api.patch(one, {"contacted_on": "1999-01-01"}, format="json")
    assert response.status_code == 400 and "contacted_on" in response.json()
    response = api.post(API, {"away": away.pk, "way": "nope"}, format="json")
    assert response.status_code == 400 and {"way", "contacted_on", "content"} <= set(
        response.json()
    )
    assert api.get(API, {"year": "x"}).status_code == 400
