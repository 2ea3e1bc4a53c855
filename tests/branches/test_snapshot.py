"""A decided grading keeps what it was graded against: each score row's copy of its criterion
(name, group, guidance, points, order) and the bands copied at the decision. Editing the standard
later changes the surveys still in progress, never the history (page, print, XLSX, API)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dangjian.branches import rules, services
from dangjian.branches.models import BranchGrading, Criterion, GradingScore, GradingStandard
from dangjian.demo.branches import BranchesLoader
from tests.branches.conftest import fill
from tests.factories import make_org, make_person
from tests.harness import assert_num_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/branches"
OLD_NAME, NEW_NAME = "组织设置是否合理", "组织设置是否科学规范"
NEW_GUIDANCE = "修订后的评分要点：按新的组织设置办法检查。"
NEW_BANDS = [[95, "先进"], [85, "较好"], [70, "一般"]]
OLD_BANDS_TEXT = rules.bands_text(rules.DEFAULT_BANDS)
NEW_BANDS_TEXT = rules.bands_text(NEW_BANDS)
NEW_STANDARD = "教师党支部分类定级评分参考标准（修订）"


def _rows(standard):
    return [
        {
            "id": c.pk,
            "group": c.group,
            "name": c.name,
            "guidance": c.guidance,
            "points": c.points,
            "order": c.order,
        }
        for c in standard.criteria.order_by("order")
    ]


def revise(world, standard, *, add: bool = False) -> GradingStandard:
    """The department renames the first criterion, rewrites its guidance, takes 2 of its 8
    points to the second one, renames the standard and raises the bands (optionally adds a
    criterion, the points taken from the second one)."""
    rows = _rows(standard)
    assert rows[0]["name"] == OLD_NAME and rows[0]["points"] == 8
    rows[0].update(name=NEW_NAME, guidance=NEW_GUIDANCE, points=Decimal(6))
    rows[1]["points"] += 2
    if add:
        rows[1]["points"] -= 2
        rows.append({"group": "five", "name": "一个好的党员队伍", "points": Decimal(2)})
    return services.standard_update(
        actor=world.org_officer,
        standard=standard,
        name=NEW_STANDARD,
        bands=NEW_BANDS,
        criteria=rows,
    )


@pytest.fixture
def draft(world, year):
    """Another staff branch's survey, half scored, still in progress (the same standard)."""
    branch = make_org(world.gb_a, name="后勤党支部", category="staff")
    make_person(branch)
    grading = services.grading_create(actor=world.org_officer, grading_year=year, branch=branch)
    return fill(grading, "0.5", actor=world.org_officer)


@pytest.fixture
def revised(world, graded, draft):
    """`graded` (branch_a, 80 points, 较好) decided, then the standard revised."""
    old_guidance = Criterion.objects.get(standard=graded.standard, order=1).guidance
    revise(world, graded.standard)
    graded.refresh_from_db()
    draft.refresh_from_db()
    return graded, draft, old_guidance


def first_row(grading) -> GradingScore:
    return grading.scores.order_by("order").first()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def sheet_rows(sheet) -> list[tuple]:
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


# --- what is stored ------------------------------------------------------------------------------


def test_a_new_row_copies_its_criterion(grading):
    for row in grading.scores.select_related("criterion"):
        c = row.criterion
        assert (row.order, row.group, row.name, row.guidance, row.points) == (
            c.order,
            c.group,
            c.name,
            c.guidance,
            c.points,
        )


def test_the_decision_copies_the_bands_and_the_standards_name(graded):
    assert graded.graded_bands == [[90, "先进"], [75, "较好"], [60, "一般"]]
    assert graded.graded_standard_name == "教师党支部分类定级评分参考标准"


def test_a_revised_standard_changes_the_drafts_not_the_decided(revised):
    graded, draft, old_guidance = revised
    kept = first_row(graded)
    assert (kept.name, kept.points, kept.guidance) == (OLD_NAME, Decimal(8), old_guidance)
    assert graded.scores.get(order=2).points == Decimal(10)
    assert graded.bands == [[90, "先进"], [75, "较好"], [60, "一般"]]
    assert graded.standard_name == "教师党支部分类定级评分参考标准"
    assert (graded.total, graded.suggested_grade, graded.grade) == (Decimal(80), "good", "good")
    follows = first_row(draft)
    assert (follows.name, follows.points, follows.guidance) == (NEW_NAME, Decimal(6), NEW_GUIDANCE)
    assert draft.scores.get(order=2).points == Decimal(12)
    assert draft.bands == NEW_BANDS and draft.standard_name == NEW_STANDARD
    # half of the old points (4 + 5 + …) under the new bands: 50 → 后进
    assert draft.total == Decimal(50) and draft.suggested_grade == "lagging"


