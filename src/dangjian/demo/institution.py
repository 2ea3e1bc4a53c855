"""The institution of 《基层组织建设实施意见》§四(一) as plain data, and the demo logins.

重庆工业职业技术学院: one committee, 12 general branches, 39 branches, with the offices each
organ and teaching branch covers, and Party groups for interns, seconded teachers and retirees.
Pure Python: no database, no Django. The generator turns these specs into rows.
"""

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

INSTITUTION_NAME = "重庆工业职业技术学院"
COMMITTEE_NAME = "中共重庆工业职业技术学院委员会"

# The 12 general branches in the seed's order. Organ and teaching branches list the offices
# they cover (《基层组织建设实施意见》§四(一)2).
ORGAN_BRANCHES = (
    ("机关一支部", ("组织部", "宣传部", "纪委办", "人事处")),
    ("机关二支部", ("党政办", "工会（离退休工作处）")),
    ("机关三支部", ("财务处", "国有资产管理处")),
    ("机关四支部", ("后勤管理处",)),
    ("机关五支部", ("学生处（团委）",)),
    ("机关六支部", ("招生就业处", "保卫处")),
    ("机关七支部", ("第三机床厂", "培训继续教育学院", "国际合作交流处")),
    ("机关八支部", ("新校区建设指挥部",)),
)
TEACHING_BRANCHES = (
    ("教学一支部", ("教务处", "督导室")),
    ("教学二支部", ("体育工作部",)),
    ("教学三支部", ("基础教学部",)),
    ("教学四支部", ("思想政治理论课教学部",)),
    ("教学五支部", ("图书馆",)),
    ("教学六支部", ("科研处（合作发展处）", "教育技术与信息中心")),
)
RETIREE_BRANCHES = ("离退休一支部", "离退休二支部", "离退休三支部", "离退休四支部", "离退休五支部")

# College → (its branches as the seed names them, two majors for the demo classes).
COLLEGES = (
    ("管理工程学院", ("教工支部", "学生支部"), ("工商企业管理", "现代物流管理")),
    ("建筑与环境工程学院", ("教工支部", "学生支部"), ("建筑工程技术", "工程造价")),
    ("化学与制药工程学院", ("教工支部", "学生支部"), ("药品生产技术", "应用化工技术")),
    ("艺术设计学院", ("教工支部", "学生支部"), ("环境艺术设计", "数字媒体艺术设计")),
    ("机械工程学院", ("教工一支部", "教工二支部", "学生支部"), ("机械制造及自动化", "数控技术")),
    ("财经学院", ("教工一支部", "教工二支部", "学生支部"), ("大数据与会计", "金融服务与管理")),
    ("车辆工程学院", ("教工支部", "学生支部"), ("汽车制造与试验技术", "新能源汽车技术")),
    ("自动化学院", ("教工支部", "学生支部"), ("电气自动化技术", "工业机器人技术")),
    ("信息工程学院", ("教工支部", "学生支部"), ("软件技术", "计算机网络技术")),
)

# Where Party groups are formed (《基层组织建设实施意见》§四(一)3): interns by internship site,
# seconded teachers by where they work, retirees by where they live.
INTERNSHIP_SITES = (
    "两江新区",
    "西永微电园",
    "九龙坡区",
    "璧山区",
    "江津区双福",
    "永川区",
    "长寿经开区",
    "巴南区",
)
SECONDMENT_SITES = ("城口县", "巫溪县", "酉阳县", "彭水县", "石柱县", "奉节县")
RESIDENCE_AREAS = ("渝北", "沙坪坝", "九龙坡", "南岸", "江北", "渝中", "大渡口", "北碚")
ORDINALS = "一二三四五六七八九十"

# Group kinds steer who the generator puts into each group.
INTERNSHIP, SECONDMENT, RESIDENCE = "internship", "secondment", "residence"
GROUP_NOTES = {
    INTERNSHIP: "按顶岗实习单位地点就近原则成立，定期开展组织生活并向党支部汇报。",
    SECONDMENT: "按外出挂职、支教教师党员工作地就近原则成立。",
    RESIDENCE: "按离退休党员居住地就近原则成立。",
}

LEADING_GROUP_NAME = "“168”工作领导小组"
LEADING_GROUP_OFFICE = "党委组织部"
LEADING_GROUP_DUTIES = (
    "领导全校实施“168”基层党建工作模式；办公室设在党委组织部，具体负责组织指导、"
    "检查督促、材料收集等工作。党总支书记是直接责任人。"
)


@dataclass(frozen=True)
class UnitSpec:
    """A non-Party unit: the institution itself, an office, a college or a class."""

    key: str
    name: str
    kind: str
    parent: str | None = None
    display_order: int = 100


