"""Rules of the public board (六公开) and the suggestion box (意见箱), as pure functions.

《168模式实施意见》§五(二) and 《设岗定责通知》§2: the posts of Party members are published on a
board with six disclosures (姓名、职责、目标任务、工作进展情况、考核评议、奖惩结果), desk nameplates
are set out, and a suggestion box is set up “接受群众监督”. The box takes anonymous suggestions
without a login, so it needs abuse limits (length, per-address rate, a honeypot) and a tracking
code.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

# --- Submission limits ---------------------------------------------------------------------

CONTENT_MAX = 2000
NAME_MAX = 30
CONTACT_MAX = 60
DEFAULT_RATE_LIMIT = 5
DEFAULT_RATE_WINDOW_SECONDS = 3600

HONEYPOT_REFUSED = "提交未成功，请刷新页面后重新填写。"


def content_error(content: str) -> str | None:
    """Why a suggestion's text is refused, in Chinese; None when it is acceptable."""
    text = content.strip()
    if not text:
        return "请填写意见建议内容。"
    if len(text) > CONTENT_MAX:
        return f"意见建议内容不能超过{CONTENT_MAX}字（现为{len(text)}字），请精简后再提交。"
    return None


def honeypot_error(value: str) -> str | None:
    """The hidden field stays empty for people; programs that fill every field are refused."""
    return HONEYPOT_REFUSED if value else None


def window_text(seconds: int) -> str:
    """A rate window in words: 3600 → “1小时”, 600 → “10分钟”, 45 → “45秒”."""
    if seconds % 3600 == 0:
        return f"{seconds // 3600}小时"
    if seconds % 60 == 0:
        return f"{seconds // 60}分钟"
    return f"{seconds}秒"


def rate_window_start(now: datetime, window_seconds: int) -> datetime:
    return now - timedelta(seconds=window_seconds)


def rate_limit_error(previous: int, *, limit: int, window_seconds: int) -> str | None:
    """`previous` suggestions from the same address inside the window: the `limit`-th is
    accepted, the next one refused."""
    if previous >= limit:
        return (
            f"同一网络地址每{window_text(window_seconds)}最多提交{limit}条意见建议，"
            "请稍后再试；如有急事请直接联系党组织。"
        )
    return None


def client_hash(key: str, address: str) -> str:
    """A keyed hash of the sender's address: enough to count, useless to identify."""
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()


def display_name(name: str) -> str:
    """Who raised it: the name given, or 匿名."""
    return name.strip() or "匿名"


# --- Tracking codes (查询码) ---------------------------------------------------------------

# Unambiguous on paper and on a phone: no 0/O, 1/I/L, no lower case.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10


def normalise_code(raw: str) -> str:
    """What a person typed, as stored: upper case, spaces and dashes removed."""
    return "".join(ch for ch in raw.upper() if ch not in " -\t")


def tracking_code_valid(code: str) -> bool:
    return len(code) == TRACKING_LENGTH and all(ch in TRACKING_ALPHABET for ch in code)


