"""A published round on the 六公开 board, on 一人一档 and 一支部一档; the deadline reminder."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import reminders
from dangjian.honours import reminders as honour_reminders
from dangjian.honours import services
from dangjian.public import selectors as public_selectors
from dangjian.reports import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, on_notice):
    today = timezone.localdate()
    services.round_decide(
        actor=world.org_officer,
        round=on_notice.round,
        decided_on=today,
        decision_number="院委〔2026〕20号",
    )
    services.round_publish(actor=world.org_officer, round=on_notice.round, published_on=today)
    return on_notice


def test_board_shows_published_awards_only(world, on_notice, client):
    board = public_selectors.board(world.committee, 2026)
    assert board["commendations"] == []
    today = timezone.localdate()
    services.round_decide(actor=world.org_officer, round=on_notice.round, decided_on=today)
    assert public_selectors.board(world.committee, 2026)["commendations"] == []
    services.round_publish(actor=world.org_officer, round=on_notice.round, published_on=today)
    rows = public_selectors.board(world.branch_a, 2026)["commendations"]
    assert [(r["name"], r["category_label"]) for r in rows] == [
        (world.member_a.name, "优秀共产党员")
    ]
    assert public_selectors.board(world.branch_b, 2026)["commendations"] == []


def test_public_board_page_and_api(world, published, client):
    page = client.get(reverse("public:board", args=[world.branch_a.code]) + "?year=2026")
    assert page.status_code == 200 and "表彰（两优一先）" in page.content.decode()
    assert world.member_a.name in page.content.decode()
    api = client.get(f"/api/v1/public/boards/{world.branch_a.code}/?year=2026")
    assert api.status_code == 200 and api.json()["commendations"][0]["name"] == world.member_a.name


def test_person_and_branch_files(world, published):
    today = timezone.localdate()
    person = files.person_file(world.secretary_a, world.member_a, today)
    assert [c.get_category_display() for c in person.commendations] == ["优秀共产党员"]
    org_award = services.round_create(
        actor=world.org_officer,
        title="2028",
        year=2028,
        nomination_deadline=today + timedelta(days=5),
    )
    assert org_award.pk
    unit = services.unit_create(
        actor=world.org_officer,
        organisation=world.branch_a,
        chosen_by=world.committee,
        kind="typical",
        feature="综合典型",
        goals="g",
        leader=world.member_a,
        starts_on=today,
    )
    branch = files.branch_file(world.secretary_a, world.branch_a, today)
    assert branch.model_units == [unit]


def test_deadline_reminder_reaches_the_secretaries_of_quota_holders(world, round_):
    today = timezone.localdate()
    dues = list(honour_reminders.collect(today, today + timedelta(days=14)))
    people = {d.person_id for d in dues}
    # gb_a holds quotas: its secretary and the secretary of branch_a under it
    assert people == {world.gb_secretary_a.person_id, world.secretary_a.person_id}
    assert all("推荐截止" in d.title for d in dues)
    # Once past, or beyond the horizon, nothing
    assert (
        list(honour_reminders.collect(today + timedelta(days=11), today + timedelta(days=25))) == []
    )
    result = reminders.sweep(today)
    assert result.created >= 2


def test_board_shows_the_notice_while_it_runs(world, round_, nominated, client):
    today = timezone.localdate()
    services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=True)
    services.notice_post(
        actor=world.org_officer, round=round_, starts_on=today, ends_on=today + timedelta(days=4)
    )
    rows = public_selectors.board(world.branch_a, today.year)["commendation_notices"]
    assert [r["name"] for r in rows] == [world.member_a.name]
    assert public_selectors.board(world.branch_b, today.year)["commendation_notices"] == []
    page = client.get(reverse("public:board", args=[world.branch_a.code]))
    assert "拟表彰对象" in page.content.decode()
    round_.notice_ends_on = today - timedelta(days=1)
    round_.save()
    assert public_selectors.board(world.branch_a, today.year)["commendation_notices"] == []
