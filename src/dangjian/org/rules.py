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


# --- The complete member record: standing on the roll (党籍) -----------------------------------

ON_ROLL = "on_roll"
SUSPENDED = "suspended"
# The causes that take a person off the roll (Person.standing's other values, in the order the
# annual statistics list them).
LEAVING_CAUSES = ("suspended", "removed", "expelled", "withdrawn", "deceased", "transferred_out")
STANDING_LABELS = {
    "on_roll": "在册",
    "suspended": "停止党籍",
    "removed": "除名",
    "expelled": "开除党籍",
    "withdrawn": "退党",
    "deceased": "死亡",
    "transferred_out": "转出",
}
# Causes that concern a Party member's membership itself: only full and probationary members
# have one to suspend, end or transfer (a death is recorded for anyone).
MEMBERS_ONLY_CAUSES = ("suspended", "removed", "expelled", "withdrawn", "transferred_out")
# After a suspension the membership may still end (除名, 开除党籍, 退党) or the person die; a
# transfer out needs the person on the roll.
AFTER_SUSPENSION = ("removed", "expelled", "withdrawn", "deceased")


def leave_error(
    *,
    party_status: str,
    standing: str,
    cause: str,
    on: date,
    today: date,
    joined_on: date | None,
) -> str | None:
    """Why a person may not leave the roll for `cause` on `on`, in Chinese; None when they may.

    - 除名 and 退党 follow 《中国共产党章程》第九条 (a member who asks to leave, or who without
      good reason has not taken part in organisational life, paid dues or done assigned work
      for six consecutive months, is removed by the branch meeting): they concern members.
    - 停止党籍, 开除党籍 and 转出 likewise apply to full and probationary members only, and a
      suspended member may afterwards be removed, expelled, withdraw or die, nothing else
      (our rule, following the same logic).
    """
    label = STANDING_LABELS.get(cause, cause)
    if cause not in LEAVING_CAUSES:
        return "离开党员队伍的原因应为：" + "、".join(STANDING_LABELS[c] for c in LEAVING_CAUSES)
    if on > today:
        return "日期不能晚于今天"
    if standing == SUSPENDED:
        if cause not in AFTER_SUSPENSION:
            return (
                f"已停止党籍，不能再办理{label}"
                "（本系统规则：停止党籍后只能除名、开除党籍、退党或登记死亡）"
            )
    elif standing != ON_ROLL:
        return f"已{STANDING_LABELS.get(standing, standing)}，不在册，不能再办理{label}"
    if cause in MEMBERS_ONLY_CAUSES and party_status not in MEMBER_STATUSES:
        if cause in ("removed", "withdrawn"):
            return f"{label}只适用于正式党员和预备党员（《中国共产党章程》第九条）"
        return f"{label}只适用于正式党员和预备党员（本系统规则）"
    if joined_on and cause in MEMBERS_ONLY_CAUSES and on < joined_on:
        return f"日期不能早于入党日期（{joined_on:%Y-%m-%d}）"
    return None


def restore_error(*, standing: str, on: date, left_on: date | None, today: date) -> str | None:
    """Why a person's membership may not be restored (恢复党籍); None when it may. Only a
    suspension is undone this way (our rule): a member removed, expelled or withdrawn joins
    again through admission, a transfer out ends with the receiving organisation."""
    if standing != SUSPENDED:
        return "只有停止党籍的党员可以恢复党籍（本系统规则）"
    if on > today:
        return "日期不能晚于今天"
    if left_on and on < left_on:
        return f"恢复日期不能早于停止党籍日期（{left_on:%Y-%m-%d}）"
    return None


def register_error(is_active: bool, standing: str) -> str | None:
    """Who left the roll through a standing change comes back only by 恢复党籍 (a suspension)
    or not at all: ticking 在册 on the record is refused (our rule: the history must say why)."""
    if is_active and standing != ON_ROLL:
        label = STANDING_LABELS.get(standing, standing)
        return f"该人员已{label}，不能直接改为在册；停止党籍的请办理“恢复党籍”"
    return None


def relation_error(held_here: bool, held_at: str) -> str | None:
    """An organisational relationship held elsewhere names where (our rule: the record must
    say where the member's relationship is, for transfers and dues)."""
    if not held_here and not held_at.strip():
        return "组织关系在外单位时，请填写组织关系所在单位"
    return None


def mask_native_place(value: str) -> str:
    """籍贯 for those who need no personal detail: the province only (its first 2–3 characters
    up to 省/市/区, else the first two)."""
    value = value.strip()
    if not value:
        return ""
    for marker in ("自治区", "省", "市"):
        index = value.find(marker)
        if 0 < index <= 6:
            cut = index + len(marker)
            return value[:cut] + ("***" if len(value) > cut else "")
    return value[:2] + ("***" if len(value) > 2 else "")


# --- Annual statistics (党内统计): age bands -------------------------------------------------

# The age columns of the annual 党内统计 table of members as issue 15 gives them (the official
# form is not public, so not checked against it): 25 and under, then five-year bands to 60,
# 61–70 and 71 and over. 中共中央组织部's annual 中国共产党党内统计公报 publishes coarser groups
# that these add up to (30岁及以下, five-year groups to 60, 61岁及以上).
AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("le25", None, 25),
    ("26_30", 26, 30),
    ("31_35", 31, 35),
    ("36_40", 36, 40),
    ("41_45", 41, 45),
    ("46_50", 46, 50),
    ("51_55", 51, 55),
    ("56_60", 56, 60),
    ("61_70", 61, 70),
    ("ge71", 71, None),
)
AGE_BAND_LABELS = {
    "le25": "25岁及以下",
    "26_30": "26至30岁",
    "31_35": "31至35岁",
    "36_40": "36至40岁",
    "41_45": "41至45岁",
    "46_50": "46至50岁",
    "51_55": "51至55岁",
    "56_60": "56至60岁",
    "61_70": "61至70岁",
    "ge71": "71岁及以上",
}


def age_band(age: int) -> str:
    """The band of a completed age."""
    for key, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    raise ValueError(age)  # pragma: no cover - the bands cover every age


def birth_range(band: str, on: date) -> tuple[date | None, date | None]:
    """The birth dates of people whose age on `on` lies in `band`, as (after, up_to): born
    strictly after `after` and on or before `up_to` (None: unbounded). A range on the birth
    date, so the filter uses an index rather than computing everyone's age."""
    for key, low, high in AGE_BANDS:
        if key == band:
            up_to = add_years(on, -low) if low is not None else None
            after = add_years(on, -(high + 1)) if high is not None else None
            return after, up_to
    raise ValueError(f"unknown age band {band!r}")
