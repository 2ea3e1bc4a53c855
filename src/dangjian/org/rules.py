"""Rules about organisations and people, as pure functions (no database, no Django)."""

import re
from collections.abc import Iterable
from datetime import date

from dangjian.core.rules import mask_id_number, mask_phone  # noqa: F401 (masking is core's)

# Titles whose holders act on the organisation's subtree (DOMAIN §1: "secretary or
# committee member"). A group leader (党小组长) leads a group but holds no officer scope.
OFFICER_TITLES = (
    "secretary",
    "deputy_secretary",
    "organisation",
    "propaganda",
    "discipline",
    "committee",
)

# Display order of positions in a committee.
POSITION_ORDER = (*OFFICER_TITLES, "group_leader")

# Statuses of Party members proper (正式党员 and 预备党员); the rest are the masses or
# people in the development pipeline.
MEMBER_STATUSES = ("probationary", "full")

# The development order of 《基层组织建设实施意见》§四(三)1: each status in the pipeline and its
# rank.
STATUS_ORDER = (
    "masses",
    "applicant",
    "activist",
    "candidate",
    "target",
    "probationary",
    "full",
)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
PHONE_PATTERN = re.compile(r"^1\d{10}$")

# Each grassroots organisation has an activity room of ≥ 20 m² (DOMAIN §10,
# 《基层组织建设实施意见》§四(五)).
MIN_ACTIVITY_ROOM_M2 = 20.0


def id_check_code(first17: str) -> str:
    """The check character of a GB 11643-1999 citizen ID number."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11]


def id_number_error(value: str) -> str | None:
    """Why `value` is not a valid 18-digit ID number, in Chinese; None when it is valid."""
    value = value.strip().upper()
    if not ID_PATTERN.match(value):
        return "身份证号应为18位，前17位为数字，最后一位为数字或X"
    if id_birth_date(value) is None:
        return "身份证号中的出生日期无效"
    if id_check_code(value[:17]) != value[17]:
        return "身份证号校验位不正确"
    return None


def id_birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_gender(value: str) -> str:
    """'M' or 'F' from the 17th digit (odd for men)."""
    return "M" if int(value[16]) % 2 else "F"


def phone_error(value: str) -> str | None:
    if value and not PHONE_PATTERN.match(value):
        return "手机号应为11位数字，以1开头"
    return None


def search_kind(q: str) -> str:
    """What a search box entry is: "id_number" (18 characters, digits and a final digit or X),
    "phone" (11 digits starting with 1) or "name" (anything else, matched in part). ID and
    phone numbers are stored encrypted, so they are only ever matched in full."""
    q = q.strip().upper()
    if ID_PATTERN.match(q):
        return "id_number"
    if PHONE_PATTERN.match(q):
        return "phone"
    return "name"


def replacement_value(submitted: str, stored: str | None, masked: str) -> str | None:
    """What a viewer who sees a number only masked means by the value they sent back: the mask
    of the stored number unchanged keeps the stored number (never overwrite it with the mask);
    anything else (blank included) is their new value."""
    if stored and submitted.strip() == masked:
        return stored
    return submitted


def age_on(birth: date, on: date) -> int:
    """Completed years on `on` (an 18th birthday counts on the day itself)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def add_years(start: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def probation_end(start: date) -> date:
    """Probation lasts one year from the branch meeting's date
    (《基层组织建设实施意见》§四(三)1(9))."""
    return add_years(start, 1)


def status_change_error(
    current: str, new: str, effective_on: date, last_change: date | None, today: date
) -> str | None:
    """Why a Party-status change may not be recorded, in Chinese; None when it may."""
    if new == current:
        return "新状态与当前状态相同"
    if effective_on > today:
        return "生效日期不能晚于今天"
    if last_change and effective_on < last_change:
        return f"生效日期不能早于上一次变更（{last_change:%Y-%m-%d}）"
    return None


def top_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another path of the list (a subtree is covered once)."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result


def activity_room_meets_standard(area_m2: float) -> bool:
    return area_m2 >= MIN_ACTIVITY_ROOM_M2


# Which organisation kind may sit under which (DOMAIN §2).
ALLOWED_CHILDREN = {
    None: ("committee",),
    "committee": ("general_branch", "branch"),
    "general_branch": ("branch",),
    "branch": ("group",),
    "group": (),
}


def child_kind_error(parent_kind: str | None, child_kind: str) -> str | None:
    if child_kind not in ALLOWED_CHILDREN.get(parent_kind, ()):
        labels = {
            "committee": "党委",
            "general_branch": "党总支",
            "branch": "党支部",
            "group": "党小组",
            None: "顶层",
        }
        return f"{labels[parent_kind]}下不能设立{labels.get(child_kind, child_kind)}"
    return None


# --- Administrative units (行政单位) -----------------------------------------------------

UNIT_KIND_LABELS = {
    "office": "处室",
    "college": "学院",
    "grade": "年段",
    "class": "班级",
    "union": "工会",
    "youth_league": "团委",
    "other": "其他",
}

# A class (班级) belongs to a college (学院) or a grade (年段); nothing sits below a class.
CLASS_PARENT_KINDS = ("college", "grade")


def unit_parent_error(parent_kind: str | None, child_kind: str) -> str | None:
    """Why a unit of `child_kind` may not sit under a parent of `parent_kind` (None: top
    level), in Chinese; None when it may."""
    if parent_kind == "class":
        return "班级下不能再设下级单位"
    if child_kind == "class" and parent_kind not in CLASS_PARENT_KINDS:
        return "班级的上级单位应为学院或年段"
    return None


# --- Leading groups (领导小组) -------------------------------------------------------------

LEADING_GROUP_ROLE_LABELS = {
    "leader": "组长",
    "deputy": "副组长",
    "member": "成员",
    "office_head": "办公室主任",
}

# Roles held concurrently with a place in the group: the office head is usually one of the
# members serving as well (办公室主任：陈亚兵（兼）, 《168模式实施意见》§三).
CONCURRENT_ROLES = ("office_head",)


def leading_group_member_errors(
    person_id: int, role: str, members: Iterable[tuple[int, str]]
) -> dict[str, str]:
    """Why `person_id` may not join a leading group in `role`, given its current
    (person id, role) pairs: a field → Chinese message map, empty when they may.

    A group has one leader (组长). A person holds one place in the group (组长, 副组长 or
    成员) and may in addition head its office concurrently; never the same role twice.
    """
    members = list(members)
    errors: dict[str, str] = {}
    held = [r for p, r in members if p == person_id]
    if role in held:
        errors["person"] = (
            f"该人员已是本领导小组的{LEADING_GROUP_ROLE_LABELS.get(role, role)}，不能重复添加"
        )
    elif role not in CONCURRENT_ROLES:
        place = next((r for r in held if r not in CONCURRENT_ROLES), None)
        if place:
            errors["person"] = (
                f"该人员已是本领导小组的{LEADING_GROUP_ROLE_LABELS.get(place, place)}，"
                "不能重复添加；如需调整职务，请先将其移出"
            )
    if role == "leader" and any(r == "leader" for p, r in members if p != person_id):
        errors["role"] = "本领导小组已有组长，一个领导小组只设一名组长；如需更换，请先移除原组长"
    return errors
