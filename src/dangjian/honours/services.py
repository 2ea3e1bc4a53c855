"""Every write of honours rounds and model units: atomic, checked (core.access, honours.rules),
audited as a named event.

A round (两优一先, 《基层组织建设实施意见》§四(五)3(1); 《组织建设年实施方案》§四(五)):
the department opens it and sets the quotas of each general branch; branches and general
branches nominate until the deadline; the level above reviews; the department posts the
notice (公示) of those approved, objections are recorded and checked; after the notice the
department decides and publishes. A model unit (《168模式实施意见》§六2; 《延伸提升168机制意见》§三)
is chosen by a level, checked over time and reviewed, confirmed or withdrawn.
"""

from datetime import date
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.honours import events, rules
from dangjian.honours import permissions as perms
from dangjian.honours.models import (
    ACTIVE_UNIT_STATES,
    TAKING_QUOTA,
    HonourRound,
    ModelUnit,
    Nomination,
    NominationState,
    Objection,
    Quota,
    RoundState,
    UnitCheck,
    UnitState,
)
from dangjian.org.models import Organisation, OrgKind, Person

ROUND_FIELDS = ["title", "year", "nomination_deadline", "state", "note"]
NOMINATION_FIELDS = ["round", "category", "person", "organisation", "deeds", "state"]
UNIT_FIELDS = [
    "organisation",
    "chosen_by",
    "kind",
    "feature",
    "goals",
    "leader",
    "starts_on",
    "ends_on",
    "state",
]

BASIC_ORG_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)


def _today() -> date:
    return timezone.localdate()


def _state_error(round_: HonourRound, *allowed: str) -> None:
    if round_.state not in allowed:
        labels = "、".join(str(RoundState(s).label) for s in allowed)
        raise ValidationError(
            f"本轮评选表彰当前为“{round_.get_state_display()}”，此步骤只能在“{labels}”阶段办理。"
        )


def _locked_round(round_: HonourRound) -> HonourRound:
    return HonourRound.objects.select_for_update().get(pk=round_.pk)


def quota_holder(org: Organisation) -> Organisation:
    """The organisation whose quota a nominee takes: the general branch (or the branch directly
    under the committee) above `org` — its ancestor at depth 2, or `org` itself higher up."""
    if org.depth <= 2:
        return org
    return Organisation.objects.get(path=org.path[: 2 * Organisation.steplen])


