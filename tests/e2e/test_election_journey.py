"""换届选举 in Chromium (issue 15): a branch's election from the plan to the appointed committee
— the secretary drafts and submits the plan, the general branch approves it, the candidates
are named, the ballot recorded, the general branch approves the result, and one step appoints
the new committee. Screenshots at 1366 px and 390 px (no sideways overflow on a phone)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from dangjian.elections.models import Election, ElectionState
from dangjian.org.models import Position, Term
from tests.factories import make_person

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"


def _login(browser, live_server, user, width=1366):
    user.set_password(PASSWORD)
    user.save()
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page, errors


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_election_from_plan_to_the_appointed_committee(world, live_server, browser, shot):
    today = date.today()
    Term.objects.create(
        organisation=world.branch_a,
        number=2,
        starts_on=today - timedelta(days=3 * 365 - 40),
        ends_on=today + timedelta(days=45),
    )
    others = [make_person(world.branch_a, name=name) for name in ("孙候选", "周候选", "吴候选")]
    page, errors = _login(browser, live_server, world.secretary_a)
    page.click("nav >> text=换届选举")
    page.wait_for_selector("#terms")
    assert "即将届满" in page.inner_text("#terms")
    shot(page, "elections-terms")
    page.click("text=拟定换届选举方案")
    page.fill("#id_organisation", "机关一")
    page.click(".dj-typeahead-menu.show >> text=机关一支部")
    page.fill("#id_seats", "3")
    page.fill("#id_planned_on", (today + timedelta(days=10)).isoformat())
    page.fill("#id_plan", "委员会3名，差额选举，无记名投票。")
    page.click("form button[type=submit]")
    page.wait_for_selector("#steps")
    election = Election.objects.get()
    detail = live_server.url + reverse("elections:election_detail", args=[election.pk])
    page.click("#do-submit")
    page.wait_for_selector(".alert-success")
    page.close()

    page, more = _login(browser, live_server, world.gb_secretary_a)
    errors += more
    page.goto(detail)
    page.click("#do-approve-plan")
    page.wait_for_selector(".alert-success")
    page.close()

    page, more = _login(browser, live_server, world.secretary_a)
    errors += more
    page.goto(detail)
    for person, title in [(world.secretary_a.person, "secretary")] + [
        (p, t) for p, t in zip(others, ("organisation", "propaganda", "committee"), strict=True)
    ]:
        page.click("a:has-text('增加候选人')")
        page.fill("#id_person", person.name)
        page.click(f".dj-typeahead-menu.show >> text={person.name}")
        page.select_option("#id_title", title)
        page.click("form button[type=submit]")
        page.wait_for_selector(".alert-success")
    assert page.locator("#candidates tbody tr").count() == 4
    page.click("#do-ballot")
    page.fill("#id_entitled", "20")
    page.fill("#id_present", "16")  # exactly four fifths: refused
    for n, c in enumerate(election.candidates.order_by("id")):
        page.fill(f"#id_votes_{c.pk}", str([16, 15, 12, 6][n]))
    page.click("form button[type=submit]")
    assert "五分之四" in page.inner_text("main")
    assert page.input_value("#id_present") == "16"  # what was typed is kept
    page.fill("#id_present", "17")
    shot(page, "elections-ballot")
    page.click("form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "未当选" in page.inner_text("#candidates")
    page.close()

    page, more = _login(browser, live_server, world.gb_secretary_a)
    errors += more
    page.goto(detail)
    page.click("#do-approve-result")
    page.wait_for_selector(".alert-success")
    page.close()

    page, more = _login(browser, live_server, world.secretary_a)
    errors += more
    page.goto(detail)
    page.click("#do-appoint")
    page.fill("#id_starts_on", today.isoformat())
    page.click("form button[type=submit]")
    page.wait_for_selector("#committee")
    shot(page, "elections-appointed")
    committee = page.inner_text("#committee")
    assert "书记：张书记" in committee and "组织委员：孙候选" in committee
    election.refresh_from_db()
    assert election.state == ElectionState.APPOINTED and election.new_term.number == 3
    current = Position.objects.current(today).filter(organisation=world.branch_a)
    assert {p.person.name for p in current} == {"张书记", "孙候选", "周候选"}
    page.click("text=打印选举结果报告")
    page.wait_for_selector("table")
    assert "当选委员3名" in page.inner_text("body")
    page.close()

    phone, more = _login(browser, live_server, world.secretary_a, width=390)
    errors += more
    for url, name in (
        (reverse("elections:term_list"), "elections-terms-phone"),
        (reverse("elections:election_detail", args=[election.pk]), "elections-detail-phone"),
    ):
        phone.goto(live_server.url + url)
        _no_overflow(phone)
        shot(phone, name)
    phone.close()
    assert not [e for e in errors if "Content Security Policy" in e]
