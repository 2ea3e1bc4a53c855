"""Screens of member duty evaluation: the permission matrix, forms, print and XLSX, the chart,
query counts, the member's phone pages."""

import io
import json
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.appraisal import services
from dangjian.appraisal.exports import PROGRESS_HEADERS, RESULT_HEADERS
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationResult,
    Honour,
    MemberRectification,
    SelfReport,
)
from tests.appraisal.conftest import window_today
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

OFFICER_PAGES = [
    "appraisal:cycle_list",
    "appraisal:cycle_create",
    "appraisal:honour_list",
    "appraisal:honour_export",
    "appraisal:rectification_list",
]
CYCLE_PAGES = [
    "appraisal:cycle_detail",
    "appraisal:cycle_results",
    "appraisal:cycle_print",
    "appraisal:cycle_xlsx",
    "appraisal:cycle_progress_xlsx",
    "appraisal:rating",
]


def result_of(cycle, person):
    return EvaluationResult.objects.get(cycle=cycle, person=person)


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_officer_pages_by_role(world, as_user, name):
    url = reverse(name)
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.org_officer).get(url).status_code == 200
    assert as_user(world.member_user).get(url).status_code == 403
    response = as_user(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", CYCLE_PAGES)
def test_cycle_pages_by_role(world, as_user, make_cycle, name):
    start, end = window_today()
    cycle = make_cycle(
        actor=world.secretary_a, organisation=world.branch_a, starts_on=start, ends_on=end
    )
    url = reverse(name, args=[cycle.pk])
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.gb_secretary_a).get(url).status_code == 200
    assert as_user(world.secretary_b).get(url).status_code == 404  # another branch's cycle
    assert as_user(world.member_user).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302


