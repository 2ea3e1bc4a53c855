"""Holes found in review, each with its test: ids and dates pointing out of scope or out of
range, what a ratee or a not-yet-published member may read, what freezes at the computation,
and paging the results table by score."""

from datetime import date, time, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.appraisal import services, views
from dangjian.appraisal.models import (
    BranchRating,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    MemberRectification,
)
from dangjian.orglife.models import Meeting
from dangjian.surveys import services as survey_services
from dangjian.surveys.models import SurveyState
from tests.appraisal.conftest import ENDS, IN_WINDOW, window_today
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/appraisal"
TOO_BIG = "99999999999999999999"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def result_of(cycle, person):
    return EvaluationResult.objects.get(cycle=cycle, person=person)


def general_meeting(org, held_on):
    return Meeting.objects.create(
        organisation=org,
        kind="general",
        topic="支部党员大会",
        held_on=held_on,
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        duration_minutes=120,
        place="党员活动室",
    )


# --- bad input: 400 in Chinese, never 500 ---------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        f"results/?cycle={TOO_BIG}",
        f"results/?organisation={TOO_BIG}",
        f"ratings/?cycle={TOO_BIG}",
        f"ratings/?ratee={TOO_BIG}",
        f"honours/?person={TOO_BIG}",
        f"honours/?year={TOO_BIG}",
        f"self-reports/?cycle={TOO_BIG}",
        "results/?cycle=-1",
    ],
)
def test_api_filters_out_of_range_are_400(world, query):
    """SQLite cannot bind an integer beyond 64 bits: the filters bound their ids."""
    response = api(world.org_officer).get(f"{BASE}/{query}")
    assert response.status_code == 400
    field = query.split("?")[1].split("=")[0]
    assert response.json()[field][0].startswith("请确保")  # DRF's Chinese message


def test_window_far_from_the_period_refused(world, chief, make_cycle):
    with pytest.raises(ValidationError) as exc:
        make_cycle(starts_on=date(1, 1, 1), ends_on=date(9999, 12, 31))
    assert "不能超过一年" in exc.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError) as exc:  # Q3 2026 evaluated in the spring
        make_cycle(starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 15))
    assert "不能早于考评期间的开始日期（2026-07-01）" in exc.value.message_dict["ends_on"][0]
    response = api(chief).post(
        f"{BASE}/cycles/",
        {
            "organisation": world.committee.pk,
            "kind": "year",
            "year": 2026,
            "starts_on": "0001-01-01",
            "ends_on": "9999-12-31",
        },
        format="json",
    )
    assert response.status_code == 400 and "ends_on" in response.json()
    assert not EvaluationCycle.objects.exists()


# --- form fields pointing out of scope ------------------------------------------------------