def format_code(code: str) -> str:
    """For reading aloud and copying by hand: ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}" if len(code) == TRACKING_LENGTH else code


# --- Handling a suggestion: the state table -----------------------------------------------

RECEIVED = "received"
ASSIGNED = "assigned"
ANSWERED = "answered"
CLOSED = "closed"

STATUS_LABELS = {
    RECEIVED: "已收到",
    ASSIGNED: "办理中",
    ANSWERED: "已答复",
    CLOSED: "已办结",
}


@dataclass(frozen=True)
class Move:
    """An officer's action: the statuses it may start from and the status it leaves
    (None: the status stays as it is)."""

    label: str
    sources: tuple[str, ...]
    target: str | None


MOVES: dict[str, Move] = {
    "classify": Move("分类", (RECEIVED, ASSIGNED, ANSWERED), None),
    "assign": Move("交办", (RECEIVED, ASSIGNED), ASSIGNED),
    "reply": Move("答复", (RECEIVED, ASSIGNED, ANSWERED), ANSWERED),
    "close": Move("办结", (ANSWERED,), CLOSED),
    "to_opinion": Move("转入征求意见", (RECEIVED, ASSIGNED, ANSWERED, CLOSED), None),
}

# Why a move is refused, by (action, status); the general rule below covers the rest.
REFUSALS: dict[tuple[str, str], str] = {
    ("close", RECEIVED): "尚未答复，不能办结：请先答复提交人，再办结。",
    ("close", ASSIGNED): "尚未答复，不能办结：请先答复提交人，再办结。",
    ("assign", ANSWERED): "已答复的意见建议不能再交办；如需补充，请修改答复。",
}


def move_error(action: str, status: str) -> str | None:
    """Why `action` cannot be taken on a suggestion in `status`, in Chinese; None if allowed."""
    move = MOVES.get(action)
    if move is None:
        return "未知的办理操作。"
    if status in move.sources:
        return None
    if (action, status) in REFUSALS:
        return REFUSALS[(action, status)]
    if status == CLOSED:
        return f"该意见建议已办结，不能再{move.label}。"
    return f"“{STATUS_LABELS.get(status, status)}”的意见建议不能{move.label}。"


def move_target(action: str, status: str) -> str:
    """The status after an allowed move."""
    target = MOVES[action].target
    return target if target is not None else status


def allowed_moves(status: str) -> list[str]:
    return [action for action, move in MOVES.items() if status in move.sources]


# --- Feeding step 1 of the six-step method (《168模式实施意见》§四(一)1: 征求意见 … 意见箱)

# Suggestion categories are the opinion categories, except that conduct of members (党员作风)
# is a matter of Party building.
OPINION_CATEGORY = {"conduct": "party"}
OPINIONS_STEP = 1


def opinion_category(suggestion_category: str) -> str:
    return OPINION_CATEGORY.get(suggestion_category, suggestion_category)


def work_item_step_error(step: int) -> str | None:
    """An opinion joins a work item only while it is still collecting opinions (step 1)."""
    if step != OPINIONS_STEP:
        return "该工作事项已过“征求意见”步骤，不能再转入意见；请选择仍在征求意见的工作事项。"
    return None


def org_covers(ancestor_path: str, path: str) -> bool:
    """The work item's organisation is the suggestion's organisation or one above it."""
    return path.startswith(ancestor_path)


# --- The public board ----------------------------------------------------------------------

# Post states shown on the board: 明岗 and after
# (《设岗定责通知》§2: 设岗、认岗、定岗、明岗、履岗、评岗).
PUBLIC_POST_STATES = ("published", "performing", "evaluated")
BOARD_ORG_KINDS = ("general_branch", "branch")
NAMEPLATE_LAYOUTS = (1, 2, 4)


def board_years(years: list[int], current: int, requested: int | None) -> tuple[int, list[int]]:
    """The year to show and the years to offer: the years with published posts plus the
    current year, newest first; an unknown or silly year falls back to the current year."""
    offered = sorted({*years, current}, reverse=True)
    if requested is None or not 2000 <= requested <= current + 1:
        return current, offered
    if requested not in offered:
        offered = sorted({*offered, requested}, reverse=True)
    return requested, offered


def nameplate_layout(raw: str | None) -> int:
    """Cards per A4 page: 1 (one large card), 2 or 4; anything else → 2."""
    try:
        value = int(raw or "")
    except ValueError:
        return 2
    return value if value in NAMEPLATE_LAYOUTS else 2


def short_duties(duties: str, limit: int = 60) -> str:
    """Main duties on a nameplate: the first line, cut to `limit` characters."""
    first = next((line.strip() for line in duties.splitlines() if line.strip()), "")
    return first if len(first) <= limit else first[: limit - 1] + "…"
