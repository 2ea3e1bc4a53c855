"""The member's 述岗自评, the officers' 综合评定 and the honours earned from a result."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dangjian.appraisal import rules, selectors
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    SelfReport,
)
from dangjian.appraisal.services.common import (
    HONOUR_FIELDS,
    HONOUR_SELF,
    NOT_EVALUATED,
    RATE_SELF,
    RATING_FIELDS,
    SELF_REPORT_FIELDS,
    _full_clean,
    _local_date,
    _lock_cycle,
    _today,
    _user,
    _window_error,
    actor_person,
)
from dangjian.core import access, audit
from dangjian.core.access import Actor
from dangjian.core.models import AuditEvent
from dangjian.org.models import Person
from dangjian.posts.models import DutyRecord


@transaction.atomic
def self_report_submit(
    *,
    actor: Actor,
    cycle: EvaluationCycle,
    report: str,
    self_score: Decimal,
    person: Person | None = None,
    today: date | None = None,
) -> SelfReport:
    """The member's 述岗自评 (submitted or changed) while the window is open and the cycle is
    not computed; posts of the year and the duty records of the period are taken with it."""
    today = _today(today)
    me = actor_person(actor)
    if person is not None:
        access.require(actor, "appraisal.write_self_report", person)
    cycle = _lock_cycle(cycle)
    result = EvaluationResult.objects.filter(cycle=cycle, person=me).first()
    if result is None:
        raise PermissionDenied(NOT_EVALUATED)
    errors = {}
    if error := _window_error(cycle, today, "述岗自评"):
        raise ValidationError({"cycle": error})
    if self_score is None or (error := rules.score_error(self_score)):
        errors["self_score"] = error or "请填写自评分。"
    if not (report or "").strip():
        errors["report"] = "请填写述岗报告：履职情况、承诺兑现、存在不足。"
    if errors:
        raise ValidationError(errors)
    fields = {
        "report": report.strip(),
        "self_score": Decimal(str(self_score)),
        "posts": selectors.posts_snapshot(me, cycle.year),
        "duty_records": DutyRecord.objects.filter(
            person=me, occurred_on__range=(cycle.period_start, cycle.period_end)
        ).count(),
    }
    existing = SelfReport.objects.select_for_update().filter(cycle=cycle, person=me).first()
    if existing is not None:
        updated = audit.audited_update(
            actor=actor,
            obj=existing,
            fields=fields,
            audit_fields=SELF_REPORT_FIELDS,
            clean=_full_clean,
        )
        return cast(SelfReport, updated)
    row = SelfReport(cycle=cycle, person=me, organisation_id=result.organisation_id, **fields)
    _full_clean(row)
    row.save()
    audit.created(actor=actor, obj=row, fields=SELF_REPORT_FIELDS)
    return row


# --- ratings (综合评定) ----------------------------------------------------------------------


def _rate(
    actor: Actor,
    rater: Person,
    cycle: EvaluationCycle,
    result: EvaluationResult,
    score: Decimal,
    comment: str,
) -> BranchRating:
    if result.person_id == rater.pk:
        raise PermissionDenied(RATE_SELF)
    access.require(actor, "appraisal.rate", result)
    if score is None or (error := rules.score_error(score)):
        raise ValidationError({"score": f"{result.person.name}：{error or '请填写评定分。'}"})
    score = Decimal(str(score))
    comment = (comment or "").strip()
    existing = BranchRating.objects.filter(
        cycle=cycle, ratee_id=result.person_id, rater=rater
    ).first()
    if existing is not None:
        if existing.score == score and existing.comment == comment:
            return existing
        updated = audit.audited_update(
            actor=actor,
            obj=existing,
            fields={"score": score, "comment": comment},
            audit_fields=RATING_FIELDS,
            clean=_full_clean,
        )
        return cast(BranchRating, updated)
    row = BranchRating(
        cycle=cycle,
        ratee_id=result.person_id,
        rater=rater,
        organisation_id=result.organisation_id,
        score=score,
        comment=comment,
    )
    _full_clean(row)
    row.save()
    audit.created(actor=actor, obj=row, fields=RATING_FIELDS)
    return row


@transaction.atomic
def branch_rate(
    *,
    actor: Actor,
    cycle: EvaluationCycle,
    ratee: Person,
    score: Decimal,
    comment: str = "",
    today: date | None = None,
) -> BranchRating:
    """One officer's 综合评定 of one member (an officer of the member's branch or above)."""
    return ratings_save(actor=actor, cycle=cycle, ratings=[(ratee, score, comment)], today=today)[0]


@transaction.atomic
def ratings_save(
    *,
    actor: Actor,
    cycle: EvaluationCycle,
    ratings: Iterable[tuple[Person, Decimal | None, str]],
    today: date | None = None,
) -> list[BranchRating]:
    """Save a rating page at once: (ratee, score, comment) per member; rows without a score
    are skipped. All or nothing."""
    today = _today(today)
    rater = actor_person(actor)
    cycle = _lock_cycle(cycle)
    items = [(p, s, c) for p, s, c in ratings if s is not None]
    results = {
        r.person_id: r
        for r in EvaluationResult.objects.filter(
            cycle=cycle, person_id__in=[p.pk for p, _s, _c in items]
        ).select_related("organisation", "person")
    }
    for ratee, _s, _c in items:
        if ratee.pk == rater.pk:
            raise PermissionDenied(RATE_SELF)
        result = results.get(ratee.pk)
        if result is None:
            raise ValidationError({"ratee": f"{ratee.name}不是本次考评的考评对象。"})
        access.require(actor, "appraisal.rate", result)
    if error := _window_error(cycle, today, "综合评定"):
        raise ValidationError({"cycle": error})
    return [
        _rate(actor, rater, cycle, results[ratee.pk], score, comment)
        for ratee, score, comment in items
    ]


# --- honours --------------------------------------------------------------------------------


@transaction.atomic
def honour_award(
    *,
    actor: Actor,
    result: EvaluationResult,
    kind: str,
    awarded_on: date | None = None,
    note: str = "",
) -> Honour:
    """党员示范（先锋）岗 / 优秀共产党员 / 列为后备干部重点培养 — only for a member graded 优秀 in
    the cycle (《延伸提升168机制意见》§三: 对作用发挥好、群众公认的党员可授予……荣誉称号)."""
    result = (
        EvaluationResult.objects.select_related("cycle", "organisation", "person")
        .filter(pk=result.pk)
        .get()
    )
    access.require(actor, "appraisal.award_honour", result)
    if result.person_id == getattr(actor, "person_id", None):
        raise PermissionDenied(HONOUR_SELF)
    cycle = result.cycle
    if kind not in HonourKind.values:
        raise ValidationError({"kind": "请选择荣誉称号。"})
    if cycle.state == CycleState.OPEN or not result.grade:
        raise ValidationError({"kind": "考评结果尚未计算，不能授予荣誉。"})
    poor_below = selectors.masses_poor_below()
    if not rules.may_receive_honour(result.grade, cycle.bands, result.masses_score, poor_below):
        raise ValidationError(
            {
                "kind": rules.honour_refused_message(
                    result.grade, cycle.bands, result.masses_score, poor_below
                )
            }
        )
    if Honour.objects.filter(person_id=result.person_id, kind=kind, year=cycle.year).exists():
        raise ValidationError(
            {"kind": f"{result.person.name}已获{cycle.year}年度“{HonourKind(kind).label}”。"}
        )
    today = _today(None)
    awarded_on = awarded_on or today
    if error := rules.after_computation_error(
        awarded_on, _local_date(cycle.computed_at), today, "授予日期"
    ):
        raise ValidationError({"awarded_on": error})
    honour = Honour(
        person_id=result.person_id,
        kind=kind,
        year=cycle.year,
        cycle=cycle,
        organisation_id=result.organisation_id,
        awarded_on=awarded_on,
        note=(note or "").strip(),
        awarded_by=_user(actor),
    )
    _full_clean(honour)
    honour.save()
    audit.created(actor=actor, obj=honour, fields=HONOUR_FIELDS)
    return honour


@transaction.atomic
def honour_revoke(*, actor: Actor, honour: Honour, note: str = "") -> None:
    honour = (
        Honour.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=honour.pk)
    )
    access.require(actor, "appraisal.revoke_honour", honour)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=honour,
        before=audit.snapshot(honour, HONOUR_FIELDS),
        note=note or "撤销荣誉",
    )
    honour.delete()