def test_create_form_refuses_another_branch(world, as_user):
    start, end = window_today()
    today = timezone.localdate()
    response = as_user(world.secretary_b).post(
        reverse("appraisal:cycle_create"),
        {
            "organisation": world.branch_a.pk,
            "kind": "quarter",
            "year": today.year,
            "period": (today.month - 1) // 3 + 1,
            "population": "all",
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "weight_self": "20",
            "weight_masses": "30",
            "weight_branch": "50",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not EvaluationCycle.objects.exists()


def test_api_writes_naming_out_of_scope_rows(world, computed):
    live = computed
    # a rating of another branch's member: refused by the rule naming the rater's scope
    refused = api(world.secretary_b).post(
        f"{BASE}/ratings/bulk/",
        {"cycle": live.pk, "ratings": [{"ratee": world.member_a.pk, "score": "90"}]},
        format="json",
    )
    assert refused.status_code in (400, 403)
    # an honour from a result out of scope: the result does not exist for them
    a = result_of(live, world.member_a)
    honour = api(world.secretary_b).post(
        f"{BASE}/honours/", {"result": a.pk, "kind": "excellent_member"}, format="json"
    )
    assert honour.status_code == 400 and "管理范围" in honour.json()["result"][0]
    # the explanation at another branch's general meeting
    item = MemberRectification.objects.get()  # member_b's, of branch_b
    other = general_meeting(world.branch_a, timezone.localdate())
    explain = api(world.org_officer).post(
        f"{BASE}/rectifications/{item.pk}/explain/", {"meeting": other.pk}, format="json"
    )
    assert explain.status_code == 400 and "党员大会" in explain.json()["meeting"][0]
    assert not Honour.objects.exists()


# --- what the ratee and the not-yet-published member read --------------------------------


def test_an_officer_does_not_read_who_rated_them(world, chief, computed, as_user):
    """secretary_a (张书记) is rated by 王总支书记: who rated them and how stays with the raters."""
    own = result_of(computed, world.secretary_a.person)
    rows = api(world.secretary_a).get(f"{BASE}/ratings/", {"cycle": computed.pk}).json()
    assert rows["results"]  # the members of their branch …
    assert all(r["ratee"] != world.secretary_a.person_id for r in rows["results"])  # … not own
    mine = BranchRating.objects.filter(ratee=world.secretary_a.person).first()
    assert api(world.secretary_a).get(f"{BASE}/ratings/{mine.pk}/").status_code == 404
    page = as_user(world.secretary_a).get(reverse("appraisal:result_detail", args=[own.pk]))
    assert page.status_code == 200 and 'id="ratings"' not in page.content.decode()
    assert not page.context["can_award"]
    other = result_of(computed, world.member_a)
    page = as_user(world.secretary_a).get(reverse("appraisal:result_detail", args=[other.pk]))
    assert 'id="ratings"' in page.content.decode()


def test_member_sees_rectification_and_honour_once_published(world, computed, as_user):
    b_user = make_user(world.member_b)
    item = MemberRectification.objects.get(person=world.member_b)
    honour = services.honour_award(
        actor=world.org_officer, result=result_of(computed, world.member_a), kind="pioneer_post"
    )
    detail = reverse("appraisal:rectification_detail", args=[item.pk])
    assert as_user(b_user).get(detail).status_code == 404
    assert api(b_user).get(f"{BASE}/rectifications/").json()["results"] == []
    assert api(world.member_user).get(f"{BASE}/honours/").json()["results"] == []
    mine = as_user(b_user).get(reverse("appraisal:mine"))
    assert mine.context["rectifications"] == [] and "限期整改" not in mine.content.decode()
    mine = as_user(world.member_user).get(reverse("appraisal:mine"))
    assert mine.context["honours"] == []
    services.cycle_publish(actor=world.org_officer, cycle=computed)
    assert as_user(b_user).get(detail).status_code == 200
    assert [r["id"] for r in api(b_user).get(f"{BASE}/rectifications/").json()["results"]] == [
        item.pk
    ]
    assert [h["id"] for h in api(world.member_user).get(f"{BASE}/honours/").json()["results"]] == [
        honour.pk
    ]
    assert as_user(world.member_user).get(reverse("appraisal:mine")).context["honours"] == [honour]


# --- honours and explanations: who and when -------------------------------------------------


def test_no_honour_to_oneself_nor_dated_before_the_computation(world, chief, computed):
    a = result_of(computed, world.member_a)
    own = result_of(computed, world.secretary_a.person)
    own.grade = "优秀"
    own.save(update_fields=["grade"])
    with pytest.raises(PermissionDenied) as exc:
        services.honour_award(actor=world.secretary_a, result=own, kind="excellent_member")
    assert "本人" in str(exc.value)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.honour_award(
            actor=world.secretary_a,
            result=a,
            kind="excellent_member",
            awarded_on=today - timedelta(days=1),
        )
    assert "不能早于考评结果的计算日期" in exc.value.message_dict["awarded_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.honour_award(
            actor=world.secretary_a,
            result=a,
            kind="excellent_member",
            awarded_on=today + timedelta(days=1),
        )
    assert "不能晚于今天" in exc.value.message_dict["awarded_on"][0]
    services.honour_award(actor=chief, result=own, kind="excellent_member", awarded_on=today)


def test_explanation_follows_the_computation(world, ready):
    cycle = ready()
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_a).update(score=D(10))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=date(2026, 10, 1))
    item = MemberRectification.objects.get()
    today = date(2026, 10, 20)
    with pytest.raises(ValidationError) as exc:
        services.rectification_explain(
            actor=world.secretary_a,
            rectification=item,
            explained_on=date(2000, 1, 1),
            today=today,
        )
    assert "2026-10-01" in exc.value.message_dict["explained_on"][0]
    with pytest.raises(ValidationError) as exc:  # a meeting held before the result
        services.rectification_explain(
            actor=world.secretary_a,
            rectification=item,
            meeting=general_meeting(world.branch_a, date(2026, 9, 15)),
            today=today,
        )
    assert "党员大会的日期不能早于" in exc.value.message_dict["meeting"][0]
    with pytest.raises(ValidationError):
        services.rectification_explain(
            actor=world.secretary_a,
            rectification=item,
            explained_on=date(2026, 10, 21),
            today=today,
        )
    item = services.rectification_explain(
        actor=world.secretary_a, rectification=item, explained_on=date(2026, 10, 1), today=today
    )
    assert item.state == "explained"


