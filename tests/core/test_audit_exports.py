"""Finding: exporting 5,000 full ID numbers wrote no audit row. Every export and print of
personal data writes one EXPORT/PRINT event: who, what (the export's title), how many rows."""

import pytest
from django.urls import reverse

from dangjian.core.models import SecurityEvent
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("id"))


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_exporting_n_people_writes_one_export_event_with_n_rows(world, as_user):
    for _ in range(7):
        make_person(world.branch_b)
    client = as_user(world.org_officer)
    response = client.get(reverse("org:person_export"), REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 200
    content = download(response)
    assert content.startswith(b"PK")
    from dangjian.org.models import Person

    [event] = events(SecurityEvent.Kind.EXPORT)
    assert event.rows == Person.objects.count()
    assert event.user == world.org_officer
    assert event.username == world.org_officer.username
    assert event.ip == "10.0.0.8"
    assert "人员名册" in event.detail and "完整身份证号" in event.detail


def test_a_secretarys_export_counts_only_their_scope_and_says_masked(world, as_user):
    response = as_user(world.secretary_a).get(reverse("org:person_export"))
    download(response)
    [event] = events(SecurityEvent.Kind.EXPORT)
    from dangjian.org.models import Person

    assert event.rows == Person.objects.visible_to(world.secretary_a).count()
    assert event.detail == "人员名册"


def test_a_refused_export_writes_no_export_event(world, as_user):
    response = as_user(world.member_user).get(reverse("org:person_export"))
    assert response.status_code == 403
    assert events(SecurityEvent.Kind.EXPORT) == []


def test_an_export_is_recorded_once_when_its_file_is_written(world, as_user):
    # Exports run as jobs (core.jobs): the event is written with the file, not at download.
    response = as_user(world.org_officer).get(reverse("org:person_export"))
    assert len(events(SecurityEvent.Kind.EXPORT)) == 1
    download(response)
    assert len(events(SecurityEvent.Kind.EXPORT)) == 1


def test_the_development_export_is_recorded(world, as_user):
    response = as_user(world.org_officer).get(reverse("development:case_export"))
    download(response)
    [event] = events(SecurityEvent.Kind.EXPORT)
    assert "发展党员工作台账" in event.detail and event.rows == 0


def test_the_helpers_count_rows_and_record_prints(world, rf):
    from dangjian.core.export import PersonalDataAudit, render_print

    request = rf.get("/x/")
    request.user = world.secretary_a
    audit = PersonalDataAudit(request, "测试")
    assert list(audit.count(iter([1, 2, 3]))) == [1, 2, 3]
    audit.record()
    audit.record()
    render_print(request, "core/print_base.html", {}, label="纪实表", rows=2)
    [export] = events(SecurityEvent.Kind.EXPORT)
    [printed] = events(SecurityEvent.Kind.PRINT)
    assert (export.rows, export.detail) == (3, "测试")
    assert (printed.rows, printed.detail, printed.user) == (2, "纪实表", world.secretary_a)


def test_the_posts_registration_print_is_recorded_with_its_rows(world, as_user):
    response = as_user(world.secretary_a).get(reverse("posts:registration"))
    assert response.status_code == 200
    [event] = events(SecurityEvent.Kind.PRINT)
    assert event.user == world.secretary_a
    assert "党员定岗情况登记表" in event.detail
    assert event.rows == len(response.context["rows"])
