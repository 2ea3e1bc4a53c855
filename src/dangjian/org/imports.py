"""Excel import of positions (任职), and the look-ups every import of records shares: a person
named by 工号/学号 or ID number, an organisation by its code, a date or a time cell — always
within the importer's scope (core.imports holds the plumbing)."""

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from dangjian.core import rules as core_rules
from dangjian.core.crypto import keyed_hash
from dangjian.core.imports import Column, RowError, Spec, register, text
from dangjian.org import services
from dangjian.org.models import Organisation, Person, PositionTitle

PERSON_RULE = (
    "填写工号/学号或身份证号之一（优先按工号/学号查找，其次按身份证号），须是您管理范围内的人员；"
    "姓名须与系统中一致。"
)
ORG_UNKNOWN = "组织编码不存在或不在您的管理范围内"


# --- shared look-ups ---------------------------------------------------------------------------


@dataclass
class Lookups:
    """What the rows of one pass look up, cached: the importer's people and organisations."""

    user: Any
    today: date = field(default_factory=timezone.localdate)
    _people: dict[tuple[str, str], Person | None] = field(default_factory=dict)
    _orgs: dict[str, Organisation | None] = field(default_factory=dict)

    def org(self, code: str) -> Organisation | None:
        """The organisation with this code in the importer's scope, or None."""
        if code not in self._orgs:
            self._orgs[code] = Organisation.objects.editable_by(self.user).filter(code=code).first()
        return self._orgs[code]

    def person(self, how: str, key: str) -> Person | None:
        cache_key = (how, key)
        if cache_key not in self._people:
            people = Person.objects.editable_by(self.user).select_related("primary_org")
            if how == "staff_number":
                found = people.filter(staff_number=key).first()
            else:
                found = people.filter(id_number_hash=keyed_hash(key.upper())).first()
            self._people[cache_key] = found
        return self._people[cache_key]


def find_person(
    ctx: Lookups,
    values: dict,
    problems: list[tuple[str, str]],
    *,
    name_field: str = "name",
    staff_field: str = "staff_number",
    id_field: str = "id_number",
) -> Person | None:
    """The person a row names (by 工号/学号, else ID number) in the importer's scope, the name
    checked; a problem is added (and None returned) when there is none."""
    name = text(values.get(name_field))
    staff_number = text(values.get(staff_field))
    id_number = text(values.get(id_field)).upper()
    if not staff_number and not id_number:
        problems.append((staff_field, "工号/学号和身份证号至少填写一项"))
        return None
    if staff_number:
        person = ctx.person("staff_number", staff_number)
        where, column = f"工号/学号为“{staff_number}”", staff_field
    else:
        person = ctx.person("id_number", id_number)
        where, column = "该身份证号", id_field
    if person is None:
        problems.append((column, f"您的管理范围内没有{where}的人员"))
        return None
    if name and name != person.name:
        problems.append((name_field, f"姓名与系统中{where}的人员（{person.name}）不一致"))
        return None
    return person


def find_org(
    ctx: Lookups, values: dict, field_name: str, problems: list[tuple[str, str]]
) -> Organisation | None:
    code = text(values.get(field_name))
    if not code:
        return None  # required columns are checked by `required`
    org = ctx.org(code)
    if org is None:
        problems.append((field_name, f"{ORG_UNKNOWN}（{code}）"))
    elif org.is_dissolved:
        problems.append((field_name, f"{org.name}已撤销"))
        return None
    return org


def parse_date(
    values: dict, field_name: str, problems: list[tuple[str, str]], *, today: date | None = None
) -> date | None:
    """A date cell, None when blank; a problem for a bad or (with `today`) future date."""
    raw = values.get(field_name)
    if raw is None or text(raw) == "":
        return None
    if isinstance(raw, str) and re.match(r"^\S+[ T]\d{1,2}:\d{2}", raw):
        raw = re.split(r"[ T]", raw, maxsplit=1)[0]  # 完成时间 2024-05-01 14:22: the date
    parsed, message = core_rules.office_date(raw)
    if message:
        problems.append((field_name, message))
        return None
    if today is not None and parsed is not None and parsed > today:
        problems.append((field_name, "不能晚于今天"))
        return None
    return parsed


