"""The group's result stays with the group until the written notice (《支部考核办法》四(一)(二):
考核结果报学院党委审定; 考核领导小组以书面的形式将考核结果通知被考核支部).

Before the notice the branch's own officers see their self-scores, their claims and the state,
but none of the group's item scores, notes, claim decisions, totals, grade, veto or funding — on
every surface. The group and the organisation department see everything; after the notice the
branch sees everything too.
"""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dangjian.assessment import permissions, rules, selectors, services
from dangjian.assessment.models import AssessmentState, BranchAssessment
from dangjian.org.models import Position
from tests.assessment.conftest import bonus_item, entries
from tests.factories import make_officer, make_org, make_person, make_user
from tests.harness import assert_max_queries, assert_num_queries

pytestmark = pytest.mark.django_db
D = Decimal
BASE = "/api/v1/assessment"

GROUP_NOTE = "考评意见甲"
CLAIM_NOTE = "证明材料不足乙"
VETO_REASON = "党员受到警告处分丙"


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def make_client(user):
    """A second web client (the `as_user` fixture's is one per test)."""
    client = Client()
    client.force_login(user)
    return client


def xlsx_rows(response):
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def scored_unnotified(world, template, a, *, veto=False) -> BranchAssessment:
    """Self-scored at full marks with a bonus claim (3 points: self total 103); the group
    (the general branch) scores 85.5 with its own notes, rejects the claim with a reason, and
    finishes scoring: 良好, funding 2 staff × 100 × 1.1 = 220 — or vetoed (不合格, 200)."""
    services.self_scores_save(actor=world.secretary_a, assessment=a, entries=entries(template))
    claim = services.bonus_claim_create(
        actor=world.secretary_a,
        assessment=a,
        item=bonus_item(template, 17),
        option="国家级",
        description="全国先进基层党组织",
    )
    services.assessment_submit(actor=world.secretary_a, assessment=a)
    group = world.gb_secretary_a
    scores = entries(template, short=D("14.5"))
    for entry in scores:
        entry.note = GROUP_NOTE
    services.group_scores_save(actor=group, assessment=a, entries=scores)
    services.bonus_claim_review(actor=group, claim=claim, accepted=False, group_note=CLAIM_NOTE)
    services.assessment_score(actor=group, assessment=a)
    if veto:
        services.assessment_veto(actor=group, assessment=a, vetoed=True, reason=VETO_REASON)
    a.refresh_from_db()
    assert a.state == AssessmentState.SCORED and a.total == D("85.5") and a.self_total == 103
    return a


def notify(world, a) -> BranchAssessment:
    services.assessment_notify(actor=world.gb_secretary_a, assessment=a)
    a.refresh_from_db()
    return a


# --- the rule and the one place that applies it ---------------------------------------------


@pytest.mark.parametrize(
    ("notified", "branch_side", "department", "visible"),
    [
        (False, True, False, False),  # the branch before the notice
        (True, True, False, True),  # the branch after it
        (False, False, False, True),  # the group
        (False, True, True, True),  # the organisation department
        (False, False, True, True),
        (True, False, False, True),
    ],
)
def test_rule_group_result_visible(notified, branch_side, department, visible):
    # 《支部考核办法》四(一)(二)
    assert (
        rules.group_result_visible(
            notified=notified, branch_side=branch_side, department=department
        )
        is visible
    )


def test_result_access_by_party_and_state(world, template, ass_a):
    users = {
        "branch": world.secretary_a,
        "group": world.gb_secretary_a,
        "department": world.org_officer,
    }

    def seen():
        return {k: selectors.result_visible(u, ass_a) for k, u in users.items()} | {
            "nobody": selectors.result_visible(None, ass_a)
        }

    hidden = {"branch": False, "group": True, "department": True, "nobody": False}
    assert seen() == hidden  # 支部自评
    scored_unnotified(world, template, ass_a)
    assert seen() == hidden  # 考核组已评分
    for name, user in users.items():  # the branch side is exactly permissions.Rights' branch party
        rights = permissions.Rights(user, ass_a)
        assert selectors.result_visible(user, ass_a) is (not rights.branch), name
    notify(world, ass_a)
    assert seen() == dict.fromkeys(hidden, True)