# --- rounds -----------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *, actor: User, title: str, year: int, nomination_deadline: date, note: str = ""
) -> HonourRound:
    """Open a round; rounds come every HONOURS_ROUND_INTERVAL_YEARS years."""
    access.require(actor, perms.RUN_ROUND)
    previous = (
        HonourRound.objects.select_for_update()
        .filter(year__lte=year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if previous == year:
        raise ValidationError({"year": f"{year}年已有评选表彰。"})
    error = rules.round_interval_error(previous, year, settings.HONOURS_ROUND_INTERVAL_YEARS)
    if error:
        raise ValidationError({"year": error})
    later = HonourRound.objects.filter(year__gt=year).order_by("year").first()
    if later is not None and rules.round_interval_error(
        year, later.year, settings.HONOURS_ROUND_INTERVAL_YEARS
    ):
        raise ValidationError(
            {
                "year": f"{later.year}年已有评选表彰，两轮至少相隔"
                f"{settings.HONOURS_ROUND_INTERVAL_YEARS}年。"
            }
        )
    row = HonourRound(
        title=title.strip(),
        year=year,
        nomination_deadline=nomination_deadline,
        note=note,
        created_by=actor,
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    audit.created(actor=actor, obj=row, fields=ROUND_FIELDS, event=events.ROUND_OPENED)
    return row


@transaction.atomic
def quota_set(
    *, actor: User, round: HonourRound, organisation: Organisation, category: str, quota: int
) -> Quota:
    """Set (or change) a general branch's quota of a category in the round; not below the
    nominations it already has."""
    access.require(actor, perms.RUN_ROUND)
    round_ = _locked_round(round)
    _state_error(round_, RoundState.NOMINATING)
    if organisation.depth != 2:
        raise ValidationError({"organisation": "名额按党总支（或党委直属党支部）分配。"})
    row = Quota.objects.filter(round=round_, organisation=organisation, category=category).first()
    taken = Nomination.objects.filter(
        round=round_, category=category, quota_holder=organisation, state__in=TAKING_QUOTA
    ).count()
    if quota < taken:
        raise ValidationError(
            {"quota": f"{organisation.name}已推荐{taken}名，名额不能少于{taken}。"}
        )
    if row is None:
        row = Quota.objects.create(
            round=round_, organisation=organisation, category=category, quota=quota
        )
        audit.created(actor=actor, obj=round_, fields=[], note=str(row), event=events.QUOTA_SET)
        return row
    before = row.quota
    row.quota = quota
    row.save(update_fields=["quota"])
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=round_,
        note=f"{organisation.name} {row.get_category_display()} 名额 {before} → {quota}",
        event=events.QUOTA_SET,
    )
    return row


@transaction.atomic
def notice_post(*, actor: User, round: HonourRound, starts_on: date, ends_on: date) -> HonourRound:
    """Post the notice of the nominees approved, once every nomination has been reviewed."""
    access.require(actor, perms.RUN_ROUND)
    round_ = _locked_round(round)
    _state_error(round_, RoundState.NOMINATING)
    pending = round_.nominations.filter(state=NominationState.NOMINATED).count()
    if pending:
        raise ValidationError(f"尚有{pending}名推荐对象待上级党组织审核，审核完毕后方可公示。")
    if not round_.nominations.filter(state=NominationState.APPROVED).exists():
        raise ValidationError("没有审核通过的推荐对象，无可公示。")
    error = rules.notice_length_error(starts_on, ends_on, settings.HONOURS_NOTICE_DAYS)
    if error:
        raise ValidationError({"ends_on": error})
    with audit.recording(
        actor=actor,
        obj=round_,
        fields=["state", "notice_starts_on", "notice_ends_on"],
        event=events.NOTICE_POSTED,
    ):
        round_.notice_starts_on, round_.notice_ends_on = starts_on, ends_on
        round_.state = RoundState.NOTICE
        round_.save()
    return round_


@transaction.atomic
def round_decide(
    *, actor: User, round: HonourRound, decided_on: date, decision_number: str = ""
) -> HonourRound:
    """The committee's decision after the notice: every approved nominee is awarded unless an
    objection against them was upheld."""
    access.require(actor, perms.RUN_ROUND)
    round_ = _locked_round(round)
    _state_error(round_, RoundState.NOTICE)
    unresolved = Objection.objects.filter(nomination__round=round_, resolved=False).count()
    errors = rules.decide_errors(decided_on, round_.notice_ends_on, unresolved)
    if errors:
        raise ValidationError({"decided_on": errors})
    upheld = set(
        Objection.objects.filter(nomination__round=round_, upheld=True).values_list(
            "nomination_id", flat=True
        )
    )
    approved = list(round_.nominations.select_for_update().filter(state=NominationState.APPROVED))
    for nomination in approved:
        won = rules.awarded(True, nomination.pk in upheld)
        nomination.state = NominationState.AWARDED if won else NominationState.NOT_AWARDED
    Nomination.objects.bulk_update(approved, ["state"])
    with audit.recording(
        actor=actor,
        obj=round_,
        fields=["state", "decided_on", "decision_number"],
        event=events.DECIDED,
    ) as change:
        round_.decided_on, round_.decision_number = decided_on, decision_number.strip()
        round_.state = RoundState.DECIDED
        round_.save()
        awarded = sum(1 for n in approved if n.state == NominationState.AWARDED)
        change.note = f"授予{awarded}名（个），未授予{len(approved) - awarded}名（个）"
    return round_


@transaction.atomic
def round_publish(*, actor: User, round: HonourRound, published_on: date) -> HonourRound:
    """Publish the decision: on the 六公开 board and on each awardee's record."""
    access.require(actor, perms.RUN_ROUND)
    round_ = _locked_round(round)
    _state_error(round_, RoundState.DECIDED)
    if round_.decided_on and published_on < round_.decided_on:
        raise ValidationError({"published_on": "发布日期不能早于表彰决定日期。"})
    with audit.recording(
        actor=actor, obj=round_, fields=["state", "published_on"], event=events.PUBLISHED
    ):
        round_.published_on = published_on
        round_.state = RoundState.PUBLISHED
        round_.save()
    return round_


# --- nominations ------------------------------------------------------------------------------


def _quota_check(
    round_: HonourRound,
    category: str,
    holder: Organisation,
    states: tuple[str, ...],
    exclude: int | None = None,
) -> None:
    quota = (
        Quota.objects.select_for_update()
        .filter(round=round_, organisation=holder, category=category)
        .values_list("quota", flat=True)
        .first()
    )
    taken = Nomination.objects.filter(
        round=round_, category=category, quota_holder=holder, state__in=states
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    error = rules.quota_error(taken.count(), quota, category, holder.name)
    if error:
        raise ValidationError({"category": error})


@transaction.atomic
def nomination_create(
    *,
    actor: User,
    round: HonourRound,
    category: str,
    deeds: str,
    person: Person | None = None,
    organisation: Organisation | None = None,
    nominated_on: date | None = None,
) -> Nomination:
    """A branch or general branch puts forward a member or an organisation, within its
    general branch's quota and before the deadline."""
    round_ = _locked_round(round)
    _state_error(round_, RoundState.NOMINATING)
    nominated_on = nominated_on or _today()
    error = rules.nomination_open_error(nominated_on, round_.nomination_deadline)
    if error:
        raise ValidationError(error)
    if category in rules.PERSON_CATEGORIES:
        if person is None:
            raise ValidationError({"person": "请选择被推荐的党员。"})
        if not person.is_member:
            raise ValidationError(
                {"person": f"{person.name}不是党员，不能推荐为{rules.CATEGORY_LABELS[category]}。"}
            )
        if person.primary_org_id is None:
            raise ValidationError({"person": f"{person.name}不在任何党组织中。"})
        organisation = person.primary_org
    else:
        person = None
        if organisation is None:
            raise ValidationError({"organisation": "请选择被推荐的党组织。"})
        if organisation.kind not in BASIC_ORG_KINDS:
            raise ValidationError({"organisation": "先进基层党组织应为党总支或党支部。"})
    assert organisation is not None
    row = Nomination(
        round=round_,
        category=category,
        person=person,
        organisation=organisation,
        quota_holder=quota_holder(organisation),
        deeds=deeds.strip(),
        nominated_on=nominated_on,
        nominated_by=actor,
    )
    access.require(actor, perms.NOMINATE, row)
    duplicate = Nomination.objects.filter(round=round_, category=category)
    duplicate = (
        duplicate.filter(person=person)
        if person
        else duplicate.filter(organisation=organisation, person__isnull=True)
    )
    if duplicate.exists():
        field = "person" if person else "organisation"
        raise ValidationError(
            {field: f"{row.nominee_name}已被推荐为本轮{rules.CATEGORY_LABELS[category]}。"}
        )
    _quota_check(round_, category, row.quota_holder, TAKING_QUOTA)
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    audit.created(actor=actor, obj=row, fields=NOMINATION_FIELDS, event=events.NOMINATED)
    return row


@transaction.atomic
def nomination_withdraw(*, actor: User, nomination: Nomination) -> None:
    """The nominating level withdraws a nomination not yet approved."""
    nomination = (
        Nomination.objects.select_for_update().select_related("round").get(pk=nomination.pk)
    )
    access.require(actor, perms.NOMINATE, nomination)
    _state_error(nomination.round, RoundState.NOMINATING)
    if nomination.state not in (NominationState.NOMINATED, NominationState.REJECTED):
        raise ValidationError("已审核通过的推荐不能撤回，请由上级党组织改为审核未通过。")
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=nomination.round,
        note=f"撤回推荐：{nomination}",
        event=events.NOMINATION_WITHDRAWN,
    )
    nomination.delete()


@transaction.atomic
def nomination_review(
    *,
    actor: User,
    nomination: Nomination,
    approve: bool,
    note: str = "",
    reviewed_on: date | None = None,
) -> Nomination:
    """The level above approves a nomination (within the quota) or turns it down, saying why."""
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "quota_holder")
        .get(pk=nomination.pk)
    )
    access.require(actor, perms.REVIEW, nomination)
    _state_error(nomination.round, RoundState.NOMINATING)
    if approve:
        approved_states = (NominationState.APPROVED, NominationState.AWARDED)
        _quota_check(
            nomination.round,
            nomination.category,
            nomination.quota_holder,
            approved_states,
            exclude=nomination.pk,
        )
    elif not note.strip():
        raise ValidationError({"note": "审核未通过须写明理由。"})
    with audit.recording(
        actor=actor, obj=nomination, fields=["state", "review_note"], event=events.REVIEWED
    ):
        nomination.state = NominationState.APPROVED if approve else NominationState.REJECTED
        nomination.review_note = note.strip()
        nomination.reviewed_on = reviewed_on or _today()
        nomination.reviewed_by = actor
        nomination.save()
    return nomination


