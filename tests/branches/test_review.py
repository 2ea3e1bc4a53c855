"""Regression tests of the review of the branches app: each test pins a bug that was found and
fixed (a 500 on bad input, an open redirect, a rule the seed or the data contradicted, a form that
lost what was typed)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.branches import rules, services
from dangjian.branches.models import BranchGrading, GradingScore, GradingStandard, GradingYear
from dangjian.demo.branches import BranchesLoader, reset_branches
from tests.branches.conftest import YEAR, fill
from tests.branches.test_views import _more_branches
from tests.factories import make_officer, make_org, make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/branches"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_bands_are_finite_numbers(bad):
    bands = [[bad, "先进"], [75, "较好"], [60, "一般"]]
    assert rules.bands_error(bands) == f"分数线“{bad}”不是数字。"
    with pytest.raises(ValueError):
        rules.suggested_grade(bad)


@pytest.mark.parametrize(
    ("year", "ok"), [(1999, False), (2000, True), (2026, True), (2100, True), (2101, False)]
)
def test_grading_year_range(year, ok):
    assert (rules.year_error(year) is None) is ok


def test_item_deadline_lies_in_the_plans_year():
    items_due = date(2026, 12, 31)
    assert "不能早于2026年1月1日" in rules.item_deadline_error(date(2025, 12, 31), items_due, True)
    assert rules.item_deadline_error(date(2026, 1, 1), items_due, False) is None


@pytest.mark.parametrize(
    ("day", "error"),
    [
        (date(2025, 12, 31), "不能早于2026年1月1日"),
        (date(2026, 1, 1), None),
        (date(2026, 11, 10), None),
        (date(2026, 11, 11), "不能晚于今天"),
    ],
)
def test_a_plans_dates_lie_between_the_start_of_its_year_and_today(day, error):
    message = rules.day_in_plan_error(day, 2026, date(2026, 11, 10))
    assert message is None if error is None else error in message


# --- 500s on bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0", "1999", "2101", "32767"])
def test_a_grading_year_out_of_range_is_a_form_error(world, as_user, year):
    response = as_user(world.org_officer).post(
        reverse("branches:year_create"), {"organisation": world.committee.pk, "year": year}
    )
    assert response.status_code == 200 and not GradingYear.objects.exists()
    with pytest.raises(ValidationError, match="年度应在2000～2100年之间"):
        services.grading_year_create(
            actor=world.org_officer, organisation=world.committee, year=int(year)
        )


def test_bands_nan_is_400(world):
    standard = GradingStandard.objects.get(applies_to="staff", is_active=True)
    response = api(world.org_officer).patch(
        f"{BASE}/standards/{standard.pk}/",
        {"bands": [["NaN", "先进"], [75, "较好"], [60, "一般"]]},
        format="json",
    )
    assert response.status_code == 400 and "不是数字" in response.json()["bands"][0]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("gradings", {"grading_year": "9" * 25}),
        ("gradings", {"branch": "9" * 25}),
        ("rectification-plans", {"branch": "9" * 25}),
        ("rectification-items", {"plan": "9" * 25}),
        ("rectification-items", {"organisation": "9" * 25}),
        ("summary", {"grading_year": "9" * 25}),
    ],
)
def test_huge_ids_in_api_filters_are_400(world, path, params):
    # SQLite raised OverflowError (a 500) on ids beyond 64 bits
    response = api(world.org_officer).get(f"{BASE}/{path}/", params)
    assert response.status_code == 400, response.content


def test_a_huge_members_count_is_refused(world, as_user, grading):
    response = api(world.secretary_a).post(
        f"{BASE}/gradings/{grading.pk}/scores/", {"members_count": 10**12}, format="json"
    )
    assert response.status_code == 400 and "members_count" in response.json()
    page = as_user(world.secretary_a).post(
        reverse("branches:grading_detail", args=[grading.pk]), {"members_count": str(10**12)}
    )
    assert page.status_code == 200 and "请修正" in page.content.decode()
    grading.refresh_from_db()
    assert grading.members_count == 2


def test_criteria_of_zero_points_are_refused_by_the_api(world):
    standard = GradingStandard.objects.get(applies_to="staff", is_active=True)
    criteria = [
        {"id": c.pk, "group": c.group, "name": c.name, "points": str(c.points)}
        for c in standard.criteria.all()
    ]
    criteria.append({"group": "five", "name": "空项目", "points": "0"})
    response = api(world.org_officer).patch(
        f"{BASE}/standards/{standard.pk}/", {"criteria": criteria}, format="json"
    )
    assert response.status_code == 400 and "criteria" in response.json()


def test_reopen_without_a_reason_is_a_message(world, as_user, graded):
    url = reverse("branches:grading_reopen", args=[graded.pk])
    response = as_user(world.gb_secretary_a).post(url, {"reason": ""}, follow=True)
    assert response.status_code == 200 and "请说明退回的理由" in response.content.decode()
    response = as_user(world.gb_secretary_a).post(url, {"reason": "x" * 500}, follow=True)
    assert "请说明退回的理由（200字以内）" in response.content.decode()
    graded.refresh_from_db()
    assert graded.state == "graded"


# --- rights -------------------------------------------------------------------------------------


def test_verify_does_not_redirect_off_site(world, as_user, submitted):
    """An open redirect: item_verify followed any POSTed `next`."""
    item = submitted.item
    services.rectification_item_done(actor=world.member_user, item=item, result="已落实")
    response = as_user(world.gb_secretary_a).post(
        reverse("branches:item_verify", args=[item.pk]),
        {"action": "approve", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("branches:plan_detail", args=[item.plan_id])
    item.refresh_from_db()
    assert item.verified_on is not None


def test_a_rejection_with_a_too_long_note_says_so(world, as_user, submitted):
    item = submitted.item
    services.rectification_item_done(actor=world.member_user, item=item, result="已落实")
    response = as_user(world.gb_secretary_a).post(
        reverse("branches:item_verify", args=[item.pk]),
        {"action": "reject", "note": "x" * 201},
        follow=True,
    )
    assert "上级意见不能超过200字" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "done"


# --- rules against the seed and the data ---------------------------------------------------------


def test_a_branch_is_graded_in_one_grading_year_a_year(world, year):
    """A general branch's year inside the committee's year would grade its branches twice."""
    with pytest.raises(ValidationError, match="每个党支部每年只参加一次分类定级"):
        services.grading_year_create(actor=world.org_officer, organisation=world.gb_a, year=YEAR)
    services.grading_year_create(actor=world.org_officer, organisation=world.gb_a, year=YEAR + 1)
    with pytest.raises(ValidationError, match="机关党总支"):
        services.grading_year_create(
            actor=world.org_officer, organisation=world.committee, year=YEAR + 1
        )


def test_the_committee_rule_counts_full_members(world, year):
    """正式党员7人以上的党支部设立党支部委员会: probationary members do not count."""
    branch = make_org(world.gb_a, name="教工三支部", category="staff")
    make_officer(branch)
    for _ in range(5):
        make_person(branch)
    make_person(branch, status="probationary")
    grading = services.grading_create(actor=world.org_officer, grading_year=year, branch=branch)
    assert grading.members_count == 7
    assert grading.committee_complete is True  # 6 full members: a secretary is enough
    make_person(branch)
    facts = services.survey_facts(branch)
    assert facts["members_count"] == 8 and facts["committee_complete"] is False


def _criteria_rows(standard):
    return [
        {"id": c.pk, "group": c.group, "name": c.name, "points": c.points, "order": c.order}
        for c in standard.criteria.order_by("order")
    ]


def test_an_edited_standard_reaches_the_surveys_in_progress(world, grading, graded_b):
    """A criterion added to a standard in use: the drafts get a score row for it (the total can
    reach 100 again), the decided gradings keep what they were graded on."""
    standard = grading.standard
    fill(grading, "1", actor=world.secretary_a)
    grading.refresh_from_db()
    assert grading.suggested_grade == "advanced"
    rows = _criteria_rows(standard)
    rows[0]["points"] -= 2
    rows.append({"group": "five", "name": "一个好的党员队伍", "points": Decimal(2)})
    too_high = rows[0]["points"] + Decimal(2)  # the draft scored the old full points
    with pytest.raises(ValidationError, match="高于新分值"):
        services.standard_update(actor=world.org_officer, standard=standard, criteria=rows)
    score = GradingScore.objects.get(grading=grading, criterion_id=rows[0]["id"])
    assert score.score == too_high
    score.score = rows[0]["points"]
    score.save()
    services.standard_update(actor=world.org_officer, standard=standard, criteria=rows)
    grading.refresh_from_db()
    assert grading.scores.count() == 13 and grading.suggested_grade == ""
    assert grading.total == Decimal(98)
    with pytest.raises(ValidationError, match="尚有1个评分项目未评分"):
        services.grading_decide(actor=world.gb_secretary_a, grading=grading, grade="advanced")
    # the graded student survey is another standard's; nothing changed there
    assert graded_b.scores.count() == 12


def test_new_bands_give_the_drafts_a_new_suggestion(world, grading):
    fill(grading, "0.8", actor=world.secretary_a)
    grading.refresh_from_db()
    assert grading.suggested_grade == "good"
    services.standard_update(
        actor=world.org_officer,
        standard=grading.standard,
        bands=[[95, "先进"], [85, "较好"], [70, "一般"]],
    )
    grading.refresh_from_db()
    assert grading.suggested_grade == "average"


@pytest.fixture
def graded_b(world, year):
    grading = services.grading_create(
        actor=world.secretary_b, grading_year=year, branch=world.branch_b
    )
    fill(grading, "0.9", actor=world.secretary_b)
    return services.grading_decide(actor=world.org_officer, grading=grading, grade="advanced")


def test_dates_of_a_plan_before_its_year_are_refused(world, plan, general_meeting, today):
    with pytest.raises(ValidationError, match="不能早于2025年1月1日"):
        services.rectification_plan_discuss(
            actor=world.secretary_a, plan=plan.plan, discussed_on=date(YEAR - 1, 12, 20)
        )
    with pytest.raises(ValidationError, match="不能早于2025年1月1日") as caught:
        services.rectification_plan_discuss(
            actor=world.secretary_a,
            plan=plan.plan,
            meeting=general_meeting(held_on=date(YEAR - 1, 12, 20)),
        )
    assert "meeting" in caught.value.message_dict
    with pytest.raises(ValidationError, match="不能早于2025年1月1日"):
        services.rectification_item_create(
            actor=world.secretary_a,
            plan=plan.plan,
            problem="问题",
            measures="措施",
            responsible=world.member_a,
            deadline=date(1, 1, 1),
        )
    with pytest.raises(ValidationError, match="不能早于2025年1月1日"):
        services.rectification_item_done(
            actor=world.member_user, item=plan.item, result="已落实", done_on=date(1, 1, 1)
        )
    response = api(world.member_user).post(
        f"{BASE}/rectification-items/{plan.item.pk}/done/",
        {"result": "已落实", "done_on": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "不能早于" in response.json()["done_on"][0]


# --- forms keep what was typed ------------------------------------------------------------------


def test_a_refused_discussion_keeps_the_note(world, as_user, plan):
    response = as_user(world.secretary_a).post(
        reverse("branches:plan_discuss", args=[plan.plan.pk]),
        {"discussed_on": f"{YEAR - 1}-12-20", "note": "党员逐条讨论，补充两条措施"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "党员逐条讨论，补充两条措施" in page and "不能早于2025年1月1日" in page
    plan.plan.refresh_from_db()
    assert plan.plan.state == "draft"


def test_a_refused_decision_keeps_the_opinion(world, as_user, grading):
    """Scores missing: the typed opinion of the general branch is not lost."""
    response = as_user(world.gb_secretary_a).post(
        reverse("branches:grading_decide", args=[grading.pk]),
        {"grade": "good", "reason": "年度考核良好，群众评议满意"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "年度考核良好，群众评议满意" in page and "尚有12个评分项目未评分" in page


# --- query counts of the pages that had none ----------------------------------------------------


def _count(client, url, expected=None):
    with assert_num_queries(expected, url) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return ctx


def _more_items(world, plan, n):
    for i in range(n):
        services.rectification_item_create(
            actor=world.org_officer,
            plan=plan,
            problem=f"问题{i}",
            measures="措施",
            responsible=make_person(world.branch_a),
            deadline=date(YEAR, 10, 1),
        )


@pytest.mark.parametrize(
    "name",
    [
        "branches:plan_detail",
        "branches:year_export",
        "branches:year_summary_xlsx",
        "branches:year_rectification_xlsx",
        "branches:item_export",
        "branches:my_items",
    ],
)
def test_pages_and_exports_query_count_does_not_grow(world, as_user, submitted, name):
    plan = submitted.plan
    year = plan.grading.grading_year
    args = {
        "branches:plan_detail": [plan.pk],
        "branches:year_export": [year.pk],
        "branches:year_summary_xlsx": [year.pk],
        "branches:year_rectification_xlsx": [year.pk],
    }.get(name, [])
    client = as_user(world.org_officer)
    url = reverse(name, args=args)
    _more_branches(world, year, 2)
    _more_items(world, plan, 2)
    few = _count(client, url)
    _more_branches(world, year, 8)
    _more_items(world, plan, 8)
    _count(client, url, few)


# --- demo ---------------------------------------------------------------------------------------


def test_the_demo_follows_the_standards_bands_and_moves_one_branch_down(world):
    """The demo graded by the default bands, not the standard's; and no branch moved down when
    the last regraded branch happened to be 后进."""
    GradingStandard.objects.update(bands=[[95, "先进"], [85, "较好"], [70, "一般"]])
    for g in range(2):
        gb = make_org(world.committee, name=f"第{g}党总支")
        make_officer(gb)
        for b in range(5):
            branch = make_org(gb, name=f"第{g}-{b}支部", category="student" if b % 2 else "staff")
            make_officer(branch)
            make_person(branch)
    today = date(2026, 11, 10)
    for seed in (1, 2, 3, 4):
        reset_branches()
        BranchesLoader(seed=seed, today=today).run()
        for g in BranchGrading.objects.filter(state="graded").select_related("standard"):
            assert g.suggested_grade == rules.suggested_grade(g.total, g.standard.bands)
            assert g.grade == g.suggested_grade or g.decision_reason
        last = GradingYear.objects.get(year=2025)
        initial = dict(
            BranchGrading.objects.filter(grading_year=last, round="initial").values_list(
                "branch_id", "grade"
            )
        )
        moves = [
            rules.movement(initial[branch], grade)
            for branch, grade in BranchGrading.objects.filter(
                grading_year=last, round="regrade"
            ).values_list("branch_id", "grade")
        ]
        assert moves.count("down") == 1, seed