def test_an_officer_of_both_levels_is_the_branch_for_their_own_branch(world, template):
    """A general-branch secretary who also sits on one of its branches' committees is the group
    for the other branches and the branch side for their own."""
    other = make_org(world.gb_a, name="机关二支部", code="BA2")
    round_ = services.round_create(
        actor=world.org_officer,
        template=template,
        year=2025,
        organisation=world.committee,
        self_due=date(2025, 11, 30),
    )
    both = world.gb_secretary_a
    Position.objects.create(
        person=both.person,
        organisation=world.branch_a,
        title="committee",
        starts_on=date(2020, 1, 1),
    )
    own = BranchAssessment.objects.get(round=round_, branch=world.branch_a)
    theirs = BranchAssessment.objects.get(round=round_, branch=other)
    BranchAssessment.objects.filter(pk__in=[own.pk, theirs.pk]).update(
        state=AssessmentState.SCORED, total=D(88), base_total=D(88), grade="良好"
    )
    access = selectors.result_access(both)
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert access.sees(own) is False and access.sees(theirs) is True
    rows = api(both).get(f"{BASE}/branch-assessments/", {"round": round_.pk}).json()["results"]
    totals = {r["branch_name"]: (r["result_visible"], r["total"]) for r in rows}
    assert totals == {"机关一支部": (False, None), "机关二支部": (True, 88)}
    html = (
        make_client(both).get(reverse("assessment:round_detail", args=[round_.pk])).content.decode()
    )
    assert "良好（未通知）" in html  # the other branch, as the group
    assert ">未通知</span>" in html  # their own branch, without figures


# --- the branch assessment page -------------------------------------------------------------


def test_assessment_page_before_and_after_the_notice(world, as_user, template, ass_a):
    a = scored_unnotified(world, template, ass_a, veto=True)
    url = reverse("assessment:assessment_detail", args=[a.pk])

    response = as_user(world.secretary_a).get(url)
    html = response.content.decode()
    assert response.context["result_shown"] is False
    assert response.context["totals"]["group"] is None
    assert response.context["totals"]["self"] == 100
    assert "103" in html and "考核组已评分" in html  # its self total and its state
    assert 'id="unnotified"' in html and "未通知" in html and rules.NOTICE_RULE in html
    for secret in ("85.5", GROUP_NOTE, CLAIM_NOTE, VETO_REASON, "不予认定", "200.00"):
        assert secret not in html, secret
    assert "全国先进基层党组织" in html  # its own claim, without the decision
    # the audit trail keeps the branch's own steps and drops the group's
    events = response.context["events"]
    notes = {e.note for e in events}
    assert "支部提交自评" in notes and "考核组完成评分" in notes
    assert not notes & {"考核组评分", "一票否决", "附加分认定变更"}
    keys = {k for e in events for k in e.changes}
    assert keys <= {"状态", "提交自评日期", "自评得分"} | {f"第{n}项自评" for n in range(1, 17)}
    assert "第1项考评" not in html and "考评基本分：" not in html

    for user in (world.gb_secretary_a, world.org_officer):  # the group and the department
        html = as_user(user).get(url).content.decode()
        for shown in ("85.5", GROUP_NOTE, CLAIM_NOTE, VETO_REASON, "不予认定", "（未通知）"):
            assert shown in html, shown

    notify(world, a)
    response = as_user(world.secretary_a).get(url)
    html = response.content.decode()
    assert response.context["result_shown"] is True
    assert response.context["totals"]["group"] == D("85.5")
    for shown in ("85.5", GROUP_NOTE, CLAIM_NOTE, VETO_REASON, "不予认定", "200.00"):
        assert shown in html, shown
    assert "考核组评分" in {e.note for e in response.context["events"]}


def test_a_reopened_self_assessment_hides_the_groups_partial_scores(
    world, as_user, template, ass_a
):
    services.self_scores_save(actor=world.secretary_a, assessment=ass_a, entries=entries(template))
    services.assessment_submit(actor=world.secretary_a, assessment=ass_a)
    scores = entries(template, short=D(3))
    for entry in scores:
        entry.note = GROUP_NOTE
    services.group_scores_save(actor=world.gb_secretary_a, assessment=ass_a, entries=scores)
    services.assessment_reopen(actor=world.gb_secretary_a, assessment=ass_a, reason="补充材料")
    url = reverse("assessment:assessment_detail", args=[ass_a.pk])
    response = as_user(world.secretary_a).get(url)
    html = response.content.decode()
    assert 'id="score-form"' in html and GROUP_NOTE not in html
    assert response.context["totals"]["group"] is None
    assert GROUP_NOTE in as_user(world.gb_secretary_a).get(url).content.decode()


# --- the print page and the XLSX of the sheet -----------------------------------------------


def score_cells(html: str) -> tuple[list[str], list[str]]:
    """The 支部自评 and 学院考评 cells of the printed sheet (items and the total)."""
    cells = [c.strip() for c in re.findall(r'<td class="score">([^<]*)</td>', html)]
    return cells[0::2], cells[1::2]