# --- objections during the notice -------------------------------------------------------------


@transaction.atomic
def objection_record(
    *, actor: User, nomination: Nomination, received_on: date, content: str
) -> Objection:
    nomination = Nomination.objects.select_related("round", "organisation").get(pk=nomination.pk)
    access.require(actor, perms.OBJECTION, Objection(nomination=nomination))
    round_ = _locked_round(nomination.round)
    _state_error(round_, RoundState.NOTICE)
    if nomination.state != NominationState.APPROVED:
        raise ValidationError("只能对公示中的拟表彰对象登记意见。")
    assert round_.notice_starts_on is not None
    if received_on < round_.notice_starts_on or received_on > _today():
        raise ValidationError(
            {
                "received_on": f"收到日期应在公示开始（{round_.notice_starts_on:%Y-%m-%d}）"
                "之后、今天之前。"
            }
        )
    row = Objection(nomination=nomination, received_on=received_on, content=content.strip())
    row.full_clean()
    row.save()
    audit.created(
        actor=actor,
        obj=nomination,
        fields=[],
        note=f"收到意见：{row.content[:100]}",
        event=events.OBJECTION_RECEIVED,
    )
    return row


@transaction.atomic
def objection_resolve(
    *,
    actor: User,
    objection: Objection,
    upheld: bool,
    resolution: str,
    resolved_on: date | None = None,
) -> Objection:
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("nomination__round", "nomination__organisation")
        .get(pk=objection.pk)
    )
    access.require(actor, perms.OBJECTION, objection)
    _state_error(objection.nomination.round, RoundState.NOTICE)
    if not resolution.strip():
        raise ValidationError({"resolution": "请填写核查结论。"})
    objection.resolved, objection.upheld = True, upheld
    objection.resolution = resolution.strip()
    objection.resolved_on = resolved_on or _today()
    objection.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=objection.nomination,
        note=f"核查意见：{'反映属实' if upheld else '反映不属实'}。{objection.resolution[:100]}",
        event=events.OBJECTION_RESOLVED,
    )
    return objection


