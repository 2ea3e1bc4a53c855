"""党校培训 in Chromium (issue 16 part 4): the general branch's officer records a session's
attendance and an activist's exam in the activists' class; the pass is on the activist's
development case, whose step 3 (确定为培养考察对象) then goes through."""

import pytest
from django.urls import reverse

from dangjian.development.models import Case, Stage
from dangjian.orglife.models import StudyRecord
from dangjian.partyschool.models import ExamResult
from tests.partyschool import conftest as partyschool_fixtures

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
school = partyschool_fixtures.school  # the class of the journey


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


def test_an_activist_passes_the_exam_and_becomes_a_candidate(
    world, school, live_server, browser, shot
):
    page, errors = _login(browser, live_server, school.officer)
    page.click("text=党校培训")
    page.click(f"text={school.training.title}")
    # A session, then its attendance: the activist attended.
    page.click("text=新增课次")
    page.fill("#id_held_on", school.today.isoformat())
    page.fill("#id_topic", "党章学习")
    page.fill("#id_hours", "4")
    page.click("form button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.click("#sessions a:has-text('登记出勤')")
    page.check(f"input[name=present][value='{school.activist.pk}']")
    page.click("form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert StudyRecord.objects.filter(person=school.activist, hours=4).exists()
    # The exam: a typo first (kept, refused in Chinese), then the pass.
    page.click("text=登记成绩")
    page.fill("#id_person", "孙")
    page.click(".dj-typeahead-menu.show >> text=孙积极")
    page.fill("#id_taken_on", school.today.isoformat())
    page.fill("#id_score", "850")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=考试成绩应在0至100分之间")
    assert page.input_value("#id_score") == "850"
    page.fill("#id_score", "85")
    page.click("form button[type=submit]")
    page.wait_for_selector(".alert-success")
    shot(page, "partyschool-class")
    result = ExamResult.objects.get()
    assert result.passed

    # The dossier: step 3 is ready, the exam filled in by the Party school.
    page.goto(live_server.url + reverse("development:case_detail", args=[school.case.pk]))
    assert page.input_value("#id_exam_passed_on") == school.today.isoformat()
    page.fill("#id_on", school.today.isoformat())
    page.click("button:has-text('确定为培养考察对象')")
    page.wait_for_selector(".alert-success")
    shot(page, "partyschool-case-candidate")
    assert Case.objects.get(pk=school.case.pk).stage == Stage.CANDIDATE
    assert not [e for e in errors if "Content Security Policy" in e]

    # The class page on a phone: no sideways overflow.
    phone, more = _login(browser, live_server, school.officer, width=390)
    phone.goto(live_server.url + reverse("partyschool:class_detail", args=[school.training.pk]))
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    shot(phone, "partyschool-class-phone")
    assert not overflow
