"""Rules of membership administration (pure functions).

Members who leave for a while — interns, seconded teachers, members abroad who keep their
organisational relationship — stay in their branch's care: 《支部考核办法》 item 8 asks the branch
to "加强对流动党员管理，建立档案，保持联系", and 《组织建设年实施方案》§二(三) to bring them
into organisational life. Neither sets how often to keep in touch; the institution does
(`AWAY_CONTACT_DAYS`, a quarter by default, the rhythm of the quarterly reports).
"""

from datetime import date, timedelta

# Days a member away may go without contact before the branch is reminded (a quarter).
CONTACT_DAYS = 90


def away_dates_error(left_on: date, until: date | None, returned_on: date | None) -> dict[str, str]:
    """Errors by field: a return (expected or actual) cannot come before the departure."""
    errors = {}
    if until is not None and until < left_on:
        errors["until"] = "预计返回日期不能早于外出日期。"
    if returned_on is not None and returned_on < left_on:
        errors["returned_on"] = "实际返回日期不能早于外出日期。"
    return errors


def contact_due_on(left_on: date, last_contact_on: date | None, days: int) -> date:
    """The day by which the branch should next be in touch: `days` after the last contact, or
    after the departure when there has been none."""
    return (last_contact_on or left_on) + timedelta(days=days)


def contact_cutoff(today: date, days: int) -> date:
    """A member still away last contacted before this day is out of touch."""
    return today - timedelta(days=days)


def contact_lapsed(
    left_on: date, last_contact_on: date | None, returned_on: date | None, today: date, days: int
) -> bool:
    """Contact has lapsed when the member is still away and neither the last contact nor (with
    none yet) the departure lies within `days` of today."""
    return returned_on is None and today > contact_due_on(left_on, last_contact_on, days)