def test_branch_secretary_sees_a_committee_cycle_for_their_branch_only(world, as_user, computed):
    response = as_user(world.secretary_b).get(
        reverse("appraisal:cycle_results", args=[computed.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "钱党员" in body and "赵党员" not in body
    # the cycle list shows the committee's cycle to the branch secretary, marked read-only
    listing = as_user(world.secretary_b).get(reverse("appraisal:cycle_list")).content.decode()
    assert computed.title in listing
    detail = as_user(world.secretary_b).get(reverse("appraisal:cycle_detail", args=[computed.pk]))
    assert "计算考评结果" not in detail.content.decode()  # no compute button for them
    printed = as_user(world.secretary_b).get(reverse("appraisal:cycle_print", args=[computed.pk]))
    text = printed.content.decode()
    assert "填报单位：信息工程学院学生支部" in text and "赵党员" not in text


def test_progress_only_behind_and_export(world, as_user, computed):
    client = as_user(world.org_officer)
    url = reverse("appraisal:cycle_detail", args=[computed.pk])
    rows = client.get(url).context["progress"]["rows"]
    behind = client.get(url + "?attention=1").context["progress"]["rows"]
    assert [r["organisation_id"] for r in behind] == [
        r["organisation_id"]
        for r in rows
        if r["reported"] < r["members"]
        or r["rated"] < r["members"]
        or (r.get("survey") and not r["survey"]["enough"])
    ]
    assert 0 < len(behind) <= len(rows)
    export = client.get(
        reverse("appraisal:cycle_progress_xlsx", args=[computed.pk]) + "?attention=1"
    )
    ws = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[1]) == PROGRESS_HEADERS
    assert [v[1] for v in values[2:]] == [r["organisation__name"] for r in behind]
    assert all(v[8] == "是" for v in values[2:])


def test_progress_behind_rule():
    from dangjian.appraisal.selectors import progress_behind

    done = {"members": 3, "reported": 3, "rated": 3}
    assert not progress_behind(done)
    assert progress_behind({**done, "reported": 2})
    assert progress_behind({**done, "rated": 2})
    assert progress_behind({**done, "survey": {"enough": False}})
    assert not progress_behind({**done, "survey": {"enough": True}})


def test_detail_pages_scoped(world, as_user, computed):
    services.cycle_publish(actor=world.org_officer, cycle=computed)
    a = result_of(computed, world.member_a)
    rect = MemberRectification.objects.get()
    other_member = make_user(world.member_b)
    for name, pk, own in [
        ("appraisal:result_detail", a.pk, world.member_user),
        ("appraisal:rectification_detail", rect.pk, other_member),
    ]:
        url = reverse(name, args=[pk])
        officer = world.secretary_a if own is world.member_user else world.secretary_b
        outsider = world.secretary_b if own is world.member_user else world.secretary_a
        assert as_user(officer).get(url).status_code == 200, name
        assert as_user(own).get(url).status_code == 200, name  # their own
        assert as_user(outsider).get(url).status_code == 404, name
        stranger = world.member_user if own is other_member else other_member
        assert as_user(stranger).get(url).status_code == 404, name
        assert as_user(None).get(url).status_code == 302, name


def test_member_sees_own_result_only_once_published(world, as_user, computed):
    a = result_of(computed, world.member_a)
    url = reverse("appraisal:result_detail", args=[a.pk])
    assert as_user(world.member_user).get(url).status_code == 404
    mine = as_user(world.member_user).get(reverse("appraisal:mine")).content.decode()
    assert "95.5" not in mine and "还没有公布的考评结果" in mine
    services.cycle_publish(actor=world.org_officer, cycle=computed)
    page = as_user(world.member_user).get(url).content.decode()
    assert "95.5" in page and "优秀" in page
    assert "评定人" not in page  # the raters stay unnamed to the member
    mine = as_user(world.member_user).get(reverse("appraisal:mine")).content.decode()
    assert "95.5" in mine and "35.5" not in mine  # not member_b's result


def test_compute_and_publish_buttons(world, as_user, live, rate_all, vote):
    today = timezone.localdate()
    url = reverse("appraisal:cycle_compute", args=[live.pk])
    # missing ratings: refused, every missing piece named on the page
    response = as_user(world.org_officer).post(url, follow=True)
    body = response.content.decode()
    assert "综合评定" in body and "赵党员" in body and "最少3份" in body
    live.refresh_from_db()
    assert live.state == CycleState.OPEN
    rate_all(live, today=today)
    vote(live, today=today)
    # an officer below the cycle's organisation may not compute it
    assert as_user(world.secretary_a).post(url).status_code == 403
    response = as_user(world.org_officer).post(url)
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.state == CycleState.COMPUTED
    publish = reverse("appraisal:cycle_publish", args=[live.pk])
    assert as_user(world.secretary_a).post(publish).status_code == 403
    assert as_user(world.org_officer).post(publish).status_code == 302
    live.refresh_from_db()
    assert live.state == CycleState.PUBLISHED
    assert as_user(world.org_officer).get(url).status_code == 405


def test_create_form_keeps_input_and_names_the_weights_rule(world, as_user, chief):
    c = as_user(chief)
    page = c.get(reverse("appraisal:cycle_create")).content.decode()
    assert 'value="20' in page and 'value="30' in page and 'value="50' in page  # settings
    data = {
        "organisation": world.committee.pk,
        "kind": "year",
        "year": 2026,
        "period": 1,
        "title": "",
        "population": "all",
        "starts_on": "2026-12-01",
        "ends_on": "2027-01-15",
        "weight_self": "19.9",
        "weight_masses": "30",
        "weight_branch": "50",
        "min_responses": "5",
    }
    response = c.post(reverse("appraisal:cycle_create"), data)
    body = response.content.decode()
    assert response.status_code == 200 and "合计须为100" in body and "99.9" in body
    assert 'value="19.9"' in body
    data["weight_self"] = "20"
    response = c.post(reverse("appraisal:cycle_create"), data)
    assert response.status_code == 302
    assert "2026年度党员履岗考评（年终总评）" in c.get(response["Location"]).content.decode()


def test_create_form_offers_only_own_organisations(world, as_user):
    page = as_user(world.secretary_b).get(reverse("appraisal:cycle_create")).content.decode()
    assert world.branch_b.name in page and world.branch_a.name not in page
    response = as_user(world.secretary_b).post(
        reverse("appraisal:cycle_create"), {"organisation": world.branch_a.pk}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_rating_page_saves_all_at_once(world, as_user, live):
    url = reverse("appraisal:rating", args=[live.pk]) + f"?org={world.branch_a.pk}"
    page = as_user(world.secretary_a).get(url).content.decode()
    assert "本人，不能为自己评分" in page and "赵党员" in page
    me, chief_person = world.member_a.pk, live.results.get(person__name="孙书记").person_id
    response = as_user(world.secretary_a).post(
        url,
        {
            f"p{me}-score": "88.5",
            f"p{me}-comment": "作用发挥好",
            f"p{chief_person}-score": "",
            f"p{world.secretary_a.person_id}-score": "99",  # own row: ignored
        },
    )
    assert response.status_code == 302
    assert list(BranchRating.objects.values_list("ratee_id", "score", "comment")) == [
        (me, D("88.5"), "作用发挥好")
    ]
    bad = as_user(world.secretary_a).post(url, {f"p{me}-score": "101"})
    assert bad.status_code == 200 and "0～100" in bad.content.decode()
    assert (
        as_user(world.secretary_a)
        .get(reverse("appraisal:rating", args=[live.pk]) + f"?org={world.branch_b.pk}")
        .status_code
        == 404
    )


def test_rating_page_for_branch_secretary_under_committee_cycle(world, as_user, live):
    page = as_user(world.secretary_b).get(reverse("appraisal:rating", args=[live.pk]))
    assert page.status_code == 200 and "钱党员" in page.content.decode()
    assert "赵党员" not in page.content.decode()


def test_self_report_on_a_phone(world, as_user, live):
    url = reverse("appraisal:self_report", args=[live.pk])
    c = as_user(world.member_user)
    page = c.get(url).content.decode()
    assert "述岗报告" in page and "履职记实" in page and reverse("posts:duty_record_mine") in page
    response = c.post(url, {"report": "", "self_score": "120"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = c.post(url, {"report": "认真履职", "self_score": "91.5"})
    assert response.status_code == 302
    assert SelfReport.objects.get().self_score == D("91.5")
    mine = c.get(reverse("appraisal:mine")).content.decode()
    assert "已提交" in mine and "修改述岗自评" in mine
    # someone not evaluated in the cycle
    activist = make_user(make_person(world.branch_a, status="activist"))
    assert as_user(activist).get(url).status_code == 404
    assert as_user(world.org_officer).get(reverse("appraisal:mine")).status_code == 403


def test_print_and_xlsx_in_the_same_columns(world, as_user, computed):
    c = as_user(world.org_officer)
    page = c.get(reverse("appraisal:cycle_print", args=[computed.pk])).content.decode()
    headers = re.findall(r"<th>(.*?)</th>", page)
    assert headers == RESULT_HEADERS and "党员履岗考评结果表" in page
    assert "a4-landscape" in page and "95.5" in page
    response = c.get(reverse("appraisal:cycle_xlsx", args=[computed.pk]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[1]) == RESULT_HEADERS
    by_name = {r[1]: r for r in rows[2:]}
    assert by_name["赵党员"][7:9] == ("95.5", "优秀")
    assert by_name["钱党员"][4] == "未述岗自评" and by_name["钱党员"][10] == "待说明"
    assert by_name["赵党员"][5] == "85.00（3票）"
    # filtered by branch: the branch's rows only
    response = c.get(
        reverse("appraisal:cycle_xlsx", args=[computed.pk]), {"org": world.branch_b.pk}
    )
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [r[1] for r in list(wb.active.iter_rows(values_only=True))[2:]] == ["李书记", "钱党员"]


def test_results_chart_and_table(world, as_user, computed):
    page = (
        as_user(world.org_officer)
        .get(reverse("appraisal:cycle_results", args=[computed.pk]))
        .content.decode()
    )
    match = re.search(r'<script id="chart-grades" type="application/json">(.*?)</script>', page)
    option = json.loads(match.group(1))
    assert option["yAxis"]["data"] == ["机关党总支", "信息工程学院党总支"]
    assert [s["name"] for s in option["series"]] == ["优秀", "称职", "基本称职", "不称职"]
    assert option["series"][0]["stack"] == "grades"
    assert 'data-echart="chart-grades"' in page and "vendor/echarts/echarts.min.js" in page
    assert 'id="grade-table"' in page
    # grade filter and sort by score
    filtered = (
        as_user(world.org_officer)
        .get(reverse("appraisal:cycle_results", args=[computed.pk]), {"grade": "优秀"})
        .content.decode()
    )
    assert "赵党员" in filtered and "钱党员" not in filtered.split('id="results"')[1]
    by_score = (
        as_user(world.org_officer)
        .get(reverse("appraisal:cycle_results", args=[computed.pk]), {"sort": "score"})
        .content.decode()
    )
    table = by_score.split('id="results"')[1]
    assert table.index("赵党员") < table.index("钱党员")


def test_honour_award_from_a_result(world, as_user, computed):
    a, b = result_of(computed, world.member_a), result_of(computed, world.member_b)
    page = as_user(world.secretary_a).get(reverse("appraisal:result_detail", args=[a.pk]))
    assert "授予荣誉" in page.content.decode()
    response = as_user(world.secretary_a).post(
        reverse("appraisal:honour_award", args=[a.pk]),
        {"kind": "excellent_member", "awarded_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302 and Honour.objects.count() == 1
    refused = as_user(world.secretary_b).post(
        reverse("appraisal:honour_award", args=[b.pk]),
        {"kind": "excellent_member", "awarded_on": timezone.localdate().isoformat()},
    )
    assert refused.status_code == 200 and "只有考评等次为优秀" in refused.content.decode()
    assert (
        as_user(world.secretary_b)
        .post(reverse("appraisal:honour_award", args=[a.pk]), {"kind": "excellent_member"})
        .status_code
        == 404
    )
    listing = as_user(world.secretary_a).get(reverse("appraisal:honour_list")).content.decode()
    assert "赵党员" in listing and "优秀共产党员" in listing
    honour = Honour.objects.get()
    assert (
        as_user(world.secretary_b)
        .post(reverse("appraisal:honour_revoke", args=[honour.pk]))
        .status_code
        == 404
    )
    as_user(world.secretary_a).post(reverse("appraisal:honour_revoke", args=[honour.pk]))
    assert not Honour.objects.exists()


def test_rectification_pages(world, as_user, computed):
    item = MemberRectification.objects.get()
    url = reverse("appraisal:rectification_detail", args=[item.pk])
    member_b = make_user(world.member_b)
    assert as_user(member_b).get(url).status_code == 404  # not before the publication
    services.cycle_publish(actor=world.org_officer, cycle=computed)
    assert as_user(member_b).get(url).status_code == 200
    # done before the explanation: refused
    as_user(member_b).post(
        reverse("appraisal:rectification_complete", args=[item.pk]),
        {"measures": "整改", "done_on": timezone.localdate().isoformat()},
    )
    item.refresh_from_db()
    assert item.state == "open"
    assert (
        as_user(member_b)
        .post(
            reverse("appraisal:rectification_explain", args=[item.pk]),
            {"explained_on": timezone.localdate().isoformat()},
        )
        .status_code
        == 403
    )
    as_user(world.secretary_b).post(
        reverse("appraisal:rectification_explain", args=[item.pk]),
        {"explained_on": timezone.localdate().isoformat(), "explanation": "作了说明"},
    )
    item.refresh_from_db()
    assert item.state == "explained"
    page = as_user(member_b).get(url).content.decode()
    assert "整改完成" in page
    as_user(member_b).post(
        reverse("appraisal:rectification_complete", args=[item.pk]),
        {"measures": "已整改", "done_on": timezone.localdate().isoformat()},
    )
    as_user(world.secretary_b).post(
        reverse("appraisal:rectification_verify", args=[item.pk]),
        {"verified_on": timezone.localdate().isoformat()},
    )
    item.refresh_from_db()
    assert item.state == "done" and item.verified_by == world.secretary_b
    listing = as_user(world.secretary_b).get(reverse("appraisal:rectification_list"))
    assert "钱党员" in listing.content.decode()
    assert (
        "钱党员"
        not in as_user(world.secretary_a)
        .get(reverse("appraisal:rectification_list"))
        .content.decode()
    )


# --- query counts -----------------------------------------------------------------------


def _cycle_with(world, chief, extra: int, score: int = 95):
    """A branch_a cycle with `extra` more members, computed: all 优秀 with an honour each
    (score 95), or all 不称职 with a rectification each (score 30)."""
    from datetime import timedelta

    from dangjian.appraisal.models import EvaluationCycle
    from dangjian.surveys import services as survey_services

    for i in range(extra):
        make_person(world.branch_a, name=f"党员{extra}-{score}-{i}")
    year = timezone.localdate().year - extra - (score < 60)  # a fresh cycle each time
    today = date(year, 12, 10)  # inside the window of that year's appraisal
    cycle = services.cycle_create(
        actor=chief,
        organisation=world.branch_a,
        kind="democratic",
        year=year,
        weight_self=D(0),
        weight_masses=D(30),
        weight_branch=D(70),
        min_responses=3,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=5),
    )
    for result in cycle.results.select_related("person"):
        rater = world.gb_secretary_a
        services.branch_rate(
            actor=rater, cycle=cycle, ratee=result.person, score=D(score), today=today
        )
    survey = cycle.surveys.get()
    subjects = list(survey.subjects.values_list("pk", flat=True))
    rating = "excellent" if score >= 60 else "incompetent"
    for token in survey_services.tokens_issue(actor=chief, survey=survey, count=3):
        survey_services.ballot_cast(
            token=token.token, ratings=dict.fromkeys(subjects, rating), today=today
        )
    services.cycle_compute(actor=chief, cycle=cycle, today=today)
    for result in cycle.results.filter(grade="优秀"):
        services.honour_award(actor=world.org_officer, result=result, kind="excellent_member")
    return EvaluationCycle.objects.get(pk=cycle.pk)


def _queries(client, url, expected=None):
    with assert_num_queries(expected, url) as log:
        assert client.get(url).status_code == 200
    return log


def test_query_counts_do_not_grow_with_rows(world, chief, as_user):
    c = as_user(chief)
    small = _cycle_with(world, chief, 2)
    lists = ("appraisal:cycle_list", "appraisal:rectification_list", "appraisal:honour_list")
    before = {name: _queries(c, reverse(name)) for name in lists}
    _cycle_with(world, chief, 2, score=30)
    large = _cycle_with(world, chief, 10)
    _cycle_with(world, chief, 10, score=30)
    assert Honour.objects.count() > 13 and MemberRectification.objects.count() > 13
    for name in lists:
        _queries(c, reverse(name), before[name])
    for name in (
        "appraisal:cycle_results",
        "appraisal:cycle_detail",
        "appraisal:rating",
        "appraisal:cycle_print",
    ):
        few = _queries(c, reverse(name, args=[small.pk]))
        _queries(c, reverse(name, args=[large.pk]), few)


def test_results_filter_organisation_by_typeahead_under_the_cycle(world, as_user, computed):
    client = as_user(world.org_officer)
    url = reverse("appraisal:cycle_results", args=[computed.pk])
    page = client.get(url).content.decode()
    assert 'id="f-org"' in page and reverse("org:pick_organisations") in page
    assert "信息工程学院学生支部</option>" not in page
    chosen = client.get(url, {"org": world.branch_a.pk}).content.decode()
    assert f'value="{world.branch_a.name}"' in chosen
    assert "赵党员" in chosen and "钱党员" not in chosen.split('id="results"')[1]


def test_results_refuse_an_organisation_outside_the_cycle(world, as_user, make_cycle):
    start, end = window_today()
    cycle = make_cycle(
        actor=world.secretary_a, organisation=world.branch_a, starts_on=start, ends_on=end
    )
    client = as_user(world.org_officer)  # sees every organisation, the cycle only branch_a's
    for name in ("appraisal:cycle_results", "appraisal:cycle_print", "appraisal:cycle_xlsx"):
        url = reverse(name, args=[cycle.pk])
        assert client.get(url, {"org": world.branch_a.pk}).status_code == 200, name
        assert client.get(url, {"org": world.group_a.pk}).status_code == 200, name
        assert client.get(url, {"org": world.branch_b.pk}).status_code == 404, name
        assert client.get(url, {"org": world.committee.pk}).status_code == 404, name