def test_explain_form_offers_only_meetings_after_the_computation(world, computed, as_user):
    item = MemberRectification.objects.get()
    today = timezone.localdate()
    before = general_meeting(world.branch_b, today - timedelta(days=400))
    held = general_meeting(world.branch_b, today)
    general_meeting(world.branch_a, today)  # another branch's
    page = as_user(world.secretary_b).get(reverse("appraisal:rectification_detail", args=[item.pk]))
    offered = list(page.context["explain_form"].fields["meeting"].queryset)
    assert offered == [held] and before not in offered


# --- the computation freezes the three sources -----------------------------------------


def test_compute_closes_the_surveys(world, ready, vote):
    cycle = ready()
    survey = cycle.surveys.first()
    token = survey_services.tokens_issue(actor=world.org_officer, survey=survey, count=1)[0]
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    assert set(cycle.surveys.values_list("state", flat=True)) == {SurveyState.CLOSED}
    subjects = list(survey.subjects.values_list("pk", flat=True))
    with pytest.raises(ValidationError):  # a late ballot would change the masses score
        survey_services.ballot_cast(
            token=token.token, ratings=dict.fromkeys(subjects, "excellent"), today=IN_WINDOW
        )
    first = list(EvaluationResult.objects.order_by("pk").values_list("masses_score", "grade"))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=ENDS)  # recompute
    assert list(EvaluationResult.objects.order_by("pk").values_list("masses_score", "grade")) == (
        first
    )
    services.cycle_publish(actor=world.org_officer, cycle=cycle, today=ENDS)  # nothing to close


# --- screens -----------------------------------------------------------------------------


