"""A year of Party dues and the branch activity fund for the demo institution: every member's
standard (staff by a salary base, retirees by a pension, students the fixed amount), the twelve
months up to the last one that has ended, most paid on time, some late, a few in arrears and
one member of 信息工程学院学生支部 six months running (《中国共产党章程》第九条); each branch's
fund ledger with the standard allocation, the dues returned and a few vouchers' spending.
Deterministic for a seed; bulk inserts."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from dangjian.finance import rules
from dangjian.finance.models import DuesPayment, DuesStandard, FundEntry, FundKind

MODELS = (FundEntry, DuesPayment, DuesStandard)  # deletion order
LAPSED_BRANCH = "信息工程学院学生支部"
SALARIES = (2800, 3000, 4200, 5000, 6500, 8800, 10000, 12500)
PENSIONS = (3600, 4800, 5000, 5600, 7200)
SPENDING = (
    ("主题党日活动交通费", 260),
    ("购买党员学习资料", 180),
    ("红色教育基地参观门票", 300),
    ("支部活动场地布置", 120),
)


class FinanceDemo:
    """Rows for the branches and members an OrganisationalLoader has read (`loader.people`:
    per branch (pk, org, category, status, ...))."""

    def __init__(self, loader: Any):
        self.loader = loader
        self.rng = loader.rng
        self.today: date = loader.today

    def run(self) -> dict[str, int]:
        through = rules.period_of(self.today.year, self.today.month) - 1
        periods = list(range(through - 11, through + 1))  # the twelve months that have ended
        years = sorted({rules.month_of(p)[0] for p in periods})
        rates = settings.FINANCE_DUES_RATES
        standards, payments, entries = [], [], []
        for branch in self.loader.branches:
            members = [
                p for p in self.loader.people.get(branch.pk, []) if p[3] in ("full", "probationary")
            ]
            if not members:
                continue
            lapsed = members[-1][0] if branch.name == LAPSED_BRANCH else None
            monthly: dict[tuple[int, int], Decimal] = {}
            for pk, _org, category, *_ in members:
                kind = rules.kind_for_category(category)
                base = None
                if kind == rules.IN_WORK:
                    base = Decimal(self.rng.choice(SALARIES))
                elif kind == rules.RETIRED:
                    base = Decimal(self.rng.choice(PENSIONS))
                for year in years:
                    amount = rules.monthly_dues(kind, base, rates)
                    monthly[pk, year] = amount
                    standards.append(
                        DuesStandard(
                            person_id=pk,
                            organisation=branch,
                            year=year,
                            kind=kind,
                            base=base,
                            monthly=amount,
                        )
                    )
            paid_total: dict[int, Decimal] = {}
            for pk, *_ in members:
                for period in periods:
                    year, month = rules.month_of(period)
                    due = monthly[pk, year]
                    roll = self.rng.random()
                    if (pk == lapsed and period > through - 6) or roll < 0.03:
                        paid, paid_on = Decimal(0), None
                    elif roll < 0.10:
                        late = rules.month_end(year, month) + timedelta(days=12)
                        paid, paid_on = due, min(late, self.today)
                    else:
                        paid, paid_on = due, date(year, month, self.rng.randint(3, 25))
                    state = rules.payment_state(due, paid, paid_on, year, month)
                    payments.append(
                        DuesPayment(
                            person_id=pk,
                            organisation=branch,
                            year=year,
                            month=month,
                            period=period,
                            due=due,
                            paid=paid,
                            paid_on=paid_on,
                            state=state,
                        )
                    )
                    if year == self.today.year:
                        paid_total[year] = paid_total.get(year, Decimal(0)) + paid
            entries += self._ledger(branch, members, paid_total.get(self.today.year, Decimal(0)))
        DuesStandard.objects.bulk_create(standards, batch_size=5000)
        DuesPayment.objects.bulk_create(payments, batch_size=5000)
        FundEntry.objects.bulk_create(entries, batch_size=5000)
        return {"党费标准": len(standards), "党费收缴": len(payments), "活动经费收支": len(entries)}

    def _ledger(self, branch: Any, members: list[tuple], paid: Decimal) -> list[FundEntry]:
        year = self.today.year
        students = sum(1 for m in members if m[2] == "student")
        staff = len(members) - students
        allocation = rules.fund_standard(
            staff, students, settings.FINANCE_FUND_PER_STAFF, settings.FINANCE_FUND_PER_STUDENT
        )
        returned = rules.returned_share(paid, settings.FINANCE_DUES_RETURN_RATIO)
        rows = [
            FundEntry(
                organisation=branch,
                year=year,
                kind=FundKind.ALLOCATION,
                amount=allocation,
                on=min(self.today, date(year, 3, 1)),
                summary=f"{year}年活动经费（教职工党员{staff}名、学生党员{students}名，按标准计算）",
            )
        ]
        if returned > 0:
            rows.append(
                FundEntry(
                    organisation=branch,
                    year=year,
                    kind=FundKind.DUES_RETURN,
                    amount=returned,
                    on=min(self.today, date(year, 11, 30)),
                    summary=f"{year}年党费返还",
                )
            )
        budget = allocation + returned
        for summary, amount in self.rng.sample(SPENDING, self.rng.randint(1, 3)):
            amount = Decimal(amount)
            if amount > budget:
                break
            budget -= amount
            month = self.rng.randint(3, max(3, self.today.month))
            rows.append(
                FundEntry(
                    organisation=branch,
                    year=year,
                    kind=FundKind.SPENDING,
                    amount=amount,
                    on=min(self.today, date(year, month, self.rng.randint(1, 28))),
                    summary=summary,
                )
            )
        return rows
