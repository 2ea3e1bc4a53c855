"""Deterministic synthetic data: the seed-004 institution with people, or a province-scale tree.

Everything comes from `random.Random(seed)`, so the same seed gives the same names, ID numbers
and tree. Rows are generated and inserted in batches: memory stays bounded whatever the size.
The organisation paths are built here (treebeard MP_Node: steplen 4) so organisations can be
bulk-inserted too; `Organisation.objects.find_problems()` checks the result in the tests.
"""

import random
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db import reset_queries as _reset_queries
from django.utils import timezone

from dangjian.core.crypto import keyed_hash
from dangjian.demo import institution as inst
from dangjian.demo.institution import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DemoLogin,
    Institution,
    OrgSpec,
    UnitSpec,
)
from dangjian.org import counts
from dangjian.org.models import (
    LeadingGroup,
    LeadingGroupMember,
    Organisation,
    Person,
    Position,
    StatusChange,
    Term,
    Unit,
)
from dangjian.org.rules import STATUS_ORDER, add_years, id_check_code, probation_end

BATCH_SIZE = 2000
DEFAULT_PEOPLE = 5000

# ---- people: names, ethnicity, ID numbers, phones -----------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤冉牟"
)
# Zipf-like weights: 王 and 李 are far commoner than 牟.
SURNAME_WEIGHTS = tuple(1 / (i + 6) for i in range(len(SURNAMES)))
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋坤博文晨阳峰建国志毅翔豪成"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧莹倩琳颖洁晶欣怡佳梦瑶雨萱琪璐露蕾悦妍婧茜月红梅兰"
SHARED_CHARS = "子思嘉晓一佳宇明诗雅清启"
ETHNICITIES = (
    ("汉族", 900),
    ("土家族", 50),
    ("苗族", 25),
    ("回族", 7),
    ("彝族", 4),
    ("壮族", 4),
    ("侗族", 3),
    ("满族", 3),
    ("蒙古族", 2),
    ("藏族", 1),
    ("仡佬族", 1),
)
# Districts of Chongqing (5001xx): the region part of the synthetic ID numbers.
REGION_CODES = tuple(f"5001{n:02d}" for n in (*range(1, 21), *range(51, 57)))
# Mobile prefixes of the three carriers.
_PHONE_PREFIX_TEXT = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 155 157 158 159 166 173 176 177 180 181 "
    "182 183 186 187 188 189 191 198 199"
)
PHONE_PREFIXES = tuple(_PHONE_PREFIX_TEXT.split())

# Party-status mix by branch category (DOMAIN §2: staff branches mostly full members, student
# branches mostly the development pipeline, retiree branches all full members).
STATUS_MIX = {
    "staff": (
        ("full", 72),
        ("probationary", 4),
        ("target", 2),
        ("candidate", 2),
        ("activist", 3),
        ("applicant", 4),
        ("masses", 13),
    ),
    "student": (
        ("masses", 15),
        ("applicant", 32),
        ("activist", 22),
        ("candidate", 9),
        ("target", 6),
        ("probationary", 8),
        ("full", 8),
    ),
    "retiree": (("full", 1),),
}
STATUS_MIX["organ"] = STATUS_MIX["staff"]
PERSON_CATEGORY = {"organ": "staff", "staff": "staff", "student": "student", "retiree": "retiree"}
# How many people a branch of each category has, relative to an organ branch.
BRANCH_WEIGHT = {"organ": 1.0, "staff": 1.2, "student": 5.0, "retiree": 1.5}

# Days from the previous development step to this one, (student, others) —
# 《基层组织建设实施意见》§四(三)1: a development target needs at least one year of cultivation.
STEP_GAPS = {
    "activist": ((60, 240), (90, 720)),
    "candidate": ((30, 180), (30, 180)),
    "target": ((365, 450), (365, 540)),
    "probationary": ((30, 120), (30, 180)),
}
STEP_NOTES = {
    "applicant": "递交入党申请书",
    "activist": "经推荐和支部评议，确定为入党积极分子",
    "candidate": "党校结业考试合格，经民主推荐列为培养考察对象",
    "target": "培养考察一年以上，经支委会讨论确定为发展对象",
    "probationary": "支部大会讨论通过，接收为预备党员",
    "full": "预备期满，支部大会讨论通过，按期转为正式党员",
}
# How many days ago a full member's probation ended, by person category.
CONVERTED_DAYS_AGO = {"student": (0, 300), "staff": (0, 30 * 365), "retiree": (15 * 365, 50 * 365)}
# Age in completed years: (range at application, range today) by person category.
AGE_RANGES = {
    "student": ((18, 18), (18, 21)),
    "staff": ((18, 40), (24, 58)),
    "retiree": ((18, 45), (61, 87)),
}