def test_results_sorted_by_score_page_on(world, chief, computed, as_user, monkeypatch):
    """The keyset cursor of the score order is JSON: a Decimal total made it a 500."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = as_user(world.org_officer)
    url = reverse("appraisal:cycle_results", args=[computed.pk])
    seen, params = [], {"sort": "score"}
    for _ in range(5):
        response = client.get(url, params)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [r.final_score for r in page.rows]
        if not page.next_token:
            break
        params = {"sort": "score", "after": page.next_token}
    assert len(seen) == computed.results.count()
    assert seen == sorted(seen, reverse=True)


def test_rating_inputs_read_only_outside_the_window(world, chief, make_cycle, as_user):
    cycle = make_cycle()  # the window of 2026 Q3 is over (1 Sep – 15 Oct 2026)
    services.branch_rate(
        actor=world.secretary_a,
        cycle=cycle,
        ratee=world.member_a,
        score=D(88),
        today=IN_WINDOW,
    )
    page = as_user(world.secretary_a).get(reverse("appraisal:rating", args=[cycle.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "当前不在评定期间" in body
    row = next(r for r in page.context["rows"] if r["person"] == world.member_a)
    assert row["form"].fields["score"].disabled and 'value="88.0"' in body
    assert "全部保存" not in body


def test_more_screens_keep_their_query_count(world, chief, as_user, make_cycle):
    """The XLSX export, the honours export and 我的考评 read a fixed number of queries."""

    def count(user, url, expected=None):
        with assert_num_queries(expected, url) as log:
            assert as_user(user).get(url).status_code == 200
        return log

    start, end = window_today()
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    small = make_cycle(starts_on=start, ends_on=end, year=today.year, period=quarter)
    urls = [
        reverse("appraisal:cycle_xlsx", args=[small.pk]),
        reverse("appraisal:honour_export"),
    ]
    [count(chief, u) for u in urls]  # warm the caches (content types, the session)
    before = [count(chief, u) for u in urls]
    count(world.member_user, reverse("appraisal:mine"))
    mine_before = count(world.member_user, reverse("appraisal:mine"))
    for i in range(8):
        make_person(world.branch_a, name=f"新党员{i}")
    large = make_cycle(starts_on=start, ends_on=end, year=today.year, period=1, kind="year")
    urls[0] = reverse("appraisal:cycle_xlsx", args=[large.pk])
    for url, baseline in zip(urls, before, strict=True):
        count(chief, url, baseline)
    count(world.member_user, reverse("appraisal:mine"), mine_before)


@override_settings(
    APPRAISAL_GRADE_BANDS=[[85, "优秀"], [70, "合格"]], APPRAISAL_MASSES_POOR_BELOW=50
)
def test_screens_state_the_configured_rules(world, chief, make_cycle, as_user):
    """The self-report's help shows the cycle's own bands, not the seed's default text."""
    start, end = window_today()
    today = timezone.localdate()
    cycle = make_cycle(starts_on=start, ends_on=end, year=today.year, period=1, kind="year")
    url = reverse("appraisal:self_report", args=[cycle.pk])
    page = as_user(world.member_user).get(url).content.decode()
    assert "85分以上为优秀，70分以上为合格，70分以下为不称职" in page
    assert "90分以上为优秀" not in page
    detail = as_user(chief).get(reverse("appraisal:cycle_detail", args=[cycle.pk]))
    assert detail.context["poor_below"] == 50
    form = as_user(chief).get(reverse("appraisal:cycle_create")).content.decode()
    assert "民意测评低于50分" in form


def test_rectification_forms_keep_what_was_typed(world, computed, as_user):
    item = MemberRectification.objects.get()
    today = timezone.localdate()
    services.rectification_explain(actor=world.secretary_b, rectification=item, explained_on=today)
    response = as_user(world.secretary_b).post(
        reverse("appraisal:rectification_complete", args=[item.pk]),
        {
            "measures": "制定三条整改措施并已落实",
            "done_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200  # the page again, not a redirect losing the text
    body = response.content.decode()
    assert "制定三条整改措施并已落实" in body and "完成日期不能早于说明日期" in body
    item.refresh_from_db()
    assert item.state == "explained"
    other = general_meeting(world.branch_a, today)  # not offered: refused as an invalid choice
    response = as_user(world.secretary_b).post(
        reverse("appraisal:rectification_explain", args=[item.pk]), {"meeting": other.pk}
    )
    assert response.status_code == 200 and response.context["explain_form"].errors


def test_no_honour_for_an_excellent_member_the_masses_rated_poorly(
    world, make_cycle, rate_all, vote
):
    """《延伸提升168机制意见》§三: honours go to members 群众公认; with a small masses weight a
    member can be graded 优秀 while the masses rate them below 60 (and a rectification is due)."""
    cycle = make_cycle(weights=(10, 10, 80))
    rate_all(cycle, scores={world.member_a.pk: 100})
    vote(cycle, rating=lambda pid: "incompetent" if pid == world.member_a.pk else "competent")
    services.self_report_submit(
        actor=world.member_user, cycle=cycle, report="履职", self_score=D(100), today=IN_WINDOW
    )
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    a = result_of(cycle, world.member_a)
    assert (a.grade, a.masses_score) == ("优秀", D(50))  # 10 + 5 + 80 = 95
    assert MemberRectification.objects.filter(person=world.member_a).exists()
    with pytest.raises(ValidationError) as exc:
        services.honour_award(actor=world.org_officer, result=a, kind="excellent_member")
    assert "群众公认" in exc.value.message_dict["kind"][0]
