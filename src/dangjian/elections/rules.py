"""Rules of committee terms and elections (换届选举), pure functions.

The five source documents ask for it without numbers: 《支部考核办法》评分表第1项 scores a branch
on “班子健全，分工明确，定期改选” (改选 1 point), and 《组织建设年实施方案》§二(三) asks for
“基层党组织选举制度”. The numbers come from the national regulation,
《中国共产党基层组织选举工作条例》 (2020), quoted by its words where the code uses them:

- 第三条: a committee is re-elected when its term ends (任期届满应当按期进行换届选举); delaying
  or advancing it needs the level above's approval, by at most a year.
- 第五条: full members vote and stand; probationary members do not.
- the term: 党的基层委员会 five years, 总支部委员会 and 支部委员会 three (the default terms,
  settings `ELECTION_TERM_YEARS`, since institutions may follow another rule within
  《中国共产党章程》's three to five years);
- 差额选举: candidates for the committee exceed the seats by at least 20% of the seats
  (`ELECTION_MARGIN_PERCENT`);
- the meeting is valid when the members with a vote present are more than four fifths of those
  due to attend (有选举权的到会人数超过应到会人数的4/5，会议有效);
- a candidate is elected with votes in favour more than half of the members with a vote
  present (赞成票超过实到会有选举权的人数的一半，始得当选); more such candidates than seats are
  taken by votes, and a tie at the last seat is voted again.

The reminder three months before a term ends (`ELECTION_REMINDER_MONTHS`) is the issue's.
"""

from datetime import date
from math import ceil

# Years of a committee's term by the organisation's kind (基层组织选举工作条例).
TERM_YEARS = {"committee": 5, "general_branch": 3, "branch": 3}
# Months before a term ends when the organisation is reminded to prepare the election.
REMINDER_MONTHS = 3
# Candidates exceed the seats by at least this share of the seats (差额不少于应选人数的20%).
MARGIN_PERCENT = 20

SOURCE = "《中国共产党基层组织选举工作条例》"


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` (negative: back), the day clamped to the month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def term_ends_on(starts_on: date, years: int) -> date:
    """The day a term of `years` starting on `starts_on` is full (届满): the same day `years`
    later (28 February for a term starting on 29 February)."""
    return add_months(starts_on, 12 * years)


def reminder_on(ends_on: date, months: int) -> date:
    """The first day the organisation is reminded: `months` before the term ends."""
    return add_months(ends_on, -months)


def term_due(ends_on: date, today: date, months: int) -> bool:
    """Is the election due to be prepared? From exactly `months` before the term ends on."""
    return today >= reminder_on(ends_on, months)


def term_state(ends_on: date | None, today: date, months: int) -> str:
    """在任 / 即将届满 (within `months`) / 已届满 (past its end: 第三条 asks for 按期换届)."""
    if ends_on is None:
        return "在任"
    if today > ends_on:
        return "已届满"
    return "即将届满" if term_due(ends_on, today, months) else "在任"


def min_candidates(seats: int, margin_percent: int) -> int:
    """The fewest candidates for `seats` (差额不少于应选人数的 `margin_percent`%, rounded up)."""
    return seats + ceil(seats * margin_percent / 100)


# The most seats a grassroots committee's election may name (ours: a bound on input).
MAX_SEATS = 15


def seats_error(seats: int) -> str | None:
    if seats < 1 or seats > MAX_SEATS:
        return f"应选委员人数应为1至{MAX_SEATS}名。"
    return None


def candidates_error(seats: int, candidates: int, margin_percent: int) -> str | None:
    """Why the candidates cannot go to the vote, or None (差额选举)."""
    least = min_candidates(seats, margin_percent)
    if candidates < least:
        return (
            f"应选{seats}名，候选人至少{least}名（{SOURCE}：委员候选人的差额不少于应选人数的"
            f"{margin_percent}%），现有{candidates}名。"
        )
    return None


def quorum_error(entitled: int, present: int) -> str | None:
    """Why the meeting cannot elect, or None: more than four fifths of the members with a vote
    due to attend are present (有选举权的到会人数超过应到会人数的4/5，会议有效)."""
    if entitled < 1:
        return "应到会有选举权的党员人数应至少为1。"
    if present > entitled:
        return "实到会人数不能多于应到会人数。"
    if present * 5 <= entitled * 4:
        return (
            f"实到会{present}人，未超过应到会{entitled}人的五分之四，会议无效，不能进行选举"
            f"（{SOURCE}）。"
        )
    return None


def votes_error(votes: int, present: int) -> str | None:
    if votes < 0:
        return "得票数不能为负数。"
    if votes > present:
        return f"得票数不能多于实到会人数（{present}人）。"
    return None


def has_majority(votes: int, present: int) -> bool:
    """More than half of the members with a vote present (赞成票超过实到会有选举权人数的一半)."""
    return votes * 2 > present


def elected(votes: dict[int, int], present: int, seats: int) -> tuple[list[int], str | None]:
    """Who is elected, by votes, and why the result cannot stand (a tie at the last seat: those
    tied are voted on again), or None. Fewer than `seats` with a majority: the rest are left
    for another vote (另行选举) or the seats reduced — the result names only the elected."""
    passing = sorted(
        ((n, key) for key, n in votes.items() if has_majority(n, present)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if len(passing) > seats and passing[seats - 1][0] == passing[seats][0]:
        tied = passing[seats][0]
        return [], f"得票数相等（{tied}票）不能确定最后一名当选人，应就票数相等的被选举人再次投票。"
    return [key for _, key in passing[:seats]], None


def committee_error(titles: list[str]) -> str | None:
    """The new committee's division of work (分工明确, 评分表第1项): exactly one secretary."""
    secretaries = titles.count("secretary")
    if secretaries != 1:
        return f"新一届委员会应有且只有1名书记（现为{secretaries}名），请调整当选委员的分工。"
    if titles.count("deputy_secretary") > 2:
        return "副书记一般不超过2名。"
    return None
