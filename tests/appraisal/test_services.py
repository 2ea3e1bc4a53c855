"""Services of member duty evaluation: the happy path and each refusal, reproducibility."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from dangjian.appraisal import services
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationResult,
    Honour,
    MemberRectification,
    SelfReport,
)
from dangjian.core.models import AuditEvent
from dangjian.orglife.models import Meeting
from dangjian.posts.models import DutyRecord, Post, PostType
from dangjian.surveys.models import SurveyState
from tests.appraisal.conftest import ENDS, IN_WINDOW, STARTS
from tests.factories import make_org, make_person, make_user

pytestmark = pytest.mark.django_db

AFTER = ENDS + timedelta(days=1)


def result_of(cycle, person):
    return EvaluationResult.objects.get(cycle=cycle, person=person)


# --- creating a cycle --------------------------------------------------------------------


def test_cycle_create_population_results_and_surveys(world, chief, make_cycle):
    cycle = make_cycle()
    people = set(
        EvaluationResult.objects.filter(cycle=cycle).values_list("person__name", flat=True)
    )
    assert people == {"张书记", "赵党员", "李书记", "钱党员", "王总支书记", "孙书记"}
    assert cycle.title == "2026年第三季度党员履岗考评（一季一评）"
    assert cycle.bands == [[90, "优秀"], [80, "称职"], [60, "基本称职"], [0, "不称职"]]
    # one member-rating survey per organisation holding evaluated members
    surveys = {s.organisation.code: s for s in cycle.surveys.select_related("organisation")}
    assert set(surveys) == {"BA", "BB", "GA"}
    assert set(surveys["BA"].subjects.values_list("name", flat=True)) == {
        "张书记",
        "赵党员",
        "孙书记",
    }
    assert surveys["BA"].min_responses == 3 and surveys["BA"].closes_on == ENDS
    result = result_of(cycle, world.member_a)
    assert result.organisation == world.branch_a and result.final_score is None
    assert AuditEvent.objects.filter(object_id=cycle.pk, action="create").exists()


def test_cycle_without_masses_has_no_survey(make_cycle):
    cycle = make_cycle(weights=(30, 0, 70))
    assert cycle.surveys.count() == 0 and cycle.min_responses is None


def test_cycle_population_filters(world, make_cycle):
    make_person(world.branch_a, name="预备甲", status="probationary")
    make_person(world.branch_a, name="学生乙", category="student")
    make_person(world.branch_a, name="积极分子", status="activist")
    full = make_cycle(population="full", period=1)
    names = set(full.results.values_list("person__name", flat=True))
    assert "预备甲" not in names and "学生乙" in names and "积极分子" not in names
    students = make_cycle(population="student", period=2)
    assert set(students.results.values_list("person__name", flat=True)) == {"学生乙"}


def test_cycle_population_post_holders(world, make_cycle):
    post_type = PostType.objects.create(name="党建工作岗", duties="党建")
    Post.objects.create(
        organisation=world.branch_a,
        post_type=post_type,
        year=2026,
        name="党建工作岗",
        duties="党建",
        holder=world.member_a,
        state="performing",
    )
    Post.objects.create(
        organisation=world.branch_a,
        post_type=post_type,
        year=2025,
        name="党建工作岗",
        duties="党建",
        holder=world.member_b,
        state="evaluated",
    )
    cycle = make_cycle(population="post_holders")
    assert list(cycle.results.values_list("person__name", flat=True)) == ["赵党员"]


@pytest.mark.parametrize(
    ("weights", "message"),
    [(("19.9", 30, 50), "99.9"), (("20.1", 30, 50), "100.1"), ((0, 0, 0), "合计须为100")],
)
def test_cycle_weights_must_total_100(make_cycle, weights, message):
    with pytest.raises(ValidationError) as exc:
        make_cycle(weights=tuple(D(str(w)) for w in weights))
    assert message in exc.value.message_dict["weight_branch"][0]


def test_cycle_refusals(world, make_cycle):
    with pytest.raises(PermissionDenied):
        make_cycle(actor=world.secretary_b, organisation=world.branch_a)
    with pytest.raises(ValidationError) as exc:
        make_cycle(period=5)
    assert "period" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_cycle(kind="year", period=2)
    assert "period" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_cycle(organisation=world.group_a)
    assert "organisation" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_cycle(min_responses=2)
    assert "min_responses" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_cycle(starts_on=ENDS, ends_on=STARTS)
    assert "ends_on" in exc.value.message_dict
    make_cycle()
    with pytest.raises(ValidationError) as exc:
        make_cycle()
    assert "不能重复创建" in exc.value.message_dict["period"][0]


def test_branch_secretary_creates_for_own_branch(world, make_cycle):
    cycle = make_cycle(actor=world.secretary_a, organisation=world.branch_a)
    names = set(cycle.results.values_list("person__name", flat=True))
    assert names == {"张书记", "赵党员", "孙书记"}
    assert cycle.surveys.count() == 1


def test_cycle_without_population_refused(world, make_cycle):
    lonely = make_org(world.gb_b, name="空支部", code="EMPTY")
    with pytest.raises(ValidationError) as exc:
        make_cycle(organisation=lonely)
    assert "没有符合条件" in exc.value.message_dict["population"][0]


@override_settings(
    APPRAISAL_DEFAULT_WEIGHTS=(10, 40, 50), APPRAISAL_GRADE_BANDS=[[85, "优秀"], [70, "合格"]]
)
def test_settings_give_defaults_and_bands(world, chief):
    cycle = services.cycle_create(
        actor=chief, organisation=world.committee, kind="year", year=2026, min_responses=3
    )
    assert cycle.weights == (D(10), D(40), D(50))
    assert cycle.bands == [[85, "优秀"], [70, "合格"], [0, "不称职"]]
    assert cycle.starts_on == date(2026, 12, 1) and cycle.ends_on == date(2027, 1, 15)


# --- self-reports --------------------------------------------------------------------------


def test_self_report_submit_and_update(world, make_cycle):
    DutyRecord.objects.create(
        person=world.member_a,
        organisation=world.branch_a,
        occurred_on=date(2026, 8, 3),
        place="图书馆",
        content="志愿服务",
    )
    DutyRecord.objects.create(
        person=world.member_a,
        organisation=world.branch_a,
        occurred_on=date(2026, 6, 30),  # before the third quarter
        place="图书馆",
        content="志愿服务",
    )
    cycle = make_cycle()
    report = services.self_report_submit(
        actor=world.member_user,
        cycle=cycle,
        report="履职情况良好",
        self_score=D("92.5"),
        today=IN_WINDOW,
    )
    assert report.duty_records == 1 and report.posts == []
    again = services.self_report_submit(
        actor=world.member_user, cycle=cycle, report="修改后", self_score=D(90), today=ENDS
    )
    assert again.pk == report.pk and again.report == "修改后"
    assert SelfReport.objects.count() == 1


def test_self_report_refusals(world, make_cycle, ready):
    cycle = make_cycle()
    submit = services.self_report_submit
    with pytest.raises(ValidationError) as exc:
        submit(actor=world.member_user, cycle=cycle, report="x", self_score=D(90), today=AFTER)
    assert "不在述岗自评期间" in exc.value.message_dict["cycle"][0]
    with pytest.raises(ValidationError):
        submit(
            actor=world.member_user,
            cycle=cycle,
            report="x",
            self_score=D(90),
            today=STARTS - timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):  # for someone else
        submit(
            actor=world.member_user,
            cycle=cycle,
            report="x",
            self_score=D(90),
            person=world.member_b,
            today=IN_WINDOW,
        )
    outsider = make_user(make_person(None, name="无组织"))
    with pytest.raises(PermissionDenied):
        submit(actor=outsider, cycle=cycle, report="x", self_score=D(90), today=IN_WINDOW)
    with pytest.raises(PermissionDenied):
        submit(actor=world.org_officer, cycle=cycle, report="x", self_score=D(90), today=IN_WINDOW)
    with pytest.raises(ValidationError) as exc:
        submit(actor=world.member_user, cycle=cycle, report="", self_score=D(101), today=IN_WINDOW)
    assert {"report", "self_score"} <= set(exc.value.message_dict)
    # after compute
    computed = ready(period=2)
    services.cycle_compute(actor=world.org_officer, cycle=computed, today=IN_WINDOW)
    with pytest.raises(ValidationError) as exc:
        submit(
            actor=world.member_user, cycle=computed, report="x", self_score=D(90), today=IN_WINDOW
        )
    assert "已计算" in exc.value.message_dict["cycle"][0]


# --- ratings -----------------------------------------------------------------------------


def test_rating_by_officers_above_and_mean(world, chief, make_cycle):
    cycle = make_cycle()
    services.branch_rate(
        actor=world.secretary_a, cycle=cycle, ratee=world.member_a, score=D(80), today=IN_WINDOW
    )
    services.branch_rate(
        actor=world.gb_secretary_a, cycle=cycle, ratee=world.member_a, score=D(91), today=IN_WINDOW
    )
    services.branch_rate(  # an update, not a new row
        actor=world.secretary_a, cycle=cycle, ratee=world.member_a, score=D(81), today=IN_WINDOW
    )
    assert BranchRating.objects.filter(ratee=world.member_a).count() == 2
    from dangjian.appraisal import selectors

    row = next(r for r in selectors.gather(cycle).rows if r.result.person_id == world.member_a.pk)
    assert row.branch_score == D("86.00") and row.raters == 2


def test_rating_refusals(world, make_cycle):
    cycle = make_cycle()
    rate = services.branch_rate
    with pytest.raises(PermissionDenied) as exc:  # own self
        rate(
            actor=world.secretary_a,
            cycle=cycle,
            ratee=world.secretary_a.person,
            score=D(90),
            today=IN_WINDOW,
        )
    assert "本人" in str(exc.value)
    with pytest.raises(PermissionDenied) as exc:  # out of scope
        rate(
            actor=world.secretary_b, cycle=cycle, ratee=world.member_a, score=D(90), today=IN_WINDOW
        )
    assert "综合评定" in str(exc.value)
    with pytest.raises(PermissionDenied):  # a plain member
        rate(
            actor=world.member_user, cycle=cycle, ratee=world.member_b, score=D(90), today=IN_WINDOW
        )
    with pytest.raises(PermissionDenied):  # an account with no person
        rate(
            actor=world.org_officer, cycle=cycle, ratee=world.member_a, score=D(90), today=IN_WINDOW
        )
    with pytest.raises(ValidationError):
        rate(actor=world.secretary_a, cycle=cycle, ratee=world.member_a, score=D(90), today=AFTER)
    with pytest.raises(ValidationError):
        rate(
            actor=world.secretary_a,
            cycle=cycle,
            ratee=world.member_a,
            score=D(120),
            today=IN_WINDOW,
        )
    stranger = make_person(world.branch_a, name="非考评对象", status="activist")
    with pytest.raises(ValidationError):
        rate(actor=world.secretary_a, cycle=cycle, ratee=stranger, score=D(90), today=IN_WINDOW)


def test_ratings_save_is_all_or_nothing(world, make_cycle):
    cycle = make_cycle()
    with pytest.raises(PermissionDenied):
        services.ratings_save(
            actor=world.secretary_a,
            cycle=cycle,
            ratings=[(world.member_a, D(88), "好"), (world.member_b, D(70), "")],
            today=IN_WINDOW,
        )
    assert BranchRating.objects.count() == 0
    saved = services.ratings_save(
        actor=world.secretary_a,
        cycle=cycle,
        ratings=[(world.member_a, D(88), "好"), (world.secretary_a.person, None, "")],
        today=IN_WINDOW,
    )
    assert len(saved) == 1 and saved[0].comment == "好"


# --- computing ---------------------------------------------------------------------------


def test_compute_stores_every_figure(world, make_cycle, rate_all, vote):
    cycle = make_cycle()
    services.self_report_submit(
        actor=world.member_user, cycle=cycle, report="好", self_score=D(95), today=IN_WINDOW
    )
    rate_all(cycle, scores={world.member_a.pk: 92})
    vote(cycle, count=3, rating=lambda pid: "excellent" if pid == world.member_a.pk else "basic")
    cycle = services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    assert cycle.state == CycleState.COMPUTED and cycle.computed_at
    a = result_of(cycle, world.member_a)
    # 0.2*95 + 0.3*95 + 0.5*92 = 19 + 28.5 + 46 = 93.5
    assert (a.self_score, a.masses_score, a.branch_score) == (D(95), D(95), D(92))
    assert (a.masses_responses, a.raters, a.final_score, a.grade) == (3, 1, D("93.5"), "优秀")
    assert not a.self_missing
    b = result_of(cycle, world.member_b)
    # no self-report: 0 and flagged; 0.3*70 + 0.5*85 = 21 + 42.5 = 63.5
    assert b.self_missing and b.note == "未述岗自评"
    assert (b.final_score, b.grade) == (D("63.5"), "基本称职")


def test_compute_refused_with_missing_ratings_named(world, make_cycle, vote):
    cycle = make_cycle()
    vote(cycle)
    with pytest.raises(ValidationError) as exc:
        services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    text = " ".join(exc.value.messages)
    assert "赵党员" in text and "钱党员" in text and "综合评定" in text
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN


def test_compute_refused_with_survey_below_minimum(world, make_cycle, rate_all, vote):
    cycle = make_cycle()
    rate_all(cycle)
    vote(cycle, count=2)  # minimum 3
    with pytest.raises(ValidationError) as exc:
        services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    text = " ".join(exc.value.messages)
    assert "已回收2份，最少3份" in text and "机关一支部" in text
    assert EvaluationResult.objects.filter(cycle=cycle, final_score__isnull=False).count() == 0


def test_compute_without_survey_and_out_of_scope(world, make_cycle, rate_all):
    cycle = make_cycle(weights=(40, 0, 60))
    rate_all(cycle)
    with pytest.raises(PermissionDenied):
        services.cycle_compute(actor=world.secretary_a, cycle=cycle, today=IN_WINDOW)
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    a = result_of(cycle, world.member_a)
    assert a.masses_score is None and a.final_score == D("51.0")  # 0 + 0.6*85


def test_recompute_is_reproducible_and_audited(world, ready):
    cycle = ready()
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    first = list(
        EvaluationResult.objects.filter(cycle=cycle)
        .order_by("pk")
        .values_list("self_score", "masses_score", "branch_score", "final_score", "grade")
    )
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    again = list(
        EvaluationResult.objects.filter(cycle=cycle)
        .order_by("pk")
        .values_list("self_score", "masses_score", "branch_score", "final_score", "grade")
    )
    assert first == again
    # the stored figures and the cycle's stored weights give the total again
    from dangjian.appraisal import rules

    for r in EvaluationResult.objects.filter(cycle=cycle):
        assert rules.final_score(r.self_score, r.masses_score, r.branch_score, cycle.weights) == (
            r.final_score
        )
    # a changed rating, recomputed: the result's change is audited
    cycle.refresh_from_db()
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_a).update(score=D(40))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    a = result_of(cycle, world.member_a)
    assert a.final_score == D("45.5") and a.grade == "不称职"  # 25.5 + 20
    assert AuditEvent.objects.filter(object_id=a.pk, note="重新计算").exists()


def test_rectification_created_for_poor_results(world, ready):
    cycle = ready()
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_a).update(score=D(20))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=date(2026, 10, 1))
    item = MemberRectification.objects.get()
    assert item.person == world.member_a and item.organisation == world.branch_a
    assert item.deadline == date(2026, 12, 30) and "不称职" in item.reason
    assert item.state == "open"
    # recomputed with a better rating before the explanation: the item is withdrawn
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_a).update(score=D(90))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=date(2026, 10, 2))
    assert not MemberRectification.objects.exists()


@override_settings(APPRAISAL_RECTIFY_DAYS=30)
def test_rectification_for_poor_masses_opinion(world, make_cycle, rate_all, vote):
    cycle = make_cycle()
    rate_all(cycle, scores={world.member_b.pk: 100})
    vote(cycle, rating=lambda pid: "incompetent" if pid == world.member_b.pk else "competent")
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=date(2026, 10, 1))
    item = MemberRectification.objects.get()
    b = result_of(cycle, world.member_b)
    assert item.person == world.member_b and b.grade == "基本称职"  # 0 + 15 + 50 = 65
    assert "民意测评得分50分" in item.reason and item.deadline == date(2026, 10, 31)


# --- publishing --------------------------------------------------------------------------


def test_publish_before_compute_refused_then_published(world, ready):
    cycle = ready()
    with pytest.raises(ValidationError) as exc:
        services.cycle_publish(actor=world.org_officer, cycle=cycle)
    assert "尚未计算" in exc.value.message_dict["state"][0]
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    with pytest.raises(PermissionDenied):
        services.cycle_publish(actor=world.secretary_a, cycle=cycle)
    cycle = services.cycle_publish(actor=world.org_officer, cycle=cycle, today=ENDS)
    assert cycle.state == CycleState.PUBLISHED and cycle.published_on == ENDS
    assert set(cycle.surveys.values_list("state", flat=True)) == {SurveyState.CLOSED}
    with pytest.raises(ValidationError):
        services.cycle_compute(actor=world.org_officer, cycle=cycle)
    with pytest.raises(ValidationError):
        services.cycle_publish(actor=world.org_officer, cycle=cycle)


# --- honours -------------------------------------------------------------------------------


def test_honour_only_for_excellent(world, ready):
    cycle = ready()
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_a).update(score=D(100))
    services.self_report_submit(
        actor=world.member_user, cycle=cycle, report="好", self_score=D(100), today=IN_WINDOW
    )
    a, b = result_of(cycle, world.member_a), result_of(cycle, world.member_b)
    with pytest.raises(ValidationError) as exc:  # not computed yet
        services.honour_award(actor=world.secretary_a, result=a, kind="excellent_member")
    assert "尚未计算" in exc.value.message_dict["kind"][0]
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    a.refresh_from_db()
    assert a.grade == "优秀"  # 20 + 25.5 + 50 = 95.5
    with pytest.raises(ValidationError) as exc:
        services.honour_award(actor=world.secretary_b, result=b, kind="excellent_member")
    assert "只有考评等次为优秀" in exc.value.message_dict["kind"][0]
    with pytest.raises(PermissionDenied):
        services.honour_award(actor=world.secretary_b, result=a, kind="excellent_member")
    honour = services.honour_award(
        actor=world.secretary_a, result=a, kind="pioneer_post", awarded_on=date(2026, 10, 20)
    )
    assert (honour.year, honour.cycle, honour.organisation) == (2026, cycle, world.branch_a)
    with pytest.raises(ValidationError):
        services.honour_award(actor=world.secretary_a, result=a, kind="pioneer_post")
    with pytest.raises(PermissionDenied):
        services.honour_revoke(actor=world.secretary_b, honour=honour)
    services.honour_revoke(actor=world.secretary_a, honour=honour)
    assert not Honour.objects.exists()


# --- rectification -----------------------------------------------------------------------


@pytest.fixture
def rectification(world, ready):
    cycle = ready()
    BranchRating.objects.filter(cycle=cycle, ratee=world.member_a).update(score=D(10))
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=date(2026, 10, 1))
    return MemberRectification.objects.get()


def general_meeting(org, held_on=date(2026, 10, 10), kind="general"):
    from datetime import time

    return Meeting.objects.create(
        organisation=org,
        kind=kind,
        topic="支部党员大会",
        held_on=held_on,
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        duration_minutes=120,
        place="党员活动室",
    )


def test_rectification_lifecycle(world, rectification):
    today = date(2026, 11, 1)
    with pytest.raises(ValidationError) as exc:  # done requires the explanation first
        services.rectification_complete(
            actor=world.member_user, rectification=rectification, measures="改", today=today
        )
    assert "解释和说明" in exc.value.message_dict["state"][0]
    with pytest.raises(ValidationError):  # not a general meeting
        services.rectification_explain(
            actor=world.secretary_a,
            rectification=rectification,
            meeting=general_meeting(world.branch_a, kind="committee"),
            today=today,
        )
    with pytest.raises(ValidationError):  # another branch's meeting
        services.rectification_explain(
            actor=world.secretary_a,
            rectification=rectification,
            meeting=general_meeting(world.branch_b),
            today=today,
        )
    with pytest.raises(ValidationError):  # neither meeting nor date
        services.rectification_explain(
            actor=world.secretary_a, rectification=rectification, today=today
        )
    with pytest.raises(PermissionDenied):
        services.rectification_explain(
            actor=world.member_user, rectification=rectification, explained_on=today, today=today
        )
    meeting = general_meeting(world.branch_a)
    item = services.rectification_explain(
        actor=world.secretary_a,
        rectification=rectification,
        meeting=meeting,
        explanation="本人作了说明",
        today=today,
    )
    assert item.state == "explained" and item.explained_on == meeting.held_on
    with pytest.raises(ValidationError):
        services.rectification_verify(actor=world.secretary_a, rectification=item, today=today)
    with pytest.raises(PermissionDenied):  # someone else's, out of scope
        services.rectification_complete(
            actor=world.secretary_b, rectification=item, measures="改", today=today
        )
    item = services.rectification_complete(
        actor=world.member_user,
        rectification=item,
        measures="按期完成整改",
        done_on=date(2026, 10, 30),
        today=today,
    )
    assert item.state == "done" and item.done_on == date(2026, 10, 30)
    with pytest.raises(PermissionDenied):
        services.rectification_verify(actor=world.member_user, rectification=item, today=today)
    item = services.rectification_verify(actor=world.secretary_a, rectification=item, today=today)
    assert item.verified_by == world.secretary_a and item.verified_on == today
    events = AuditEvent.objects.filter(
        object_id=item.pk, action="status", content_type__model="memberrectification"
    )
    assert events.count() == 3


def test_explain_with_a_date(world, rectification):
    item = services.rectification_explain(
        actor=world.gb_secretary_a,
        rectification=rectification,
        explained_on=date(2026, 10, 12),
        today=date(2026, 10, 20),
    )
    assert item.explain_meeting is None and item.explained_on == date(2026, 10, 12)
    with pytest.raises(ValidationError):
        services.rectification_explain(
            actor=world.gb_secretary_a,
            rectification=item,
            explained_on=date(2026, 10, 12),
            today=date(2026, 10, 20),
        )


def test_computing_and_publishing_record_their_named_events(world, ready):
    from dangjian.appraisal import events

    cycle = ready()
    services.cycle_compute(actor=world.org_officer, cycle=cycle, today=IN_WINDOW)
    services.cycle_publish(actor=world.org_officer, cycle=cycle, today=ENDS)
    computed = AuditEvent.objects.get(event=events.CYCLE_COMPUTED.name)
    assert computed.object_id == cycle.pk and "计算" in computed.note  # the counts stay
    published = AuditEvent.objects.get(event=events.CYCLE_PUBLISHED.name)
    assert published.object_id == cycle.pk and published.label == "考评结果已公布"