def test_print_page_before_and_after_the_notice(world, as_user, template, ass_a):
    a = scored_unnotified(world, template, ass_a)
    url = reverse("assessment:sheet_print", args=[a.pk])
    own, group = score_cells(as_user(world.secretary_a).get(url).content.decode())
    assert own[-1] == "103.0" and "5" in own
    assert group == [""] * len(group)  # 学院考评 empty, total included
    own, group = score_cells(as_user(world.gb_secretary_a).get(url).content.decode())
    assert group[-1] == "85.5" and "0" in group
    notify(world, a)
    html = as_user(world.secretary_a).get(url).content.decode()
    own, group = score_cells(html)
    assert group[-1] == "85.5" and "0" in group
    assert "良好" in html


def test_sheet_xlsx_before_and_after_the_notice(world, as_user, template, ass_a):
    a = scored_unnotified(world, template, ass_a)
    url = reverse("assessment:sheet_export", args=[a.pk])
    rows = xlsx_rows(as_user(world.secretary_a).get(url))
    items = rows[2:-2]
    assert len(items) == 20 and all(r[6] is None for r in items)
    assert [r[5] for r in items[:2]] == [5, 5]
    assert rows[-2][5:] == [103, None]
    assert rows[-1][:2] == ["考核等次", "未通知"]
    rows = xlsx_rows(as_user(world.gb_secretary_a).get(url))
    assert rows[-2][5:] == [103, 85.5] and rows[-1][:2] == ["考核等次", "良好（尚未书面通知）"]
    notify(world, a)
    rows = xlsx_rows(as_user(world.secretary_a).get(url))
    assert rows[2][6] == 0 and rows[-2][5:] == [103, 85.5]
    assert rows[-1][:2] == ["考核等次", "良好"]


# --- the round: table, XLSX, chart; funding; the secretaries' grades -----------------------


def test_round_detail_table_and_chart_before_and_after_the_notice(
    world, as_user, template, round_, ass_a
):
    scored_unnotified(world, template, ass_a)
    url = reverse("assessment:round_detail", args=[round_.pk])
    response = as_user(world.secretary_a).get(url)
    html = response.content.decode()
    (row,) = response.context["page"].rows
    assert row.result_shown is False
    assert ">未通知</span>" in html and "85.5" not in html and "220" not in html
    assert "103" in html  # its self total
    distribution = response.context["distribution"]
    assert distribution.rows == [("机关党总支", [0, 0, 0, 0], 1, 1)]
    assert all(sum(s["data"]) == 0 for s in response.context["chart"]["series"][:-1])

    html = as_user(world.gb_secretary_a).get(url).content.decode()
    assert "良好（未通知）" in html and "85.5" in html and "220" in html

    notify(world, ass_a)
    response = as_user(world.secretary_a).get(url)
    html = response.content.decode()
    assert response.context["page"].rows[0].result_shown is True
    assert "85.5" in html and "220" in html and ">未通知</span>" not in html
    assert response.context["distribution"].rows == [("机关党总支", [0, 1, 0, 0], 0, 1)]


def test_round_xlsx_before_and_after_the_notice(world, as_user, template, round_, ass_a):
    scored_unnotified(world, template, ass_a)
    url = reverse("assessment:round_export", args=[round_.pk])
    rows = xlsx_rows(as_user(world.secretary_a).get(url))
    assert len(rows) == 3
    assert rows[2][1:] == [
        "机关党总支",
        "机关一支部",
        "考核组已评分",
        103,
        None,
        None,
        None,
        "未通知",
        None,
        None,
        None,
    ]
    rows = xlsx_rows(as_user(world.gb_secretary_a).get(url))
    assert rows[2][4:8] == [103, 85.5, 0, 85.5] and rows[2][11] == 220
    notify(world, ass_a)
    rows = xlsx_rows(as_user(world.secretary_a).get(url))
    assert rows[2][3:9] == ["已书面通知", 103, 85.5, 0, 85.5, "良好"] and rows[2][11] == 220


