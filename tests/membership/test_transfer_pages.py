"""组织关系转接 through the pages and the API: the workflows end to end, each view and endpoint
as the four roles, bad input, the printed letters and query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent
from dangjian.membership import services
from dangjian.membership.models import Transfer, TransferBatch, TransferState
from dangjian.org.models import Person, Unit
from tests.factories import make_officer, make_person
from tests.harness import assert_max_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

TODAY = date.today()
API = "/api/v1/membership/transfers/"


def _url(name, *args):
    return reverse(f"membership:{name}", args=args)


@pytest.fixture
def sent(world):
    return services.transfer_send(
        actor=world.secretary_a,
        person=world.member_a,
        destination_org=world.branch_b,
        reason="工作调动",
    )


@pytest.fixture
def letter(world):
    person = make_person(world.branch_a, name="冯毕业生", category="student")
    return services.transfer_issue_letter(
        actor=world.secretary_a,
        person=person,
        destination_text="中共某市某区委组织部",
        reason="毕业离校",
        issued_on=TODAY - timedelta(days=40),
        dues_paid_until=date(2026, 6, 1),
    )


def test_within_send_receive_approve_through_the_pages(as_user, world):
    gb_b_user = make_officer(world.gb_b, name="孙总支书记")
    client = as_user(world.secretary_a)
    page = client.get(_url("transfer_create"))
    assert page.status_code == 200
    response = client.post(
        _url("transfer_create"),
        {
            "person": world.member_a.pk,
            "destination_org": world.branch_b.pk,
            "reason": "调入信息学院",
        },
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(
        "transfer_detail", transfer.pk
    )
    # The origin sees no receive button; the destination does.
    assert "transfer_receive" not in client.get(response["Location"]).content.decode()
    client = as_user(world.secretary_b)
    detail = client.get(_url("transfer_detail", transfer.pk)).content.decode()
    assert _url("transfer_receive", transfer.pk) in detail
    client.post(_url("transfer_receive", transfer.pk), {"note": "同意接收"})
    transfer.refresh_from_db()
    assert transfer.state == TransferState.RECEIVED
    # Approving out of order or as the wrong side is refused with the rule named.
    response = client.post(_url("transfer_approve", transfer.pk), {"note": "同意"})
    assert response.status_code == 403 and "审批" in response.content.decode()
    client = as_user(world.gb_secretary_a)
    detail = client.get(_url("transfer_detail", transfer.pk)).content.decode()
    assert _url("transfer_approve", transfer.pk) in detail and "待审批" in detail
    client.post(_url("transfer_approve", transfer.pk), {"note": "同意"})
    client = as_user(gb_b_user)
    response = client.post(_url("transfer_approve", transfer.pk), {"note": "同意"}, follow=True)
    assert "已审批同意" in response.content.decode()
    transfer.refresh_from_db()
    member = Person.objects.get(pk=world.member_a.pk)
    assert transfer.state == TransferState.COMPLETED and member.primary_org == world.branch_b
    page = response.content.decode()
    for step in ("原党组织发出", "转入党组织接收", "党总支审批同意", "办结"):
        assert step in page
    # A step out of order comes back as an error message naming the rule.
    response = client.post(_url("transfer_receive", transfer.pk), follow=True)
    assert "不能接收" in response.content.decode()


def test_pages_by_role(as_role, world, sent, letter):
    everyone = {"officer": 200, "gb_officer": 200, "org_officer": 200, "anonymous": 302}
    assert_role_matrix(
        as_role, _url("transfer_list"), {**everyone, "other_officer": 200, "member": 200}
    )
    # The destination's officers see the transfer sent to them.
    assert_role_matrix(
        as_role,
        _url("transfer_detail", sent.pk),
        {**everyone, "other_officer": 200, "member": 200},
    )
    assert_role_matrix(
        as_role,
        _url("transfer_detail", letter.pk),
        {**everyone, "other_officer": 404, "member": 404},
    )
    for name in ("transfer_create", "transfer_out", "transfer_in", "batch_create"):
        assert_role_matrix(
            as_role,
            _url(name),
            {"officer": 200, "other_officer": 200, "member": 403, "anonymous": 302},
        )
    assert_role_matrix(
        as_role,
        _url("transfer_print", letter.pk),
        {"officer": 200, "org_officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    # A within transfer has no letter; its other end may not print one either.
    assert_role_matrix(as_role, _url("transfer_print", sent.pk), {"officer": 404})
    assert_role_matrix(
        as_role, _url("transfer_export"), {"officer": 200, "member": 200, "anonymous": 302}
    )
    assert_role_matrix(
        as_role,
        _url("pick_branches") + "?q=支部",
        {"officer": 200, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        _url("transfer_receive", sent.pk),
        {"other_officer": 302, "officer": 403, "member": 403, "anonymous": 302},
        method="post",
    )
    assert_role_matrix(
        as_role,
        _url("transfer_cancel", sent.pk),
        {"officer": 302, "other_officer": 403, "member": 403, "anonymous": 302},
        method="post",
    )
    assert_role_matrix(
        as_role,
        _url("transfer_slip", letter.pk),
        {"officer": 302, "other_officer": 404, "member": 403, "anonymous": 302},
        method="post",
        data={"returned_on": TODAY.isoformat()},
    )


def test_the_list_shows_each_scope_its_own_and_filters(as_role, world, sent, letter):
    page = as_role("officer").get(_url("transfer_list")).content.decode()
    assert "赵党员" in page and "冯毕业生" in page
    page = as_role("other_officer").get(_url("transfer_list")).content.decode()
    assert "赵党员" in page and "冯毕业生" not in page
    client = as_role("officer")
    page = client.get(_url("transfer_list"), {"overdue": "1"}).content.decode()
    assert "冯毕业生" in page and "赵党员" not in page
    page = client.get(_url("transfer_list"), {"kind": "within"}).content.decode()
    assert "赵党员" in page and "冯毕业生" not in page
    # Either end: the destination's officer finds it under their branch.
    page = (
        as_role("other_officer")
        .get(_url("transfer_list"), {"org": world.branch_b.pk})
        .content.decode()
    )
    assert "赵党员" in page and "冯毕业生" not in page
    client = as_role("officer")
    page = client.get(_url("transfer_list"), {"open": "maybe"}).content.decode()
    assert "已忽略该条件" in page
    response = client.get(_url("transfer_export"), {"state": "awaiting_slip"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


def test_destinations_are_any_branch_of_the_institution(as_role, world, letter):
    # A branch out of the sender's scope is offered by name (no personal data).
    answer = as_role("officer").get(_url("pick_branches"), {"q": "信息工程"}).json()
    assert [r["id"] for r in answer["results"]] == [world.gb_b.pk, world.branch_b.pk]
    page = as_role("officer").get(_url("transfer_detail", letter.pk)).content.decode()
    assert "介绍信开具已满30天，回执尚未返回" in page


def test_the_letter_prints_stub_letter_and_slip(as_user, world, letter):
    world.secretary_a.person.id_number = None
    person = letter.person
    person.ethnicity = "土家族"
    person.id_number = "500000200401010011"
    person.id_number = None
    person.save()
    page = as_user(world.secretary_a).get(_url("transfer_print", letter.pk)).content.decode()
    for text in (
        "（存根）",
        "介绍信回执",
        letter.letter_number,
        "冯毕业生",
        "土家族",
        "正式",
        "中共某市某区委组织部",
        "2026</u>年<u>6</u>月",
        "有效期<u>30</u>天",
    ):
        assert text in page, text
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PRINT).exists()


def test_the_page_forms_keep_what_was_typed_and_name_the_rule(as_user, world, sent):
    client = as_user(world.secretary_a)
    response = client.post(
        _url("transfer_create"),
        {"person": world.member_a.pk, "destination_org": world.branch_b.pk, "reason": "再次调动"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "再次调动" in page and "尚未办结" in page
    response = client.post(
        _url("transfer_out"),
        {"person": world.member_a.pk, "destination_text": "某地", "reason": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "某地" in page and "errorlist" in page
    response = client.post(
        _url("transfer_in"),
        {
            "destination_org": world.branch_a.pk,
            "letter_number": "X1",
            "origin_text": "某大学",
            "reason": "入职",
            "name": "新同志",
            "gender": "M",
            "ethnicity": "汉族",
            "id_number": "123",
            "category": "staff",
            "party_status": "full",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "新同志" in page and "身份证" in page
    assert not Person.objects.filter(name="新同志").exists()
    response = client.post(
        _url("transfer_in"),
        {
            "destination_org": world.branch_a.pk,
            "letter_number": "X1",
            "origin_text": "某大学",
            "reason": "入职",
            "name": "新同志",
            "gender": "M",
            "ethnicity": "汉族",
            "category": "staff",
            "party_status": "probationary",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(name="新同志").primary_org == world.branch_a


def test_graduates_in_one_batch_with_a_refused_row(as_user, world):
    grade = Unit.objects.create(name="2022级", kind="grade")
    klass = Unit.objects.create(name="软件2201班", kind="class", parent=grade)
    students = [
        make_person(world.branch_b, name=f"学生{n}", category="student", unit=klass)
        for n in range(4)
    ]
    teacher = make_person(world.branch_b, name="教工党员", category="staff")
    services.transfer_send(
        actor=world.secretary_b, person=students[2], destination_org=world.branch_a, reason="x"
    )
    client = as_user(world.secretary_b)
    query = f"?organisation={world.branch_b.pk}"
    page = client.get(_url("batch_create") + query).content.decode()
    assert "软件2201班" in page and "教工党员" in page
    assert f'value="{students[0].pk}" id="p{students[0].pk}" checked' in page
    assert f'value="{teacher.pk}" id="p{teacher.pk}" >' in page
    # One already under way is listed, marked and not ticked; ticked anyway, it is refused.
    assert f'value="{students[2].pk}" id="p{students[2].pk}" >' in page
    assert "已有未办结转接" in page
    query += f"&unit={grade.pk}"
    page = client.get(_url("batch_create") + query).content.decode()
    assert "学生0" in page and "教工党员" not in page
    data = {
        "reason": "毕业离校",
        "destination_text": "中共某市委组织部",
        "valid_days": "30",
        "person": [s.pk for s in students],
        f"dest_{students[0].pk}": "某公司党委",
    }
    response = client.post(_url("batch_create") + query, data)
    batch = TransferBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("batch_detail", batch.pk)
    assert [r["ok"] for r in batch.results] == [True, True, False, True]
    page = client.get(response["Location"]).content.decode()
    assert "尚未办结" in page and "成功3人" in page
    assert batch.transfers.get(person=students[0]).destination_text == "某公司党委"
    letters = client.get(_url("batch_print", batch.pk)).content.decode()
    assert letters.count("（存根）") == 3 and "学生3" in letters and "学生2" not in letters
    assert_role_matrix(
        lambda role: as_user(getattr(world, role) if role != "anonymous" else None),
        _url("batch_detail", batch.pk),
        {"secretary_b": 200, "secretary_a": 404, "member_user": 403, "anonymous": 302},
    )


def test_batch_bad_input_keeps_the_ticks(as_user, world):
    student = make_person(world.branch_b, name="学生甲", category="student")
    client = as_user(world.secretary_b)
    query = f"?organisation={world.branch_b.pk}"
    response = client.post(_url("batch_create") + query, {"reason": "毕业离校", "valid_days": "0"})
    page = response.content.decode()
    assert response.status_code == 200 and "errorlist" in page
    response = client.post(_url("batch_create") + query, {"reason": "毕业离校"})
    page = response.content.decode()
    assert "请至少选择一名党员" in page and not TransferBatch.objects.exists()
    assert f'id="p{student.pk}" >' in page
    page = client.get(_url("batch_create") + "?organisation=999999").content.decode()
    assert "errorlist" in page


def test_list_and_detail_cost_the_same_queries_with_more_rows(as_user, world, sent):
    client = as_user(world.org_officer)
    with capture_queries() as few:
        client.get(_url("transfer_list"))
    for n in range(5):
        person = make_person(world.branch_b, name=f"转出{n}")
        services.transfer_issue_letter(
            actor=world.org_officer, person=person, destination_text="某地", reason="毕业"
        )
    with assert_max_queries(len(few)):
        assert client.get(_url("transfer_list")).status_code == 200
    with assert_max_queries(20):
        assert client.get(_url("transfer_detail", sent.pk)).status_code == 200


def test_api_by_role(api_as_role, world, sent, letter):
    anonymous = (401, 403)
    assert_role_matrix(api_as_role, API, {"officer": 200, "member": 200, "anonymous": anonymous})
    assert_role_matrix(
        api_as_role,
        f"{API}{letter.pk}/",
        {"officer": 200, "other_officer": 404, "member": 404, "anonymous": anonymous},
    )
    assert_role_matrix(
        api_as_role,
        f"{API}{sent.pk}/receive/",
        {"other_officer": 200, "officer": 403, "member": 403, "anonymous": anonymous},
        method="post",
        data={"note": "同意"},
        format="json",
    )
    assert_role_matrix(
        api_as_role,
        f"{API}{letter.pk}/slip/",
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": anonymous},
        method="post",
        data={"returned_on": TODAY.isoformat()},
        format="json",
    )
    new = {
        "person": make_person(world.branch_a).pk,
        "destination_org": world.branch_b.pk,
        "reason": "调动",
    }
    assert_role_matrix(
        api_as_role,
        API,
        {"officer": 201, "other_officer": 400, "member": 403, "anonymous": anonymous},
        method="post",
        data=new,
        format="json",
    )
    assert api_as_role("officer").patch(f"{API}{sent.pk}/", {"note": "x"}).status_code == 405
    assert api_as_role("officer").delete(f"{API}{sent.pk}/").status_code == 405


def test_api_workflow_and_bad_input(api_as_role, world, sent):
    gb_b = make_officer(world.gb_b)
    api = api_as_role("other_officer")
    assert api.post(f"{API}{sent.pk}/receive/", {}, format="json").status_code == 200
    response = api_as_role("gb_officer").post(f"{API}{sent.pk}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "received"
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(gb_b)
    response = client.post(f"{API}{sent.pk}/approve/", {"note": "同意"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "completed"
    response = client.post(f"{API}{sent.pk}/reject/", {"note": "晚了"}, format="json")
    assert response.status_code == 400 and "state" in response.json()
    officer = api_as_role("officer")
    response = officer.post(f"{API}out/", {"person": "abc", "valid_days": 0}, format="json")
    assert response.status_code == 400
    assert {"person", "destination_text", "reason", "valid_days"} <= set(response.json())
    response = officer.post(
        f"{API}out/",
        {
            "person": make_person(world.branch_a).pk,
            "destination_text": "某市委组织部",
            "reason": "毕业",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["letter_number"]
    letter = response.json()["id"]
    response = officer.post(f"{API}{letter}/slip/", {"returned_on": "1999-01-01"}, format="json")
    assert response.status_code == 400 and "returned_on" in response.json()
    response = officer.post(f"{API}arrive/", {"name": "x"}, format="json")
    assert response.status_code == 400 and "letter_number" in response.json()
    response = officer.post(
        f"{API}arrive/",
        {
            "destination_org": world.branch_a.pk,
            "letter_number": "A-9",
            "origin_text": "某大学",
            "reason": "入职",
            "name": "新来",
            "gender": "F",
            "ethnicity": "汉族",
            "category": "staff",
            "party_status": "full",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "in"
    assert officer.post(API, ["x"], format="json").status_code == 400
    assert officer.get(API, {"overdue": "perhaps"}).status_code == 400
