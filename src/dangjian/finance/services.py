"""Every write of dues and the activity fund: atomic, checked, audited."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from dangjian.core import audit
from dangjian.core.access import Actor, can, require
from dangjian.core.events import EventType
from dangjian.core.models import AuditEvent
from dangjian.finance import events, rules, selectors
from dangjian.finance.models import (
    DuesKind,
    DuesPayment,
    DuesStandard,
    FundEntry,
    FundKind,
)
from dangjian.finance.permissions import MANAGE_DUES, MANAGE_FUND
from dangjian.org.models import Organisation, OrgKind, Person

STANDARD_FIELDS = ["person", "year", "kind", "base", "monthly"]
PAYMENT_FIELDS = ["person", "year", "month", "due", "paid", "paid_on", "state", "note"]


@dataclass
class RowResult:
    """What became of one row of a batch: saved, unchanged, or refused with its errors."""

    person_id: int
    name: str
    saved: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    row: Any = None

    @property
    def message(self) -> str:
        return "；".join(self.errors.values())


def _require_branch(actor: Actor, branch: Organisation, action: str) -> None:
    if branch.kind != OrgKind.BRANCH:
        raise ValidationError("请选择一个党支部。")
    probe = (
        DuesStandard(organisation=branch)
        if action == MANAGE_DUES
        else FundEntry(organisation=branch)
    )
    require(actor, action, probe)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000年至2100年之间。"})


# --- standards ---------------------------------------------------------------------------------


class StandardRow(TypedDict):
    person_id: int
    kind: str
    base: Decimal | None


@transaction.atomic
def standards_save(
    *, actor: Actor, branch: Organisation, year: int, rows: Sequence[StandardRow]
) -> list[RowResult]:
    """核定党费 (《党费规定》第一、二、六、八条): each member's kind and base as entered; the
    monthly amount computed by the brackets. Rows with errors are reported and left as they
    were."""
    _require_branch(actor, branch, MANAGE_DUES)
    _check_year(year)
    members = {p.pk: p for p in selectors.branch_members(branch)}
    existing = {
        s.person_id: s for s in DuesStandard.objects.filter(person__in=list(members), year=year)
    }
    rates = settings.FINANCE_DUES_RATES
    results = []
    for row in rows:
        person = members.get(row["person_id"])
        if person is None:
            results.append(RowResult(row["person_id"], "", errors={"person": "不是本支部党员。"}))
            continue
        result = RowResult(person.pk, person.name)
        results.append(result)
        kind, base = row["kind"], row["base"]
        result.errors = rules.standard_error(kind, base)
        if result.errors:
            continue
        if kind not in rules.BASED_KINDS:
            base = None
        monthly = rules.monthly_dues(kind, base, rates)
        standard = existing.get(person.pk)
        if standard is not None and (standard.kind, standard.base, standard.monthly) == (
            kind,
            base,
            monthly,
        ):
            result.row = standard
            continue
        result.row = _write_standard(actor, person, branch, year, kind, base, monthly, standard)
        result.saved = True
    return results


def _write_standard(
    actor: Actor,
    person: Person,
    branch: Organisation,
    year: int,
    kind: str,
    base: Decimal | None,
    monthly: Decimal,
    standard: DuesStandard | None,
) -> DuesStandard:
    user: Any = actor if getattr(actor, "is_authenticated", False) else None
    if standard is None:
        standard = DuesStandard(person=person, year=year)
        before = None
    else:
        before = audit.snapshot(standard, STANDARD_FIELDS)
    standard.organisation = branch
    standard.kind, standard.base, standard.monthly, standard.set_by = kind, base, monthly, user
    standard.save()
    if before is None:
        audit.created(actor=actor, obj=standard, fields=STANDARD_FIELDS, event=events.STANDARD_SET)
    else:
        audit.changed(
            actor=actor,
            obj=standard,
            fields=STANDARD_FIELDS,
            before=before,
            event=events.STANDARD_SET,
            action=AuditEvent.Action.UPDATE,
        )
    return standard


@dataclass
class Recalculation:
    saved: int
    unchanged: int
    missing: list[str]  # members in work or retired with no base on record


@transaction.atomic
def standards_recalculate(*, actor: Actor, branch: Organisation, year: int) -> Recalculation:
    """'重新核定': every member of the branch from the base on record — this year's, else last
    year's (a yearly standard is our practice: the base is carried over until the officer
    enters a new one) — the kind as recorded or, with none, from the member's category."""
    _require_branch(actor, branch, MANAGE_DUES)
    _check_year(year)
    members = list(selectors.branch_members(branch))
    known: dict[int, DuesStandard] = {}
    for standard in DuesStandard.objects.filter(
        person__in=members, year__in=(year - 1, year)
    ).order_by("year"):
        known[standard.person_id] = standard  # this year's wins over last year's
    rows: list[StandardRow] = []
    missing = []
    for person in members:
        previous = known.get(person.pk)
        kind = previous.kind if previous else rules.kind_for_category(person.category)
        base = previous.base if previous else None
        if kind in rules.BASED_KINDS and base is None:
            missing.append(person.name)
            continue
        rows.append(StandardRow(person_id=person.pk, kind=kind, base=base))
    results = standards_save(actor=actor, branch=branch, year=year, rows=rows)
    saved = sum(r.saved for r in results)
    return Recalculation(saved=saved, unchanged=len(results) - saved, missing=missing)


