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


def contact_date_error(
    contacted_on: date, left_on: date, returned_on: date | None, today: date
) -> str | None:
    """A contact with a member away happens while they are away: not before the departure,
    not after the return, not in the future (《支部考核办法》 item 8: 保持联系)."""
    if contacted_on > today:
        return "联系日期不能晚于今天。"
    if contacted_on < left_on:
        return "联系日期不能早于外出日期。"
    if returned_on is not None and contacted_on > returned_on:
        return "联系日期不能晚于实际返回日期。"
    return None


# --- 组织关系转接 (transfers of the organisational relationship) ------------------------------
#
# 《基层组织建设实施意见》§四(三)2(3) asks branches to "认真执行……组织关系接转等方面的党员
# 管理制度" and to care for graduates whose relationship moves. The steps below follow the
# customary practice of 党员组织关系接转 as peer systems and organisation
# departments run it (介绍信 with its 存根 and 回执, valid a set number of days); where a number
# is ours, the docstring says so.

# Days an introduction letter is valid (介绍信“有效期”): the customary printed form leaves the
# number to the issuer; 30 is the usual figure for a move between institutions.
LETTER_VALID_DAYS = 30

# Days after issuing a letter when the origin is reminded that the 回执 has not come back. Ours:
# the source sets no number.
SLIP_REMINDER_DAYS = 30

# Within the institution the general branch(es) above approve before the person moves (ours: a
# setting, since some institutions let the organisation department alone decide).
APPROVAL_REQUIRED = True


def letter_number(year: int, seq: int) -> str:
    """The letter's customary number: the year in brackets, a running number: （2026）第0007号."""
    return f"（{year}）第{seq:04d}号"


def letter_expires_on(issued_on: date, valid_days: int) -> date:
    """The last day the letter is valid: the issue day counts as the first of `valid_days`."""
    return issued_on + timedelta(days=valid_days - 1)


def letter_valid_on(issued_on: date, valid_days: int, day: date) -> bool:
    """Is the letter valid on `day` (from the issue day to its last valid day)?"""
    return issued_on <= day <= letter_expires_on(issued_on, valid_days)


def valid_days_error(valid_days: int) -> str | None:
    """A letter is valid at least one day and, ours, at most a year."""
    if valid_days < 1 or valid_days > 365:
        return "介绍信有效期应为1至365天。"
    return None


def slip_due_on(issued_on: date, days: int) -> date:
    """The day the missing 回执 is first reminded of: `days` after the letter was issued."""
    return issued_on + timedelta(days=days)


def slip_overdue(issued_on: date, slip_returned_on: date | None, today: date, days: int) -> bool:
    """The 回执 is overdue from `days` after issue until its return is recorded (customary
    practice of 党员组织关系接转: the origin follows the letter until the slip comes back)."""
    return slip_returned_on is None and today >= slip_due_on(issued_on, days)


def slip_cutoff(today: date, days: int) -> date:
    """Letters issued on or before this day without a returned slip are overdue."""
    return today - timedelta(days=days)


def approving_orgs(origin_chain: list[int], destination_chain: list[int]) -> list[int]:
    """The general branches that approve a move within the institution, given each branch's
    general-branch ancestors (nearest first, empty when the branch sits directly under the
    committee, whose place the committee then takes). Sharing one general branch, it approves
    once; otherwise each side's nearest approves (customary practice: both ends agree)."""
    shared = [org for org in origin_chain if org in destination_chain]
    if shared:
        return [shared[0]]
    approvers = []
    for chain in (origin_chain, destination_chain):
        if chain and chain[0] not in approvers:
            approvers.append(chain[0])
    return approvers


def send_error(
    has_open_transfer: bool, same_branch: bool, is_member: bool, active: bool
) -> str | None:
    """Why a person may not be sent, or None: one open transfer at a time, a real move, a Party
    member on the roll (《基层组织建设实施意见》§四(三)2(3): 组织关系接转 of Party members)."""
    if not active:
        return "该人员已不在册，不能办理组织关系转接。"
    if not is_member:
        return "只有党员（正式党员、预备党员）办理组织关系转接。"
    if has_open_transfer:
        return "该党员已有尚未办结的组织关系转接，请先办结或撤回。"
    if same_branch:
        return "转入党组织与原党组织相同。"
    return None


def slip_date_error(issued_on: date, returned_on: date, today: date) -> str | None:
    """The 回执 comes back after the letter was issued and not in the future."""
    if returned_on < issued_on:
        return "回执日期不能早于介绍信开具日期。"
    if returned_on > today:
        return "回执日期不能晚于今天。"
    return None
