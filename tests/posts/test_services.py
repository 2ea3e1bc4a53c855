"""The six steps (《设岗定责通知》§2), commitments, duty records, checks and summaries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core import access
from dangjian.core.models import AuditEvent
from dangjian.org.models import Position
from dangjian.posts import events, permissions, rules, selectors, services
from dangjian.posts.models import (
    DutyCheckKind,
    DutyRecord,
    Post,
    PostState,
    PostType,
)
from tests.factories import make_officer, make_person, make_user

pytestmark = pytest.mark.django_db

AREAS = {
    "political": "认真学习",
    "duties": "履行岗位职责",
    "development": "服务发展",
    "pairing": "结对帮扶一名同学",
    "integrity": "廉洁自律",
    "org_life": "按时参加组织生活",
}


def message(exc_info) -> str:
    exc = exc_info.value
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


# --- catalogue ---------------------------------------------------------------------------


def test_catalogue_seeded_with_department_and_student_posts():
    names = set(PostType.objects.filter(organisation=None).values_list("name", flat=True))
    for name in [
        "科学决策岗",
        "党建工作岗",
        "行政管理岗",
        "党风廉政监督岗",
        "文明建设岗",
        "教书育人岗",
        "学生管理岗",
        "教学服务岗",
        "就业服务岗",
        "安全保卫岗",
        "学生示范岗",
        "政策宣传岗",
        "学习互助岗",
        "文明监督岗",
    ]:
        assert name in names
    for name in ["政策宣传岗", "学习互助岗", "文明监督岗"]:
        assert PostType.objects.get(organisation=None, name=name).audience == "student"
    assert all(t.duties and t.annual_tasks for t in PostType.objects.filter(organisation=None))


def test_general_branch_adds_its_own_post(world):
    own = services.post_type_create(
        actor=world.gb_secretary_a, organisation=world.gb_a, name="机关服务岗", duties="服务师生"
    )
    assert own.organisation == world.gb_a
    assert AuditEvent.objects.filter(object_id=own.pk, action="create").exists()


def test_branch_secretary_cannot_add_department_or_general_branch_post(world):
    with pytest.raises(PermissionDenied):
        services.post_type_create(actor=world.secretary_a, name="新岗", duties="x")
    with pytest.raises(PermissionDenied):
        services.post_type_create(
            actor=world.secretary_a, organisation=world.gb_a, name="新岗", duties="x"
        )
    with pytest.raises(ValidationError):  # a branch is not a general branch
        services.post_type_create(
            actor=world.secretary_a, organisation=world.branch_a, name="新岗", duties="x"
        )


def test_other_general_branch_refused(world):
    with pytest.raises(PermissionDenied):
        services.post_type_create(
            actor=world.gb_secretary_a, organisation=world.gb_b, name="新岗", duties="x"
        )


def test_duplicate_catalogue_name_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.post_type_create(actor=world.org_officer, name="党建工作岗", duties="x")
    assert "同名" in message(exc)


# 《设岗定责通知》§2: 去除不实用、不适应、难作为的岗位 — deactivate when used, never delete.
def test_used_post_type_is_deactivated_not_deleted(world, make_post, post_type):
    make_post()
    kind = post_type()
    with pytest.raises(ValidationError) as exc:
        services.post_type_delete(actor=world.org_officer, post_type=kind)
    assert "停用" in message(exc)
    services.post_type_set_active(actor=world.org_officer, post_type=kind, is_active=False)
    kind.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            actor=world.org_officer, organisation=world.branch_a, post_type=kind, year=2030
        )
    assert "停用" in message(exc)


def test_unused_post_type_can_be_deleted(world):
    own = services.post_type_create(
        actor=world.gb_secretary_a, organisation=world.gb_a, name="临时岗", duties="x"
    )
    services.post_type_delete(actor=world.gb_secretary_a, post_type=own)
    assert not PostType.objects.filter(pk=own.pk).exists()


# --- 设岗 ----------------------------------------------------------------------------------


def test_set_post_copies_catalogue_and_is_editable(world, post_type, year):
    post = services.post_create(
        actor=world.secretary_a, organisation=world.branch_a, post_type=post_type(), year=year
    )
    assert post.state == PostState.SET
    assert post.name == "党建工作岗" and post.duties == post_type().duties
    post = services.post_update(
        actor=world.secretary_a, post=post, duties="职责一\n职责二\n职责三", targets="目标"
    )
    assert post.duties.count("\n") == 2  # one post, several duties


def test_set_post_out_of_scope_refused(world, post_type, year):
    with pytest.raises(PermissionDenied):
        services.post_create(
            actor=world.secretary_a, organisation=world.branch_b, post_type=post_type(), year=year
        )


def test_post_not_on_a_group(world, post_type, year):
    with pytest.raises(ValidationError) as exc:
        services.post_create(
            actor=world.secretary_a, organisation=world.group_a, post_type=post_type(), year=year
        )
    assert "党支部或党总支" in message(exc)


def test_other_general_branch_own_post_not_usable(world, year):
    own = services.post_type_create(
        actor=world.org_officer, organisation=world.gb_b, name="信息岗", duties="x"
    )
    with pytest.raises(ValidationError):
        services.post_create(
            actor=world.org_officer, organisation=world.branch_a, post_type=own, year=year
        )


# --- 认岗 ----------------------------------------------------------------------------------


def test_member_claims_open_post_of_own_branch(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    assert post.state == PostState.CLAIMED
    assert post.holder == world.member_a and post.claimed_by_self


def test_member_may_claim_general_branch_post_above(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post(world.gb_a))
    assert post.holder == world.member_a


def test_claim_of_another_branch_post_refused(world, make_post):
    with pytest.raises(ValidationError) as exc:
        services.post_claim(actor=world.member_user, post=make_post(world.branch_b))
    assert message(exc) == rules.OUTSIDE_SUBTREE


def test_double_claim_refused(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    other = make_user(make_person(world.branch_a))
    with pytest.raises(ValidationError) as exc:
        services.post_claim(actor=other, post=post)
    assert "只有“设岗”状态" in message(exc)


def test_student_post_refused_for_staff(world, make_post):
    # 《基层组织建设实施意见》§四(四)5: 政策宣传岗 etc. are for student members
    post = make_post(type_name="政策宣传岗")
    with pytest.raises(ValidationError) as exc:
        services.post_claim(actor=world.member_user, post=post)
    assert message(exc) == rules.STUDENT_POST_ONLY_FOR_STUDENTS


def test_student_post_for_student_and_staff_post_refused_for_student(world, make_post):
    student = make_person(world.branch_b, category="student")
    user = make_user(student)
    post = services.post_claim(actor=user, post=make_post(world.branch_b, type_name="学习互助岗"))
    assert post.holder == student
    with pytest.raises(ValidationError) as exc:
        services.post_claim(actor=user, post=make_post(world.branch_b, type_name="教书育人岗"))
    assert message(exc) == rules.STAFF_POST_NOT_FOR_STUDENTS


def test_non_member_cannot_hold_a_post(world, make_post):
    activist = make_user(make_person(world.branch_a, status="activist"))
    with pytest.raises(ValidationError) as exc:
        services.post_claim(actor=activist, post=make_post())
    assert message(exc) == rules.NOT_A_MEMBER


def test_probationary_member_may_claim(world, make_post):
    user = make_user(make_person(world.branch_a, status="probationary"))
    assert services.post_claim(actor=user, post=make_post()).state == PostState.CLAIMED


def test_same_person_same_type_same_org_year_refused(world, make_post):
    services.post_claim(actor=world.member_user, post=make_post())
    with pytest.raises(ValidationError) as exc:
        services.post_claim(actor=world.member_user, post=make_post())
    assert message(exc) == rules.DUPLICATE_HOLDER


def test_one_member_holds_several_posts(world, make_post, year):
    services.post_claim(actor=world.member_user, post=make_post())
    services.post_claim(actor=world.member_user, post=make_post(type_name="文明建设岗"))
    services.post_claim(actor=world.member_user, post=make_post(post_year=year - 1))
    assert Post.objects.filter(holder=world.member_a).count() == 3


def test_officer_assigns_holder(world, make_post):
    post = services.post_assign(actor=world.secretary_a, post=make_post(), holder=world.member_a)
    assert post.holder == world.member_a and not post.claimed_by_self


def test_assign_person_outside_subtree_refused(world, make_post):
    with pytest.raises(ValidationError):
        services.post_assign(actor=world.org_officer, post=make_post(), holder=world.member_b)


def test_release_by_holder_and_by_officer(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    post = services.post_release(actor=world.member_user, post=post)
    assert post.state == PostState.SET and post.holder is None
    post = services.post_assign(actor=world.secretary_a, post=post, holder=world.member_a)
    post = services.post_release(actor=world.secretary_a, post=post)
    assert post.state == PostState.SET


def test_release_by_someone_else_refused(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    other = make_user(make_person(world.branch_a))
    with pytest.raises(PermissionDenied):
        services.post_release(actor=other, post=post)


def test_release_of_set_post_refused(world, make_post):
    with pytest.raises(ValidationError) as exc:
        services.post_release(actor=world.secretary_a, post=make_post())
    assert "只有“认岗”状态" in message(exc)


# --- 定岗 ----------------------------------------------------------------------------------


def test_general_branch_confirms(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    post = services.post_confirm(actor=world.gb_secretary_a, post=post)
    assert post.state == PostState.CONFIRMED
    assert post.confirmed_on == timezone.localdate()


def test_branch_secretary_cannot_confirm_own_branch_post(world, make_post):
    # 《168模式实施意见》§五(二)2: 党总支综合考虑各方面条件后确定上岗人选
    post = services.post_claim(actor=world.member_user, post=make_post())
    with pytest.raises(PermissionDenied) as exc:
        services.post_confirm(actor=world.secretary_a, post=post)
    assert "定岗由党总支确定" in str(exc.value)
    assert Post.objects.get(pk=post.pk).state == PostState.CLAIMED


def test_general_branch_cannot_confirm_its_own_post(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post(world.gb_a))
    with pytest.raises(PermissionDenied):
        services.post_confirm(actor=world.gb_secretary_a, post=post)
    assert services.post_confirm(actor=world.org_officer, post=post).state == PostState.CONFIRMED


def test_confirm_unclaimed_refused(world, make_post):
    with pytest.raises(ValidationError) as exc:
        services.post_confirm(actor=world.gb_secretary_a, post=make_post())
    assert "只有已认岗的岗位可以定岗" in message(exc)


# --- 明岗, 履岗, 评岗 ------------------------------------------------------------------------


def test_publish_requires_confirmed(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    with pytest.raises(ValidationError) as exc:
        services.post_publish(actor=world.secretary_a, post=post)
    assert "只有已定岗的岗位可以明岗" in message(exc)


def test_publish_sets_date_and_member_cannot_publish(world, published_post):
    assert published_post.state == PostState.PUBLISHED
    assert published_post.published_on == timezone.localdate()


def test_member_cannot_publish(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    post = services.post_confirm(actor=world.gb_secretary_a, post=post)
    with pytest.raises(PermissionDenied):
        services.post_publish(actor=world.member_user, post=post)


def test_first_duty_record_starts_performing(world, published_post):
    services.duty_record_create(
        actor=world.member_user,
        occurred_on=timezone.localdate(),
        place="党员活动室",
        content="组织学习",
        post=published_post,
    )
    assert Post.objects.get(pk=published_post.pk).state == PostState.PERFORMING
    # the second record leaves it performing
    services.duty_record_create(
        actor=world.member_user,
        occurred_on=timezone.localdate(),
        place="党员活动室",
        content="再次学习",
        post=published_post,
    )
    assert Post.objects.get(pk=published_post.pk).state == PostState.PERFORMING


def test_explicit_perform_by_holder(world, published_post):
    post = services.post_perform(actor=world.member_user, post=published_post)
    assert post.state == PostState.PERFORMING
    with pytest.raises(ValidationError) as exc:
        services.post_perform(actor=world.member_user, post=post)
    assert "只有已明岗公示的岗位" in message(exc)


def test_evaluate_by_score_maps_grade(world, published_post):
    post = services.post_evaluate(
        actor=world.secretary_a, post=published_post, score=89.9, evaluation="履职较好"
    )
    assert post.state == PostState.EVALUATED
    assert post.grade == "competent" and float(post.score) == 89.9


def test_evaluate_grade_score_mismatch_refused(world, published_post):
    with pytest.raises(ValidationError) as exc:
        services.post_evaluate(
            actor=world.secretary_a,
            post=published_post,
            score=90,
            grade="competent",
            evaluation="x",
        )
    assert "应为“优秀”" in message(exc)


def test_evaluate_needs_grade_or_score_and_evaluation(world, published_post):
    with pytest.raises(ValidationError):
        services.post_evaluate(actor=world.secretary_a, post=published_post, evaluation="x")
    with pytest.raises(ValidationError):
        services.post_evaluate(
            actor=world.secretary_a, post=published_post, grade="basic", evaluation=" "
        )


def test_evaluate_before_publish_refused(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    with pytest.raises(ValidationError) as exc:
        services.post_evaluate(
            actor=world.secretary_a, post=post, grade="excellent", evaluation="x"
        )
    assert "只有已明岗或履岗中的岗位可以评岗" in message(exc)


def test_evaluate_by_member_refused(world, published_post):
    with pytest.raises(PermissionDenied):
        services.post_evaluate(
            actor=world.member_user, post=published_post, grade="excellent", evaluation="x"
        )


def test_every_transition_is_audited(world, published_post):
    actions = list(
        AuditEvent.objects.filter(object_id=published_post.pk, content_type__model="post")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "status", "status", "status"]


def test_allowed_actions(world, make_post):
    post = make_post()
    assert selectors.allowed_actions(world.member_user, post) == ["claim"]
    assert "assign" in selectors.allowed_actions(world.secretary_a, post)
    post = services.post_claim(actor=world.member_user, post=post)
    assert "confirm" not in selectors.allowed_actions(world.secretary_a, post)
    assert "confirm" in selectors.allowed_actions(world.gb_secretary_a, post)


# --- 按上年设岗 ------------------------------------------------------------------------------


def test_rollover_copies_last_year_without_holders_once(world, make_post, year):
    old = make_post(post_year=year - 1, targets="去年目标")
    services.post_claim(actor=world.member_user, post=old)
    make_post(post_year=year - 1, type_name="文明建设岗")
    created = services.post_rollover(
        actor=world.secretary_a, organisation=world.branch_a, year=year
    )
    assert len(created) == 2
    assert all(p.state == PostState.SET and p.holder is None and p.year == year for p in created)
    assert {p.targets for p in created} >= {"去年目标"}
    with pytest.raises(ValidationError) as exc:
        services.post_rollover(actor=world.secretary_a, organisation=world.branch_a, year=year)
    assert "不能重复" in message(exc)
    assert Post.objects.filter(organisation=world.branch_a, year=year).count() == 2


def test_rollover_without_last_year_refused(world, year):
    with pytest.raises(ValidationError):
        services.post_rollover(actor=world.secretary_a, organisation=world.branch_a, year=year)


# --- commitments ---------------------------------------------------------------------------


def test_commitment_once_a_year(world, year):
    commitment = services.commitment_create(actor=world.member_user, year=year, **AREAS)
    assert commitment.organisation == world.branch_a
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(actor=world.member_user, year=year, **AREAS)
    assert "每人每年一份" in message(exc)
    services.commitment_create(actor=world.member_user, year=year - 1, **AREAS)


def test_commitment_publish_and_progress(world, year):
    commitment = services.commitment_create(actor=world.member_user, year=year, **AREAS)
    with pytest.raises(PermissionDenied):
        services.commitment_publish(actor=world.secretary_b, commitment=commitment)
    commitment = services.commitment_publish(actor=world.secretary_a, commitment=commitment)
    assert commitment.published_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.commitment_update(actor=world.member_user, commitment=commitment, duties="改")
    services.commitment_progress_add(
        actor=world.member_user, commitment=commitment, note="已帮扶一名同学"
    )
    assert commitment.updates.count() == 1
    with pytest.raises(PermissionDenied):
        services.commitment_progress_add(actor=world.secretary_a, commitment=commitment, note="x")
    with pytest.raises(ValidationError):
        services.commitment_progress_add(
            actor=world.member_user,
            commitment=commitment,
            note="x",
            reported_on=timezone.localdate() + timedelta(days=1),
        )


# --- duty records --------------------------------------------------------------------------


def record(user, occurred_on=None, **fields):
    fields.setdefault("place", "会议室")
    fields.setdefault("content", "参加志愿服务")
    return services.duty_record_create(
        actor=user, occurred_on=occurred_on or timezone.localdate(), **fields
    )


def test_duty_record_in_future_refused(world):
    with pytest.raises(ValidationError) as exc:
        record(world.member_user, timezone.localdate() + timedelta(days=1))
    assert exc.value.message_dict["occurred_on"] == [rules.FUTURE_DATE]
    assert record(world.member_user, timezone.localdate()).organisation == world.branch_a


def test_duty_record_post_must_be_own(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    other = make_user(make_person(world.branch_a))
    with pytest.raises(ValidationError) as exc:
        record(other, post=post)
    assert "本人担任" in message(exc)


def test_duty_record_attachment_limit(world):
    big = SimpleUploadedFile("a.jpg", b"x" * (10 * 1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        record(world.member_user, attachment=big)
    assert "10MB" in message(exc)


def test_duty_record_edit_delete_until_checked(world):
    mine = record(world.member_user)
    mine = services.duty_record_update(actor=world.member_user, record=mine, place="教室")
    assert mine.place == "教室"
    with pytest.raises(PermissionDenied):
        services.duty_record_update(actor=world.secretary_a, record=mine, place="x")
    today = timezone.localdate()
    services.duty_check_monthly(
        actor=world.secretary_a,
        organisation=world.branch_a,
        year=today.year,
        month=today.month,
        findings="记录完整",
    )
    with pytest.raises(ValidationError) as exc:
        services.duty_record_update(actor=world.member_user, record=mine, place="y")
    assert "已经党支部检查" in message(exc)
    with pytest.raises(ValidationError):
        services.duty_record_delete(actor=world.member_user, record=mine)
    second = record(world.member_user)
    services.duty_record_delete(actor=world.member_user, record=second)
    assert not DutyRecord.objects.filter(pk=second.pk).exists()


# --- checks --------------------------------------------------------------------------------


def test_monthly_check_marks_exactly_that_months_unchecked_records_of_the_branch(world):
    today = timezone.localdate()
    start, end = rules.month_bounds(today.year, today.month)
    before = start - timedelta(days=1)
    first = record(world.member_user, start)
    last = record(world.member_user, min(end, today))
    previous_month = record(world.member_user, before)
    member_b_user = make_user(world.member_b)
    other_branch = record(member_b_user, start)
    check = services.duty_check_monthly(
        actor=world.secretary_a,
        organisation=world.branch_a,
        year=today.year,
        month=today.month,
        findings="按时记录",
    )
    assert check.kind == DutyCheckKind.MONTHLY and check.records_checked == 2
    assert (check.period_start, check.period_end) == (start, end)
    checked = set(DutyRecord.objects.filter(duty_check=check).values_list("pk", flat=True))
    assert checked == {first.pk, last.pk}
    assert DutyRecord.objects.get(pk=previous_month.pk).duty_check is None
    assert DutyRecord.objects.get(pk=other_branch.pk).duty_check is None
    # a second check of the month finds nothing unchecked; it does not steal records
    again = services.duty_check_monthly(
        actor=world.gb_secretary_a,
        organisation=world.branch_a,
        year=today.year,
        month=today.month,
        findings="复查",
    )
    assert again.records_checked == 0
    assert DutyRecord.objects.get(pk=first.pk).duty_check == check


def test_monthly_check_future_month_and_scope_refused(world):
    today = timezone.localdate()
    nxt = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.duty_check_monthly(
            actor=world.secretary_a,
            organisation=world.branch_a,
            year=nxt.year,
            month=nxt.month,
            findings="x",
        )
    assert exc.value.message_dict["month"] == [rules.FUTURE_MONTH]
    with pytest.raises(PermissionDenied):
        services.duty_check_monthly(
            actor=world.secretary_b,
            organisation=world.branch_a,
            year=today.year,
            month=today.month,
            findings="x",
        )
    with pytest.raises(ValidationError):  # a general branch is not checked monthly
        services.duty_check_monthly(
            actor=world.gb_secretary_a,
            organisation=world.gb_a,
            year=today.year,
            month=today.month,
            findings="x",
        )


def test_quarterly_check_by_department_only(world):
    today = timezone.localdate()
    record(world.member_user)
    quarter = rules.quarter_of(today)
    with pytest.raises(PermissionDenied) as exc:
        services.duty_check_quarterly(
            actor=world.gb_secretary_a,
            organisation=world.gb_a,
            year=today.year,
            quarter=quarter,
            findings="x",
        )
    assert "组织部" in str(exc.value)
    check = services.duty_check_quarterly(
        actor=world.org_officer,
        organisation=world.gb_a,
        year=today.year,
        quarter=quarter,
        findings="各支部记录完整",
    )
    assert check.kind == DutyCheckKind.QUARTERLY and check.records_checked == 1
    check = services.duty_check_circulate(actor=world.org_officer, check=check)
    assert check.circulated_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.duty_check_circulate(actor=world.org_officer, check=check)


def test_committee_officer_may_check_quarterly(world):
    committee_secretary = make_officer(world.committee, name="党委书记")
    assert access.can(committee_secretary, permissions.CHECK_QUARTERLY)
    assert not access.can(world.gb_secretary_a, permissions.CHECK_QUARTERLY)
    assert not access.can(world.member_user, permissions.CHECK_QUARTERLY)


def test_branch_secretary_circulates_monthly_check(world):
    today = timezone.localdate()
    check = services.duty_check_monthly(
        actor=world.secretary_a,
        organisation=world.branch_a,
        year=today.year,
        month=today.month,
        findings="x",
    )
    assert services.duty_check_circulate(actor=world.secretary_a, check=check).circulated_on


# --- summaries -----------------------------------------------------------------------------


def test_member_semester_summary_once(world, year):
    summary = services.summary_member_create(
        actor=world.member_user, year=year, semester=1, content="本学期履职情况"
    )
    assert summary.organisation == world.branch_a
    with pytest.raises(ValidationError) as exc:
        services.summary_member_create(actor=world.member_user, year=year, semester=1, content="x")
    assert "已提交该学期" in message(exc)
    services.summary_member_create(actor=world.member_user, year=year, semester=2, content="y")


def test_branch_and_general_branch_annual_summaries(world, year):
    branch = services.summary_org_create(
        actor=world.secretary_a, organisation=world.branch_a, year=year, content="支部总结"
    )
    assert branch.kind == "branch_annual"
    general = services.summary_org_create(
        actor=world.gb_secretary_a, organisation=world.gb_a, year=year, content="总支总结"
    )
    assert general.kind == "general_branch_annual"
    with pytest.raises(ValidationError):
        services.summary_org_create(
            actor=world.secretary_a, organisation=world.branch_a, year=year, content="again"
        )
    with pytest.raises(PermissionDenied):
        services.summary_org_create(
            actor=world.secretary_a, organisation=world.gb_a, year=year, content="x"
        )


def test_ended_position_loses_rights(world, make_post):
    Position.objects.filter(person=world.gb_secretary_a.person).update(ends_on=date(2021, 1, 1))
    post = services.post_claim(actor=world.member_user, post=make_post())
    user = type(world.gb_secretary_a).objects.get(pk=world.gb_secretary_a.pk)
    with pytest.raises(PermissionDenied):
        services.post_confirm(actor=user, post=post)


# --- named events ---------------------------------------------------------------------------


def test_each_step_records_its_named_event(world, make_post):
    post = services.post_claim(actor=world.member_user, post=make_post())
    post = services.post_confirm(actor=world.gb_secretary_a, post=post)
    steps = list(
        AuditEvent.objects.filter(object_id=post.pk, action="status")
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert steps == [events.POST_CLAIMED.name, events.POST_CONFIRMED.name]
    confirmed = AuditEvent.objects.get(object_id=post.pk, event=events.POST_CONFIRMED.name)
    assert confirmed.label == "定岗"
