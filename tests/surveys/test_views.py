"""Screens of the surveys app: scoping of every officer view, the result shown only from the
minimum on, the QR print sheet, exports, and the public answer page (no login)."""

import io
import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.surveys import services
from dangjian.surveys.models import Survey, SurveyBallot, SurveyKind, SurveyToken
from dangjian.surveys.views import LINK_HEADERS, LIST_HEADERS, MEMBER_RESULT_HEADERS
from tests.factories import make_person
from tests.harness import assert_max_queries, assert_num_queries, capture_queries

pytestmark = pytest.mark.django_db

OFFICER_PAGES = ["surveys:survey_list", "surveys:survey_export", "surveys:survey_create"]


def _sheet(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_officer_pages_by_role(world, as_user, rating, name):
    url = reverse(name)
    assert as_user(world.secretary_a).get(url).status_code == 200
    assert as_user(world.org_officer).get(url).status_code == 200
    assert as_user(world.secretary_a).get(url, {"org": world.branch_a.pk}).status_code == 200
    # another branch's officer asking for branch_a: it does not exist for them
    assert as_user(world.secretary_b).get(url, {"org": world.branch_a.pk}).status_code == 404
    assert as_user(world.member_user).get(url).status_code == 403
    response = as_user(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_subject_choices_by_role(world, as_user):
    url = reverse("surveys:subject_choices")
    params = {"organisation": world.branch_a.pk, "kind": "member_rating"}
    html = as_user(world.secretary_a).get(url, params).content.decode()
    assert "赵党员" in html and "钱党员" not in html
    assert as_user(world.gb_secretary_a).get(url, params).status_code == 200
    assert as_user(world.secretary_b).get(url, params).status_code == 404
    assert as_user(world.secretary_a).get(url, {"organisation": "x"}).status_code == 404
    assert as_user(world.member_user).get(url, params).status_code == 403
    assert as_user(None).get(url, params).status_code == 302


def _survey_pages(rating, issue, cast):
    tokens = issue(rating, 3)
    for token in tokens:
        cast(token, rating)
    return [
        reverse("surveys:survey_detail", args=[rating.pk]),
        reverse("surveys:batch_print", args=[rating.pk, 1]),
        reverse("surveys:batch_export", args=[rating.pk, 1]),
        reverse("surveys:result_export", args=[rating.pk]),
    ]


def test_survey_pages_scoped(world, as_user, rating, issue, cast):
    for url in _survey_pages(rating, issue, cast):
        assert as_user(world.secretary_a).get(url).status_code == 200, url
        assert as_user(world.gb_secretary_a).get(url).status_code == 200, url
        assert as_user(world.org_officer).get(url).status_code == 200, url
        assert as_user(world.secretary_b).get(url).status_code == 404, url
        assert as_user(world.member_user).get(url).status_code == 403, url
        assert as_user(None).get(url).status_code == 302, url
    assert (
        as_user(world.secretary_a)
        .get(reverse("surveys:batch_print", args=[rating.pk, 9]))
        .status_code
        == 404
    )


def test_issue_and_close_rights(world, as_user, rating):
    issue_url = reverse("surveys:survey_issue", args=[rating.pk])
    close_url = reverse("surveys:survey_close", args=[rating.pk])
    for url in (issue_url, close_url):
        assert as_user(world.secretary_b).post(url, {"count": 2}).status_code == 404
        assert as_user(world.member_user).post(url, {"count": 2}).status_code == 403
        assert as_user(None).post(url, {"count": 2}).status_code == 302
        assert as_user(world.secretary_a).get(url).status_code == 405
    assert not SurveyToken.objects.exists()
    response = as_user(world.secretary_a).post(issue_url, {"count": 4})
    assert response.status_code == 302 and response["Location"].endswith("?batch=1#batches")
    assert SurveyToken.objects.filter(survey=rating, batch=1).count() == 4
    bad = as_user(world.secretary_a).post(issue_url, {"count": 0}, follow=True)
    assert "大于或等于1" in bad.content.decode() and SurveyToken.objects.count() == 4
    as_user(world.secretary_a).post(close_url)
    rating.refresh_from_db()
    assert rating.state == "closed"
    again = as_user(world.secretary_a).post(issue_url, {"count": 1}, follow=True)
    assert "测评已结束，不能再发放链接" in again.content.decode()


def test_list_is_scoped_and_filtered(world, as_user, rating, satisfaction):
    html = as_user(world.secretary_a).get(reverse("surveys:survey_list")).content.decode()
    assert rating.title in html and satisfaction.title not in html
    html = as_user(world.org_officer).get(reverse("surveys:survey_list")).content.decode()
    assert rating.title in html and satisfaction.title in html
    html = (
        as_user(world.org_officer)
        .get(reverse("surveys:survey_list"), {"kind": "branch_satisfaction"})
        .content.decode()
    )
    assert rating.title not in html and satisfaction.title in html
    html = as_user(world.org_officer).get(reverse("surveys:survey_list"), {"state": "closed"})
    assert "没有符合条件的测评" in html.content.decode()
    html = as_user(world.org_officer).get(reverse("surveys:survey_list"), {"org": world.gb_b.pk})
    assert satisfaction.title in html.content.decode() and rating.title not in html.content.decode()


def test_list_and_export_query_counts_do_not_grow(world, as_user, today):
    def make(n):
        for i in range(n):
            services.survey_create(
                actor=world.secretary_a,
                organisation=world.branch_a,
                kind=SurveyKind.BRANCH_SATISFACTION,
                title=f"测评{Survey.objects.count()}-{i}",
                opens_on=today,
                closes_on=today,
                min_responses=3,
            )

    client = as_user(world.secretary_a)
    make(2)
    client.get(reverse("surveys:survey_list"))  # warm the session and the scope
    with capture_queries() as small:
        assert client.get(reverse("surveys:survey_list")).status_code == 200
    make(8)
    with assert_num_queries(small) as large:
        html = client.get(reverse("surveys:survey_list")).content.decode()
    assert html.count("测评") >= 10
    with assert_max_queries(len(large) + 2):
        rows = _sheet(client.get(reverse("surveys:survey_export")))
    assert list(rows[1]) == LIST_HEADERS and len(rows) == 12


def test_create_form_preselects_the_members(world, as_user, today):
    client = as_user(world.secretary_a)
    html = client.get(reverse("surveys:survey_create")).content.decode()
    assert "赵党员" in html and "张书记" in html and "钱党员" not in html
    assert re.search(rf'value="{world.member_a.pk}" id="subject-{world.member_a.pk}" checked', html)
    partial = client.get(
        reverse("surveys:subject_choices"),
        {"organisation": world.branch_a.pk, "kind": "branch_satisfaction"},
    ).content.decode()
    assert "不选择党员" in partial and "赵党员" not in partial
    none = client.get(reverse("surveys:subject_choices"), {"organisation": ""})
    assert "请先选择党组织" in none.content.decode()
    data = {
        "organisation": world.branch_a.pk,
        "kind": "member_rating",
        "title": "2026年党员民意测评",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=7)).isoformat(),
        "min_responses": 2,
        "subjects": [world.member_a.pk],
    }
    refused = client.post(reverse("surveys:survey_create"), data)
    text = refused.content.decode()
    assert refused.status_code == 200 and "不能少于3票" in text
    assert 'value="2026年党员民意测评"' in text  # what was typed is kept
    assert re.search(rf'id="subject-{world.member_a.pk}" checked', text)
    assert not re.search(rf'id="subject-{world.secretary_a.person_id}" checked', text)
    data["min_responses"] = 3
    response = client.post(reverse("surveys:survey_create"), data)
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "surveys:survey_detail", args=[survey.pk]
    )
    assert list(survey.subjects.all()) == [world.member_a]
    # another branch's organisation is not a choice
    data["organisation"] = world.branch_b.pk
    assert (
        "选择一个有效的选项" in client.post(reverse("surveys:survey_create"), data).content.decode()
    )