def parse_time(values: dict, field_name: str, problems: list[tuple[str, str]]) -> time | None:
    """A time cell: a real time, an Excel fraction of a day, or text as 14:30."""
    raw = values.get(field_name)
    if raw is None or text(raw) == "":
        return None
    if isinstance(raw, int | float) and 0 <= raw < 1:
        minutes = round(raw * 24 * 60)
        return time(minutes // 60, minutes % 60)
    parts = text(raw).replace("：", ":").split(":")
    try:
        hour, minute = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
        return time(hour, minute)
    except (ValueError, IndexError):
        problems.append((field_name, "时间格式不正确，应填写如14:30"))
        return None


def choice(
    values: dict, field_name: str, choices: list[tuple[str, str]], problems: list[tuple[str, str]]
) -> str | None:
    """The value of a choice cell holding its label."""
    label = text(values.get(field_name))
    if not label:
        return None
    for value, shown in choices:
        if label == shown:
            return value
    problems.append((field_name, "应为以下之一：" + "、".join(shown for _v, shown in choices)))
    return None


def org_sheet(user, wb: Workbook) -> None:
    """The organisations the importer may name, with their codes (a template's last sheet)."""
    ws = wb.create_sheet("组织编码")
    ws.append(["编码", "名称", "类型"])
    orgs = Organisation.objects.editable_by(user).active().only("code", "name", "kind")
    for org in orgs.order_by("path")[:5000]:
        ws.append([org.code, org.name, org.get_kind_display()])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
    ws.freeze_panes = "A2"


def person_columns() -> tuple[Column, ...]:
    return (
        Column("姓名", "name", True, "必填，须与系统中一致。", 10),
        Column("工号/学号", "staff_number", False, PERSON_RULE, 14, text=True),
        Column("身份证号", "id_number", False, "未填工号/学号时必填。", 21, text=True),
    )


# --- positions ---------------------------------------------------------------------------------

TITLE_LABELS = tuple(label for _value, label in PositionTitle.choices)

POSITION_COLUMNS = (
    *person_columns(),
    Column(
        "组织编码",
        "organisation",
        True,
        "必填，任职的党组织（党委、党总支、党支部或党小组）编码，见“组织编码”表。",
        12,
        text=True,
    ),
    Column(
        "职务",
        "title",
        True,
        "必填，" + "、".join(TITLE_LABELS) + "之一。",
        10,
        choices=TITLE_LABELS,
    ),
    Column("任职日期", "starts_on", True, "必填，不能晚于今天。", 12),
    Column("离任日期", "ends_on", False, "已离任的填写，不能早于任职日期。", 12),
    Column("备注", "note", False, "选填，不超过200字。", 20),
)


def required(columns: tuple[Column, ...], values: dict, problems: list[tuple[str, str]]) -> None:
    for column in columns:
        if column.required and not text(values.get(column.field)):
            problems.append((column.field, "必填项，不能为空"))


def _write_position(actor, values: dict, ctx: Lookups) -> None:
    problems: list[tuple[str, str]] = []
    required(POSITION_COLUMNS, values, problems)
    person = find_person(ctx, values, problems)
    organisation = find_org(ctx, values, "organisation", problems)
    title = choice(values, "title", list(PositionTitle.choices), problems)
    starts_on = parse_date(values, "starts_on", problems, today=ctx.today)
    ends_on = parse_date(values, "ends_on", problems)
    note = text(values.get("note"))
    if len(note) > 200:
        problems.append(("note", "不能超过200个字"))
    if problems:
        raise RowError(problems)
    assert person and organisation and title and starts_on
    services.position_create(
        actor=actor,
        person=person,
        organisation=organisation,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )


def _positions_in_file(rows: list[tuple[int, dict]]) -> list[tuple[int, str, str]]:
    """Two rows naming the same current secretary post in one file."""
    seen: dict[str, int] = {}
    out = []
    for number, values in rows:
        current = not text(values.get("ends_on"))
        if text(values.get("title")) == PositionTitle.SECRETARY.label and current:
            code = text(values.get("organisation"))
            if code in seen:
                message = f"与第{seen[code]}行重复：同一党组织只能有一名在任书记"
                out.append((number, "title", message))
            else:
                seen[code] = number
    return out


POSITIONS = register(
    Spec(
        kind="positions",
        label="任职情况",
        noun="条任职记录",
        columns=POSITION_COLUMNS,
        example=("张三", "100234", "", "BA", "组织委员", "2024-01-15", "", "换届选举产生"),
        write_row=_write_position,
        open_context=Lookups,
        check_file=_positions_in_file,
        template_sheets=org_sheet,
        notes=(
            "5. 同一党组织同时只能有一名在任书记：导入在任书记前，请先为原书记办理离任。",
            "6. 历史任职请填写离任日期，留存历届班子成员。",
        ),
    )
)