# --- payments ----------------------------------------------------------------------------------


class PaymentRow(TypedDict):
    person_id: int
    paid: Decimal | None
    paid_on: date | None
    note: str


def _check_month(year: int, month: int) -> None:
    _check_year(year)
    if not 1 <= month <= 12:
        raise ValidationError({"month": "月份应为1至12。"})


@transaction.atomic
def payments_save(
    *,
    actor: Actor,
    branch: Organisation,
    year: int,
    month: int,
    rows: Sequence[PaymentRow],
    event: EventType = events.PAYMENT_RECORDED,
) -> list[RowResult]:
    """登记党费收缴 for a month (《党费规定》第十二条: 按月交纳): each member's amount and date;
    the due amount is the year's standard; the state follows (rules.payment_state). Rows with errors
    are reported and not saved; the others are saved."""
    _require_branch(actor, branch, MANAGE_DUES)
    _check_month(year, month)
    members = {p.pk: p for p in selectors.branch_members(branch)}
    return _write_payments(actor, members, branch, year, month, rows, event)


def _write_payments(
    actor: Actor,
    members: dict[int, Person],
    branch: Organisation,
    year: int,
    month: int,
    rows: Sequence[PaymentRow],
    event: EventType,
) -> list[RowResult]:
    period = rules.period_of(year, month)
    ids = [r["person_id"] for r in rows]
    standards = dict(
        DuesStandard.objects.filter(person_id__in=ids, year=year).values_list(
            "person_id", "monthly"
        )
    )
    existing = {
        p.person_id: p for p in DuesPayment.objects.filter(person_id__in=ids, period=period)
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    results = []
    for row in rows:
        person = members.get(row["person_id"])
        if person is None:
            results.append(RowResult(row["person_id"], "", errors={"person": "不是本支部党员。"}))
            continue
        result = RowResult(person.pk, person.name)
        results.append(result)
        due = standards.get(person.pk)
        if due is None:
            result.errors = {"due": f"尚未核定{year}年党费标准，请先核定。"}
            continue
        paid, paid_on, note = row["paid"], row["paid_on"], row.get("note", "") or ""
        result.errors = rules.payment_error(paid, paid_on, year, month)
        if result.errors:
            continue
        paid = paid or Decimal(0)
        state = rules.payment_state(due, paid, paid_on, year, month)
        payment = existing.get(person.pk)
        values = {"due": due, "paid": paid, "paid_on": paid_on, "state": state, "note": note[:200]}
        if payment is not None and all(getattr(payment, k) == v for k, v in values.items()):
            result.row = payment
            continue
        if payment is None:
            payment = DuesPayment(person=person, year=year, month=month, period=period)
            before = None
        else:
            before = audit.snapshot(payment, PAYMENT_FIELDS)
        for name, value in values.items():
            setattr(payment, name, value)
        payment.organisation, payment.recorded_by = branch, user
        payment.save()
        if before is None:
            audit.created(actor=actor, obj=payment, fields=PAYMENT_FIELDS, event=event)
        else:
            audit.changed(
                actor=actor,
                obj=payment,
                fields=PAYMENT_FIELDS,
                before=before,
                event=event,
                action=AuditEvent.Action.UPDATE,
            )
        result.row, result.saved = payment, True
    return results


@dataclass
class ImportRow:
    number: int  # the sheet's row number
    person: Person
    year: int
    month: int
    paid: Decimal | None
    paid_on: date | None
    note: str


@transaction.atomic
def payments_import(*, actor: Actor, rows: Sequence[ImportRow]) -> int:
    """Write the rows of a checked import (finance.excel validated every row and found none
    bad). All or nothing: a row the rules refuse now rolls back the whole import."""
    grouped: dict[tuple[int, int, int], list[ImportRow]] = {}
    for row in rows:
        key = (row.person.primary_org_id or 0, row.year, row.month)
        grouped.setdefault(key, []).append(row)
    branches = Organisation.objects.in_bulk({k[0] for k in grouped})
    saved = 0
    errors = []
    for (org_id, year, month), group in grouped.items():
        branch = branches[org_id]
        if not can(actor, MANAGE_DUES, DuesStandard(organisation=branch)):
            raise PermissionDenied(f"您不能登记{branch.name}的党费。")
        members = {r.person.pk: r.person for r in group}
        payment_rows = [
            PaymentRow(person_id=r.person.pk, paid=r.paid, paid_on=r.paid_on, note=r.note)
            for r in group
        ]
        results = _write_payments(
            actor, members, branch, year, month, payment_rows, events.PAYMENT_IMPORTED
        )
        for r, result in zip(group, results, strict=True):
            if result.errors:
                errors.append(f"第{r.number}行：{result.message}")
            saved += result.saved
    if errors:
        raise ValidationError(errors)
    return saved


# --- the activity fund -------------------------------------------------------------------------


class FundFields(TypedDict, total=False):
    year: int
    kind: str
    amount: Decimal
    on: date
    summary: str
    voucher: Any
    note: str


FUND_FIELDS = ["organisation", *FundFields.__annotations__]


def _clean_entry(entry: FundEntry) -> None:
    entry.full_clean()
    errors = {}
    if entry.organisation.kind != OrgKind.BRANCH:
        errors["organisation"] = "活动经费按党支部登记，请选择党支部。"
    if entry.amount is not None and entry.amount <= 0:
        errors["amount"] = "金额应大于0。"
    if entry.on is not None and entry.year is not None and entry.on.year != entry.year:
        errors["on"] = "日期应在所选年度内。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def fund_entry_create(
    *, actor: Actor, organisation: Organisation, **fields: Unpack[FundFields]
) -> FundEntry:
    entry = FundEntry(organisation=organisation, **fields)
    require(actor, MANAGE_FUND, entry)
    _clean_entry(entry)
    entry.save()
    audit.created(actor=actor, obj=entry, fields=FUND_FIELDS)
    return entry