def test_detail_shows_counts_only_below_the_minimum(world, as_user, rating, issue, cast):
    tokens = issue(rating, 5)
    cast(tokens[0], rating, value="competent", comment="希望多下基层")
    client = as_user(world.secretary_a)
    html = client.get(reverse("surveys:survey_detail", args=[rating.pk])).content.decode()
    assert "已回收 1 份，达到 3 份后显示汇总结果" in html
    assert 'id="distribution"' not in html and "希望多下基层" not in html
    assert "chart-distribution" not in html
    assert client.get(reverse("surveys:result_export", args=[rating.pk])).status_code == 403
    for token in tokens[1:3]:
        cast(token, rating, value="excellent")
    html = client.get(reverse("surveys:survey_detail", args=[rating.pk])).content.decode()
    assert 'id="distribution"' in html and "希望多下基层" in html
    assert 'data-echart="chart-distribution"' in html and "echarts.min.js" in html
    assert "91.66" in html  # (85 + 95 + 95) / 3 for each subject, cut
    # which links were used is never shown: no secret appears on the page
    assert not any(token in html for token in tokens)
    rows = _sheet(client.get(reverse("surveys:result_export", args=[rating.pk])))
    assert list(rows[1]) == MEMBER_RESULT_HEADERS
    assert [r[1] for r in rows[2:]] == ["张书记", "赵党员"]
    assert rows[2][2:7] == (2, 1, 0, 0, 3)