def test_funding_before_and_after_the_notice(world, as_user, template, round_, ass_a):
    """Before the notice every row is the estimate (today's members, factor 1) for everyone,
    so the branch learns nothing of its grade from the money."""
    scored_unnotified(world, template, ass_a)
    page = reverse("assessment:funding", args=[round_.pk])
    export = reverse("assessment:funding_export", args=[round_.pk])
    estimate = ["机关一支部", 2, 0, 200, None, 1, 200, "尚未出结果，按现有党员数和系数1预估"]
    for user in (world.secretary_a, world.gb_secretary_a):
        html = as_user(user).get(page).content.decode()
        assert "未出结果（预估）" in html and "220.00" not in html
        assert xlsx_rows(as_user(user).get(export))[2][2:] == estimate
    mine = api(world.secretary_a).get(f"{BASE}/rounds/{round_.pk}/funding/").json()
    assert [(r["grade"], r["amount"], r["estimated"]) for r in mine] == [("", 200, True)]

    notify(world, ass_a)
    html = as_user(world.secretary_a).get(page).content.decode()
    assert "220.00" in html and "未出结果（预估）" not in html
    assert xlsx_rows(as_user(world.secretary_a).get(export))[2][2:] == [
        "机关一支部",
        2,
        0,
        200,
        "良好",
        1.1,
        220,
        None,
    ]
    mine = api(world.secretary_a).get(f"{BASE}/rounds/{round_.pk}/funding/").json()
    assert [(r["grade"], r["amount"], r["estimated"]) for r in mine] == [("良好", 220, False)]


def test_secretary_grades_before_and_after_the_notice(world, as_user, template, round_, ass_a):
    scored_unnotified(world, template, ass_a)
    url = f"{BASE}/rounds/{round_.pk}/secretary-grades/"
    for user in (world.secretary_a, world.gb_secretary_a):
        (row,) = api(user).get(url).json()
        assert (row["with_result"], row["average"], row["grade"]) == (0, None, None)
    page = reverse("assessment:secretary_grades", args=[round_.pk])
    assert "85.5" not in as_user(world.secretary_a).get(page).content.decode()
    notify(world, ass_a)
    (row,) = api(world.secretary_a).get(url).json()
    assert (row["with_result"], row["average"], row["grade"]) == (1, 85.5, "良好")


# --- the API of the branch assessments -------------------------------------------------------


HIDDEN = {
    "result_visible": False,
    "base_total": None,
    "bonus_raw": None,
    "bonus_total": None,
    "total": None,
    "grade": "",
    "vetoed": None,
    "veto_reason": "",
    "staff_members": None,
    "student_members": None,
    "funding": None,
}


def test_api_before_and_after_the_notice(world, template, round_, ass_a, ass_b):
    a = scored_unnotified(world, template, ass_a, veto=True)
    branch, group = api(world.secretary_a), api(world.gb_secretary_a)
    lists = f"{BASE}/branch-assessments/"
    detail = f"{lists}{a.pk}/"

    (row,) = branch.get(lists).json()["results"]
    assert {k: row[k] for k in HIDDEN} == HIDDEN
    assert row["self_total"] == 103 and row["state"] == "scored"
    one = branch.get(detail).json()
    assert {k: one[k] for k in HIDDEN} == HIDDEN
    assert {(s["group_score"], s["group_note"]) for s in one["scores"]} == {(None, "")}
    assert {s["self_score"] for s in one["scores"]} != {None}
    assert [(c["accepted"], c["group_note"], c["points"]) for c in one["claims"]] == [(None, "", 3)]
    # filtering by grade tells the branch nothing either
    assert branch.get(lists, {"grade": "不合格"}).json()["results"] == []

    for client in (group, api(world.org_officer)):
        one = client.get(detail).json()
        assert one["result_visible"] is True and one["total"] == 85.5
        assert (one["grade"], one["vetoed"], one["veto_reason"]) == ("不合格", True, VETO_REASON)
        assert one["funding"] == 200 and one["staff_members"] == 2
        assert {s["group_note"] for s in one["scores"]} == {GROUP_NOTE}
        assert [(c["accepted"], c["group_note"]) for c in one["claims"]] == [(False, CLAIM_NOTE)]
        found = client.get(lists, {"grade": "不合格"}).json()["results"]
        assert [r["id"] for r in found] == [a.pk]

    notify(world, a)
    one = branch.get(detail).json()
    assert one["result_visible"] is True and one["total"] == 85.5 and one["grade"] == "不合格"
    assert one["vetoed"] is True and one["veto_reason"] == VETO_REASON
    assert [(c["accepted"], c["group_note"]) for c in one["claims"]] == [(False, CLAIM_NOTE)]
    assert [r["id"] for r in branch.get(lists, {"grade": "不合格"}).json()["results"]] == [a.pk]


