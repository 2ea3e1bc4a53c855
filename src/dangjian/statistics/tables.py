"""The annual tables: which figures each holds, their column labels, and the people-list
filters each figure drills down with. One sheet per table in the XLSX export.

Layout: the annual 中国共产党党内统计公报 of 中共中央组织部 reports members by gender, ethnicity,
education, age and occupation, admissions, and organisations by kind; the annual report forms
themselves (党内统计年报表) are not published, so the columns below follow the 公报's
categories, with the age bands of org.rules.AGE_BANDS and the changes of the year by cause.
Each table has one row per organisation counted (the whole subtree first, then each
organisation directly below)."""

from dataclasses import dataclass, field

from dangjian.org.models import Education, OrgKind, PersonCategory, TitleLevel
from dangjian.org.rules import AGE_BAND_LABELS


@dataclass(frozen=True)
class Column:
    label: str
    key: str  # the figure's key in a row's figures
    # People-list filters for this figure (added to the table's own); None: no drill-down.
    drill: dict[str, str] | None = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: tuple[Column, ...]
    # The people a table's figures count, as people-list filters (with {cut_off}, {start}).
    base: dict[str, str] | None = None


# Members as they were at the cut-off: on the roll then, with their Party status then.
MEMBERS = {"status_at": "member", "on_roll_at": "{cut_off}", "inactive": "1"}
CHANGES = {"change_from": "{start}", "change_to": "{cut_off}", "inactive": "1"}
LEAVING_CAUSES = ("removed", "expelled", "withdrawn")

TABLES: tuple[Table, ...] = (
    Table(
        "members",
        "党员总量、性别和民族",
        (
            Column("党员总数", "total"),
            Column("正式党员", "full", {"status_at": "full"}),
            Column("预备党员", "probationary", {"status_at": "probationary"}),
            Column("男", "gender_M", {"gender": "M"}),
            Column("女", "gender_F", {"gender": "F"}),
            Column("汉族", "ethnic_han", {"ethnic": "han"}),
            Column("少数民族", "ethnic_minority", {"ethnic": "minority"}),
        ),
        MEMBERS,
    ),
    Table(
        "age",
        "党员年龄",
        (
            *(
                Column(label, f"age_{key}", {"age_band": key, "age_on": "{cut_off}"})
                for key, label in AGE_BAND_LABELS.items()
            ),
            Column("出生日期未填", "age_unknown", {"age_band": "unknown"}),
        ),
        MEMBERS,
    ),
    Table(
        "education",
        "党员学历",
        (
            *(
                Column(str(label), f"education_{value}", {"education": value})
                for value, label in Education.choices
            ),
            Column("未填", "education_unknown", {"education": "unknown"}),
        ),
        MEMBERS,
    ),
    Table(
        "occupation",
        "党员人员类别和职称",
        (
            *(
                Column(str(label), f"category_{value}", {"category": value})
                for value, label in PersonCategory.choices
            ),
            *(
                Column(f"职称{label}", f"title_{value}", {"title_level": value})
                for value, label in TitleLevel.choices
            ),
            Column("职称未填", "title_unknown", {"title_level": "unknown"}),
        ),
        MEMBERS,
    ),
    Table(
        "admissions",
        "发展党员和预备党员转正",
        (
            Column("发展党员", "admitted", {"joined_from": "{start}", "joined_to": "{cut_off}"}),
            Column(
                "预备党员转正",
                "converted",
                {"converted_from": "{start}", "converted_to": "{cut_off}"},
            ),
        ),
        {"inactive": "1"},
    ),
    Table(
        "changes",
        "党员变动（按原因）",
        (
            Column("转入", "change_transferred_in", {"change_cause": "transferred_in"}),
            Column("转出", "change_transferred_out", {"change_cause": "transferred_out"}),
            Column("死亡", "change_deceased", {"change_cause": "deceased"}),
            Column("出党合计", "change_left", {"change_cause": ",".join(LEAVING_CAUSES)}),
            Column("其中：除名", "change_removed", {"change_cause": "removed"}),
            Column("开除党籍", "change_expelled", {"change_cause": "expelled"}),
            Column("退党", "change_withdrawn", {"change_cause": "withdrawn"}),
            Column("停止党籍", "change_suspended", {"change_cause": "suspended"}),
            Column("恢复党籍", "change_restored", {"change_cause": "restored"}),
        ),
        CHANGES,
    ),
    Table(
        "organisations",
        "党组织",
        (
            Column("党委", f"org_{OrgKind.COMMITTEE}", None),
            Column("党总支", f"org_{OrgKind.GENERAL_BRANCH}", None),
            Column("党支部", f"org_{OrgKind.BRANCH}", None),
            Column("其中：教工支部", "branch_staff", None),
            Column("学生支部", "branch_student", None),
            Column("机关支部", "branch_organ", None),
            Column("离退休支部", "branch_retiree", None),
            Column("党小组", f"org_{OrgKind.GROUP}", None),
        ),
        None,
    ),
)


def drill_params(table: Table, column: Column, org_id: int, dates: dict[str, str]) -> dict | None:
    """The people-list query string of a figure (None when it counts no people)."""
    if table.base is None or column.drill is None:
        return None
    params = {"org": str(org_id), **table.base, **column.drill}
    return {name: value.format(**dates) for name, value in params.items()}
