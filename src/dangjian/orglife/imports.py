"""Excel imports of organisational life (core.imports): meetings with their attendance, one
row per meeting, and study hours as a learning platform exports them. Every row is written by
the services that record a meeting or an hour on screen (orglife.services), so the same rights
and rules apply."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dangjian.core.imports import Column, RowError, Spec, register, text
from dangjian.org.imports import (
    Lookups,
    choice,
    find_org,
    find_person,
    org_sheet,
    parse_date,
    parse_time,
    required,
)
from dangjian.org.models import Organisation, Person
from dangjian.orglife import selectors, services
from dangjian.orglife.models import (
    AttendanceStatus,
    Meeting,
    MeetingKind,
    StudyCategory,
    StudyRecord,
)

YES_NO = ("是", "否")
HOURS_SOURCE = (
    "《基层组织建设实施意见》§四(二)1（教职工党员每年教育学时不少于24学时，学生党员不少于16学时）"
)


def _yes(values: dict, field_name: str, problems: list[tuple[str, str]]) -> bool:
    value = text(values.get(field_name))
    if value in ("", "否", "0", "False"):
        return False
    if value in ("是", "1", "True"):
        return True
    problems.append((field_name, "应填“是”或“否”"))
    return False


def _hours(
    values: dict, field_name: str, problems: list[tuple[str, str]], *, blank_ok: bool = False
) -> Decimal | None:
    raw = text(values.get(field_name)).removesuffix("学时").strip()
    if not raw:
        return Decimal(0) if blank_ok else None
    try:
        hours = Decimal(raw).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        problems.append((field_name, f"“{raw}”不是数字"))
        return None
    if hours < 0 or (hours == 0 and not blank_ok):
        problems.append((field_name, "学时应大于0"))
        return None
    if hours >= 1000:
        problems.append((field_name, "学时不能超过999.9"))
        return None
    return hours


# --- study hours -------------------------------------------------------------------------------

CATEGORY_LABELS = tuple(label for _v, label in StudyCategory.choices)

HOURS_COLUMNS = (
    Column("姓名", "name", True, "必填，须与系统中一致。", 10, aliases=("学员姓名", "学员")),
    Column(
        "工号/学号",
        "staff_number",
        False,
        "填写工号/学号或身份证号之一（优先按工号/学号查找），须是您管理范围内的人员。",
        14,
        text=True,
        aliases=("工号", "学号", "用户名", "账号", "登录账号"),
    ),
    Column(
        "身份证号",
        "id_number",
        False,
        "未填工号/学号时必填；系统按身份证号的加密摘要查找，不保存明文。",
        21,
        text=True,
        aliases=("证件号码", "身份证", "身份证号码"),
    ),
    Column(
        "课程名称",
        "title",
        True,
        "必填，不超过120字。",
        30,
        aliases=("课程", "课程名", "学习内容", "课程标题"),
    ),
    Column(
        "学时",
        "hours",
        True,
        "必填，大于0，保留一位小数（四舍五入）。",
        8,
        aliases=("获得学时", "学时数", "完成学时"),
    ),
    Column(
        "完成日期",
        "studied_on",
        True,
        "必填，不能晚于今天；学习平台导出的“完成时间”（带时分）也可直接使用。",
        12,
        aliases=("学习日期", "完成时间", "日期", "结业日期"),
    ),
    Column(
        "内容分类",
        "category",
        False,
        "选填，" + "、".join(CATEGORY_LABELS) + "之一；不填为“理论学习”。",
        10,
        choices=CATEGORY_LABELS,
    ),
    Column(
        "廉政教育", "integrity", False, "选填，“是”或“否”，计入廉政教育学时。", 8, choices=YES_NO
    ),
)


def _write_hours(actor, values: dict, ctx: Lookups) -> None:
    problems: list[tuple[str, str]] = []
    required(HOURS_COLUMNS, values, problems)
    person = find_person(ctx, values, problems)
    title = text(values.get("title"))
    if len(title) > 120:
        problems.append(("title", "不能超过120个字"))
    hours = _hours(values, "hours", problems)
    studied_on = parse_date(values, "studied_on", problems, today=ctx.today)
    category = choice(values, "category", list(StudyCategory.choices), problems)
    integrity = _yes(values, "integrity", problems)
    if problems:
        raise RowError(problems)
    assert person and hours and studied_on
    if StudyRecord.objects.filter(person=person, studied_on=studied_on, title=title).exists():
        raise RowError([("title", f"{person.name}在{studied_on:%Y-%m-%d}的这门课程已登记过学时")])
    services.study_record_create(
        actor=actor,
        person=person,
        studied_on=studied_on,
        title=title,
        category=category or StudyCategory.THEORY,
        hours=hours,
        integrity=integrity,
    )


def _hours_in_file(rows: list[tuple[int, dict]]) -> list[tuple[int, str, str]]:
    """The same person, course and date twice in the file."""
    seen: dict[tuple, int] = {}
    out = []
    for number, values in rows:
        who = text(values.get("staff_number")) or text(values.get("id_number")).upper()
        key = (who, text(values.get("title")), text(values.get("studied_on"))[:10])
        if not who or not key[1]:
            continue
        if key in seen:
            out.append((number, "title", f"与第{seen[key]}行重复（同一人、同一课程、同一日期）"))
        else:
            seen[key] = number
    return out


register(
    Spec(
        kind="study-hours",
        label="学习学时",
        noun="条学时记录",
        columns=HOURS_COLUMNS,
        example=(
            "张三",
            "100234",
            "",
            "学习贯彻党的二十大精神专题网络课程",
            "2",
            "2024-05-01",
            "理论学习",
            "否",
        ),
        write_row=_write_hours,
        open_context=Lookups,
        check_file=_hours_in_file,
        source=HOURS_SOURCE,
        notes=(
            "5. 可直接上传网络学院等学习平台导出的表格：表头“工号”“学号”“用户名”“证件号码”"
            "“课程名称”“获得学时”“完成时间”等会自动识别，多余的列忽略。",
            "6. 同一人同一天的同一课程只登记一次；已登记过的行会列为错误。",
        ),
    )
)


# --- meetings with attendance --------------------------------------------------------------------

KIND_LABELS = tuple(label for _v, label in MeetingKind.choices)
SEPARATORS = re.compile(r"[、,，;；\s]+")
EVERYONE = "全体"


@dataclass
class MeetingLookups(Lookups):
    """Lookups plus, per organisation, its members by 工号/学号 and by name."""

    _rosters: dict[int, tuple[dict[str, int], dict[str, list[int]]]] = field(default_factory=dict)

    def roster(self, org: Organisation) -> tuple[dict[str, int], dict[str, list[int]]]:
        if org.pk not in self._rosters:
            by_number: dict[str, int] = {}
            by_name: dict[str, list[int]] = {}
            for people in (selectors.members_of(org), selectors.committee_of(org)):
                for pk, name, number in people.values_list("pk", "name", "staff_number"):
                    if number:
                        by_number[number] = pk
                    if pk not in by_name.setdefault(name, []):
                        by_name[name].append(pk)
            self._rosters[org.pk] = (by_number, by_name)
        return self._rosters[org.pk]


def _people(
    ctx: MeetingLookups,
    org: Organisation,
    values: dict,
    field_name: str,
    problems: list[tuple[str, str]],
) -> list[int]:
    """The people a cell names (工号/学号 or a name unique in the organisation)."""
    by_number, by_name = ctx.roster(org)
    found = []
    for token in SEPARATORS.split(text(values.get(field_name))):
        if not token:
            continue
        if token in by_number:
            found.append(by_number[token])
        elif len(by_name.get(token, [])) == 1:
            found.append(by_name[token][0])
        elif token in by_name:
            problems.append((field_name, f"本组织有多名“{token}”，请改填工号/学号"))
        else:
            problems.append((field_name, f"“{token}”不是本组织的党员（按工号/学号或姓名查找）"))
    return found


def _one_person(ctx, org, values, field_name, problems) -> int | None:
    ids = _people(ctx, org, values, field_name, problems)
    if len(ids) > 1:
        problems.append((field_name, "只能填写一人"))
        return None
    return ids[0] if ids else None


MEETING_COLUMNS = (
    Column(
        "组织编码",
        "organisation",
        True,
        "必填，召开会议的党组织编码，见“组织编码”表。",
        12,
        text=True,
    ),
    Column(
        "会议类型",
        "kind",
        True,
        "必填，" + "、".join(KIND_LABELS) + "之一。",
        14,
        choices=KIND_LABELS,
    ),
    Column("主题", "topic", True, "必填，不超过120字。", 26),
    Column("日期", "held_on", True, "必填，已召开的会议，不能晚于今天。", 12),
    Column("开始时间", "starts_at", True, "必填，如14:30。", 9),
    Column("结束时间", "ends_at", True, "必填，晚于开始时间。", 9),
    Column("地点", "place", True, "必填，不超过100字。", 14),
    Column("主持人", "host", False, "选填，本组织党员的工号/学号或姓名。", 10),
    Column("记录人", "recorder", False, "选填，本组织党员的工号/学号或姓名。", 10),
    Column(
        "出席人员",
        "present",
        False,
        "工号/学号或姓名，用顿号、逗号或空格分隔；不填或填“全体”表示应到人员全部出席。",
        30,
    ),
    Column("请假人员", "excused", False, "同上；请假、缺席的人员须另行登记补课。", 16),
    Column("缺席人员", "absent", False, "同上。", 16),
    Column(
        "计入学时", "study_hours", False, "选填，党课、集中学习计入出席党员的学时；不填为0。", 9
    ),
    Column("廉政教育", "integrity", False, "选填，“是”或“否”。", 8, choices=YES_NO),
    Column("会议记录", "minutes", False, "选填，会议内容摘要。", 30),
)


def _write_meeting(actor, values: dict, ctx: MeetingLookups) -> None:
    problems: list[tuple[str, str]] = []
    required(MEETING_COLUMNS, values, problems)
    org = find_org(ctx, values, "organisation", problems)
    kind = choice(values, "kind", list(MeetingKind.choices), problems)
    topic = text(values.get("topic"))
    if len(topic) > 120:
        problems.append(("topic", "不能超过120个字"))
    held_on = parse_date(values, "held_on", problems, today=ctx.today)
    starts_at = parse_time(values, "starts_at", problems)
    ends_at = parse_time(values, "ends_at", problems)
    place = text(values.get("place"))
    if len(place) > 100:
        problems.append(("place", "不能超过100个字"))
    study_hours = _hours(values, "study_hours", problems, blank_ok=True)
    integrity = _yes(values, "integrity", problems)
    attendance = None
    host = recorder = None
    if org is not None:
        host = _one_person(ctx, org, values, "host", problems)
        recorder = _one_person(ctx, org, values, "recorder", problems)
        listed = {
            status: _people(ctx, org, values, column, problems)
            for column, status in (
                ("present", AttendanceStatus.PRESENT),
                ("excused", AttendanceStatus.EXCUSED),
                ("absent", AttendanceStatus.ABSENT),
            )
            if text(values.get(column)) != EVERYONE
        }
        if any(listed.values()):
            attendance = [
                {"person_id": pk, "status": status} for status, ids in listed.items() for pk in ids
            ]
    if problems:
        raise RowError(problems)
    assert org and kind and held_on and starts_at and ends_at
    if Meeting.objects.filter(
        organisation=org, kind=kind, held_on=held_on, starts_at=starts_at, topic=topic
    ).exists():
        raise RowError([("topic", "该会议已登记过（同一组织、类型、日期、开始时间和主题）")])
    people = Person.objects.in_bulk([pk for pk in (host, recorder) if pk])
    services.meeting_create(
        actor=actor,
        organisation=org,
        attendance=attendance,
        kind=kind,
        topic=topic,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        host=people.get(host) if host else None,
        recorder=people.get(recorder) if recorder else None,
        minutes=text(values.get("minutes")),
        study_hours=study_hours,
        integrity=integrity,
    )


def _meetings_in_file(rows: list[tuple[int, dict]]) -> list[tuple[int, str, str]]:
    """The same meeting (organisation, type, date, start, topic) twice in the file."""
    seen: dict[tuple, int] = {}
    out = []
    for number, values in rows:
        key = tuple(
            text(values.get(f)) for f in ("organisation", "kind", "held_on", "starts_at", "topic")
        )
        if not all(key):
            continue
        if key in seen:
            out.append((number, "topic", f"与第{seen[key]}行是同一次会议"))
        else:
            seen[key] = number
    return out


register(
    Spec(
        kind="meetings",
        label="组织生活（含出席情况）",
        noun="次会议",
        columns=MEETING_COLUMNS,
        example=(
            "BA",
            "党员大会",
            "学习贯彻全会精神",
            "2024-05-10",
            "14:30",
            "16:00",
            "党员活动室",
            "",
            "",
            "全体",
            "",
            "",
            "2",
            "否",
            "传达学习全会精神，交流学习体会。",
        ),
        write_row=_write_meeting,
        open_context=MeetingLookups,
        check_file=_meetings_in_file,
        template_sheets=org_sheet,
        source="《基层组织建设实施意见》§四(二)3（“三会一课”等组织生活制度）",
        errors_by_field={"attendance": "present"},
        notes=(
            "5. 每行登记一次已召开的会议及其出席情况。出席、请假、缺席人员填写工号/学号或姓名"
            "（同名时须填工号/学号），多人用顿号分隔；只填了部分名单时，未列出的应到人员不登记"
            "出席情况。",
            "6. 支部委员会的应到人员为支部委员，其他人员出席登记为列席。",
            "7. 计入学时的会议，出席（及补课）党员自动计入学习学时。",
        ),
    )
)
