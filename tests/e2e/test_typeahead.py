"""Type-ahead pickers in Chromium (issue 13): a secretary records a training by searching for the
organisation and the participants instead of scrolling a select of everyone in scope."""

import pytest
from django.utils import timezone

from dangjian.orglife.models import Training

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"


def test_training_participants_are_picked_by_typing(world, live_server, browser):
    world.secretary_a.set_password(PASSWORD)
    world.secretary_a.save()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", world.secretary_a.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/orglife/trainings/new/")
    page.fill("#id_organisation", "机关一")
    page.click(".dj-typeahead-menu.show >> text=机关一支部")
    page.fill("#id_title", "专题党课")
    page.select_option("#id_category", "theory")
    today = timezone.localdate().isoformat()
    page.fill("#id_starts_on", today)
    page.fill("#id_ends_on", today)
    page.fill("#id_hours", "2")
    page.fill("#id_participants", "赵")
    page.click(".dj-typeahead-menu.show >> text=赵党员")
    assert page.is_checked(f"#id_participants_{world.member_a.pk}")
    page.click("form button[type=submit]")
    page.wait_for_selector(".alert-success")

    training = Training.objects.get(title="专题党课")
    assert training.organisation == world.branch_a
    assert list(training.participants.all()) == [world.member_a]
    assert not [e for e in errors if "Content Security Policy" in e]
