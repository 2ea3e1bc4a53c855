"""数据驾驶舱: the figures of the “168” mechanism for an organisation's subtree and for each
organisation one level below it (or, for a scope with many roots, a page of the roots).

Every figure is one grouped query per depth among the rows (`Substr(path)` prefix, as
org.rollup.grouped_by_prefix) plus one for the total: the page runs the same number of queries
whatever the number of rows, and never counts the people table (members come from
org.PeopleCount; education hours group the year's study records by person, in SQL)."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.appraisal.models import CycleState, EvaluationCycle, EvaluationResult
from dangjian.assessment.models import (
    RESULT_STATES,
    AssessmentRound,
    AssessmentState,
    BranchAssessment,
)
from dangjian.branches.models import (
    BranchGrading,
    Grade,
    GradingState,
    GradingYear,
    ItemState,
    RectificationItem,
    Round,
)
from dangjian.development.models import OPEN_STATUSES, Case, Stage
from dangjian.org import rollup
from dangjian.org.models import Organisation, OrgKind, PeopleCount, Person, orgs_under
from dangjian.org.rules import MEMBER_STATUSES, top_paths
from dangjian.orglife import selectors as orglife
from dangjian.orglife.models import Meeting, MeetingState, StudyRecord
from dangjian.posts.models import DutyRecord, Post, PostState
from dangjian.reports import rules
from dangjian.reports.models import QuarterlyReport, ReportStatus
from dangjian.reports.selectors import covered_branch_paths

# The organisations one level below that the cockpit shows (groups are part of their branch).
CHILD_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
REQUIRED_CATEGORIES = ("staff", "student")  # 《基层组织建设实施意见》§四(二)1: hours required
SCORED_STATES = (AssessmentState.SCORED, *RESULT_STATES)


@dataclass
class Frame:
    """The rows of the cockpit (`nodes`) and the subtrees their total covers (`paths`; None:
    everything, the department)."""

    nodes: list[Organisation]
    paths: tuple[str, ...] | None
    # The nodes' depth when every row of the total lies under the total's roots at depths
    # above it (the children of one organisation; the department's first level): one query
    # grouped by the prefix at this depth then gives the nodes and, summed, the total.
    level: int | None = None


@dataclass
class Figures:
    """The figures of one subtree (a row of the table, or the total)."""

    members: int = 0
    required_members: int = 0  # staff and students: a yearly hours requirement
    hours_met: int = 0
    branches: int = 0
    covered: int = 0
    posts: dict[str, int] = field(default_factory=dict)
    duty_records: int = 0
    rules_applicable: int = 0
    rules_done: int = 0
    funnel: dict[int, int] = field(default_factory=dict)
    grades: dict[str, int] = field(default_factory=dict)  # appraisal results by grade
    assessed: int = 0
    assessment_sum: Decimal = Decimal("0")
    assessment_grades: dict[str, int] = field(default_factory=dict)
    branch_grades: dict[str, int] = field(default_factory=dict)
    items: int = 0
    items_done: int = 0
    reporting: int = 0
    reports_on_time: int = 0
    reports_late: int = 0
    reports_overdue: int = 0

    @property
    def coverage_percent(self) -> float:
        return rules.coverage_percent(self.covered, self.branches)

    @property
    def posts_total(self) -> int:
        return sum(self.posts.values())

    @property
    def posts_published(self) -> int:
        return sum(self.posts.get(s, 0) for s in PUBLISHED_STATES)

    @property
    def duty_per_member(self) -> float | None:
        return rules.per_member(self.duty_records, self.members)

    @property
    def life_percent(self) -> float | None:
        return rules.share_percent(self.rules_done, self.rules_applicable)

    @property
    def hours_percent(self) -> float | None:
        return rules.share_percent(self.hours_met, self.required_members)

    @property
    def developing(self) -> int:
        return sum(self.funnel.values())

    @property
    def evaluated(self) -> int:
        return sum(self.grades.values())

    @property
    def assessment_average(self) -> float | None:
        if not self.assessed:
            return None
        return float((self.assessment_sum / self.assessed).quantize(Decimal("0.1")))

    @property
    def graded(self) -> int:
        return sum(self.branch_grades.values())

    @property
    def items_percent(self) -> float | None:
        return rules.share_percent(self.items_done, self.items)

    @property
    def reports_submitted(self) -> int:
        return self.reports_on_time + self.reports_late

    @property
    def status(self) -> str:
        return rules.node_status(
            self.life_percent,
            self.reports_overdue,
            settings.COCKPIT_GREEN_PERCENT,
            settings.COCKPIT_RED_PERCENT,
        )

    @property
    def status_label(self) -> str:
        return rules.NODE_STATUS_LABELS[self.status]


PUBLISHED_STATES = (PostState.PUBLISHED, PostState.PERFORMING, PostState.EVALUATED)


@dataclass
class Period:
    """What “this year” and “this quarter” mean on the day the cockpit is read."""

    today: date
    year: int = field(init=False)
    quarter: int = field(init=False)
    due: date = field(init=False)

    def __post_init__(self) -> None:
        self.year = self.today.year
        self.quarter = rules.quarter_of(self.today)
        self.due = rules.due_date(self.year, self.quarter)


@dataclass
class Latest:
    """The latest published appraisal cycles, assessment rounds and grading year the figures
    describe (by the organisation that runs them), for the links behind the figures."""

    cycles: dict[str, int] = field(default_factory=dict)  # organisation path → cycle id
    rounds: dict[str, int] = field(default_factory=dict)
    grading_year: GradingYear | None = None

    @staticmethod
    def nearest(ids: Mapping[str, int], path: str) -> int | None:
        """The run of the organisation nearest above `path` (or at it), else one below it
        when only one runs there."""
        for end in range(len(path), 0, -rollup.STEPLEN):
            if path[:end] in ids:
                return ids[path[:end]]
        below = [pk for p, pk in ids.items() if p.startswith(path)]
        return below[0] if len(below) == 1 else None


# --- frames ----------------------------------------------------------------------------------


def children_frame(org: Organisation) -> Frame:
    """`org` in total and its active committees, general branches and branches one level below."""
    children = list(
        Organisation.objects.active()
        .filter(path__startswith=org.path, depth=org.depth + 1, kind__in=CHILD_KINDS)
        .order_by("display_order", "path")
    )
    return Frame(nodes=children, paths=(org.path,), level=org.depth + 1)


# --- grouped queries -------------------------------------------------------------------------


def _path_field(org_field: str) -> str:
    return f"{org_field}__path" if org_field else "path"


def _in_total(qs: QuerySet[Any], org_field: str, paths: tuple[str, ...] | None) -> QuerySet[Any]:
    if paths is None:
        return qs
    few = rollup.few_paths_q(_path_field(org_field), paths)
    if few is not None:
        return qs.filter(few)
    return qs.filter(**{f"{org_field or 'pk'}__in": orgs_under(paths)})


def grouped(
    qs: QuerySet[Any],
    org_field: str,
    frame: Frame,
    aggregates: Mapping[str, Any],
    by: tuple[str, ...] = (),
    with_total: bool = True,
    node_aggregates: Callable[[tuple[str, ...]], Mapping[str, Any]] | None = None,
) -> tuple[dict[int, list[dict[str, Any]]], list[dict[str, Any]]]:
    """`aggregates` of the rows of `qs` (also grouped by the fields `by`) in each node's subtree,
    by node id, and over the frame's total: one query per depth among the nodes and one for
    the total. `org_field` is the rows' organisation ("" for organisations themselves).
    `node_aggregates` gives the aggregates for the nodes at some paths when their subqueries
    can be narrowed to them."""
    path_field = _path_field(org_field)
    per_node: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if with_total and frame.level is not None:
        return _grouped_once(qs, path_field, org_field, frame, aggregates, by)
    few = rollup.few_paths_q(path_field, (n.path for n in frame.nodes))
    for depth, group in rollup.by_depth(frame.nodes).items():
        paths = {n.path: n.pk for n in group}
        rows = qs.order_by()
        if few is not None:
            rows = rows.filter(few)
        rows = rows.annotate(_prefix=rollup.prefix(path_field, depth))
        if few is None:
            rows = rows.filter(_prefix__in=list(paths))
        wanted = aggregates if node_aggregates is None else node_aggregates(tuple(paths))
        for row in rows.values("_prefix", *by).annotate(**wanted):
            pk = paths.get(row.pop("_prefix"))
            if pk is not None:
                per_node[pk].append(row)
    if not with_total:
        return per_node, []
    total_qs = _in_total(qs.order_by(), org_field, frame.paths)
    if by:
        total = list(total_qs.values(*by).annotate(**aggregates))
    else:
        total = [total_qs.aggregate(**aggregates)]
    return per_node, total


def _grouped_once(
    qs: QuerySet[Any],
    path_field: str,
    org_field: str,
    frame: Frame,
    aggregates: Mapping[str, Any],
    by: tuple[str, ...],
) -> tuple[dict[int, list[dict[str, Any]]], list[dict[str, Any]]]:
    """grouped() in one query: the total's rows grouped by their path prefix at the nodes'
    depth; each node takes its group, the total is every group (the rows of the roots
    themselves and of organisations not shown included)."""
    assert frame.level is not None
    paths = {n.path: n.pk for n in frame.nodes}
    rows = _in_total(qs.order_by(), org_field, frame.paths)
    rows = rows.annotate(_prefix=rollup.prefix(path_field, frame.level))
    per_node: dict[int, list[dict[str, Any]]] = defaultdict(list)
    total: list[dict[str, Any]] = []
    for row in rows.values("_prefix", *by).annotate(**aggregates):
        pk = paths.get(row.pop("_prefix"))
        if pk is not None:
            per_node[pk].append(row)
        total.append(row)
    return per_node, total


def _sum(rows: Iterable[Mapping[str, Any]], key: str) -> Any:
    return sum((row.get(key) or 0) for row in rows)


def _by(rows: Iterable[Mapping[str, Any]], key: str, value: str = "n") -> dict[Any, int]:
    result: dict[Any, int] = defaultdict(int)
    for row in rows:
        if row.get(key) not in (None, ""):
            result[row[key]] += row.get(value) or 0
    return dict(result)


# --- the figures -----------------------------------------------------------------------------


def _narrow(qs: QuerySet[Any], org_field: str, paths: tuple[str, ...] | None) -> QuerySet[Any]:
    """`qs` within the subtrees at `paths` when they are few (their organisation ids, an
    indexed probe), else everything: a subquery of the organisation query reads only the
    subtree it is asked about."""
    if paths is None or len(top_paths(paths)) > rollup.FEW_PATHS:
        return qs
    return qs.filter(**{f"{org_field}__in": orgs_under(tuple(top_paths(paths)))})


def _organisation_aggregates(
    period: Period, paths: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Coverage and quarterly reports: counts over the organisations
    (of the subtrees at `paths`, when given, which narrows the subqueries)."""
    covered = covered_branch_paths(period.year, paths)
    aggregates: dict[str, Any] = {
        "branches": Count("id", filter=Q(kind=OrgKind.BRANCH)),
        "covered": Count("id", filter=Q(kind=OrgKind.BRANCH, path__in=covered)),
    }
    submitted = (
        _narrow(QuarterlyReport.objects, "organisation", paths)
        .filter(
            year=period.year,
            quarter=period.quarter,
            status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
            submitted_at__isnull=False,
        )
        .order_by()
    )
    reporting = Q(kind__in=rules.REPORTING_KINDS)
    aggregates.update(
        reporting=Count("id", filter=reporting),
        reports_on_time=Count(
            "id",
            filter=reporting
            & Q(pk__in=submitted.filter(submitted_at__date__lte=period.due).values("organisation")),
        ),
        reports_late=Count(
            "id",
            filter=reporting
            & Q(pk__in=submitted.filter(submitted_at__date__gt=period.due).values("organisation")),
        ),
    )
    return aggregates