def test_api_action_answers_hide_the_result_from_the_branch(world, template, ass_a):
    """The branch's own actions answer with the assessment as the branch may see it."""
    services.self_scores_save(actor=world.secretary_a, assessment=ass_a, entries=entries(template))
    services.assessment_submit(actor=world.secretary_a, assessment=ass_a)
    scores = entries(template, short=D(3))
    for entry in scores:
        entry.note = GROUP_NOTE
    services.group_scores_save(actor=world.gb_secretary_a, assessment=ass_a, entries=scores)
    services.assessment_reopen(actor=world.gb_secretary_a, assessment=ass_a)
    payload = {"scores": [{"item": s.item.pk, "score": "4", "note": "改"} for s in scores[:1]]}
    response = api(world.secretary_a).post(
        f"{BASE}/branch-assessments/{ass_a.pk}/self-scores/", payload, format="json"
    )
    assert response.status_code == 200 and response.json()["result_visible"] is False
    assert {s["group_note"] for s in response.json()["scores"]} == {""}
    response = api(world.secretary_a).post(f"{BASE}/branch-assessments/{ass_a.pk}/submit/")
    assert response.json()["state"] == "submitted" and response.json()["self_total"] == 99
    assert {s["group_score"] for s in response.json()["scores"]} == {None}


# --- no extra queries per row ----------------------------------------------------------------


def test_branch_side_lists_query_counts_do_not_grow(world, template):
    """A person on the committees of many branches: every row is on the branch side, decided
    from one read of their offices."""
    person = make_person(world.committee, name="多支部委员")
    user = make_user(person)

    def make(n, code):
        gb = make_org(world.committee, name=f"总支{code}", code=code)
        for i in range(n):
            branch = make_org(gb, name=f"支部{code}{i}", code=f"{code}{i}")
            Position.objects.create(
                person=person, organisation=branch, title="committee", starts_on=date(2020, 1, 1)
            )
            make_person(branch)
        r = services.round_create(
            actor=world.org_officer,
            template=template,
            year=2025,
            organisation=gb,
            self_due=date(2025, 11, 30),
            kind="special",
            title=f"专项{code}",
        )
        BranchAssessment.objects.filter(round=r).update(
            state=AssessmentState.SCORED,
            self_total=D(95),
            base_total=D(90),
            bonus_total=D(0),
            total=D(90),
            grade="优秀",
            staff_members=1,
            student_members=0,
            funding=D(120),
        )
        return r

    client = make_client(user)
    counts = []
    for r in (make(2, "S"), make(10, "L")):
        pages = [
            reverse(name, args=[r.pk])
            for name in (
                "assessment:round_detail",
                "assessment:round_export",
                "assessment:funding",
                "assessment:funding_export",
                "assessment:secretary_grades",
                "assessment:secretary_export",
            )
        ]
        urls = [
            f"{BASE}/branch-assessments/?round={r.pk}",
            f"{BASE}/branch-assessments/?round={r.pk}&grade=优秀",
            f"{BASE}/rounds/{r.pk}/funding/",
            f"{BASE}/rounds/{r.pk}/secretary-grades/",
        ]
        rest = api(user)
        for page in pages:
            client.get(page)  # warm caches (content types, sessions)
        for url in urls:
            rest.get(url)
        with assert_num_queries(counts[0] if counts else None) as ctx:
            for page in pages:
                response = client.get(page)
                assert response.status_code == 200
            for url in urls:
                assert rest.get(url).status_code == 200
        counts.append(ctx)
        rows = rest.get(f"{BASE}/branch-assessments/?round={r.pk}").json()["results"]
        assert rows and all(row["result_visible"] is False for row in rows)
        assert all(row["total"] is None for row in rows)
        assert rest.get(urls[1]).json()["results"] == []
        html = client.get(pages[0]).content.decode()
        assert "90.0" not in html and html.count(">未通知</span>") == len(rows)


def test_branch_side_detail_page_asks_one_query_more(world, as_user, template, ass_a):
    scored_unnotified(world, template, ass_a)
    url = reverse("assessment:assessment_detail", args=[ass_a.pk])
    as_user(world.org_officer).get(url)  # the group side
    client = as_user(world.secretary_a)  # the branch side
    client.get(url)
    # the sheet, scores, claims, references (one query each: items 1, 8, 10), audit, offices
    with assert_max_queries(22):
        client.get(url)


def test_the_department_holding_a_branch_office_still_sees_everything(world, template, ass_a):
    """The organisation department sees every result, even of a branch where one of its
    officers also sits (they cannot score it: permissions.in_group)."""
    officer = make_officer(world.branch_a, title="committee", name="组织部干事兼支部委员")
    officer.is_org_officer = True
    officer.save(update_fields=["is_org_officer"])
    scored_unnotified(world, template, ass_a)
    assert permissions.Rights(officer, ass_a).branch is True
    assert selectors.result_visible(officer, ass_a) is True
