"""Rules of Party dues (党费) and the branch activity fund (pure functions).

Dues: 《党费规定》 (中组发〔2008〕3号) — 第一条 the monthly base (税后相对固定、经常性的工资收入),
第二条 the brackets for members in work (3000元以下（含3000元）0.5%, 3000–5000元（含5000元）1%,
5000–10000元（含10000元）1.5%, 10000元以上 2%), 第六条 retired members (离退休费 5000元以下
（含5000元）0.5%, 5000元以上 1%), 第八条 students, the unemployed and those living on relief
(每月0.2元), 第十二条 monthly payment (补交一般不超过6个月). The regulation has the base follow the
salary; recording it once a year per member (a DuesStandard per year) is our practice, as most
institutions recalculate each January. 《中国共产党章程》第九条: a member who without proper reason
fails to pay dues for six consecutive months is deemed to have left the Party.

Fund: 《基层组织建设实施意见》§四(五)1 — 教职工党员每年不少于100元、学生党员每人每年不少于50元,
and 建立党费拨返制度，党员缴纳的党费按一定比例返还基层党支部 (the ratio is ours: the seed
names none).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")

# How a member's dues are set (《党费规定》第二、六、八条).
IN_WORK = "in_work"
RETIRED = "retired"
STUDENT = "student"
NO_INCOME = "no_income"
KINDS = (IN_WORK, RETIRED, STUDENT, NO_INCOME)
BASED_KINDS = (IN_WORK, RETIRED)  # computed from an income base

# (upper bound of the monthly base, inclusive — None: no bound; rate). 第二条: "3000元以下
# （含3000元）者，交纳月工资收入的0.5%" and so on up the brackets.
Brackets = Sequence[tuple[Decimal | None, Decimal]]
IN_WORK_BRACKETS: Brackets = (
    (Decimal(3000), Decimal("0.005")),
    (Decimal(5000), Decimal("0.01")),
    (Decimal(10000), Decimal("0.015")),
    (None, Decimal("0.02")),
)
# 第六条: 离退休费5000元以下（含5000元）的按0.5%交纳，5000元以上的按1%交纳.
RETIRED_BRACKETS: Brackets = (
    (Decimal(5000), Decimal("0.005")),
    (None, Decimal("0.01")),
)
# 第八条: 学生党员、下岗失业的党员、依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员，每月交纳
# 党费0.2元. An institution may set another fixed amount within 0.2–1 元 (the range the
# regulation uses for fixed amounts, 第七条 for farmers; the bounds of `fixed_amount_error`).
FIXED_MIN = Decimal("0.2")
FIXED_MAX = Decimal("1")
STUDENT_MONTHLY = Decimal("0.2")
NO_INCOME_MONTHLY = Decimal("0.2")

# 《中国共产党章程》第九条: 连续六个月不交纳党费 → 自行脱党.
LAPSE_MONTHS = 6

# 党费拨返: the share of the dues paid that returns to the branch (our default: half; the seed
# says only "按一定比例").
RETURN_RATIO = Decimal("0.5")

# The fund's yearly standard per member (《基层组织建设实施意见》§四(五)1); retired members count
# as 教职工党员.
FUND_PER_STAFF = Decimal(100)
FUND_PER_STUDENT = Decimal(50)


def to_fen(amount: Decimal) -> Decimal:
    """An amount in yuan rounded to the fen, half up (四舍五入到分: 0.005 → 0.01)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_amount(raw: object) -> tuple[Decimal | None, str]:
    """A non-negative amount in yuan with at most two decimals, as typed or read from Excel:
    (value, "") or (None, the error in Chinese). Blank is (None, "")."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    try:
        value = Decimal(str(raw).strip().replace(",", "").removesuffix("元"))
    except (InvalidOperation, ValueError):
        return None, "金额应为数字（元）。"
    if not value.is_finite():
        return None, "金额应为数字（元）。"
    if value < 0:
        return None, "金额不能为负数。"
    if value != value.quantize(FEN, rounding=ROUND_HALF_UP):
        return None, "金额最多保留两位小数（到分）。"
    if value >= Decimal("1000000"):
        return None, "金额过大，请核对。"
    return value, ""


def rate_for(base: Decimal, brackets: Brackets) -> Decimal:
    """The rate of the first bracket whose (inclusive) upper bound the base does not exceed."""
    for upper, rate in brackets:
        if upper is None or base <= upper:
            return rate
    return brackets[-1][1]


def kind_for_category(category: str) -> str:
    """The usual way a person's dues are set from their category: staff in work, retirees by
    their pension, students the fixed amount."""
    return {"retiree": RETIRED, "student": STUDENT}.get(category, IN_WORK)


@dataclass(frozen=True)
class DuesRates:
    """An institution's table (settings FINANCE_DUES_*; the regulation's by default)."""

    in_work: Brackets = IN_WORK_BRACKETS
    retired: Brackets = RETIRED_BRACKETS
    student: Decimal = STUDENT_MONTHLY
    no_income: Decimal = NO_INCOME_MONTHLY


def fixed_amount_error(amount: Decimal) -> str:
    """A fixed monthly amount an institution sets stays within 0.2–1 元 (《党费规定》第七、八条)."""
    if not FIXED_MIN <= amount <= FIXED_MAX:
        return (
            f"定额交纳党费应在每月{FIXED_MIN}元至{FIXED_MAX}元之间（中组发〔2008〕3号第七、八条）。"
        )
    return ""


def monthly_dues(kind: str, base: Decimal | None, rates: DuesRates = DuesRates()) -> Decimal:
    """The monthly dues in yuan, rounded to the fen half up. Members in work and retired
    members pay a rate of their monthly base (第二条, 第六条); students and members without
    income a fixed amount (第八条). A based kind needs a base (ValueError)."""
    if kind == STUDENT:
        return to_fen(rates.student)
    if kind == NO_INCOME:
        return to_fen(rates.no_income)
    if base is None:
        raise ValueError("base required")
    brackets = rates.retired if kind == RETIRED else rates.in_work
    return to_fen(base * rate_for(base, brackets))


def standard_error(kind: str, base: Decimal | None) -> dict[str, str]:
    """Errors by field of a dues standard as entered."""
    if kind not in KINDS:
        return {"kind": "请选择交纳方式。"}
    if kind in BASED_KINDS and base is None:
        what = "离退休费" if kind == RETIRED else "税后月工资收入"
        return {"base": f"请填写党费计算基数（{what}，中组发〔2008〕3号第一、二、六条）。"}
    return {}


# --- months and payment states ---------------------------------------------------------------

PAID = "paid"
PAID_LATE = "late"
ARREARS = "arrears"


def period_of(year: int, month: int) -> int:
    """A month as one number (months since year 0), so that runs cross year boundaries."""
    return year * 12 + month - 1


def month_of(period: int) -> tuple[int, int]:
    return period // 12, period % 12 + 1


def month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def payment_state(due: Decimal, paid: Decimal, paid_on: date | None, year: int, month: int) -> str:
    """第十二条: dues are paid monthly; paid (or paid ahead) by the month's end in full → paid;
    in full after it → paid late (补交); less than due → arrears (欠缴)."""
    if paid < due or (paid_on is None and due > 0):
        return ARREARS
    if paid_on is not None and paid_on > month_end(year, month):
        return PAID_LATE
    return PAID


def payment_error(
    paid: Decimal | None, paid_on: date | None, year: int, month: int
) -> dict[str, str]:
    """Errors by field of a payment as entered: an amount paid needs its date and the reverse;
    a payment dated more than a year before its month is a typing error (ours)."""
    errors = {}
    if paid and paid_on is None:
        errors["paid_on"] = "请填写缴纳日期。"
    if paid_on is not None and not paid:
        errors["paid"] = "填写了缴纳日期，请填写实缴金额。"
    if paid_on is not None and period_of(paid_on.year, paid_on.month) < period_of(year, month) - 12:
        errors["paid_on"] = "缴纳日期早于该月12个月以上，请核对。"
    return errors


def trailing_arrears(arrears_periods: Iterable[int], through: int) -> int:
    """How many consecutive months up to and including `through` are in arrears."""
    months = set(arrears_periods)
    run = 0
    while through - run in months:
        run += 1
    return run


def deemed_lapsed(run: int, months: int = LAPSE_MONTHS) -> bool:
    """《中国共产党章程》第九条: six consecutive months (or more) without paying dues."""
    return run >= months


def returned_share(paid_total: Decimal, ratio: Decimal = RETURN_RATIO) -> Decimal:
    """党费拨返: the branch's share of the dues its members paid, to the fen."""
    return to_fen(paid_total * ratio)


def fund_standard(
    staff: int,
    students: int,
    per_staff: Decimal = FUND_PER_STAFF,
    per_student: Decimal = FUND_PER_STUDENT,
) -> Decimal:
    """The branch's yearly activity fund by the seed's standard: 教职工（含离退休）党员 × 100元
    + 学生党员 × 50元 (an institution may set more, never less: see settings)."""
    return to_fen(per_staff * staff + per_student * students)
