"""Screens of the outreach app: scoping of every view, forms, exports, query counts."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import SecurityEvent
from dangjian.outreach import exports, services
from dangjian.outreach.exports import CONTACT_HEADERS, VISIT_HEADERS
from dangjian.outreach.models import Contact, Visit
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

OFFICER_PAGES = [
    "outreach:contact_list",
    "outreach:contact_export",
    "outreach:link_list",
    "outreach:link_create",
    "outreach:visit_list",
    "outreach:visit_export",
    "outreach:compliance",
    "outreach:compliance_export",
    "outreach:interview_summary",
]
MEMBER_PAGES = ["outreach:my_contacts", "outreach:my_visits", "outreach:visit_create"]


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_officer_pages_by_role(world, as_role, links, name):
    url = reverse(name)
    expected = {"officer": 200, "org_officer": 200, "member": 403, "anonymous": 302}
    assert_role_matrix(as_role, url, expected)
    # another branch's officer asking for branch_a: it does not exist for them
    branch_a = {"org": world.branch_a.pk}
    assert_role_matrix(as_role, url, {"other_officer": 404, "officer": 200}, data=branch_a)


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_pages(world, as_user, links, name):
    url = reverse(name)
    assert as_user(world.member_user).get(url).status_code == 200
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(None).get(url).status_code == 302


def test_my_contacts_refused_to_non_members(world, as_user):
    activist = make_user(make_person(world.branch_a, status="activist"))
    response = as_user(activist).get(reverse("outreach:my_contacts"))
    assert response.status_code == 403 and "只有党员" in response.content.decode()


def _objects(world, links, visit):
    contact = services.contact_create(
        actor=world.member_user, member=world.member_a, name="群众甲", relation="同事"
    )
    v = visit(kind="teacher_dorm", link=links.dorm, visited_on=date(2025, 3, 31))
    return [
        ("outreach:contact_detail", contact.pk),
        ("outreach:link_detail", links.dorm.pk),
        ("outreach:visit_detail", v.pk),
        ("outreach:visit_edit", v.pk),
    ]


def test_detail_pages_scoped(world, as_role, links, visit):
    world.other_member = make_user(world.member_b)
    expected = {
        "officer": 200,
        "member": 200,  # their own
        "other_officer": 404,
        "other_member": 404,
        "anonymous": 302,
    }
    for name, pk in _objects(world, links, visit):
        assert_role_matrix(as_role, reverse(name, args=[pk]), expected)


def test_detail_pages_show_the_audit_trail(world, as_user, links, visit):
    for name, pk in _objects(world, links, visit)[:3]:
        html = as_user(world.secretary_a).get(reverse(name, args=[pk])).content.decode()
        assert "操作记录" in html and "新建" in html, name


def test_member_adds_contacts_on_the_phone_page_fourth_refused(world, as_user):
    client = as_user(world.member_user)
    url = reverse("outreach:my_contacts")
    for i in range(3):
        data = {"name": f"群众{i}", "relation": "同事", "since": "2025-01-01"}
        assert client.post(url, data).status_code == 302
    assert Contact.objects.filter(member=world.member_a).count() == 3
    html = client.get(url).content.decode()
    assert "已联系3名党外群众" in html
    response = client.post(url, {"name": "第四人", "relation": "邻居", "since": "2025-01-01"})
    assert response.status_code == 200
    assert (
        "1～3名党外群众" in response.content.decode()
        and 'value="第四人"' in response.content.decode()
    )


def test_member_ends_contact(world, as_user):
    c = services.contact_create(
        actor=world.member_user, member=world.member_a, name="群众甲", relation="同事"
    )
    client = as_user(world.member_user)
    client.post(reverse("outreach:contact_end", args=[c.pk]), {"ended_on": c.since.isoformat()})
    c.refresh_from_db()
    assert c.ended_on == c.since
    other = services.contact_create(
        actor=world.secretary_b, member=world.member_b, name="群众乙", relation="同学"
    )
    assert client.post(reverse("outreach:contact_end", args=[other.pk])).status_code == 404


def test_officer_adds_contact_for_member(world, as_user):
    url = reverse("outreach:contact_add", args=[world.member_a.pk])
    data = {"name": "群众甲", "relation": "同事", "since": "2025-01-01"}
    assert as_user(world.secretary_b).get(url).status_code == 404
    assert as_user(world.member_user).get(url).status_code == 403
    assert as_user(world.secretary_a).post(url, data).status_code == 302
    assert Contact.objects.filter(member=world.member_a).count() == 1


def test_visit_create_from_the_phone_form(world, as_user, links):
    client = as_user(world.member_user)
    url = reverse("outreach:visit_create")
    html = client.get(url, {"link": links.dorm.pk}).content.decode()
    assert "3号楼学生宿舍" in html
    data = {
        "kind": "teacher_dorm",
        "link": links.dorm.pk,
        "visited_on": "2099-01-01",
        "method": "face",
        "content": "走访宿舍",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "走访日期不能晚于今天" in response.content.decode()
    data["visited_on"] = "2025-03-31"
    assert client.post(url, data).status_code == 302
    assert Visit.objects.get().link_id == links.dorm.pk


def test_link_create_by_officer(world, as_user, units):
    teacher = make_person(world.branch_a, name="教师戊")
    client = as_user(world.secretary_a)
    url = reverse("outreach:link_create")
    response = client.post(
        url,
        {"visitor": teacher.pk, "kind": "teacher_dorm", "target": "", "since": "2025-01-01"},
    )
    assert response.status_code == 200 and "宿舍" in response.content.decode()
    response = client.post(
        url,
        {"visitor": teacher.pk, "kind": "teacher_dorm", "target": "5号楼", "since": "2025-01-01"},
    )
    assert response.status_code == 302


def _grow(world, links, n):
    """n members with contacts, n dorm links and n visits in branch_a."""
    for i in range(n):
        person = make_person(world.branch_a, name=f"党员{i}")
        services.contact_create(
            actor=world.secretary_a, member=person, name=f"群众{i}", relation="同事"
        )
        link = services.link_create(
            actor=world.secretary_a,
            visitor=person,
            kind="teacher_dorm",
            target=f"{i}号楼",
            since=date(2024, 9, 1),
        )
        services.visit_create(
            actor=world.secretary_a,
            visitor=person,
            kind="teacher_dorm",
            link=link,
            visited_on=date(2025, 3, 5),
            content="走访",
            interviewee=f"学生{i}",
            needs_follow_up=True,
        )


@pytest.mark.parametrize(
    "name,params",
    [
        ("outreach:contact_list", {}),
        ("outreach:link_list", {}),
        ("outreach:visit_list", {}),
        ("outreach:visit_list", {"follow": "pending"}),
        ("outreach:compliance", {"on": "2025-03-10"}),
        ("outreach:interview_summary", {"year": "2025"}),
    ],
)
def test_list_pages_constant_queries(world, as_user, links, name, params):
    client = as_user(world.secretary_a)
    url = reverse(name)
    _grow(world, links, 2)
    with capture_queries() as small:
        assert client.get(url, params).status_code == 200
    _grow(world, links, 4)
    with assert_num_queries(small, name):
        response = client.get(url, params)
        assert response.status_code == 200


def test_my_visits_constant_queries(world, as_user, links, visit):
    client = as_user(world.member_user)
    visit(needs_follow_up=True)
    with capture_queries() as small:
        client.get(reverse("outreach:my_visits"))
    for _ in range(5):
        visit(kind="teacher_dorm", link=links.dorm)
    with assert_num_queries(small):
        html = client.get(reverse("outreach:my_visits")).content.decode()
    assert "待回访" in html and "已走访" in html


def test_contact_list_marks_members_without_contacts(world, as_user):
    services.contact_create(
        actor=world.member_user, member=world.member_a, name="群众甲", relation="同事"
    )
    html = as_user(world.secretary_a).get(reverse("outreach:contact_list")).content.decode()
    assert "群众甲" in html and "未联系群众" in html  # the secretary has none
    response = as_user(world.secretary_a).get(reverse("outreach:contact_list"), {"status": "none"})
    assert "赵党员" not in response.content.decode()


def test_compliance_page_statuses_and_rollup(world, as_user, links, visit):
    visit(kind="teacher_dorm", link=links.dorm, visited_on=date(2025, 3, 31))
    html = as_user(world.org_officer).get(reverse("outreach:compliance"), {"on": "2025-03-10"})
    html = html.content.decode()
    assert "已完成" in html and "逾期未完成" in html and "按党组织汇总" in html
    assert "2025年3月" in html and "2024—2025学年第二学期" in html
    mine = as_user(world.secretary_a).get(reverse("outreach:compliance")).content.decode()
    assert "院领导乙" not in mine and "赵党员" in mine


def test_compliance_export_keeps_the_filters(world, as_user, links, visit):
    visit(kind="teacher_dorm", link=links.dorm, visited_on=date(2025, 3, 31))
    client = as_user(world.org_officer)
    params = {"on": "2025-03-10", "status": "overdue"}
    page = client.get(reverse("outreach:compliance"), params).context["page"]
    response = client.get(reverse("outreach:compliance_export"), params)
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[1]) == exports.LINK_HEADERS
    rows = values[2:]
    assert rows and all(r[8] == "逾期未完成" for r in rows)
    assert [r[1] for r in rows] == [link.visitor.name for link in page.rows]
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


def test_interview_summary_counts(world, as_user, visit):
    visit(focus_group="freshman", needs_follow_up=True, visited_on=date(2025, 3, 1))
    visit(kind="cadre_teacher", focus_group="young_teacher", visited_on=date(2025, 3, 2))
    response = as_user(world.org_officer).get(reverse("outreach:interview_summary"), {"year": 2025})
    summary = response.context["summary"]
    assert summary["total"] == 2 and summary["pending_count"] == 1
    row = next(r for r in summary["matrix"] if r["kind"] == "teacher_student")
    assert row["total"] == 1
    assert "新生" in response.content.decode()


def _sheet(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(wb.active.iter_rows(values_only=True))


def test_contact_export_header(world, as_user):
    services.contact_create(
        actor=world.member_user, member=world.member_a, name="群众甲", relation="同事"
    )
    rows = _sheet(as_user(world.secretary_a).get(reverse("outreach:contact_export")))
    assert list(rows[1]) == CONTACT_HEADERS
    assert any(r[1] == "赵党员" and "群众甲（同事）" in r[5] for r in rows[2:])


def test_visit_export_header(world, as_user, links, visit):
    visit(kind="teacher_dorm", link=links.dorm, visited_on=date(2025, 3, 31))
    rows = _sheet(as_user(world.secretary_a).get(reverse("outreach:visit_export")))
    assert list(rows[1]) == VISIT_HEADERS
    assert rows[2][1] == "赵党员" and rows[2][4] == "3号楼学生宿舍"


@pytest.mark.parametrize(
    ("name", "default"),
    [
        ("outreach:contact_list", "中共示范学院委员会"),
        ("outreach:link_list", None),
        ("outreach:visit_list", None),
        ("outreach:compliance", None),
        ("outreach:interview_summary", "中共示范学院委员会"),
    ],
)
def test_organisation_filter_is_a_typeahead_not_a_select(world, as_user, name, default):
    client = as_user(world.org_officer)
    page = client.get(reverse(name)).content.decode()
    assert 'id="f-org"' in page and reverse("org:pick_organisations") in page
    assert "信息工程学院学生支部</option>" not in page
    if default:  # no choice: the top of the scope, shown as chosen
        assert f'value="{default}"' in page
    chosen = client.get(reverse(name), {"org": world.branch_a.pk}).content.decode()
    assert f'value="{world.branch_a.name}"' in chosen