class IdNumbers:
    """Unique valid-checksum ID numbers without remembering them all.

    The k-th person born on a day, of a gender, gets a distinct (region, serial) pair:
    26 regions × 500 serials per day and gender. A full day moves the birth one day earlier.
    """

    def __init__(self, rng: random.Random):
        self.regions = list(REGION_CODES)
        rng.shuffle(self.regions)
        self.issued: dict[tuple[int, bool], int] = {}

    def issue(self, birth: date, male: bool) -> tuple[str, date]:
        n = len(self.regions)
        while (k := self.issued.get((birth.toordinal(), male), 0)) >= n * 500:
            birth -= timedelta(days=1)
        self.issued[(birth.toordinal(), male)] = k + 1
        region = self.regions[(k + birth.toordinal()) % n]
        serial = ((k // n) * 173 + birth.day * 7) % 500 * 2 + (1 if male else 0)
        first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
        return first17 + id_check_code(first17), birth


@dataclass
class Draft:
    """A person to insert, with their status history and offices (org id, title, start)."""

    fields: dict
    history: list[tuple[str, str, date]] = field(default_factory=list)
    positions: list[tuple[int, str, date]] = field(default_factory=list)


# The complete record (学历/学位, 职称, 籍贯) of demo people, by category: three choices each,
# weighted 5:3:2.
RECORD_EDUCATION = {
    "staff": (("postgraduate", "doctor"), ("postgraduate", "master"), ("university", "bachelor")),
    "student": (("college", "none"), ("university", "none"), ("postgraduate", "bachelor")),
    "retiree": (("university", "bachelor"), ("college", "none"), ("secondary_vocational", "none")),
}
TITLES = (
    ("教授", "senior"),
    ("副教授", "associate"),
    ("讲师", "intermediate"),
    ("助教", "junior"),
    ("", ""),
)
TITLE_WEIGHTS = (1, 3, 4, 1, 1)
NATIVE_PLACES = (
    "福建省福州市",
    "福建省泉州市",
    "福建省漳州市",
    "福建省莆田市",
    "福建省南平市",
    "江西省赣州市",
    "浙江省温州市",
    "广东省潮州市",
)


class PeopleFactory:
    """Plausible people, deterministic for a seed and a reference day."""

    def __init__(self, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.ids = IdNumbers(self.rng)
        self._surname_cum = _cumulative(SURNAME_WEIGHTS)
        self._ethnic_names = [name for name, _ in ETHNICITIES]
        self._ethnic_cum = _cumulative([w for _, w in ETHNICITIES])
        # The complete record's fields draw from their own stream, so that adding them left
        # every other value of a seed as it was.
        self.record_rng = random.Random(seed * 131 + 17)

    def record(self, category: str, birth: date) -> dict:
        """学历, 学位, 职称 and 籍贯 fitting the category: staff mostly graduates with titles,
        students at university, retirees older degrees."""
        rng = self.record_rng
        education, degree = rng.choices(RECORD_EDUCATION[category], weights=(5, 3, 2))[0]
        title, level = ("", "")
        if category != "student":
            title, level = rng.choices(TITLES, weights=TITLE_WEIGHTS)[0]
        if category == "staff" and self.today.year - birth.year < 30 and level in ("senior",):
            title, level = TITLES[2]  # no professor under thirty
        return {
            "education": education,
            "degree": degree,
            "professional_title": title,
            "title_level": level,
            "native_place": rng.choice(NATIVE_PLACES),
        }

    def name(self, male: bool) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, cum_weights=self._surname_cum)[0]
        pool = (MALE_CHARS if male else FEMALE_CHARS) + SHARED_CHARS
        given = rng.choice(pool)
        if rng.random() < 0.7:
            given += rng.choice(pool)
        return surname + given

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def person(self, category: str, status: str) -> Draft:
        """A person of `category` (staff/student/retiree) whose Party status is `status`."""
        rng = self.rng
        male = rng.random() < (0.55 if category != "staff" else 0.5)
        dates = self._timeline(category, status)
        birth = self._birth(category, dates.get("applicant"))
        id_number, birth = self.ids.issue(birth, male)
        joined = dates.get("probationary")
        fields = {
            "name": self.name(male),
            "gender": "M" if male else "F",
            "ethnicity": rng.choices(self._ethnic_names, cum_weights=self._ethnic_cum)[0],
            "birth_date": birth,
            "id_number": id_number,
            "phone": self.phone(),
            "category": category,
            "party_status": status,
            "status_since": dates.get(status),
            "applied_on": dates.get("applicant"),
            "joined_on": joined,
            "probation_starts_on": joined,
            "probation_ends_on": probation_end(joined) if joined else None,
            "unit": None,  # the branch fills in unit, class, organisation and group
            "primary_org": None,
            "group": None,
            **self.record(category, birth),
        }
        rank = STATUS_ORDER.index(status)
        history = [
            (STATUS_ORDER[i - 1], STATUS_ORDER[i], dates[STATUS_ORDER[i]])
            for i in range(max(1, rank - 1), rank + 1)
        ]
        return Draft(fields, history)

    def _timeline(self, category: str, status: str) -> dict[str, date]:
        """The date each step was reached, going back from the current one."""
        if status == "masses":
            return {}
        rng, today = self.rng, self.today
        student = category == "student"
        if status == "probationary":
            back = rng.randint(0, 360)  # still within the one-year probation
        elif status == "full":
            back = rng.randint(*CONVERTED_DAYS_AGO[category])
        else:
            back = rng.randint(0, 400 if student else 900)
        dates = {status: today - timedelta(days=back)}
        current = dates[status]
        for i in range(STATUS_ORDER.index(status), 1, -1):
            step = STATUS_ORDER[i]
            if step == "full":
                current = add_years(current, -1)  # probation lasts one year
            else:
                lo, hi = STEP_GAPS[step][0 if student else 1]
                current -= timedelta(days=rng.randint(lo, hi))
            dates[STATUS_ORDER[i - 1]] = current
        if status == "full":
            dates["full"] = probation_end(dates["probationary"])
        return dates

    def _birth(self, category: str, applied: date | None) -> date:
        """A birth date: at least 18 at application, of a plausible age today."""
        rng, today = self.rng, self.today
        (apply_lo, apply_hi), (now_lo, now_hi) = AGE_RANGES[category]
        if applied is None:
            return add_years(today, -rng.randint(now_lo, now_hi)) - timedelta(
                days=rng.randint(0, 364)
            )
        span = (today - applied).days // 365
        lo, hi = max(apply_lo, now_lo - span), min(apply_hi, now_hi - span)
        age = rng.randint(lo, hi) if lo <= hi else apply_lo
        return add_years(applied, -age) - timedelta(days=rng.randint(0, 364))


def _cumulative(weights) -> list[float]:
    return list(accumulate(weights))


# ---- synthetic institutions (scaled mode) -------------------------------------------------

ORGAN_OFFICES = (
    "党政办公室",
    "组织部",
    "宣传部",
    "统战部",
    "纪委办",
    "人事处",
    "财务处",
    "审计处",
    "国有资产管理处",
    "后勤管理处",
    "学生处",
    "团委",
    "招生就业处",
    "保卫处",
    "国际合作交流处",
    "发展规划处",
    "工会",
    "继续教育学院",
)
TEACHING_OFFICES = (
    "教务处",
    "督导室",
    "体育工作部",
    "基础教学部",
    "思想政治理论课教学部",
    "图书馆",
    "科研处",
    "教育技术与信息中心",
    "实训中心",
)
COLLEGE_POOL = tuple((name, majors) for name, _, majors in inst.COLLEGES) + (
    ("电子信息学院", ("电子信息工程技术", "现代通信技术")),
    ("外国语学院", ("商务英语", "应用日语")),
    ("人文旅游学院", ("旅游管理", "酒店管理")),
    ("轨道交通学院", ("城市轨道交通运营管理", "铁道供电技术")),
    ("智能制造学院", ("智能制造装备技术", "工业互联网应用")),
    ("医药卫生学院", ("护理", "药学")),
    ("电气工程学院", ("供用电技术", "发电厂及电力系统")),
    ("建筑装饰学院", ("建筑装饰工程技术", "室内艺术设计")),
)
_PLACE_TEXT = (
    "万州 涪陵 渝中 大渡口 江北 沙坪坝 九龙坡 南岸 北碚 綦江 大足 渝北 巴南 黔江 长寿 江津 合川 "
    "永川 南川 璧山 铜梁 潼南 荣昌 开州 梁平 武隆 城口 丰都 垫江 忠县 云阳 奉节 巫山 巫溪 石柱 "
    "秀山 酉阳 彭水"
)
PLACES = tuple(_PLACE_TEXT.split())
SCHOOL_TYPES = (
    "职业技术学院",
    "工程职业学院",
    "科技职业学院",
    "财经职业学院",
    "建筑职业学院",
    "交通职业学院",
    "电子职业学院",
    "医药高等专科学校",
    "城市职业学院",
    "工商职业学院",
)


def school_name(n: int) -> str:
    """The n-th synthetic school name (n from 0), unique for any n."""
    place = PLACES[n % len(PLACES)]
    kind = SCHOOL_TYPES[(n // len(PLACES)) % len(SCHOOL_TYPES)]
    rounds = n // (len(PLACES) * len(SCHOOL_TYPES))
    if rounds == 0:
        return f"重庆{place}{kind}"
    number = inst.ORDINALS[rounds] if rounds < len(inst.ORDINALS) else str(rounds + 1)
    return f"重庆{place}第{number}{kind}"


def synthetic_institution(rng: random.Random, index: int, year: int) -> Institution:
    """A school shaped like the seed: organ, teaching and retiree general branches, colleges."""
    name = school_name(index - 2)
    root = "institution"
    units = [UnitSpec(root, name, "other")]

    def office_branches(prefix, pool, count, category, secondment_share):
        offices = rng.sample(pool, min(len(pool), count + rng.randint(0, count)))
        for office in offices:
            units.append(UnitSpec(inst.office_key(office), office, "office", root, len(units)))
        rows = []
        for i, covered in enumerate(_split(rng, offices, count)):
            groups = []
            if rng.random() < secondment_share:
                groups = [inst.secondment_group(rng.randrange(len(inst.SECONDMENT_SITES)))]
            rows.append(
                (
                    f"{prefix}{inst.ORDINALS[i]}支部",
                    f"{prefix}{inst.ORDINALS[i]}支部",
                    category,
                    tuple(map(inst.office_key, covered)),
                    groups,
                )
            )
        return rows

    general_branches = [
        (
            "机关党总支",
            "机关党总支",
            office_branches("机关", ORGAN_OFFICES, rng.randint(2, 8), "organ", 0),
        )
    ]
    if rng.random() < 0.8:
        rows = office_branches("教学", TEACHING_OFFICES, rng.randint(1, 6), "staff", 0.2)
        general_branches.append(("教学党总支", "教学党总支", rows))
    retiree = [
        (
            f"离退休{inst.ORDINALS[i]}支部",
            f"离退休{inst.ORDINALS[i]}支部",
            "retiree",
            (),
            inst.residence_groups(rng.randrange(8), rng.randint(2, 3)),
        )
        for i in range(rng.randint(1, 5))
    ]
    general_branches.append(("离退休党总支", "离退休党总支", retiree))
    for i, (college, majors) in enumerate(rng.sample(COLLEGE_POOL, rng.randint(3, 9))):
        units += inst.college_units(college, majors, year, 100 + i, root)
        key = inst.college_key(college)
        staff = ["教工支部"] if rng.random() < 0.7 else ["教工一支部", "教工二支部"]
        students = ["学生支部"] if rng.random() < 0.75 else ["学生一支部", "学生二支部"]
        rows = []
        for short in staff:
            groups = []
            if rng.random() < 0.25:
                groups = [inst.secondment_group(rng.randrange(len(inst.SECONDMENT_SITES)))]
            rows.append((college + short, short, "staff", (key,), groups))
        for short in students:
            groups = inst.internship_groups(rng.randrange(8), rng.randint(1, 2))
            rows.append((college + short, short, "student", (key,), groups))
        general_branches.append((f"{college}党总支", f"{college}党总支", rows))

    founded = date(rng.randint(1952, 2012), rng.randint(1, 12), rng.randint(1, 28))
    return inst.build_institution(
        name,
        index=index,
        units=units,
        general_branches=general_branches,
        founded_on=founded,
        rng=rng,
    )


def _split(rng: random.Random, items: list, parts: int) -> list[list]:
    """Cut `items` into `parts` non-empty runs (fewer when there are fewer items)."""
    parts = min(parts, len(items))
    cuts = sorted(rng.sample(range(1, len(items)), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def institutions(orgs: int | None, seed: int, year: int) -> Iterator[Institution]:
    """The seed institution, then synthetic ones until there are exactly `orgs` organisations.

    With `orgs` None: the seed institution alone. The last institution is cut short (in path
    order, so every kept node keeps its parent) to land exactly on the count.
    """
    first = inst.seed_institution(year)
    if orgs is None:
        yield first
        return
    rng = random.Random(seed)
    remaining, index = orgs, 1
    while remaining > 0:
        institution = first if index == 1 else synthetic_institution(rng, index, year)
        remaining -= _truncate(institution.committee, remaining)
        yield institution
        index += 1


def _truncate(org: OrgSpec, budget: int) -> int:
    """Keep `org` and its first descendants in path order, `budget` nodes at most."""
    used, kept = 1, []
    for child in org.children:
        if used >= budget:
            break
        used += _truncate(child, budget - used)
        kept.append(child)
    org.children = kept
    return used


# ---- progress ------------------------------------------------------------------------------


class Progress:
    """“人员 1,200,000/3,000,000 (40%) 52s”: one updating line on a terminal, else every 5%."""

    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total = out, label, total
        self.live = out is not None and out.isatty()
        self.started = time.monotonic()
        self.next_pct = 5
        self.last_draw = 0.0
        self.done = -1

    def update(self, done: int) -> None:
        if self.out is None or not self.total or done == self.done:
            return
        self.done = done
        pct = done * 100 // self.total
        now = time.monotonic()
        if self.live:
            if now - self.last_draw >= 0.25 or done >= self.total:
                self.last_draw = now
                self.out.write("\r" + self._line(done, pct, now), ending="")
                self.out.flush()
        elif pct >= self.next_pct or done >= self.total:
            self.next_pct = pct // 5 * 5 + 5
            self.out.write(self._line(done, pct, now))

    def finish(self) -> None:
        if self.out is not None and self.live and self.total:
            self.out.write("")

    def _line(self, done: int, pct: int, now: float) -> str:
        return f"{self.label} {done:,}/{self.total:,} ({pct}%) {now - self.started:.0f}s"


# ---- loading -------------------------------------------------------------------------------

BRANCH_TITLES = ("secretary", "deputy_secretary", "organisation", "propaganda", "discipline")
COMMITTEE_TITLES = (
    "secretary",
    "deputy_secretary",
    "deputy_secretary",
    "committee",
    "committee",
    "committee",
    "committee",
)


@dataclass(frozen=True)
class Slot:
    """An office to fill from a branch's people; counsellors are staff in student branches."""

    org_id: int
    title: str
    starts_on: date
    counsellor: bool = False


@dataclass
class BranchInfo:
    id: int
    category: str
    weight: float
    units: list[int]
    classes: list[int]  # class unit ids, oldest grade first
    groups: list[tuple[int, str]]  # (group id, group kind)
    slots: list[Slot]
    general_branch: int = 0
    committee: int = 0
    # Filled while the people are inserted (scaled mode makes the modules from them):
    # members (full and probationary), and the development pipeline
    # (id, status, applied on, status since, probation starts, probation ends).
    members: list[int] = field(default_factory=list)
    pipeline: list[tuple] = field(default_factory=list)


@dataclass
class LoadResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n


class RowWriter:
    """Bulk inserts of ready tuples, with ids assigned here.

    bulk_create spends most of its time preparing each value one by one; for millions of rows
    a plain executemany (SQLite) or COPY (PostgreSQL) is several times faster. Ids continue
    from the current maximum, so the loader must be the only writer while it runs (it is: a
    management command on an empty database); Loader.run resets PostgreSQL's sequences
    afterwards. Columns not given take their model default, computed once per batch.
    """

    def __init__(self, model, fields: tuple[str, ...]):
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        self.others = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        columns = ", ".join(quote(f.column) for f in [meta.pk, *given, *self.others])
        places = ", ".join(["%s"] * (1 + len(given) + len(self.others)))
        self.insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({places})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self.next_id = (model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        # sqlite3 takes no Decimal, time or dict, COPY no dict: those columns go through their
        # field (COPY on PostgreSQL takes the other Python values as they are).
        adapted = ADAPTED_FIELDS if connection.vendor == "sqlite" else (models.JSONField,)
        self.adapt = [f if isinstance(f, adapted) else None for f in given]
        if not any(self.adapt):
            self.adapt = []

    def write(self, rows: list[tuple]) -> range:
        first = self.next_id
        if rows:
            defaults = tuple(_db_default(f) for f in self.others)
            if self.adapt:
                rows = [self._adapted(row) for row in rows]
            params = [(first + i, *row, *defaults) for i, row in enumerate(rows)]
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(self.copy_sql) as copy:
                        for row in params:
                            copy.write_row(row)
                else:
                    cursor.executemany(self.insert_sql, params)
            self.next_id += len(rows)
        return range(first, self.next_id)

    def _adapted(self, row: tuple) -> tuple:
        return tuple(
            v if f is None or v is None else f.get_db_prep_save(v, connection)
            for f, v in zip(self.adapt, row, strict=True)
        )


ADAPTED_FIELDS = (models.DecimalField, models.TimeField, models.JSONField)


def _db_default(f: models.Field):
    auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    return f.get_db_prep_save(timezone.now() if auto else f.get_default(), connection)


PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "id_number_hash",
    "phone_hash",
    "category",
    "unit",
    "party_status",
    "status_since",
    "applied_on",
    "joined_on",
    "probation_starts_on",
    "probation_ends_on",
    "primary_org",
    "group",
    "education",
    "degree",
    "professional_title",
    "title_level",
    "native_place",
)
ORG_FIELDS = (
    "name",
    "short_name",
    "kind",
    "category",
    "code",
    "display_order",
    "founded_on",
    "activity_room_area",
    "note",
    "path",
    "depth",
    "numchild",
)


ENCRYPTED_PERSON_FIELDS = ("id_number", "phone")


def _person_row(fields: dict) -> tuple:
    """A person's columns as stored: ID and phone numbers encrypted, with their keyed hashes
    (RowWriter bypasses the model fields, so this does what they would)."""
    stored = dict(fields)
    for name in ENCRYPTED_PERSON_FIELDS:
        value = fields[name]
        stored[f"{name}_hash"] = keyed_hash(value)
        stored[name] = Person._meta.get_field(name).get_prep_value(value)
    return tuple(stored[k] for k in PERSON_FIELDS)


class Loader:
    """Insert institutions and people in batches, reporting progress to `out` (OutputWrapper)."""

    def __init__(self, *, seed: int, today: date, out=None, batch_size: int = BATCH_SIZE):
        self.seed, self.today, self.out, self.batch_size = seed, today, out, batch_size
        self.year = today.year if today.month >= 9 else today.year - 1  # academic year
        self.rng = random.Random(seed * 7919 + 1)  # organisation details (terms, weights)
        self.factory = PeopleFactory(seed, today)
        self.result = LoadResult()
        self.branches: list[BranchInfo] = []
        self.roots = 0
        # Scaled mode remembers members and offices for the modules:
        # organisation id → office holders, secretary first.
        self.record_people = False
        self.officers: dict[int, list[int]] = {}

    def run(self, *, orgs: int | None, people: int) -> LoadResult:
        started = time.monotonic()
        small = (orgs or 0) + people <= 100_000
        self.roots = Organisation.objects.filter(depth=1).count()
        self.units = RowWriter(Unit, ("name", "kind", "parent", "display_order"))
        self.orgs = RowWriter(Organisation, ORG_FIELDS)
        self.links = RowWriter(Organisation.covered_units.through, ("organisation", "unit"))
        self.terms = RowWriter(Term, ("organisation", "number", "starts_on", "ends_on"))
        self.people = RowWriter(Person, PERSON_FIELDS)
        self.changes = RowWriter(
            StatusChange, ("person", "from_status", "to_status", "effective_on", "note")
        )
        self.positions = RowWriter(Position, ("person", "organisation", "title", "starts_on"))
        written = [Unit, Organisation, Organisation.covered_units.through, Term, Person]
        written += [StatusChange, Position]
        self.record_people = orgs is not None
        modules = None
        if orgs is not None:
            from dangjian.demo.scaled import ScaledModules

            modules = ScaledModules(self)
            written += modules.models
        _large_cache()
        try:
            # A small load is all or nothing; a large one commits batch by batch.
            with transaction.atomic() if small else nullcontext():
                self._load_orgs(orgs)
                self._load_people(people)
                self._load_leading_groups()
                if modules is not None:
                    modules.run()
                counts.rebuild()  # the people were written in bulk: count them once
        finally:
            _reset_sequences(written)
        self.result.seconds = time.monotonic() - started
        return self.result

    # organisations

    def _load_orgs(self, orgs: int | None) -> None:
        progress = Progress(self.out, "党组织", orgs) if orgs else None
        chunk: list[Institution] = []
        size = done = 0
        for institution in institutions(orgs, self.seed, self.year):
            chunk.append(institution)
            size += institution.size()
            if size >= self.batch_size:
                done += self._insert_institutions(chunk)
                chunk, size = [], 0
                if progress:
                    progress.update(done)
        if chunk:
            done += self._insert_institutions(chunk)
        if progress:
            progress.update(done)
            progress.finish()

    @transaction.atomic
    def _insert_institutions(self, chunk: list[Institution]) -> int:
        unit_ids = self._insert_units(chunk)
        nodes: list[tuple[int, OrgSpec, str]] = []  # (institution no, spec, path)
        for n, institution in enumerate(chunk):
            self.roots += 1
            _flatten(n, institution.committee, "", self.roots, nodes)
        rows = [
            (
                *(getattr(spec, name) for name in ORG_FIELDS[:9]),
                path,
                len(path) // Organisation.steplen,
                len(spec.children),
            )
            for _, spec, path in nodes
        ]
        ids = self.orgs.write(rows)
        org_ids = {id(spec): pk for (_, spec, _), pk in zip(nodes, ids, strict=True)}
        self.result.add("党组织", len(rows))

        links = [
            (org_ids[id(spec)], unit_ids[n, key]) for n, spec, _ in nodes for key in spec.units
        ]
        self.links.write(links)
        self.result.add("覆盖单位", len(links))

        terms = {
            org_ids[id(spec)]: self._term(spec) for _, spec, _ in nodes if spec.kind != "group"
        }
        self.terms.write([(org, *term) for org, term in terms.items()])
        self.result.add("届次", len(terms))

        classes: dict[tuple[int, str], list[int]] = {}
        for (n, key), pk in unit_ids.items():
            if key.startswith("college:") and key.count(":") == 2:
                college = key.rsplit(":", 1)[0]
                classes.setdefault((n, college), []).append(pk)
        starts = {org: term[1] for org, term in terms.items()}
        for n, institution in enumerate(chunk):
            self._collect_branches(n, institution, org_ids, unit_ids, classes, starts)
        _reset_queries()  # DEBUG keeps every query otherwise
        return len(rows)

    def _insert_units(self, chunk: list[Institution]) -> dict[tuple[int, str], int]:
        """Units level by level (parents first); returns (institution no, key) → id."""
        ids: dict[tuple[int, str], int] = {}
        pending = [(n, spec) for n, institution in enumerate(chunk) for spec in institution.units]
        while pending:
            ready = [(n, s) for n, s in pending if s.parent is None or (n, s.parent) in ids]
            rows = [
                (s.name, s.kind, ids[n, s.parent] if s.parent else None, s.display_order)
                for n, s in ready
            ]
            for (n, s), pk in zip(ready, self.units.write(rows), strict=True):
                ids[n, s.key] = pk
            pending = [(n, s) for n, s in pending if (n, s.key) not in ids]
            self.result.add("行政单位", len(rows))
        return ids

    def _term(self, spec: OrgSpec) -> tuple[int, date, date]:
        """The current committee term: three years for a branch, five for the levels above."""
        years = 3 if spec.kind == "branch" else 5
        starts = self.today - timedelta(days=self.rng.randint(30, years * 365 - 60))
        founded = spec.founded_on or starts
        starts = max(starts, founded)
        return 1 + (starts.year - founded.year) // years, starts, add_years(starts, years)

    def _collect_branches(self, n, institution, org_ids, unit_ids, classes, starts) -> None:
        """Remember what people generation needs about each branch, and the offices to fill."""
        committee = org_ids[id(institution.committee)]
        pending = [Slot(committee, title, starts[committee]) for title in COMMITTEE_TITLES]
        for gb_spec in institution.committee.children:
            gb = org_ids[id(gb_spec)]
            pending += [Slot(gb, title, starts[gb]) for title in BRANCH_TITLES]
            for b_spec in gb_spec.children:
                branch = org_ids[id(b_spec)]
                student = b_spec.category == "student"
                own = [
                    Slot(branch, title, starts[branch], student and i < 2)
                    for i, title in enumerate(BRANCH_TITLES)
                ]
                # Officers of the general branch and committee come from their first branch.
                upper = [Slot(s.org_id, s.title, s.starts_on, student) for s in pending]
                pending = []
                college = next((k for k in b_spec.units if k.startswith("college:")), None)
                self.branches.append(
                    BranchInfo(
                        id=branch,
                        category=b_spec.category,
                        weight=BRANCH_WEIGHT[b_spec.category] * self.rng.uniform(0.6, 1.4),
                        units=[unit_ids[n, k] for k in b_spec.units],
                        classes=classes.get((n, college), []) if college else [],
                        groups=[(org_ids[id(g)], g.group_kind) for g in b_spec.children],
                        slots=sorted(own + upper, key=lambda s: s.title != "secretary"),
                        general_branch=gb,
                        committee=committee,
                    )
                )
            # A general branch without branches passes the committee's offices on.
            pending = [s for s in pending if s.org_id == committee]

    # people

    def _load_people(self, total: int) -> None:
        minimums = [len(b.slots) for b in self.branches]
        counts = allocate(total, [b.weight for b in self.branches], minimums)
        progress = Progress(self.out, "人员", total)
        drafts: list[Draft] = []
        owners: list[BranchInfo] = []
        done = 0
        for branch, count in zip(self.branches, counts, strict=True):
            for draft in self.branch_people(branch, count):
                drafts.append(draft)
                owners.append(branch)
                if len(drafts) >= self.batch_size:
                    done += self._insert_people(drafts, owners)
                    drafts, owners = [], []
                    progress.update(done)
        if drafts:
            done += self._insert_people(drafts, owners)
        progress.update(done)
        progress.finish()

    def branch_people(self, branch: BranchInfo, count: int) -> Iterator[Draft]:
        rng, factory = self.rng, self.factory
        owners = slot_owners(branch.slots, count)
        statuses, weights = zip(*STATUS_MIX[branch.category], strict=True)
        cum = _cumulative(weights)
        category = PERSON_CATEGORY[branch.category]
        led: set[int] = set()
        for i in range(count):
            slots = owners.get(i, [])
            if slots:
                kind = "staff" if any(s.counsellor for s in slots) else category
                draft = factory.person(kind, "full")
            else:
                kind = category
                draft = factory.person(kind, rng.choices(statuses, cum_weights=cum)[0])
            fields = draft.fields
            fields["primary_org"] = branch.id
            if branch.units and kind != "retiree":
                fields["unit"] = rng.choice(branch.units) if kind == "staff" else branch.units[0]
            oldest = False
            if kind == "student" and branch.classes:
                age = factory.today.year - fields["birth_date"].year
                grade = 0 if age >= 21 else 1 if age == 20 else 2  # classes run oldest grade first
                per_grade = max(1, len(branch.classes) // 3)
                index = min(len(branch.classes) - 1, grade * per_grade + rng.randrange(per_grade))
                fields["unit"] = branch.classes[index]
                oldest = grade == 0
            since = fields["status_since"]
            draft.positions = [(s.org_id, s.title, max(s.starts_on, since)) for s in slots]
            group = self._group_for(branch, kind, fields["party_status"], oldest)
            if group is not None:
                fields["group"] = group
                if group not in led:  # the first member placed in a group leads it
                    led.add(group)
                    start = max(since, branch.slots[0].starts_on) if branch.slots else since
                    draft.positions.append((group, "group_leader", start))
            yield draft

    def _group_for(self, branch: BranchInfo, kind: str, status: str, oldest: bool) -> int | None:
        """Final-year interns, a few seconded teachers, every retiree
        (《基层组织建设实施意见》§四(一)3)."""
        if status not in ("probationary", "full") or not branch.groups:
            return None
        rng = self.rng
        wanted = {
            "student": inst.INTERNSHIP if oldest and rng.random() < 0.85 else None,
            "staff": inst.SECONDMENT if rng.random() < 0.08 else None,
            "retiree": inst.RESIDENCE,
        }[kind]
        choices = [gid for gid, group_kind in branch.groups if group_kind == wanted]
        return rng.choice(choices) if choices else None

    @transaction.atomic
    def _insert_people(self, drafts: list[Draft], owners: list[BranchInfo] | None = None) -> int:
        ids = self.people.write([_person_row(d.fields) for d in drafts])
        pairs = list(zip(ids, drafts, strict=True))
        if self.record_people and owners is not None:
            for pk, draft, branch in zip(ids, drafts, owners, strict=True):
                _remember(branch, pk, draft, self.officers)
        changes = [(pk, a, b, on, STEP_NOTES[b]) for pk, d in pairs for a, b, on in d.history]
        self.changes.write(changes)
        positions = [(pk, *office) for pk, d in pairs for office in d.positions]
        self.positions.write(positions)
        self.result.add("人员", len(drafts))
        self.result.add("政治面貌变更", len(changes))
        self.result.add("职务", len(positions))
        _reset_queries()  # DEBUG keeps every query otherwise
        return len(drafts)

    # leading groups

    def _load_leading_groups(self) -> None:
        """A “168” leading group per committee, its office in the organisation department."""
        current = (
            Position.objects.current(self.today)
            .filter(
                organisation__kind__in=("committee", "general_branch"),
                title__in=("secretary", "deputy_secretary", "committee"),
            )
            .order_by("organisation__path", "id")
            .values_list("organisation__path", "organisation__kind", "title", "person_id")
        )
        plans: dict[str, list[tuple[str, int]]] = {}
        for path, kind, title, person_id in current.iterator(chunk_size=self.batch_size):
            if kind == "general_branch" and title != "secretary":
                continue
            role = {"secretary": "leader", "deputy_secretary": "deputy"}.get(title, "member")
            if kind == "general_branch":
                role = "member"
            plans.setdefault(path[: Organisation.steplen], []).append((role, person_id))
        committees = dict(Organisation.objects.filter(depth=1).values_list("path", "pk").iterator())
        rank = {"leader": 0, "deputy": 1, "member": 2}
        groups, members = [], []
        for path, plan in plans.items():
            groups.append(
                LeadingGroup(
                    organisation_id=committees[path],
                    name=inst.LEADING_GROUP_NAME,
                    office=inst.LEADING_GROUP_OFFICE,
                    duties=inst.LEADING_GROUP_DUTIES,
                )
            )
            ranked = sorted(plan, key=lambda x: rank[x[0]])
            # The office head is a member serving concurrently (办公室主任（兼）).
            head = next((p for r, p in ranked if r == "member"), None)
            members.append(ranked + ([("office_head", head)] if head else []))
        LeadingGroup.objects.bulk_create(groups, batch_size=self.batch_size)
        rows = [
            LeadingGroupMember(group_id=group.pk, role=role, person_id=person, display_order=i)
            for group, plan in zip(groups, members, strict=True)
            for i, (role, person) in enumerate(plan, start=1)
        ]
        LeadingGroupMember.objects.bulk_create(rows, batch_size=self.batch_size)
        self.result.add("领导小组", len(groups) + len(rows))


MEMBER_STATUSES = ("probationary", "full")
PIPELINE_STATUSES = ("applicant", "activist", "candidate", "target", "probationary")


def _remember(branch: BranchInfo, pk: int, draft: Draft, officers: dict[int, list[int]]) -> None:
    """Keep what the scaled modules need about a person just inserted."""
    f = draft.fields
    status = f["party_status"]
    if status in MEMBER_STATUSES:
        branch.members.append(pk)
    if status in PIPELINE_STATUSES and f["applied_on"] is not None:
        branch.pipeline.append(
            (
                pk,
                status,
                f["applied_on"],
                f["status_since"],
                f["probation_starts_on"],
                f["probation_ends_on"],
            )
        )
    for org_id, title, _start in draft.positions:
        if title == "group_leader":
            continue
        holders = officers.setdefault(org_id, [])
        if title == "secretary":
            holders.insert(0, pk)
        else:
            holders.append(pk)


def _large_cache() -> None:
    """SQLite's default 2 MB page cache thrashes on the random-order indexes (names, ID
    numbers) of large tables; a fixed 256 MB keeps memory bounded and bulk writes fast."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")


def _flatten(n: int, spec: OrgSpec, parent_path: str, step: int, out: list) -> None:
    """Append `spec` and its subtree with their materialised paths, parents first."""
    path = Organisation._get_path(parent_path, len(parent_path) // Organisation.steplen + 1, step)
    out.append((n, spec, path))
    for i, child in enumerate(spec.children, start=1):
        _flatten(n, child, path, i, out)


def _reset_sequences(model_list: list) -> None:
    """Move PostgreSQL's id sequences past the ids RowWriter chose (nothing to do on SQLite)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(sql)


def allocate(total: int, weights: list[float], minimums: list[int]) -> list[int]:
    """Split `total` by weight, exactly, giving each share its minimum first when possible."""
    if not weights:
        return []
    if sum(minimums) <= total:
        base = list(minimums)
    else:
        base = [1 if total >= len(weights) else 0] * len(weights)
    rest = total - sum(base)
    weight_sum = sum(weights)
    shares = [rest * w / weight_sum for w in weights]
    counts = [int(s) for s in shares]
    by_fraction = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_fraction[: rest - sum(counts)]:
        counts[i] += 1
    return [b + c for b, c in zip(base, counts, strict=True)]


def slot_owners(slots: list[Slot], count: int) -> dict[int, list[Slot]]:
    """Person index → offices. Secretaries come first; with too few people the first doubles up."""
    owners: dict[int, list[Slot]] = {}
    if count == 0:
        return owners
    for i, slot in enumerate(slots):
        if i < count:
            owners.setdefault(i, []).append(slot)
        elif slot.title == "secretary":
            owners[0].append(slot)
    return owners


# ---- reset and logins ----------------------------------------------------------------------


def has_data() -> bool:
    return Organisation.objects.exists() or Person.objects.exists() or Unit.objects.exists()


def reset_data(batch_size: int = BATCH_SIZE) -> None:
    """Delete every organisation, person and unit, with the rows that hang on them.

    The org app's own tables are emptied with one statement each. When rows of other apps
    still refer to people, organisations or units, those go through Django's collector in
    batches, so their own on_delete rules (cascade, protect) apply.
    """
    with counts.paused():
        _reset_data(batch_size)
    counts.rebuild()


def _reset_data(batch_size: int) -> None:
    from dangjian.core.models import Reminder, User
    from dangjian.demo.appraisal import reset_appraisal
    from dangjian.demo.assessment import reset_assessment
    from dangjian.demo.branches import reset_branches
    from dangjian.demo.honours import reset_honours
    from dangjian.demo.mechanism import reset_mechanism
    from dangjian.demo.organisational import reset_organisational
    from dangjian.demo.review import reset_review
    from dangjian.demo.surveys import reset_surveys

    _large_cache()
    Reminder.objects.all().delete()
    reset_honours()
    reset_appraisal()
    reset_assessment()
    reset_branches()
    reset_review()  # its reports refer to surveys
    reset_surveys()
    reset_organisational()
    reset_mechanism()
    Through = Organisation.covered_units.through
    owned = [LeadingGroupMember, LeadingGroup, StatusChange, Position, Term, Through]
    with transaction.atomic():
        for model in owned:
            _delete_all(model)
        User.objects.exclude(person=None).update(person=None)
    for model in (Person, Organisation, Unit):
        if _referenced_elsewhere(model, owned + [User, Person, Organisation, Unit]):
            _delete_in_batches(model, batch_size)
        else:
            with transaction.atomic():
                _delete_all(model)


def _delete_all(model) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _referenced_elsewhere(model, known: list) -> bool:
    """Whether rows of a model outside `known` point at `model`."""
    return any(
        rel.related_model._base_manager.filter(**{f"{rel.field.name}__isnull": False}).exists()
        for rel in model._meta.related_objects
        if rel.related_model not in known
    )


def _delete_in_batches(model, batch_size: int) -> None:
    queryset = model._base_manager.all()
    if model is Unit:  # leaves first: a unit protects its children
        queryset = queryset.filter(children__isnull=True)
    while ids := list(queryset.values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            # The base manager's plain delete: the whole tree goes, so treebeard's per-parent
            # numchild bookkeeping is not needed.
            model._base_manager.filter(pk__in=ids).delete()
        _reset_queries()


def create_demo_logins(logins: tuple[DemoLogin, ...] = DEMO_LOGINS) -> dict[str, str]:
    """One login per role (password DEMO_PASSWORD), linked to the matching person.

    Returns each username's scope as shown to people: the seed's wording, or the organisation
    actually used when the tree is synthetic or cut short.
    """
    from dangjian.core.models import User

    scopes = {}
    for login in logins:
        org, person = _login_person(login)
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.is_superuser = user.is_staff = login.how == "admin"
        user.is_org_officer = login.how == "org_officer"
        user.is_active = True
        user.person = person
        user.set_password(DEMO_PASSWORD)
        user.save()
        scopes[login.username] = login.scope
        if org is not None and org.name != login.org and login.how != "org_officer":
            scopes[login.username] = {
                "secretary": f"{org.name}及所属支部" if org.kind != "branch" else org.name,
                "member": f"本人信息（{org.name}）",
            }[login.how]
    return scopes


def _login_person(login: DemoLogin) -> tuple[Organisation | None, Person | None]:
    if login.how == "admin":
        return None, None
    org = Organisation.objects.filter(name=login.org).order_by("path").first()
    if org is None:
        # The first branch of the category, or the general branch above it.
        branches = Organisation.objects.filter(kind="branch").order_by("path")
        if login.fallback_category:
            branches = branches.filter(category=login.fallback_category)
        org = branches.first()
        if org is not None and login.fallback_kind == "general_branch":
            org = Organisation.objects.get_parent(org)
    if org is None:
        return None, None
    if login.how == "secretary":
        position = Position.objects.current().filter(organisation=org, title="secretary").first()
        return org, position.person if position else None
    people = Person.objects.filter(primary_org=org, user__isnull=True, party_status="full")
    if login.how == "member":
        people = people.filter(category="student")
    # A plain member (of the organisation department for its officer), not a branch officer.
    plain = people.filter(positions__isnull=True).order_by("id")
    person = (
        plain.filter(unit__name="组织部").first()
        or plain.first()
        or people.order_by("id").first()
        or Person.objects.filter(primary_org=org).order_by("id").first()
    )
    return org, person