def test_print_sheet_one_svg_per_link(world, as_user, rating, issue):
    tokens = issue(rating, 14)
    client = as_user(world.secretary_a)
    response = client.get(reverse("surveys:batch_print", args=[rating.pk, 1]))
    html = response.content.decode()
    assert html.count("<svg") == 14
    assert html.count('class="qr-page"') == 2  # 12 on the first A4 sheet, 2 on the next
    assert f"http://testserver/surveys/t/{tokens[0]}/" in html
    assert html.count(rating.title) >= 14
    assert response["Cache-Control"] == "no-store"
    rows = _sheet(client.get(reverse("surveys:batch_export", args=[rating.pk, 1])))
    assert list(rows[1]) == LINK_HEADERS
    assert [r[1] for r in rows[2:]] == [f"http://testserver/surveys/t/{t}/" for t in tokens]


# --- the public answer page ---------------------------------------------------------------------


def _answer_url(token):
    return reverse("surveys:answer", args=[token])


def _private(response, policy="no-referrer"):
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == policy


def test_answer_page_shows_names_only(world, rating, issue):
    world.member_a.phone = "13800001234"
    world.member_a.id_number = "500000199001010011"
    world.member_a.save()
    (token,) = issue(rating, 1)
    response = Client().get(_answer_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    # the sheet posts back: our origin only (no path, so no secret), for the CSRF check
    _private(response, "strict-origin")
    assert rating.title in html and "机关一支部" in html and "请根据平时表现评价" in html
    assert "赵党员" in html and "张书记" in html
    for label in ("优秀", "称职", "基本称职", "不称职"):
        assert f">{label}</label>" in html
    assert "13800001234" not in html and "500000199001010011" not in html
    assert "csrfmiddlewaretoken" in html


def test_answer_submit_thanks_then_used(world, rating, issue):
    (token,) = issue(rating, 1)
    client = Client()
    data = {f"r{world.member_a.pk}": "excellent", f"r{world.secretary_a.person_id}": "basic"}
    response = client.post(_answer_url(token), {**data, "comment": "很好"})
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:answer_done", args=[token])
    done = client.get(response["Location"])
    _private(done)
    assert "答卷已提交" in done.content.decode() and "匿名" in done.content.decode()
    assert SurveyToken.objects.get(token=token).used
    again = Client().get(_answer_url(token))
    assert again.status_code == 410
    _private(again)
    assert "该测评链接已经提交过答卷" in again.content.decode()
    resubmit = Client().post(_answer_url(token), data)
    assert resubmit.status_code == 410 and SurveyBallot.objects.count() == 1


def test_thanks_page_before_answering_goes_back(rating, issue):
    (token,) = issue(rating, 1)
    response = Client().get(reverse("surveys:answer_done", args=[token]))
    assert response.status_code == 302 and response["Location"] == _answer_url(token)
    assert Client().get(reverse("surveys:answer_done", args=["unknown"])).status_code == 404


def test_invalid_submission_keeps_choices_and_names_what_is_missing(world, rating, issue):
    (token,) = issue(rating, 1)
    data = {f"r{world.member_a.pk}": "competent", "comment": "意见"}
    response = Client().post(_answer_url(token), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "还有1项未评价：张书记" in html
    assert re.search(rf'name="r{world.member_a.pk}" id="[^"]+" value="competent" checked', html)
    assert "意见</textarea>" in html
    assert not SurveyBallot.objects.exists() and not SurveyToken.objects.get(token=token).used
    long = Client().post(
        _answer_url(token),
        {
            f"r{world.member_a.pk}": "basic",
            f"r{world.secretary_a.person_id}": "basic",
            "comment": "字" * 501,
        },
    )
    assert "意见建议不能超过500字" in long.content.decode()
    bogus = Client().post(
        _answer_url(token),
        {f"r{world.member_a.pk}": "great", f"r{world.secretary_a.person_id}": "basic"},
    )
    assert "评价选项无效" in bogus.content.decode()


def test_satisfaction_page_has_three_options(satisfaction, issue):
    (token,) = issue(satisfaction, 1)
    html = Client().get(_answer_url(token)).content.decode()
    for label in ("满意", "基本满意", "不满意"):
        assert f">{label}</label>" in html
    assert "优秀" not in html
    assert Client().post(_answer_url(token), {"r": "fairly_satisfied"}).status_code == 302


def test_unknown_closed_and_not_yet_open(world, rating, issue, today):
    unknown = Client().get(_answer_url("no-such-link"))
    assert unknown.status_code == 404 and "测评链接无效" in unknown.content.decode()
    _private(unknown)
    later = services.survey_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        kind="branch_satisfaction",
        title="下月的满意度测评",
        opens_on=today + timedelta(days=3),
        closes_on=today + timedelta(days=10),
        min_responses=3,
    )
    (early,) = issue(later, 1)
    response = Client().get(_answer_url(early))
    assert response.status_code == 200 and "该测评尚未开始" in response.content.decode()
    (token,) = issue(rating, 1)
    services.survey_close(actor=world.secretary_a, survey=rating)
    closed = Client().get(_answer_url(token))
    assert closed.status_code == 410 and "该测评已经结束" in closed.content.decode()
    assert Client().post(_answer_url(token), {"r": "x"}).status_code == 410


def test_answer_keeps_csrf(world, rating, issue):
    (token,) = issue(rating, 1)
    client = Client(enforce_csrf_checks=True)
    data = {f"r{world.member_a.pk}": "excellent", f"r{world.secretary_a.person_id}": "basic"}
    assert client.post(_answer_url(token), data).status_code == 403
    assert not SurveyToken.objects.get(token=token).used
    page = client.get(_answer_url(token)).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(_answer_url(token), {**data, "csrfmiddlewaretoken": csrf}).status_code == 302


def test_a_signed_in_officer_answers_anonymously_too(world, as_user, rating, issue):
    (token,) = issue(rating, 1)
    client = as_user(world.secretary_a)
    data = {f"r{world.member_a.pk}": "excellent", f"r{world.secretary_a.person_id}": "basic"}
    assert client.post(_answer_url(token), data).status_code == 302
    assert SurveyBallot.objects.count() == 1  # nothing on the ballot says who


def test_tokens_are_not_logged(rating, issue, caplog):
    (token,) = issue(rating, 1)
    services.ballot_cast(
        token=token,
        ratings={pk: "basic" for pk in rating.subjects.values_list("pk", flat=True)},
    )
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get(_answer_url(token)).status_code == 410
        assert Client().get(_answer_url("secretvalue123")).status_code == 404
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/surveys/t/…/" in text
    assert token not in text and "secretvalue123" not in text


# --- review: bad input, small batches, query counts ---------------------------------------------


@pytest.mark.parametrize("path", ["/surveys/t/a%00b/", "/surveys/t/a%00b/done/"])
def test_a_malformed_link_is_a_404_not_a_500(path):
    # PostgreSQL refuses a NUL byte in a query: the secret's shape is checked first
    response = Client().get(path)
    assert response.status_code == 404 and "测评链接无效" in response.content.decode()
    _private(response)
    assert Client().post(path, {"r": "satisfied"}).status_code in (404, 405)


def test_unknown_kind_in_the_address_falls_back_to_a_member_rating(world, as_user):
    client = as_user(world.secretary_a)
    html = client.get(reverse("surveys:survey_create"), {"kind": "poll"}).content.decode()
    assert "赵党员" in html and "不选择党员" not in html
    assert 'value="member_rating" selected' in html
    partial = client.get(
        reverse("surveys:subject_choices"), {"organisation": world.branch_a.pk, "kind": "poll"}
    ).content.decode()
    assert "赵党员" in partial


def test_create_form_refuses_subjects_out_of_scope(world, as_user, today):
    data = {
        "organisation": world.branch_a.pk,
        "kind": "member_rating",
        "title": "2026年党员民意测评",
        "opens_on": today.isoformat(),
        "closes_on": today.isoformat(),
        "min_responses": 3,
        "subjects": [world.member_a.pk, world.member_b.pk],  # member_b: another branch
    }
    response = as_user(world.secretary_a).post(reverse("surveys:survey_create"), data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    # the general branch above may not reach into the other general branch either
    response = as_user(world.gb_secretary_a).post(reverse("surveys:survey_create"), data)
    assert response.status_code == 200 and not Survey.objects.exists()


def test_detail_hides_per_batch_counts_when_a_batch_is_small(world, as_user, rating, issue, cast):
    tokens = issue(rating, 3)
    cast(tokens[0], rating)
    client = as_user(world.secretary_a)
    url = reverse("surveys:survey_detail", args=[rating.pk])
    html = client.get(url).content.decode()
    assert 'id="batches-hidden"' not in html
    (single,) = issue(rating, 1)  # one more link, for one person
    cast(single, rating)
    html = client.get(url).content.decode()
    assert 'id="batches-hidden"' in html and "已回收 2 份" in html
    batch_rows = html.split('id="batches"')[1].split("</table>")[0]
    assert batch_rows.count(">—</span>") == 2  # neither batch's count is told


def test_detail_and_result_export_query_counts_do_not_grow(world, as_user, today):
    def survey_with(n_subjects):
        people = [make_person(world.branch_a, name=f"党员{i}") for i in range(n_subjects)]
        survey = services.survey_create(
            actor=world.secretary_a,
            organisation=world.branch_a,
            kind=SurveyKind.MEMBER_RATING,
            title=f"测评{n_subjects}",
            opens_on=today,
            closes_on=today,
            min_responses=3,
            subjects=people,
        )
        tokens = services.tokens_issue(actor=world.secretary_a, survey=survey, count=3)
        for t in tokens:
            services.ballot_cast(
                token=t.token, ratings={p.pk: "competent" for p in people}, comment="好"
            )
        return survey

    small, large = survey_with(2), survey_with(8)
    client = as_user(world.secretary_a)
    counts = {}
    for survey in (small, large):
        for name in ("surveys:survey_detail", "surveys:result_export"):
            url = reverse(name, args=[survey.pk])
            client.get(url)  # warm the session
            with assert_num_queries(counts.get(name), name) as queries:
                assert client.get(url).status_code == 200
            counts.setdefault(name, queries)  # the small survey's count, checked on the large