# --- what is shown -------------------------------------------------------------------------------


def test_the_page_shows_what_each_grading_was_graded_against(world, as_user, revised):
    graded, draft, old_guidance = revised
    client = as_user(world.org_officer)
    page = client.get(reverse("branches:grading_detail", args=[graded.pk])).content.decode()
    assert NEW_NAME not in page
    assert old_guidance in page and NEW_GUIDANCE not in page
    assert f'{OLD_NAME} <span class="text-muted fw-normal small">8.0分</span>' in page
    assert OLD_BANDS_TEXT in page and NEW_BANDS_TEXT not in page
    assert "教师党支部分类定级评分参考标准：" in page and NEW_STANDARD not in page
    page = client.get(reverse("branches:grading_detail", args=[draft.pk])).content.decode()
    assert f"{OLD_NAME} <span" not in page and NEW_GUIDANCE in page and old_guidance not in page
    assert f'{NEW_NAME} <span class="text-muted fw-normal small">6.0分</span>' in page
    assert NEW_BANDS_TEXT in page and f"{NEW_STANDARD}：" in page


def test_the_printed_form_shows_what_each_grading_was_graded_against(world, as_user, revised):
    graded, draft, old_guidance = revised
    client = as_user(world.org_officer)
    page = client.get(reverse("branches:grading_print", args=[graded.pk])).content.decode()
    assert (
        f'<td class="nw">{OLD_NAME}</td><td style="font-size:8.5pt">{old_guidance}</td>'
        '<td class="c nw">8</td><td class="c nw">6.4</td>'
    ) in page
    assert NEW_NAME not in page and NEW_GUIDANCE not in page
    assert f"教师党支部分类定级评分参考标准（{OLD_BANDS_TEXT}）" in page
    page = client.get(reverse("branches:grading_print", args=[draft.pk])).content.decode()
    assert (
        f'<td class="nw">{NEW_NAME}</td><td style="font-size:8.5pt">{NEW_GUIDANCE}</td>'
        '<td class="c nw">6</td><td class="c nw">4</td>'
    ) in page
    assert f"{NEW_STANDARD}（{NEW_BANDS_TEXT}）" in page


def test_the_xlsx_shows_what_each_grading_was_graded_against(world, as_user, revised):
    graded, draft, old_guidance = revised
    client = as_user(world.org_officer)
    rows = sheet_rows(workbook(client.get(reverse("branches:grading_xlsx", args=[graded.pk]))))
    assert (1, "调查摸底七个方面", OLD_NAME, old_guidance, 8, 6.4, f"{OLD_NAME}情况") in rows
    assert ("评分参考标准", f"教师党支部分类定级评分参考标准（{OLD_BANDS_TEXT}）") == next(
        r[:2] for r in rows if r[0] == "评分参考标准"
    )
    assert not any(NEW_NAME in str(cell) for r in rows for cell in r)
    total = next(r for r in rows if r[1] == "合计")
    assert (total[4], total[5]) == (100, 80)
    rows = sheet_rows(workbook(client.get(reverse("branches:grading_xlsx", args=[draft.pk]))))
    assert (1, "调查摸底七个方面", NEW_NAME, NEW_GUIDANCE, 6, 4, f"{OLD_NAME}情况") in rows
    assert any(r[0] == "评分参考标准" and NEW_BANDS_TEXT in r[1] for r in rows)


def test_the_api_shows_what_each_grading_was_graded_against(world, revised):
    graded, draft, old_guidance = revised
    client = api(world.org_officer)
    body = client.get(f"{BASE}/gradings/{graded.pk}/").json()
    first = body["scores"][0]
    assert (first["criterion_name"], first["points"], first["guidance"], first["order"]) == (
        OLD_NAME,
        "8.0",
        old_guidance,
        1,
    )
    assert first["group"] == "survey" and first["group_display"] == "调查摸底七个方面"
    assert body["bands"] == [[90, "先进"], [75, "较好"], [60, "一般"]]
    assert body["bands_text"] == OLD_BANDS_TEXT
    assert body["standard_name"] == "教师党支部分类定级评分参考标准"
    body = client.get(f"{BASE}/gradings/{draft.pk}/").json()
    assert (body["scores"][0]["criterion_name"], body["scores"][0]["points"]) == (NEW_NAME, "6.0")
    assert body["bands"] == NEW_BANDS and body["standard_name"] == NEW_STANDARD
    listed = {g["id"]: g for g in client.get(f"{BASE}/gradings/").json()["results"]}
    assert listed[graded.pk]["scores"][0]["criterion_name"] == OLD_NAME
    assert listed[graded.pk]["bands_text"] == OLD_BANDS_TEXT
    assert listed[draft.pk]["scores"][0]["criterion_name"] == NEW_NAME


