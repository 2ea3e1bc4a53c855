"""The honours services: the steps of a round and of a model unit, their rules and rights."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.honours import selectors, services
from dangjian.honours.models import NominationState, RoundState, UnitState
from tests.factories import make_org, make_person

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_round_from_nomination_to_publication(world, on_notice):
    round_, nomination = on_notice.round, on_notice.nomination
    services.round_decide(
        actor=world.org_officer,
        round=round_,
        decided_on=today(),
        decision_number="院委〔2026〕20号",
    )
    nomination.refresh_from_db()
    assert nomination.state == NominationState.AWARDED
    assert selectors.awards_of_person(world.member_a.pk) == []  # not yet published
    services.round_publish(actor=world.org_officer, round=round_, published_on=today())
    round_.refresh_from_db()
    assert round_.state == RoundState.PUBLISHED
    assert [n.pk for n in selectors.awards_of_person(world.member_a.pk)] == [nomination.pk]
    assert [n.pk for n in selectors.awards_of_organisation(world.gb_a)] == [nomination.pk]
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "honours.round_opened",
        "honours.nominated",
        "honours.reviewed",
        "honours.notice_posted",
        "honours.decided",
        "honours.published",
    } <= events


def test_round_needs_the_department_and_two_years(world, round_):
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=world.gb_secretary_a, title="x", year=2028, nomination_deadline=today()
        )
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=world.org_officer, title="x", year=2027, nomination_deadline=today()
        )
    assert "每2年" in str(exc.value)
    with pytest.raises(ValidationError):
        services.round_create(
            actor=world.org_officer, title="x", year=2025, nomination_deadline=today()
        )
    assert services.round_create(
        actor=world.org_officer, title="x", year=2028, nomination_deadline=today()
    ).pk


def test_quota_checked_on_nomination(world, round_, nominated):
    other = make_person(world.branch_a, name="孙党员")
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(
            actor=world.secretary_a,
            round=round_,
            category="excellent_member",
            person=other,
            deeds="事迹",
        )
    assert "名额为1名" in str(exc.value) and "机关党总支" in str(exc.value)
    # gb_b has no quota at all
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(
            actor=world.secretary_b,
            round=round_,
            category="excellent_member",
            person=world.member_b,
            deeds="事迹",
        )
    assert "未给信息工程学院党总支分配" in str(exc.value)


def test_quota_checked_on_approval(world, round_, nominated):
    # The quota rises to 2, a second member is nominated, then the quota falls back is refused.
    services.quota_set(
        actor=world.org_officer,
        round=round_,
        organisation=world.gb_a,
        category="excellent_member",
        quota=2,
    )
    second = services.nomination_create(
        actor=world.secretary_a,
        round=round_,
        category="excellent_member",
        person=make_person(world.branch_a, name="孙党员"),
        deeds="事迹",
    )
    with pytest.raises(ValidationError):
        services.quota_set(
            actor=world.org_officer,
            round=round_,
            organisation=world.gb_a,
            category="excellent_member",
            quota=1,
        )
    services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=True)
    services.nomination_review(actor=world.gb_secretary_a, nomination=second, approve=True)
    third = make_person(world.branch_a, name="周党员")
    services.nomination_review(
        actor=world.gb_secretary_a, nomination=second, approve=False, note="事迹不够突出"
    )
    services.quota_set(
        actor=world.org_officer,
        round=round_,
        organisation=world.gb_a,
        category="excellent_member",
        quota=3,
    )
    late = services.nomination_create(
        actor=world.secretary_a,
        round=round_,
        category="excellent_member",
        person=third,
        deeds="事迹",
    )
    services.nomination_review(actor=world.gb_secretary_a, nomination=late, approve=True)
    with pytest.raises(ValidationError):
        services.quota_set(
            actor=world.org_officer,
            round=round_,
            organisation=world.gb_a,
            category="excellent_member",
            quota=1,
        )


def test_approval_beyond_the_quota_is_refused(world, round_, nominated):
    services.quota_set(
        actor=world.org_officer,
        round=round_,
        organisation=world.gb_a,
        category="excellent_member",
        quota=2,
    )
    second = services.nomination_create(
        actor=world.secretary_a,
        round=round_,
        category="excellent_member",
        person=make_person(world.branch_a, name="孙党员"),
        deeds="事迹",
    )
    services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=True)
    # Approved rows are counted at approval: simulate a quota lowered by the department's edit
    round_.quotas.filter(category="excellent_member").update(quota=1)
    with pytest.raises(ValidationError) as exc:
        services.nomination_review(actor=world.gb_secretary_a, nomination=second, approve=True)
    assert "名额已满" in str(exc.value)


def test_review_by_the_level_above_only(world, nominated):
    with pytest.raises(PermissionDenied) as exc:
        services.nomination_review(actor=world.secretary_a, nomination=nominated, approve=True)
    assert "上一级党组织审核" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.nomination_review(actor=world.secretary_b, nomination=nominated, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=False)
    assert "理由" in str(exc.value)


def test_nomination_rights_and_input(world, round_):
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            actor=world.secretary_b,
            round=round_,
            category="excellent_member",
            person=world.member_a,
            deeds="x",
        )
    with pytest.raises(ValidationError):
        services.nomination_create(
            actor=world.secretary_a,
            round=round_,
            category="advanced_org",
            organisation=world.group_a,
            deeds="x",
        )
    masses = make_person(world.branch_a, status="masses", name="群众甲")
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(
            actor=world.secretary_a,
            round=round_,
            category="excellent_member",
            person=masses,
            deeds="x",
        )
    assert "不是党员" in str(exc.value)
    org = services.nomination_create(
        actor=world.gb_secretary_a,
        round=round_,
        category="advanced_org",
        organisation=world.branch_a,
        deeds="支部建设规范",
    )
    assert org.quota_holder == world.gb_a and org.person is None


def test_nomination_deadline(world, round_):
    round_.nomination_deadline = today() - timedelta(days=1)
    round_.save()
    with pytest.raises(ValidationError) as exc:
        services.nomination_create(
            actor=world.secretary_a,
            round=round_,
            category="excellent_member",
            person=world.member_a,
            deeds="x",
        )
    assert "已截止" in str(exc.value)


def test_notice_needs_every_nomination_reviewed_and_its_length(world, round_, nominated):
    with pytest.raises(ValidationError) as exc:
        services.notice_post(
            actor=world.org_officer,
            round=round_,
            starts_on=today(),
            ends_on=today() + timedelta(days=4),
        )
    assert "待上级党组织审核" in str(exc.value)
    services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.notice_post(
            actor=world.org_officer,
            round=round_,
            starts_on=today(),
            ends_on=today() + timedelta(days=3),
        )
    assert "不少于5天" in str(exc.value)
    services.notice_post(
        actor=world.org_officer,
        round=round_,
        starts_on=today(),
        ends_on=today() + timedelta(days=4),
    )
    # The decision waits for the end of the notice
    with pytest.raises(ValidationError) as exc:
        services.round_decide(
            actor=world.org_officer, round=round_, decided_on=today() + timedelta(days=4)
        )
    assert "公示期满后" in str(exc.value)
    assert (
        services.round_decide(
            actor=world.org_officer, round=round_, decided_on=today() + timedelta(days=5)
        ).state
        == RoundState.DECIDED
    )


@override_settings(HONOURS_NOTICE_DAYS=7)
def test_notice_days_is_a_setting(world, round_, nominated):
    services.nomination_review(actor=world.gb_secretary_a, nomination=nominated, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.notice_post(
            actor=world.org_officer,
            round=round_,
            starts_on=today(),
            ends_on=today() + timedelta(days=5),
        )
    assert "不少于7天" in str(exc.value)


def test_objection_upheld_means_not_awarded(world, on_notice):
    n = on_notice.nomination
    objection = services.objection_record(
        actor=world.gb_secretary_a,
        nomination=n,
        received_on=today() - timedelta(days=8),
        content="反映其履岗不实",
    )
    with pytest.raises(ValidationError) as exc:
        services.round_decide(actor=world.org_officer, round=on_notice.round, decided_on=today())
    assert "未核查" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.objection_resolve(
            actor=world.secretary_a, objection=objection, upheld=True, resolution="x"
        )
    services.objection_resolve(
        actor=world.gb_secretary_a, objection=objection, upheld=True, resolution="经核查属实"
    )
    services.round_decide(actor=world.org_officer, round=on_notice.round, decided_on=today())
    n.refresh_from_db()
    assert n.state == NominationState.NOT_AWARDED


def test_objection_dates(world, on_notice):
    with pytest.raises(ValidationError):
        services.objection_record(
            actor=world.gb_secretary_a,
            nomination=on_notice.nomination,
            received_on=today() - timedelta(days=11),
            content="x",
        )
    with pytest.raises(ValidationError):
        services.objection_record(
            actor=world.gb_secretary_a,
            nomination=on_notice.nomination,
            received_on=today() + timedelta(days=1),
            content="x",
        )


def test_steps_out_of_order_are_refused(world, round_, nominated):
    with pytest.raises(ValidationError) as exc:
        services.round_publish(actor=world.org_officer, round=round_, published_on=today())
    assert "推荐审核中" in str(exc.value)
    with pytest.raises(ValidationError):
        services.round_decide(actor=world.org_officer, round=round_, decided_on=today())


def test_withdraw(world, round_, nominated):
    services.nomination_withdraw(actor=world.secretary_a, nomination=nominated)
    assert not round_.nominations.exists()


# --- model units ------------------------------------------------------------------------------


def _unit(world, org, kind="typical", actor=None, chosen_by=None):
    return services.unit_create(
        actor=actor or world.org_officer,
        organisation=org,
        chosen_by=chosen_by or world.committee,
        kind=kind,
        feature="综合典型",
        goals="建成样板支部",
        leader=world.member_a,
        starts_on=today() - timedelta(days=30),
    )


def test_at_most_three_typical_units(world):
    for i in range(3):
        _unit(world, make_org(world.gb_a, name=f"支部{i}", code=f"X{i}"))
    with pytest.raises(ValidationError) as exc:
        _unit(world, world.branch_b)
    assert "至多3个" in str(exc.value)
    # Another kind, and another level, count apart
    assert _unit(world, world.branch_b, kind="demonstration").pk
    assert _unit(world, world.branch_a, actor=world.gb_secretary_a, chosen_by=world.gb_a).pk


@override_settings(
    HONOURS_MODEL_UNIT_COUNTS={
        "typical": (1, 1),
        "demonstration": (None, 10),
        "contact_point": (None, None),
    }
)
def test_unit_counts_are_a_setting(world):
    _unit(world, world.branch_a)
    with pytest.raises(ValidationError):
        _unit(world, world.branch_b)


def test_unit_rights(world):
    with pytest.raises(PermissionDenied):
        _unit(world, world.branch_b, actor=world.gb_secretary_a, chosen_by=world.gb_b)
    with pytest.raises(ValidationError):
        _unit(world, world.branch_b, actor=world.gb_secretary_a, chosen_by=world.gb_a)


def test_checks_then_review(world):
    unit = _unit(world, world.branch_a)
    with pytest.raises(ValidationError) as exc:
        services.unit_review(
            actor=world.org_officer, unit=unit, outcome="confirm", reviewed_on=today()
        )
    assert "尚无检查记录" in str(exc.value)
    with pytest.raises(ValidationError):
        services.check_record(
            actor=world.org_officer,
            unit=unit,
            checked_on=today() - timedelta(days=31),
            kind="random",
            findings="x",
        )
    services.check_record(
        actor=world.org_officer, unit=unit, checked_on=today(), kind="random", findings="台账齐全"
    )
    with pytest.raises(ValidationError):
        services.unit_review(
            actor=world.org_officer, unit=unit, outcome="withdraw", reviewed_on=today()
        )
    services.unit_review(
        actor=world.org_officer, unit=unit, outcome="withdraw", reviewed_on=today(), note="整改不力"
    )
    unit.refresh_from_db()
    assert unit.state == UnitState.WITHDRAWN
    # A withdrawn unit frees its place
    assert selectors.unit_count_table(world.org_officer) == []
    with pytest.raises(ValidationError):
        services.unit_delete(actor=world.org_officer, unit=unit)
