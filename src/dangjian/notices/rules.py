"""Rules of notices (通知公告) and the message centre (pure functions).

The source documents set no rule on how an organisation tells its members things; what is here
is the platform's (issue 14 item 3: "officers publish 通知公告 to a subtree and roles, with
attachments, read receipts and a list of who has not read"), each choice an institution may
change declared in settings.py (NOTICE_MAX_ATTACHMENTS). What the documents do say shapes it:
a Party organisation leads the organisations below it (《中国共产党章程》第十条), so a notice
sent by an organisation reaches its whole subtree, never a sibling or the level above.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

# Notice states and the steps between them.
DRAFT = "draft"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"

# Who in the subtree a notice addresses.
ALL = "all"  # everyone on the roll (在册人员), members and the masses
MEMBERS = "members"  # Party members proper (正式党员、预备党员)
OFFICERS = "officers"  # secretaries, deputies and committee members in a current position

# Attachments a notice may carry (NOTICE_MAX_ATTACHMENTS).
MAX_ATTACHMENTS = 5
# What the first e-mail digest of a user looks back on (days).
DIGEST_FIRST_DAYS = 7


def ancestor_paths(path: str, steplen: int) -> list[str]:
    """The materialised paths of the organisation at `path` and of every organisation above it:
    the organisations whose notices reach it (a notice reaches its sender's whole subtree)."""
    if not path or steplen <= 0:
        return []
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def reaches(notice_path: str, person_path: str) -> bool:
    """A notice sent to the organisation at `notice_path` reaches the organisation at
    `person_path` when that lies in its subtree (itself included)."""
    return bool(notice_path) and bool(person_path) and person_path.startswith(notice_path)


def is_addressed(
    *,
    audience: str,
    notice_path: str,
    person_path: str | None,
    on_roll: bool,
    is_member: bool,
    officer_paths: Iterable[str] = (),
) -> bool:
    """Whether a published notice addresses a person: everyone on the roll of the subtree
    (ALL), its Party members (MEMBERS), or whoever holds an officer position in an
    organisation of the subtree, wherever their own branch is (OFFICERS). People off the roll
    (transferred out, deceased) receive nothing."""
    if audience == OFFICERS:
        return any(reaches(notice_path, p) for p in officer_paths)
    if not on_roll or person_path is None or not reaches(notice_path, person_path):
        return False
    return audience == ALL or (audience == MEMBERS and is_member)


def transition_error(state: str, step: str) -> str | None:
    """Why `step` may not be taken from `state`: a draft is edited, published or deleted; a
    published notice is withdrawn; a withdrawn one is kept as it was (the record of what was
    said), None when the step is allowed."""
    allowed = {
        "edit": (DRAFT,),
        "delete": (DRAFT,),
        "attach": (DRAFT,),
        "publish": (DRAFT,),
        "withdraw": (PUBLISHED,),
    }
    if state in allowed.get(step, ()):
        return None
    messages = {
        "edit": "通知已发布，不能再修改；如需更正，请撤回后重新起草发布。",
        "delete": "已发布或已撤回的通知不能删除，作为发文记录保留。",
        "attach": "通知已发布，不能再增删附件。",
        "publish": "只有草稿可以发布。",
        "withdraw": "只有已发布的通知可以撤回。",
    }
    return messages.get(step, "不能办理该操作。")


def deadline_error(deadline: date | None, today: date) -> str | None:
    """A deadline, when given, may not lie in the past when the notice is published."""
    if deadline is not None and deadline < today:
        return "截止日期不能早于今天。"
    return None


def attachments_error(count: int, limit: int) -> str | None:
    """A notice carries at most `limit` attachments (NOTICE_MAX_ATTACHMENTS)."""
    if count >= limit:
        return f"每条通知最多上传{limit}个附件。"
    return None


def read_rate(read: int, audience: int) -> float | None:
    """Percentage of the audience that has read, one decimal; None for an empty audience.
    Reads by people who have since left the subtree can exceed the audience: capped at 100."""
    if audience <= 0:
        return None
    return round(min(read, audience) * 100 / audience, 1)


def is_unread_since(changed_at: datetime, seen_at: datetime | None) -> bool:
    """A reminder or a reply is unread until the person marks the message centre read after it
    was made or changed."""
    return seen_at is None or changed_at > seen_at


def digest_window_start(last_sent: datetime | None, now: datetime, first_days: int) -> datetime:
    """A digest tells what arrived since the previous digest; the first one looks back
    `first_days` days."""
    return last_sent if last_sent is not None else now - timedelta(days=first_days)