def test_history_and_summary_keep_the_decided_figures(world, as_user, revised):
    graded, _draft, _guidance = revised
    client = as_user(world.org_officer)
    page = client.get(reverse("branches:branch_history", args=[world.branch_a.pk]))
    assert "<td>80.0</td>" in page.content.decode()
    page = client.get(reverse("branches:year_summary", args=[graded.grading_year.pk]))
    assert '<td class="c nw">80</td><td class="c nw">较好</td>' in page.content.decode()


# --- reopened: a draft again, it follows the standard --------------------------------------------


def test_a_reopened_grading_follows_the_standard_again(world, graded):
    revise(world, graded.standard, add=True)
    graded.refresh_from_db()
    assert graded.scores.count() == 12  # the decided grading got no row for the new criterion
    grading = services.grading_reopen(
        actor=world.gb_secretary_a, grading=graded, reason="评分依据修订，重新调查摸底"
    )
    grading.refresh_from_db()
    assert grading.graded_bands is None and grading.graded_standard_name == ""
    assert grading.bands == NEW_BANDS and grading.scores.count() == 13
    row = first_row(grading)
    assert (row.name, row.points, row.score) == (NEW_NAME, Decimal(6), Decimal("6.4"))
    assert grading.suggested_grade == ""  # the new criterion is not scored yet
    # the score above the new points must be corrected before the grade is decided
    score = grading.scores.get(name="一个好的党员队伍")
    score.score = Decimal(2)
    score.save()
    with pytest.raises(ValidationError, match="组织设置是否科学规范.*得分应在0～6分之间"):
        services.grading_decide(actor=world.gb_secretary_a, grading=grading, grade="good")
    services.grading_survey_save(
        actor=world.secretary_a,
        grading=grading,
        scores=[{"criterion": row.criterion_id, "score": Decimal(6)}],
    )
    grading = services.grading_decide(
        actor=world.gb_secretary_a, grading=grading, grade="average", reason=""
    )
    assert grading.graded_bands == NEW_BANDS and grading.graded_standard_name == NEW_STANDARD
    assert grading.total == Decimal("81.6") and grading.suggested_grade == "average"


def test_the_survey_refuses_a_score_above_the_new_points(world, draft):
    revise(world, draft.standard)
    row = first_row(draft)
    with pytest.raises(ValidationError, match="得分应在0～6分之间"):
        services.grading_survey_save(
            actor=world.org_officer,
            grading=draft,
            scores=[{"criterion": row.criterion_id, "score": Decimal(7)}],
        )


def test_a_draft_with_stale_copies_is_decided_on_the_standard_as_it_stands(world, draft):
    """Criteria changed behind the services' back (no refresh): the decision copies them as
    they stand, so the kept copy is what the grade was decided on."""
    Criterion.objects.filter(standard=draft.standard, order=1).update(name="改名的评分项目")
    fill(draft, "0.9", actor=world.org_officer)
    grading = services.grading_decide(actor=world.org_officer, grading=draft, grade="advanced")
    assert first_row(grading).name == "改名的评分项目"


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["branches:grading_detail", "branches:grading_print", "branches:grading_xlsx"]
)
def test_grading_pages_query_count_does_not_grow_with_the_criteria(world, as_user, draft, name):
    client = as_user(world.org_officer)
    url = reverse(name, args=[draft.pk])

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            response = client.get(url)
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        return ctx

    few = count()
    revise(world, draft.standard, add=True)
    assert draft.scores.count() == 13
    count(few)


def test_api_list_query_count_with_drafts_and_decided(world, year, graded, draft):
    client = api(world.org_officer)

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            assert client.get(f"{BASE}/gradings/").status_code == 200
        return ctx

    few = count()
    for i in range(6):
        branch = make_org(world.gb_a, name=f"测试支部{i}", category="staff")
        make_person(branch)
        grading = services.grading_create(actor=world.org_officer, grading_year=year, branch=branch)
        if i % 2:
            fill(grading, "0.9", actor=world.org_officer)
            services.grading_decide(actor=world.org_officer, grading=grading, grade="advanced")
    count(few)


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_keeps_the_copies(world):
    BranchesLoader(seed=3, today=date(2026, 11, 10)).run()
    graded = BranchGrading.objects.filter(state="graded").select_related("standard")
    assert graded.exists()
    for g in graded:
        assert g.graded_bands == g.standard.bands
        assert g.graded_standard_name == g.standard.name
    rows = GradingScore.objects.select_related("criterion")
    assert rows.exists()
    for row in rows:
        assert (row.name, row.points, row.order, row.group) == (
            row.criterion.name,
            row.criterion.points,
            row.criterion.order,
            row.criterion.group,
        )
