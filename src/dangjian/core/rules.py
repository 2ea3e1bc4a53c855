"""Pure rules of the platform core: no database, no Django imports."""

import re
from datetime import date, datetime, timedelta
from typing import Any

# --- authentication throttle (core.authguard) ---------------------------------------------
# Three counters of failed sign-ins, each in its own window:
#   (user name, address)  a few failures lock that pair: the owner at another address is not hurt;
#   user name             many failures from many addresses lock the name for a short time that
#                         doubles with each lock, and an address where the user signed in before
#                         is exempt, so a stranger cannot keep the owner out;
#   address               many failures across any names block the address.


def locks_now(failures: int, limit: int) -> bool:
    """A counter locks when the failure just counted brings it to `limit`."""
    return limit > 0 and failures >= limit


def name_lock_minutes(previous_locks: int, *, base: int, cap: int) -> int:
    """How long a user name stays locked: `base` minutes, doubled for each earlier lock of the
    same name within a day, never more than `cap`."""
    doublings: int = max(0, min(previous_locks, 16))
    return min(cap, base * (1 << doublings))


def sign_in_refusal(
    *, address_blocked: bool, pair_locked: bool, name_locked: bool, known_address: bool
) -> str | None:
    """Why a sign-in attempt is refused before the password is even checked, or None.

    "address": the address tried too many names; "pair": this name failed too often from this
    address; "name": the name failed too often from anywhere, unless this address is one where
    the user has signed in before."""
    if address_blocked:
        return "address"
    if pair_locked:
        return "pair"
    if name_locked and not known_address:
        return "name"
    return None


def session_expiry(
    now: float, *, started: float, last_seen: float, idle_seconds: int, absolute_seconds: int
) -> str | None:
    """Whether a signed-in session is over: "absolute" once `absolute_seconds` have passed since
    sign-in, "idle" once more than `idle_seconds` passed since the last request, else None.
    A limit of 0 is off."""
    if absolute_seconds and now - started > absolute_seconds:
        return "absolute"
    if idle_seconds and now - last_seen > idle_seconds:
        return "idle"
    return None


def otp_required(
    *, is_superuser: bool, is_staff: bool, is_org_officer: bool, is_officer: bool, officers: bool
) -> bool:
    """Who must use a second factor: administrators, staff and the organisation department
    always; every other officer when OTP_REQUIRED_FOR_OFFICERS is on."""
    return is_superuser or is_staff or is_org_officer or (officers and is_officer)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [before, after]}; blank equals missing."""

    def norm(value: Any) -> Any:
        return None if value == "" else value

    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: [norm(before.get(k)), norm(after.get(k))]
        for k in keys
        if norm(before.get(k)) != norm(after.get(k))
    }


# Evidence files (佐证/证明材料) of any record: documents, pictures or an archive, at most 10 MB.
EVIDENCE_EXTENSIONS = (
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".zip",
)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_error(
    filename: str, size: int, *, label: str = "佐证材料", max_bytes: int = EVIDENCE_MAX_BYTES
) -> str | None:
    if not filename.lower().endswith(EVIDENCE_EXTENSIONS):
        return f"{label}须为PDF、图片、Word、Excel、PPT或ZIP文件。"
    if size > max_bytes:
        return f"{label}不能超过{max_bytes // (1024 * 1024)}MB。"
    return None


# --- dates as office files hold them (every import reads dates this way) -------------------------

DATE_FORMATS_TEXT = "1990-01-31、1990/1/31、1990.1.31、1990年1月31日或Excel日期单元格"
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Excel's 1900 date system counts 1900-01-01 as day 1 and (wrongly) has a 29 February 1900,
# so from day 61 on a serial number is the number of days since 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FIRST = 61  # 1900-03-01
_EXCEL_LAST = 2958465  # 9999-12-31


def office_date(value: object) -> tuple[date | None, str | None]:
    """A date cell of an uploaded sheet: a real date, an Excel serial number (a date cell saved
    as a plain number), or text as 1990-01-31, 1990/1/31, 1990.1.31 or 1990年1月31日 (leading
    zeros optional). Returns (date, None) or (None, a Chinese message naming the formats)."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = int(value) if value == value and value == int(value) else value
        if 1900 <= value <= 2100 and value == int(value):  # a year typed alone, not day 1900
            return None, f"“{shown}”只有年份，应填写{DATE_FORMATS_TEXT}"
        if value != value or not _EXCEL_FIRST <= value <= _EXCEL_LAST:  # NaN or out of range
            return None, f"“{shown}”不是有效的日期，应填写{DATE_FORMATS_TEXT}"
        return _EXCEL_EPOCH + timedelta(days=int(value)), None
    text = str(value or "").strip()
    match = _DATE_TEXT.match(text)
    if not match:
        return None, f"日期格式不正确，应填写{DATE_FORMATS_TEXT}"
    try:
        return date(*(int(part) for part in match.groups())), None
    except ValueError:
        return None, f"“{text}”不是有效的日期（没有这一天）"


def recorded_on_error(
    on: date, today: date, *, label: str, earliest: date | None = None, earliest_label: str = ""
) -> str | None:
    """A step recorded after the fact from a paper record carries the paper's date: never in
    the future, never before the step it answers (`earliest`, named by `earliest_label`)."""
    if on > today:
        return f"{label}不能晚于今天。"
    if earliest is not None and on < earliest:
        day = f"{earliest.year}年{earliest.month}月{earliest.day}日"
        return f"{label}不能早于{earliest_label}（{day}）。"
    return None
