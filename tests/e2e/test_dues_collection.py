"""The dues collection grid in Chromium: a secretary fills the month's empty rows with their due
amount (a static script, no inline code under the CSP), saves, and each row shows its state."""

from datetime import date
from decimal import Decimal as D

import pytest

from dangjian.finance import services
from dangjian.finance.models import DuesPayment

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"


def test_a_month_is_filled_with_the_due_amounts_and_saved(world, live_server, browser, shot):
    services.standards_save(
        actor=world.secretary_a,
        branch=world.branch_a,
        year=2026,
        rows=[
            services.StandardRow(person_id=world.member_a.pk, kind="in_work", base=D(3000)),
            services.StandardRow(
                person_id=world.secretary_a.person.pk, kind="retired", base=D(5000.01)
            ),
        ],
    )
    world.secretary_a.set_password(PASSWORD)
    world.secretary_a.save()
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", world.secretary_a.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(
        live_server.url + f"/finance/dues/collection/?org={world.branch_a.pk}&year=2026&month=3"
    )
    page.fill("#fill-date", "2026-03-20")
    page.click("#fill-due")
    assert page.input_value(f"input[name=paid_{world.member_a.pk}]") == "15.00"
    assert page.input_value(f"#paid_on_{world.member_a.pk}") == "2026-03-20"
    page.click("form[method=post] button[type=submit]")
    page.wait_for_selector(".alert-success")
    shot(page, "dues-collection-phone")

    paid = dict(DuesPayment.objects.values_list("person_id", "paid"))
    assert paid == {world.member_a.pk: D("15.00"), world.secretary_a.person.pk: D("50.00")}
    assert set(DuesPayment.objects.values_list("paid_on", flat=True)) == {date(2026, 3, 20)}
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not [e for e in errors if "Content Security Policy" in e]