@transaction.atomic
def fund_entry_update(*, actor: Actor, entry: FundEntry, **fields: Unpack[FundFields]) -> FundEntry:
    entry = FundEntry.objects.select_for_update().select_related("organisation").get(pk=entry.pk)
    require(actor, MANAGE_FUND, entry)
    audit.audited_update(
        actor=actor, obj=entry, fields=dict(fields), audit_fields=FUND_FIELDS, clean=_clean_entry
    )
    return entry


@transaction.atomic
def fund_entry_delete(*, actor: Actor, entry: FundEntry) -> None:
    entry = FundEntry.objects.select_for_update().select_related("organisation").get(pk=entry.pk)
    require(actor, MANAGE_FUND, entry)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=entry,
        before=audit.snapshot(entry, FUND_FIELDS),
    )
    entry.delete()


@transaction.atomic
def fund_compute(
    *, actor: Actor, branch: Organisation, year: int, kind: str, on: date
) -> FundEntry | None:
    """The branch's computed income line of the year, written once and kept up to date:
    the standard allocation (members on the register × 100/50 元, 《基层组织建设实施意见》
    §四(五)1, from org.PeopleCount) or the dues returned (党费拨返: the ratio of what its
    members paid in the year). None when the amount is nothing."""
    _require_branch(actor, branch, MANAGE_FUND)
    _check_year(year)
    if kind == FundKind.ALLOCATION:
        staff, students = selectors.member_counts(branch)
        amount = rules.fund_standard(
            staff, students, settings.FINANCE_FUND_PER_STAFF, settings.FINANCE_FUND_PER_STUDENT
        )
        summary = f"{year}年活动经费（教职工党员{staff}名、学生党员{students}名，按标准计算）"
    elif kind == FundKind.DUES_RETURN:
        payments = DuesPayment.objects.filter(organisation=branch, year=year)
        paid = rules.to_fen(payments.aggregate(t=Sum("paid"))["t"] or Decimal(0))
        ratio = settings.FINANCE_DUES_RETURN_RATIO
        amount = rules.returned_share(paid, ratio)
        summary = f"{year}年党费返还（实缴{paid}元×{ratio}）"
    else:
        raise ValidationError({"kind": "只有按标准划拨和党费返还可以自动计算。"})
    entry = (
        FundEntry.objects.select_for_update()
        .filter(organisation=branch, year=year, kind=kind)
        .first()
    )
    if amount <= 0:
        return entry
    if entry is None:
        entry = FundEntry(
            organisation=branch, year=year, kind=kind, amount=amount, on=on, summary=summary
        )
        require(actor, MANAGE_FUND, entry)
        _clean_entry(entry)
        entry.save()
        audit.created(actor=actor, obj=entry, fields=FUND_FIELDS, event=events.FUND_COMPUTED)
        return entry
    audit.audited_update(
        actor=actor,
        obj=entry,
        fields={"amount": amount, "summary": summary},
        audit_fields=FUND_FIELDS,
        clean=_clean_entry,
        event=events.FUND_COMPUTED,
    )
    return entry


__all__ = [
    "DuesKind",
    "ImportRow",
    "PaymentRow",
    "Recalculation",
    "RowResult",
    "StandardRow",
    "fund_compute",
    "fund_entry_create",
    "fund_entry_delete",
    "fund_entry_update",
    "payments_import",
    "payments_save",
    "standards_recalculate",
    "standards_save",
]
