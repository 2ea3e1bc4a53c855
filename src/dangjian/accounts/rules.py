"""Account rules as pure functions: user names by rule, activation-token expiry."""

from datetime import datetime, timedelta

USERNAME_RULES = ("staff_number", "phone", "id")

NO_STAFF_NUMBER = "未登记工号/学号"
NO_PHONE = "未登记手机号"
USERNAME_TAKEN = "用户名“{}”已被其他账号使用"


def username_for(
    rule: str, *, person_id: int, staff_number: str, phone: str
) -> tuple[str | None, str]:
    """(user name, "") under `rule`, or (None, reason refused).

    staff_number: the 工号/学号; phone: the mobile number; id: "p<person id>" for everyone."""
    if rule == "staff_number":
        value = staff_number.strip()
        return (value, "") if value else (None, NO_STAFF_NUMBER)
    if rule == "phone":
        value = phone.strip()
        return (value, "") if value else (None, NO_PHONE)
    if rule == "id":
        return f"p{person_id}", ""
    raise ValueError(f"unknown username rule {rule!r}")


def token_expired(expires_at: datetime, now: datetime) -> bool:
    """An activation link works until (not at) its expiry instant."""
    return now >= expires_at


def token_expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


# One batch is created and handed out in one request: a subtree too large for that (a whole
# province's registry) is opened organisation by organisation instead.
BATCH_MAX = 5000


def batch_size_error(count: int, maximum: int = BATCH_MAX) -> str | None:
    if count <= maximum:
        return None
    return f"所选范围内有{count}人尚未开通账号，一次最多开通{maximum}人，请选择下级党组织分批开通。"
