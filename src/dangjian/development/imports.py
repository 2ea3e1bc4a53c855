"""Excel import of historical development dossiers (core.imports): one row per person with
the dates of the steps already completed, written by development.services.case_import_history,
so the order and the intervals of 《基层组织建设实施意见》§四(三)1 apply to every row."""

from dangjian.core.imports import Column, RowError, Spec, register, text
from dangjian.development import rules, services
from dangjian.org.imports import Lookups, find_person, parse_date, person_columns, required

DATE_RULE = "已完成的步骤填写日期；未到的步骤留空。"

DOSSIER_COLUMNS = (
    *person_columns(),
    *(
        Column(
            label,
            name,
            name == "applied_on",
            ("必填。" if name == "applied_on" else "") + DATE_RULE,
            12,
        )
        for name, _step, label in rules.HISTORY_STEPS
    ),
    Column("备注", "note", False, "选填，如：档案来源。", 20),
)


def _write_dossier(actor, values: dict, ctx: Lookups) -> None:
    problems: list[tuple[str, str]] = []
    required(DOSSIER_COLUMNS, values, problems)
    person = find_person(ctx, values, problems)
    dates = {name: parse_date(values, name, problems) for name, _s, _l in rules.HISTORY_STEPS}
    if problems:
        raise RowError(problems)
    assert person is not None
    services.case_import_history(
        actor=actor,
        person=person,
        note=text(values.get("note"))[:500],
        **{k: v for k, v in dates.items() if v is not None},  # type: ignore[arg-type]
    )


def _people_in_file(rows: list[tuple[int, dict]]) -> list[tuple[int, str, str]]:
    seen: dict[str, int] = {}
    out = []
    for number, values in rows:
        who = text(values.get("staff_number")) or text(values.get("id_number")).upper()
        if not who:
            continue
        if who in seen:
            out.append((number, "name", f"与第{seen[who]}行是同一人：每人只能有一份发展档案"))
        else:
            seen[who] = number
    return out


register(
    Spec(
        kind="dossiers",
        label="历史发展党员档案",
        noun="人的发展档案",
        columns=DOSSIER_COLUMNS,
        example=(
            "李四",
            "2021001",
            "",
            "2021-10-08",
            "2022-03-15",
            "2022-06-20",
            "2022-09-01",
            "2022-09-10",
            "2023-09-12",
            "2023-10-20",
            "2023-11-02",
            "2023-11-15",
            "",
            "纸质档案录入",
        ),
        write_row=_write_dossier,
        open_context=Lookups,
        check_file=_people_in_file,
        source=rules.SEED,
        errors_by_field={"person": "name", "new_status": "name"},
        notes=(
            "5. 每行填写一人已经完成的发展步骤日期，须按顺序逐步填写，不能跳过中间步骤："
            "申请时年满18周岁，党校考试合格日期在确定积极分子与确定培养考察对象之间，"
            "培养考察满一年方可确定为发展对象，预备期满一年方可转正（《基层组织建设实施意见》"
            "§四(三)1）。违反任一规定的行列为错误，并注明所依据的条款。",
            "6. 党总支谈话、审批和转正由党总支办理：填写了这些日期的行须由党支部的上级党组织"
            "（党总支）或组织部导入。",
            "7. 导入后人员的政治面貌随档案更新（如转正日期已填，则为正式党员）。",
        ),
    )
)