class _Sql:
    """A statement and its parameters, written in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, text: str, *params: Any) -> None:
        self.parts.append(text)
        self.params.extend(params)

    def __str__(self) -> str:
        return "".join(self.parts)


def _paths_sql(sql: _Sql, column: str, paths: Iterable[str]) -> None:
    """`(column LIKE 'a%' OR …)`: the few subtrees at `paths` (indexed prefix matches)."""
    kept = top_paths(paths)
    sql.add("(" + " OR ".join([f"{column} LIKE %s"] * len(kept)) + ")", *[p + "%" for p in kept])


def life_counts(
    frame: Frame, period: Period, with_total: bool = True
) -> tuple[dict[int, tuple[int, int]], tuple[int, int]]:
    """Organisational life (《关于加强和改进党的基层组织建设的实施意见》§四(二), the rules of
    orglife.FrequencyRule as orglife.selectors.compliance_for applies them): (rules that apply,
    rules done this period) summed over the organisations of each node's subtree and of the
    total. One statement per depth among the nodes and one for the total (one in all when the
    nodes are one level of the total): the meetings of the widest period are read once,
    counted per organisation for every rule at the same time (and per ancestor for the rules
    that count a subtree), then joined to the organisations."""
    rule_list = orglife.active_rules()
    if not rule_list:
        return {}, (0, 0)
    bounds = {rule.pk: orglife.bounds(rule.period, period.today) for rule in rule_list}
    first = min(b[0] for b in bounds.values())
    last = max(b[1] for b in bounds.values())
    quote = connection.ops.quote_name
    meeting = quote(Meeting._meta.db_table)
    org = quote(Organisation._meta.db_table)
    subtree = any(r.include_subtree for r in rule_list)

    def counts(sql: _Sql) -> None:
        for i, rule in enumerate(rule_list):
            kinds = list(rule.kinds) or [""]
            start, end = bounds[rule.pk]
            sql.add(
                f"{', ' if i else ''}SUM(CASE WHEN mt.kind IN ({', '.join(['%s'] * len(kinds))})"
                " AND mt.duration_minutes >= %s AND mt.held_on BETWEEN %s AND %s"
                f" THEN 1 ELSE 0 END) AS r{rule.pk}",
                *kinds,
                rule.min_minutes,
                start,
                end,
            )

    def meetings_where(sql: _Sql, paths: tuple[str, ...] | None) -> None:
        # held meetings only, as the frequency rules count (planned and cancelled ones do not)
        sql.add(
            " WHERE mt.state = %s AND mt.held_on BETWEEN %s AND %s", MeetingState.HELD, first, last
        )
        if paths is not None and len(top_paths(paths)) <= rollup.FEW_PATHS:
            sql.add(f" AND mt.organisation_id IN (SELECT id FROM {org} WHERE ")
            _paths_sql(sql, "path", paths)
            sql.add(")")

    def statement(prefix: int | None, where_paths: tuple[str, ...] | None) -> _Sql:
        sql = _Sql()
        sql.add("WITH m AS (SELECT mt.organisation_id AS oid, ")
        counts(sql)
        sql.add(f" FROM {meeting} mt")
        meetings_where(sql, where_paths)
        sql.add(" GROUP BY mt.organisation_id)")
        if subtree:
            # per ancestor: the organisations' counts (m, a row per organisation that met)
            # added up by path prefix at each depth — not the meetings read again
            columns = [f"r{r.pk}" for r in rule_list if r.include_subtree]
            sql.add(", s AS (SELECT anc, ")
            sql.add(", ".join(f"SUM({c}) AS {c}" for c in columns))
            sql.add(" FROM (")
            for depth in range(1, 5):
                length = depth * rollup.STEPLEN
                sql.add(" UNION ALL " if depth > 1 else "")
                sql.add(f"SELECT SUBSTR(mo.path, 1, {length}) AS anc, ")
                sql.add(", ".join(f"m.{c} AS {c}" for c in columns))
                sql.add(f" FROM m JOIN {org} mo ON mo.id = m.oid WHERE LENGTH(mo.path) >= {length}")
            sql.add(") u GROUP BY anc)")
        select = f"SUBSTR(o.path, 1, {prefix * rollup.STEPLEN})" if prefix else "''"
        sql.add(f" SELECT {select} AS p, ")
        applicable, done = _Sql(), _Sql()
        for i, rule in enumerate(rule_list):
            plus = " + " if i else ""
            source = "s" if rule.include_subtree else "m"
            applies = "o.kind = %s" + (" AND o.category = %s" if rule.branch_category else "")
            params = [rule.org_kind, *([rule.branch_category] if rule.branch_category else [])]
            applicable.add(f"{plus}CASE WHEN {applies} THEN 1 ELSE 0 END", *params)
            done.add(
                f"{plus}CASE WHEN {applies} AND COALESCE({source}.r{rule.pk}, 0) >= %s"
                " THEN 1 ELSE 0 END",
                *params,
                rule.min_count,
            )
        sql.add(f"SUM({applicable}), ", *applicable.params)
        sql.add(f"SUM({done})", *done.params)
        sql.add(f" FROM {org} o LEFT JOIN m ON m.oid = o.id")
        if subtree:
            sql.add(" LEFT JOIN s ON s.anc = o.path")
        sql.add(" WHERE o.dissolved_on IS NULL")
        if where_paths is not None and prefix and len(top_paths(where_paths)) > rollup.FEW_PATHS:
            # many nodes of one depth: their prefixes (no OR of LIKEs growing with them)
            length = prefix * rollup.STEPLEN
            marks = ", ".join(["%s"] * len(where_paths))
            sql.add(f" AND SUBSTR(o.path, 1, {length}) IN ({marks})", *where_paths)
        elif where_paths is not None:
            sql.add(" AND ")
            _paths_sql(sql, "o.path", where_paths)
        if prefix:
            sql.add(f" GROUP BY SUBSTR(o.path, 1, {prefix * rollup.STEPLEN})")
        return sql

    def run(sql: _Sql) -> list[tuple[str, int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(str(sql), sql.params)
            return [(p, int(a or 0), int(d or 0)) for p, a, d in cursor.fetchall()]

    per_node: dict[int, tuple[int, int]] = {}
    if frame.level is not None and with_total:
        paths = {n.path: n.pk for n in frame.nodes}
        rows = run(statement(frame.level, frame.paths))
        for p, a, d in rows:
            if p in paths:
                per_node[paths[p]] = (a, d)
        return per_node, (sum(r[1] for r in rows), sum(r[2] for r in rows))
    for depth, group in rollup.by_depth(frame.nodes).items():
        paths = {n.path: n.pk for n in group}
        for p, a, d in run(statement(depth, tuple(paths))):
            if p in paths:
                per_node[paths[p]] = (a, d)
    if not with_total:
        return per_node, (0, 0)
    total_rows = run(statement(None, frame.paths))
    return per_node, (sum(r[1] for r in total_rows), sum(r[2] for r in total_rows))


def _hours_met(year: int) -> QuerySet[Person]:
    """Members on the register who reached their category's hours in `year` (《基层组织建设实施
    意见》§四(二)1, orglife.selectors.short_of_hours_q): the year's study records summed per
    person in SQL."""
    staff, integrity, student = orglife.hours_settings()
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=7, decimal_places=1))
    met = (
        StudyRecord.objects.filter(studied_on__range=(date(year, 1, 1), date(year, 12, 31)))
        .order_by()
        .values("person")
        .annotate(
            total=Coalesce(Sum("hours"), zero),
            integ=Coalesce(Sum("hours", filter=Q(integrity=True)), zero),
        )
        .filter(
            Q(person__category="staff", total__gte=staff, integ__gte=integrity)
            | Q(person__category="student", total__gte=student)
        )
        .values("person")
    )
    return Person.objects.filter(
        pk__in=met,
        is_active=True,
        party_status__in=MEMBER_STATUSES,
        category__in=REQUIRED_CATEGORIES,
    )


def _near(paths: tuple[str, ...] | None) -> Q:
    """Organisations whose runs can describe the subtrees `paths`: those at or under one of
    them, and their ancestors (everything when None)."""
    if paths is None:
        return Q()
    above = {p[:end] for p in paths for end in range(rollup.STEPLEN, len(p), rollup.STEPLEN)}
    near = Q(organisation__path__in=above)
    for path in paths:
        near |= Q(organisation__path__startswith=path)
    return near


def latest_runs(paths: tuple[str, ...] | None = None) -> Latest:
    """The latest published appraisal cycle and assessment round of each organisation that
    runs them (of those near the subtrees `paths`: a branch secretary's cockpit looked at all
    1,751 committees' rounds at the reference scale), and the latest grading year (three
    small queries)."""
    cycle = (
        EvaluationCycle.objects.filter(
            state=CycleState.PUBLISHED, organisation=OuterRef("organisation")
        )
        .order_by("-year", "-published_on", "-pk")
        .values("pk")[:1]
    )
    cycles = dict(
        EvaluationCycle.objects.filter(_near(paths), state=CycleState.PUBLISHED)
        .annotate(latest=Subquery(cycle))
        .filter(pk=F("latest"))
        .values_list("organisation__path", "pk")
    )
    scored = BranchAssessment.objects.filter(round=OuterRef("pk"), state__in=SCORED_STATES)
    round_ = (
        AssessmentRound.objects.filter(organisation=OuterRef("organisation"))
        .filter(Exists(scored))
        .order_by("-year", "-pk")
        .values("pk")[:1]
    )
    rounds = dict(
        AssessmentRound.objects.filter(_near(paths))
        .annotate(latest=Subquery(round_))
        .filter(pk=F("latest"))
        .values_list("organisation__path", "pk")
    )
    grading_year = (
        GradingYear.objects.filter(gradings__state=GradingState.GRADED)
        .order_by("-year", "-pk")
        .first()
    )
    return Latest(cycles=cycles, rounds=rounds, grading_year=grading_year)


def figures(
    frame: Frame, today: date | None = None, latest: Latest | None = None
) -> tuple[dict[int, Figures], Figures, Period, Latest]:
    """The figures of each node of `frame` and of its total, in a constant number of queries."""
    period = Period(today or timezone.localdate())
    latest = latest or latest_runs(frame.paths)
    year = period.year
    nodes = {n.pk: Figures() for n in frame.nodes}
    total = Figures()

    def apply(result: tuple[dict[int, list[dict[str, Any]]], list[dict[str, Any]]], fill) -> None:
        per_node, total_rows = result
        for pk, figures_ in nodes.items():
            fill(figures_, per_node.get(pk, []))
        fill(total, total_rows)

    def organisations(f: Figures, rows: list[dict[str, Any]]) -> None:
        for key in (
            "branches",
            "covered",
            "reporting",
            "reports_on_time",
            "reports_late",
        ):
            setattr(f, key, _sum(rows, key))
        if period.today > period.due:
            f.reports_overdue = max(f.reporting - f.reports_on_time - f.reports_late, 0)

    apply(
        grouped(
            Organisation.objects.active(),
            "",
            frame,
            _organisation_aggregates(period, frame.paths),
            node_aggregates=lambda paths: _organisation_aggregates(period, paths),
        ),
        organisations,
    )
    life, (applicable, done) = life_counts(frame, period)
    for pk, f in nodes.items():
        f.rules_applicable, f.rules_done = life.get(pk, (0, 0))
    total.rules_applicable, total.rules_done = applicable, done

    def people(f: Figures, rows: list[dict[str, Any]]) -> None:
        f.members, f.required_members = _sum(rows, "members"), _sum(rows, "required")

    apply(
        grouped(
            PeopleCount.objects.filter(is_active=True, party_status__in=MEMBER_STATUSES),
            "organisation",
            frame,
            {"members": Sum("n"), "required": Sum("n", filter=Q(category__in=REQUIRED_CATEGORIES))},
        ),
        people,
    )
    apply(
        grouped(_hours_met(year), "primary_org", frame, {"n": Count("id")}),
        lambda f, rows: setattr(f, "hours_met", _sum(rows, "n")),
    )
    apply(
        grouped(
            Post.objects.filter(year=year), "organisation", frame, {"n": Count("id")}, ("state",)
        ),
        lambda f, rows: setattr(f, "posts", _by(rows, "state")),
    )
    apply(
        grouped(
            DutyRecord.objects.filter(occurred_on__range=(date(year, 1, 1), period.today)),
            "organisation",
            frame,
            {"n": Count("id")},
        ),
        lambda f, rows: setattr(f, "duty_records", _sum(rows, "n")),
    )
    apply(
        grouped(
            Case.objects.filter(status__in=OPEN_STATUSES),
            "organisation",
            frame,
            {"n": Count("id")},
            ("stage",),
        ),
        lambda f, rows: setattr(f, "funnel", _by(rows, "stage")),
    )
    apply(
        grouped(
            EvaluationResult.objects.filter(cycle_id__in=list(latest.cycles.values())),
            "organisation",
            frame,
            {"n": Count("id")},
            ("grade",),
        ),
        lambda f, rows: setattr(f, "grades", _by(rows, "grade")),
    )

    def assessments(f: Figures, rows: list[dict[str, Any]]) -> None:
        f.assessed = _sum(rows, "n")
        f.assessment_sum = Decimal(_sum(rows, "s"))
        f.assessment_grades = _by(rows, "grade")

    apply(
        grouped(
            BranchAssessment.objects.filter(
                round_id__in=list(latest.rounds.values()),
                state__in=SCORED_STATES,
                total__isnull=False,
            ),
            "branch",
            frame,
            {"n": Count("id"), "s": Sum("total")},
            ("grade",),
        ),
        assessments,
    )
    grading_year_id = latest.grading_year.pk if latest.grading_year else None
    regraded = BranchGrading.objects.filter(
        grading_year=OuterRef("grading_year"),
        branch=OuterRef("branch"),
        round=Round.REGRADE,
        state=GradingState.GRADED,
    )
    final = BranchGrading.objects.filter(
        grading_year_id=grading_year_id, state=GradingState.GRADED
    ).filter(Q(round=Round.REGRADE) | ~Exists(regraded))
    apply(
        grouped(final, "branch", frame, {"n": Count("id")}, ("grade",)),
        lambda f, rows: setattr(f, "branch_grades", _by(rows, "grade")),
    )

    def items(f: Figures, rows: list[dict[str, Any]]) -> None:
        f.items, f.items_done = _sum(rows, "n"), _sum(rows, "done")

    grading_year = latest.grading_year.year if latest.grading_year else year
    apply(
        grouped(
            RectificationItem.objects.filter(plan__year=grading_year),
            "plan__branch",
            frame,
            {"n": Count("id"), "done": Count("id", filter=Q(state=ItemState.DONE))},
        ),
        items,
    )
    return nodes, total, period, latest


# What a node's status needs (reports.rules.node_status): organisational life and reports.
STATUS_KEYS = ("reporting", "reports_on_time", "reports_late")


def statuses(nodes: list[Organisation], today: date | None = None) -> dict[int, Figures]:
    """The figures behind each node's status colour (a page of the organisation tree): a
    grouped statement per depth among the nodes for organisational life and one for the
    reports, no total."""
    period = Period(today or timezone.localdate())
    paths = tuple(n.path for n in nodes)
    aggregates = _organisation_aggregates(period, paths)
    frame = Frame(nodes=nodes, paths=paths)
    per_node, _total = grouped(
        Organisation.objects.active(),
        "",
        frame,
        {key: aggregates[key] for key in STATUS_KEYS},
        with_total=False,
    )
    life, _life_total = life_counts(frame, period, with_total=False)
    result = {}
    for node in nodes:
        f = Figures()
        rows = per_node.get(node.pk, [])
        for key in STATUS_KEYS:
            setattr(f, key, _sum(rows, key))
        f.rules_applicable, f.rules_done = life.get(node.pk, (0, 0))
        if period.today > period.due:
            f.reports_overdue = max(f.reporting - f.reports_on_time - f.reports_late, 0)
        result[node.pk] = f
    return result


STAGES = list(Stage)
GRADES = list(Grade)