@dataclass
class OrgSpec:
    name: str
    kind: str
    code: str
    short_name: str = ""
    category: str = ""
    units: tuple[str, ...] = ()  # keys of the covered units
    group_kind: str = ""  # for groups: INTERNSHIP, SECONDMENT or RESIDENCE
    founded_on: date | None = None
    display_order: int = 100
    activity_room_area: Decimal | None = None
    note: str = ""
    children: list["OrgSpec"] = field(default_factory=list)

    def walk(self) -> Iterator["OrgSpec"]:
        """This node and its descendants, parents before children (path order)."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Institution:
    name: str
    units: list[UnitSpec]
    committee: OrgSpec

    def size(self) -> int:
        return sum(1 for _ in self.committee.walk())


# Raw shape shared by the seed and the synthetic institutions:
# general branch = (name, short name, [branch]),
# branch = (name, short name, category, unit keys, [(group name, group kind)]).
BranchRow = tuple[str, str, str, tuple[str, ...], list[tuple[str, str]]]
GeneralBranchRow = tuple[str, str, list[BranchRow]]


def office_key(name: str) -> str:
    return f"office:{name}"


def college_key(name: str) -> str:
    return f"college:{name}"


def class_names(majors: tuple[str, ...], year: int) -> list[str]:
    """Classes of the three grades still enrolled in academic year `year`, e.g. 软件技术2401班."""
    return [
        f"{major}{grade % 100:02d}01班" for grade in (year - 2, year - 1, year) for major in majors
    ]


def college_units(
    college: str, majors: tuple[str, ...], year: int, order: int, parent: str
) -> list[UnitSpec]:
    key = college_key(college)
    units = [UnitSpec(key, college, "college", parent, order)]
    units += [
        UnitSpec(f"{key}:{name}", name, "class", key, i + 1)
        for i, name in enumerate(class_names(majors, year))
    ]
    return units


def internship_groups(start: int, count: int) -> list[tuple[str, str]]:
    sites = [INTERNSHIP_SITES[(start + i) % len(INTERNSHIP_SITES)] for i in range(count)]
    return [(f"顶岗实习第{ORDINALS[i]}党小组（{s}）", INTERNSHIP) for i, s in enumerate(sites)]


def secondment_group(index: int) -> tuple[str, str]:
    site = SECONDMENT_SITES[index % len(SECONDMENT_SITES)]
    return (f"{'支教' if index % 2 else '外出挂职'}党小组（{site}）", SECONDMENT)


def residence_groups(start: int, count: int) -> list[tuple[str, str]]:
    return [
        (f"{RESIDENCE_AREAS[(start + i) % len(RESIDENCE_AREAS)]}片区党小组", RESIDENCE)
        for i in range(count)
    ]


def seed_institution(year: int) -> Institution:
    """The seed-004 institution; `year` is the academic year whose classes are enrolled."""
    root = "institution"
    units = [UnitSpec(root, INSTITUTION_NAME, "other")]
    order = 0
    for _, offices in ORGAN_BRANCHES + TEACHING_BRANCHES:
        for office in offices:
            order += 1
            kind = "union" if office.startswith("工会") else "office"
            units.append(UnitSpec(office_key(office), office, kind, root, order))

    organ = [
        (name, name, "organ", tuple(map(office_key, offices)), [])
        for name, offices in ORGAN_BRANCHES
    ]
    # Teachers away on secondment or rural teaching form groups in a few staff branches.
    seconded = {"教学三支部": 0, "教学四支部": 1}
    teaching = [
        (
            name,
            name,
            "staff",
            tuple(map(office_key, offices)),
            [secondment_group(seconded[name])] if name in seconded else [],
        )
        for name, offices in TEACHING_BRANCHES
    ]
    retiree = [
        (name, name, "retiree", (), residence_groups(i * 2, 2 + i % 2))
        for i, name in enumerate(RETIREE_BRANCHES)
    ]
    general_branches: list[GeneralBranchRow] = [
        ("机关党总支", "机关党总支", organ),
        ("教学党总支", "教学党总支", teaching),
        ("离退休党总支", "离退休党总支", retiree),
    ]
    seconded_colleges = {"机械工程学院": 2, "信息工程学院": 3}
    for i, (college, branch_names, majors) in enumerate(COLLEGES):
        units += college_units(college, majors, year, 100 + i, root)
        branches: list[BranchRow] = []
        for short in branch_names:
            groups: list[tuple[str, str]] = []
            if short.startswith("学生"):
                category = "student"
                groups = internship_groups(i, 1 + (i + 1) % 2)
            else:
                category = "staff"
                if short in ("教工支部", "教工一支部") and college in seconded_colleges:
                    groups = [secondment_group(seconded_colleges[college])]
            branches.append((college + short, short, category, (college_key(college),), groups))
        general_branches.append((f"{college}党总支", f"{college}党总支", branches))

    return build_institution(
        INSTITUTION_NAME,
        index=1,
        units=units,
        general_branches=general_branches,
        founded_on=date(2001, 6, 28),
        rng=random.Random(4),
    )


def build_institution(
    name: str,
    *,
    index: int,
    units: list[UnitSpec],
    general_branches: list[GeneralBranchRow],
    founded_on: date,
    rng: random.Random,
) -> Institution:
    """Turn the raw shape into org specs with codes, founding dates, orders and room areas."""
    code = f"C{index:02d}"
    committee = OrgSpec(
        name=f"中共{name}委员会",
        short_name=f"{name}党委",
        kind="committee",
        code=code,
        units=("institution",),
        founded_on=founded_on,
        display_order=index,
        activity_room_area=Decimal(rng.randrange(800, 1600)) / 10,
    )
    for g, (gb_name, gb_short, branches) in enumerate(general_branches, start=1):
        gb_founded = _later(rng, founded_on, 0, 12)
        gb = OrgSpec(
            name=gb_name,
            short_name=gb_short,
            kind="general_branch",
            code=f"{code}-G{g:02d}",
            units=tuple(dict.fromkeys(u for b in branches for u in b[3])),
            founded_on=gb_founded,
            display_order=g * 10,
            activity_room_area=_room_area(rng),
        )
        committee.children.append(gb)
        for b, (b_name, b_short, category, unit_keys, groups) in enumerate(branches, start=1):
            b_founded = _later(rng, gb_founded, 0, 6)
            branch = OrgSpec(
                name=b_name,
                short_name=b_short,
                kind="branch",
                code=f"{gb.code}-B{b:02d}",
                category=category,
                units=unit_keys,
                founded_on=b_founded,
                display_order=b * 10,
                activity_room_area=_room_area(rng),
            )
            gb.children.append(branch)
            for p, (p_name, group_kind) in enumerate(groups, start=1):
                branch.children.append(
                    OrgSpec(
                        name=p_name,
                        kind="group",
                        code=f"{branch.code}-P{p:02d}",
                        category=category,
                        group_kind=group_kind,
                        founded_on=_later(rng, b_founded, 0, 8),
                        display_order=p * 10,
                        note=GROUP_NOTES[group_kind],
                    )
                )
    return Institution(name=name, units=units, committee=committee)


def _later(rng: random.Random, start: date, min_years: int, max_years: int) -> date:
    """A date some years after `start`, capped at 2024 so terms and people can follow."""
    year = min(start.year + rng.randint(min_years, max_years), 2024)
    candidate = date(year, rng.randint(1, 12), rng.randint(1, 28))
    return max(candidate, start)


def _room_area(rng: random.Random) -> Decimal:
    """Most rooms meet the 20 m² standard (DOMAIN §10); about one in seven does not."""
    if rng.random() < 0.15:
        return Decimal(rng.randrange(100, 195)) / 10
    return Decimal(rng.randrange(200, 650)) / 10


# ---- demo logins -------------------------------------------------------------------------

DEMO_PASSWORD = "demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # shown to people, in Chinese
    scope: str  # shown to people, in Chinese
    how: str  # "admin", "org_officer", "secretary" or "member"
    org: str = ""  # the organisation the login's person belongs to or leads
    # When `org` is absent (a tree cut short): the first branch of this category, or the
    # general branch above it.
    fallback_kind: str = ""
    fallback_category: str = ""


DEMO_LOGINS = (
    DemoLogin("admin", "系统管理员", "全部数据及后台管理", "admin"),
    DemoLogin(
        "zuzhibu",
        "党委组织部干事",
        "全校所有党组织",
        "org_officer",
        "机关一支部",
        "branch",
        "organ",
    ),
    DemoLogin(
        "zongzhi",
        "党总支书记",
        "信息工程学院党总支及所属支部",
        "secretary",
        "信息工程学院党总支",
        "general_branch",
        "student",
    ),
    DemoLogin(
        "zhibu",
        "党支部书记",
        "信息工程学院学生支部",
        "secretary",
        "信息工程学院学生支部",
        "branch",
        "student",
    ),
    DemoLogin(
        "dangyuan",
        "正式党员",
        "本人信息（信息工程学院学生支部）",
        "member",
        "信息工程学院学生支部",
        "branch",
        "student",
    ),
)


def login_table(scopes: dict[str, str] | None = None) -> str:
    """The demo logins as an aligned text table (Chinese characters count double width)."""
    scopes = scopes or {}
    rows = [("用户名", "密码", "角色", "范围")]
    rows += [
        (x.username, DEMO_PASSWORD, x.role, scopes.get(x.username, x.scope)) for x in DEMO_LOGINS
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
