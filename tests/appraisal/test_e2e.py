"""In Chromium: the general branch secretary creates a quarterly evaluation of 机关一支部; a
member writes the 述岗自评 on a phone; the branch secretary enters the 综合评定; the general
branch secretary rates the branch secretary, computes and publishes; the member sees the result
with its sub-scores on the phone; the public board lists the member under the grade and shows
no ID number or phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.appraisal.models import CycleState, EvaluationCycle, EvaluationResult
from dangjian.org.models import Person
from tests.e2e.conftest import browser, shot  # noqa: F401  (fixtures)
from tests.factories import make_id_number

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Secret-2026"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
ID_NUMBER_SEQ = 42
MEMBER_PHONE = "13987654321"


def login(browser, live_server, user, viewport):  # noqa: F811
    user.set_password(PASSWORD)
    user.save()
    mobile = viewport == PHONE
    context = browser.new_context(
        viewport=viewport, locale="zh-CN", is_mobile=mobile, has_touch=mobile
    )
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= 390")


def test_member_duty_evaluation_journey(world, live_server, browser, shot):  # noqa: F811
    member = Person.objects.get(pk=world.member_a.pk)
    member.id_number = make_id_number(member.birth_date, ID_NUMBER_SEQ)
    member.phone = MEMBER_PHONE
    member.save(update_fields=["id_number", "phone"])
    chief = world.gb_secretary_a  # 王总支书记, the officer above 机关一支部
    today = timezone.localdate()

    # 0. the general branch secretary creates the cycle (no 民意测评: weight 0)
    above = login(browser, live_server, chief, DESK)
    above.goto(live_server.url + "/appraisal/new/")
    above.select_option("#id_organisation", str(world.branch_a.pk))
    above.fill("#id_starts_on", (today - timedelta(days=10)).isoformat())
    above.fill("#id_ends_on", (today + timedelta(days=10)).isoformat())
    above.fill("#id_weight_self", "20")
    above.fill("#id_weight_masses", "0")
    above.fill("#id_weight_branch", "80")
    shot(above, "appraisal-0-create-desk")
    above.click("button:has-text('创建考评')")
    above.wait_for_selector("#progress")
    cycle = EvaluationCycle.objects.get()
    assert cycle.organisation_id == world.branch_a.pk and not cycle.has_survey
    assert set(cycle.results.values_list("person__name", flat=True)) == {"张书记", "赵党员"}
    assert "本次不组织民意测评" in above.inner_text("main")

    # 1. the member writes the 述岗自评 on a phone
    phone = login(browser, live_server, world.member_user, PHONE)
    phone.goto(live_server.url + "/appraisal/mine/")
    phone.wait_for_selector(".open-cycle")
    assert cycle.title in phone.inner_text(".open-cycle")
    phone.click("a:has-text('填写述岗自评')")
    phone.fill("#id_report", "认真履行党员示范岗职责，按时参加组织生活，兑现了年初公开承诺。")
    phone.fill("#id_self_score", "92")
    assert no_sideways_scroll(phone)
    shot(phone, "appraisal-1-self-report-phone")
    phone.click("button:has-text('提交述岗自评')")
    phone.wait_for_url(live_server.url + "/appraisal/mine/")
    assert "已提交述岗自评" in phone.inner_text(".alert-success")
    assert "已提交" in phone.inner_text(".open-cycle")
    assert "自评92分" in phone.inner_text(".open-cycle")
    assert no_sideways_scroll(phone)
    shot(phone, "appraisal-1-mine-submitted-phone")

    # 2. the branch secretary enters the 综合评定 of the branch
    desk = login(browser, live_server, world.secretary_a, DESK)
    desk.goto(f"{live_server.url}/appraisal/{cycle.pk}/")
    desk.click("#progress a:has-text('综合评定')")
    desk.wait_for_selector("#rating")
    rating = desk.inner_text("#rating")
    assert "自评92分" in rating and "本人，不能为自己评分" in rating
    desk.fill(f"input[name='p{world.member_a.pk}-score']", "95")
    desk.fill(f"input[name='p{world.member_a.pk}-comment']", "履职尽责，群众认可")
    shot(desk, "appraisal-2-rating-desk")
    desk.click("button:has-text('全部保存')")
    desk.wait_for_selector("text=已保存1名党员的综合评定。")
    desk.click(".nav-tabs a:has-text('进度')")
    desk.wait_for_selector("#progress")
    row = desk.inner_text("#progress tbody tr")
    assert "机关一支部" in row and row.count("1 / 2") == 2  # reported 1/2, rated 1/2
    shot(desk, "appraisal-2-progress-desk")

    # 3. the officer above rates the secretary, computes and publishes
    above.goto(f"{live_server.url}/appraisal/{cycle.pk}/")
    assert "张书记" in above.inner_text("#blockers")
    assert above.is_disabled("#compute button:has-text('计算考评结果')")
    above.click(".nav-tabs a:has-text('综合评定')")
    above.wait_for_selector("#rating")
    above.fill(f"input[name='p{world.secretary_a.person_id}-score']", "85")
    above.click("button:has-text('全部保存')")
    above.wait_for_selector("text=已保存1名党员的综合评定。")
    above.click(".nav-tabs a:has-text('进度')")
    above.wait_for_selector("#compute")
    assert above.query_selector("#blockers") is None
    shot(above, "appraisal-3-ready-desk")
    above.once("dialog", lambda d: d.accept())
    above.click("#compute button:has-text('计算考评结果')")
    above.wait_for_selector("text=已计算考评结果")
    assert EvaluationCycle.objects.get().state == CycleState.COMPUTED
    above.click(".nav-tabs a:has-text('进度')")
    above.once("dialog", lambda d: d.accept())
    above.click("button:has-text('公布考评结果')")
    above.wait_for_selector("text=考评结果已公布")
    above.wait_for_selector("[data-echart='chart-grades'] svg, [data-echart='chart-grades'] canvas")
    rows = {
        tr.query_selector("td:nth-child(2)").inner_text().strip(): tr.inner_text()
        for tr in above.query_selector_all("#results tbody tr")
    }
    assert set(rows) == {"张书记", "赵党员"}
    assert "94.4" in rows["赵党员"] and "优秀" in rows["赵党员"]  # 92×20% + 95×80%
    assert "68.0" in rows["张书记"] and "基本称职" in rows["张书记"]  # 0×20% + 85×80%
    assert "未述岗自评" in rows["张书记"]
    shot(above, "appraisal-3-results-desk")
    result = EvaluationResult.objects.get(cycle=cycle, person=world.member_a)
    assert (str(result.final_score), result.grade) == ("94.4", "优秀")
    assert EvaluationCycle.objects.get().state == CycleState.PUBLISHED

    # 4. the member sees the published result with its sub-scores
    phone.goto(live_server.url + "/appraisal/mine/")
    card = phone.inner_text(".result-card")
    assert "94.4" in card and "优秀" in card
    assert "述岗自评 92.00" in card and "综合评定 95.00" in card
    assert "民意测评" not in card  # no survey in this cycle
    assert phone.query_selector(".open-cycle") is None
    assert no_sideways_scroll(phone)
    shot(phone, "appraisal-4-mine-result-phone")
    phone.click(".result-card")
    phone.wait_for_selector("#subscores")
    subscores = phone.inner_text("#subscores")
    assert "92.00" in subscores and "95.00" in subscores and "本次未组织民意测评" in subscores
    assert "王总支书记" not in phone.content() and "张书记" not in phone.content()
    assert no_sideways_scroll(phone)
    shot(phone, "appraisal-4-result-detail-phone")

    # 5. the public board of the branch: names under the grades, nothing private
    public = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    board = public.new_page()
    board.goto(f"{live_server.url}/public/o/{world.branch_a.code}/")
    section = board.inner_text("#appraisals")
    assert cycle.title in section
    assert "优秀（1名）" in section and "基本称职（1名）" in section
    excellent = board.inner_text("#appraisals dt:has-text('优秀') + dd")
    assert excellent.strip() == "赵党员"
    html = board.content()
    assert member.id_number not in html and MEMBER_PHONE not in html
    assert "94.4" not in section and "认真履行党员示范岗职责" not in html
    assert no_sideways_scroll(board)
    shot(board, "appraisal-5-public-board-phone")
    public.close()