# --- model units (典型培育) ---------------------------------------------------------------------


class UnitFields(TypedDict, total=False):
    feature: str
    goals: str
    leader: Person
    ends_on: date | None


def _unit_counts() -> dict[str, tuple[int | None, int | None]]:
    return settings.HONOURS_MODEL_UNIT_COUNTS or rules.UNIT_COUNTS


@transaction.atomic
def unit_create(
    *,
    actor: User,
    organisation: Organisation,
    chosen_by: Organisation,
    kind: str,
    feature: str,
    goals: str,
    leader: Person,
    starts_on: date,
    ends_on: date | None = None,
) -> ModelUnit:
    """A level chooses a unit below it to cultivate, within the count of its kind."""
    row = ModelUnit(
        organisation=organisation,
        chosen_by=chosen_by,
        kind=kind,
        feature=feature.strip(),
        goals=goals.strip(),
        leader=leader,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    access.require(actor, perms.MANAGE_UNIT, row)
    if not organisation.path.startswith(chosen_by.path) or organisation.pk == chosen_by.pk:
        raise ValidationError({"organisation": f"培育单位应为{chosen_by.name}的下级党组织。"})
    error = rules.period_error(starts_on, ends_on)
    if error:
        raise ValidationError({"ends_on": error})
    # Lock the choosing organisation: two concurrent choices cannot both pass the count.
    Organisation.objects.select_for_update().filter(pk=chosen_by.pk).first()
    active = ModelUnit.objects.filter(chosen_by=chosen_by, kind=kind, state__in=ACTIVE_UNIT_STATES)
    if active.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name}已是本级培育的同类典型。"})
    error = rules.unit_count_error(active.count(), kind, _unit_counts())
    if error:
        raise ValidationError({"kind": error})
    row.full_clean()
    row.save()
    audit.created(actor=actor, obj=row, fields=UNIT_FIELDS, event=events.UNIT_CHOSEN)
    return row


