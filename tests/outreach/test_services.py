"""Services of the outreach app: rules enforced with the rule named, rights, audit, compliance."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.outreach import selectors, services
from dangjian.outreach.models import Contact, Link, Visit
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def add(world, n, actor=None, member=None):
    return [
        services.contact_create(
            actor=actor or world.member_user,
            member=member or world.member_a,
            name=f"群众{i}",
            relation="同事",
        )
        for i in range(n)
    ]


# 《基层组织建设实施意见》§四(二)4(2): 每个党员都要联系1～3名党外群众
def test_three_contacts_ok_fourth_refused_with_rule(world):
    add(world, 3)
    with pytest.raises(ValidationError) as exc:
        add(world, 1)
    assert "1～3名党外群众" in exc.value.message_dict["name"][0]
    assert Contact.objects.filter(member=world.member_a).count() == 3


def test_ended_contact_frees_a_place(world):
    first, *_ = add(world, 3)
    services.contact_end(actor=world.member_user, contact=first)
    add(world, 1)
    assert Contact.objects.filter(member=world.member_a, ended_on__isnull=True).count() == 3
    assert AuditEvent.objects.filter(object_id=first.pk, action="status").exists()


def test_party_member_refused_as_contact(world):
    masses = make_person(world.branch_a, status="masses", name="群众丁")
    row = services.contact_create(
        actor=world.member_user, member=world.member_a, contact=masses, relation="邻居"
    )
    assert row.name == "群众丁"
    with pytest.raises(ValidationError) as exc:
        services.contact_create(
            actor=world.member_user, member=world.member_a, contact=world.member_b, relation="同学"
        )
    assert "党外群众" in exc.value.message_dict["contact"][0]


def test_contact_rights(world):
    add(world, 1, actor=world.secretary_a)  # officer of the member's branch
    add(world, 1, actor=world.gb_secretary_a)  # and of the level above
    with pytest.raises(PermissionDenied):
        add(world, 1, actor=world.secretary_b)
    with pytest.raises(PermissionDenied):
        add(world, 1, actor=world.member_user, member=world.member_b)
    masses = make_person(world.branch_a, status="activist")
    with pytest.raises(ValidationError) as exc:
        services.contact_create(actor=world.secretary_a, member=masses, name="x", relation="y")
    assert "只有党员" in exc.value.message_dict["member"][0]


def test_school_leader_links_set_by_the_department(world, units):
    leader = make_person(world.branch_a)
    with pytest.raises(PermissionDenied) as exc:
        services.link_create(
            actor=world.secretary_a, visitor=leader, kind="leader_college", unit=units.college
        )
    assert "组织部" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.link_create(
            actor=world.org_officer, visitor=leader, kind="leader_college", unit=units.klass
        )
    assert "二级学院" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as exc:
        services.link_create(actor=world.secretary_a, visitor=leader, kind="teacher_dorm")
    assert "宿舍" in exc.value.message_dict["target"][0]
    student = make_person(world.branch_a, category="student")
    with pytest.raises(ValidationError) as exc:
        services.link_create(
            actor=world.secretary_a, visitor=student, kind="teacher_dorm", target="1号楼"
        )
    assert "党员" in exc.value.message_dict["visitor"][0]
    with pytest.raises(PermissionDenied):
        services.link_create(
            actor=world.secretary_b, visitor=leader, kind="teacher_dorm", target="1号楼"
        )


def test_visit_rules(world, links, visit):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        visit(visited_on=tomorrow)
    assert exc.value.message_dict["visited_on"] == ["走访日期不能晚于今天。"]
    with pytest.raises(ValidationError) as exc:
        visit(kind="leader_class", link=links.klass)
    assert "本人的联系点" in exc.value.message_dict["link"][0]
    with pytest.raises(ValidationError) as exc:
        visit(kind="teacher_student", interviewee="")
    assert "interviewee" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        visit(kind="teacher_dorm", link=links.dorm, visited_on=date(2024, 8, 31))
    assert "联系期间" in exc.value.message_dict["visited_on"][0]
    # the visitor's only link of the kind is taken when none is chosen
    v = visit(kind="teacher_dorm", visited_on=date(2025, 3, 31))
    assert v.link_id == links.dorm.pk
    assert AuditEvent.objects.filter(object_id=v.pk, action="create").exists()


def test_officer_records_and_member_edits(world, links, visit):
    v = visit(actor=world.secretary_a, visitor=world.member_a)
    assert v.visitor_id == world.member_a.pk
    services.visit_update(actor=world.member_user, visit=v, content="改")
    with pytest.raises(PermissionDenied):
        services.visit_update(actor=world.secretary_b, visit=v, content="x")
    services.visit_delete(actor=world.member_user, visit=v)
    assert not Visit.objects.filter(pk=v.pk).exists()


def compliance(world, day, link):
    qs = selectors.compliance(world.org_officer, day)
    row = qs.get(pk=link.pk)
    selectors.decorate([row], day, today=date(2025, 12, 31))
    return row


# 《基层组织建设实施意见》§四(四)1: 党员教师每月至少1次深入所联系学生的宿舍 — the last day of the
# month counts
def test_dorm_visit_on_last_day_of_month_counts(world, links, visit):
    visit(kind="teacher_dorm", link=links.dorm, visited_on=date(2025, 3, 31))
    assert compliance(world, date(2025, 3, 1), links.dorm).done == 1
    assert compliance(world, date(2025, 3, 1), links.dorm).status == "done"
    april = compliance(world, date(2025, 4, 1), links.dorm)
    assert april.done == 0 and april.status == "overdue"


# 《基层组织建设实施意见》§四(四)1: 二级学院领导每季度至少1次 — the quarter's last day vs the next
# day
def test_class_visit_quarter_boundary(world, links, visit):
    actor = world.org_officer
    visit(
        actor=actor, visitor=links.college_leader, kind="leader_class", visited_on=date(2025, 4, 1)
    )
    q1 = compliance(world, date(2025, 2, 1), links.klass)
    assert (q1.done, q1.status) == (0, "overdue")
    visit(
        actor=actor, visitor=links.college_leader, kind="leader_class", visited_on=date(2025, 3, 31)
    )
    q1 = compliance(world, date(2025, 2, 1), links.klass)
    q2 = compliance(world, date(2025, 5, 1), links.klass)
    assert (q1.done, q1.status) == (1, "done")
    assert q2.done == 1 and q2.period.label == "2025年第2季度"


def test_period_due_then_overdue(world, links):
    qs = selectors.compliance(world.org_officer, date(2025, 3, 10))
    row = qs.get(pk=links.dorm.pk)
    selectors.decorate([row], date(2025, 3, 10), today=date(2025, 3, 31))
    assert row.status == "due"
    selectors.decorate([row], date(2025, 3, 10), today=date(2025, 4, 1))
    assert row.status == "overdue"


def test_frequencies_from_settings(world, links, visit, settings):
    settings.OUTREACH_FREQUENCIES = {"teacher_dorm": ("month", 2)}
    visit(kind="teacher_dorm", link=links.dorm, visited_on=date(2025, 3, 31))
    row = compliance(world, date(2025, 3, 1), links.dorm)
    assert (row.required, row.done, row.status) == (2, 1, "overdue")


def test_links_ended_before_period_are_left_out(world, links):
    services.link_end(actor=world.secretary_a, link=links.dorm, ended_on=date(2025, 2, 28))
    qs = selectors.compliance(world.org_officer, date(2025, 3, 10))
    assert not qs.filter(pk=links.dorm.pk).exists()
    assert Link.objects.get(pk=links.dorm.pk).ended_on == date(2025, 2, 28)
    with pytest.raises(PermissionDenied):
        services.link_end(actor=world.secretary_a, link=links.college)


# 《组织建设年实施方案》§四(二): 需要强化访谈效果的，要进行回访
def test_follow_up_pending_until_a_later_follow_up(world, visit):
    first = visit(needs_follow_up=True, visited_on=date(2025, 3, 1))
    pending = selectors.pending_follow_ups(Visit.objects.all())
    assert list(pending) == [first]
    visit(kind="follow_up", method="phone", visited_on=date(2025, 2, 1))  # earlier: no
    assert selectors.pending_follow_ups(Visit.objects.all()).count() == 1
    visit(kind="follow_up", method="phone", visited_on=date(2025, 3, 20))
    assert selectors.pending_follow_ups(Visit.objects.all()).count() == 0


def test_ending_a_contact_is_recorded_as_its_named_event(world):
    first, *_ = add(world, 1)
    services.contact_end(actor=world.member_user, contact=first)
    row = AuditEvent.objects.get(object_id=first.pk, event="outreach.contact_ended")
    assert row.label == "结束联系群众" and row.action == "status"