@transaction.atomic
def unit_update(*, actor: User, unit: ModelUnit, **fields: Unpack[UnitFields]) -> ModelUnit:
    unit = ModelUnit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    access.require(actor, perms.MANAGE_UNIT, unit)
    allowed = {k: v for k, v in fields.items() if k in UnitFields.__annotations__}

    def clean(obj: ModelUnit) -> None:
        error = rules.period_error(obj.starts_on, obj.ends_on)
        if error:
            raise ValidationError({"ends_on": error})
        obj.full_clean()

    audit.audited_update(
        actor=actor, obj=unit, fields=allowed, audit_fields=UNIT_FIELDS, clean=clean
    )
    return unit


@transaction.atomic
def unit_delete(*, actor: User, unit: ModelUnit) -> None:
    unit = ModelUnit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    access.require(actor, perms.MANAGE_UNIT, unit)
    if unit.checks.exists():
        raise ValidationError("已有检查记录的示范单位不能删除，可经评审撤销。")
    audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=unit, note=str(unit))
    unit.delete()


@transaction.atomic
def check_record(
    *, actor: User, unit: ModelUnit, checked_on: date, kind: str, findings: str
) -> UnitCheck:
    """A check of the cultivation (点评会、经常性督查、随机抽查, 《168模式实施意见》§六3)."""
    unit = ModelUnit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    access.require(actor, perms.MANAGE_UNIT, unit)
    if unit.state == UnitState.WITHDRAWN:
        raise ValidationError("该示范单位已撤销，不再登记检查。")
    error = rules.check_date_error(checked_on, unit.starts_on, _today())
    if error:
        raise ValidationError({"checked_on": error})
    row = UnitCheck(
        unit=unit, checked_on=checked_on, kind=kind, findings=findings.strip(), checked_by=actor
    )
    row.full_clean()
    row.save()
    audit.created(actor=actor, obj=unit, fields=[], note=str(row), event=events.UNIT_CHECKED)
    return row


@transaction.atomic
def unit_review(
    *,
    actor: User,
    unit: ModelUnit,
    outcome: str,
    reviewed_on: date,
    note: str = "",
) -> ModelUnit:
    """The review, on the checks recorded, that confirms the unit or withdraws it."""
    unit = ModelUnit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    access.require(actor, perms.MANAGE_UNIT, unit)
    if unit.state == UnitState.WITHDRAWN:
        raise ValidationError("该示范单位已撤销。")
    errors = rules.review_errors(unit.checks.count(), outcome, note)
    if errors:
        raise ValidationError({"note": errors})
    if reviewed_on < unit.starts_on or reviewed_on > _today():
        raise ValidationError({"reviewed_on": "评审日期应在培育开始之后、今天之前。"})
    with audit.recording(
        actor=actor,
        obj=unit,
        fields=["state", "reviewed_on", "review_note"],
        event=events.UNIT_REVIEWED,
    ):
        unit.state = UnitState.CONFIRMED if outcome == rules.CONFIRM else UnitState.WITHDRAWN
        unit.reviewed_on, unit.review_note = reviewed_on, note.strip()
        unit.save()
    return unit
