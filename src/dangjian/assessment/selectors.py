"""Scoped reads of the assessment app, each in a fixed number of queries."""

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.assessment import rules
from dangjian.assessment.models import (
    RESULT_STATES,
    Appeal,
    AssessmentRound,
    AssessmentState,
    BonusClaim,
    BranchAssessment,
    Indicator,
    Item,
    ItemReference,
    ItemScore,
    ScoreSheetTemplate,
)
from dangjian.core.audit import events_for
from dangjian.core.models import AuditEvent, User
from dangjian.core.scoping import scope_for
from dangjian.elections import selectors as elections
from dangjian.finance import selectors as finance
from dangjian.membership import selectors as membership
from dangjian.membership.models import AwayContact, MemberAway
from dangjian.org.models import Organisation, OrgKind, Person, Position, orgs_under
from dangjian.org.rules import MEMBER_STATUSES, OFFICER_TITLES
from dangjian.orglife import selectors as orglife
from dangjian.surveys import selectors as surveys
from dangjian.surveys.models import Survey, SurveyKind

AnyUser = User | AnonymousUser | None

NO_GENERAL_BRANCH = "（直属党支部）"


# --- the institution's settings, the sheet's facts, the members counted ---------------------


def appeal_days() -> int:
    return int(settings.ASSESSMENT_APPEAL_DAYS)


def answer_days() -> int:
    return int(settings.ASSESSMENT_ANSWER_DAYS)


@dataclass(frozen=True)
class FundSettings:
    per_staff: Decimal
    per_student: Decimal
    factors: dict[str, Decimal]


def fund_settings() -> FundSettings:
    factors = settings.ASSESSMENT_FUND_FACTORS or rules.FUND_FACTORS
    return FundSettings(
        per_staff=rules.dec(settings.ASSESSMENT_FUND_PER_STAFF),
        per_student=rules.dec(settings.ASSESSMENT_FUND_PER_STUDENT),
        factors={k: rules.dec(v) for k, v in factors.items()},
    )


def funding_for(staff: int, students: int, grade: str | None) -> rules.Funding:
    fs = fund_settings()
    return rules.funding(staff, students, grade, fs.per_staff, fs.per_student, fs.factors)


def base_items(template_id: int) -> list[Item]:
    return list(
        Item.objects.filter(indicator__template_id=template_id, indicator__is_bonus=False).order_by(
            "indicator__order", "number"
        )
    )


def base_full_marks(template_id: int) -> Decimal:
    """The full marks of a sheet's base items (100 on the seed's sheet)."""
    total = Item.objects.filter(
        indicator__template_id=template_id, indicator__is_bonus=False
    ).aggregate(total=Sum("points"))["total"]
    return total or Decimal(0)


def member_counts(
    branches: list[Organisation], within: str | None = None
) -> dict[int, tuple[int, int]]:
    """(教职工党员, 学生党员) of each branch, its groups included, in one query (`within`: the
    path of an organisation above them all, one index-friendly prefix instead of one per
    branch). Retired members count as 教职工 (离退休教职工党员, 《基层组织建设实施意见》§四(五)1:
    教职工党员每年不少于100元)."""
    by_path = {b.path: b.pk for b in branches}
    result = {b.pk: (0, 0) for b in branches}
    if not branches:
        return result
    step = Organisation.steplen
    depth = min(len(p) for p in by_path)
    if within is not None:
        prefix = Q(primary_org__path__startswith=within)
    else:
        prefix = Q()
        for path in by_path:
            prefix |= Q(primary_org__path__startswith=path)
    rows = (
        Person.objects.filter(prefix, is_active=True, party_status__in=MEMBER_STATUSES)
        .order_by()
        .values("primary_org__path")
        .annotate(
            staff=Count("id", filter=Q(category__in=("staff", "retiree"))),
            students=Count("id", filter=Q(category="student")),
        )
    )
    for row in rows:
        path = row["primary_org__path"]
        for end in range(depth, len(path) + 1, step):
            branch_id = by_path.get(path[:end])
            if branch_id is not None:
                staff, students = result[branch_id]
                result[branch_id] = (staff + row["staff"], students + row["students"])
                break
    return result


def template_in_use(template: ScoreSheetTemplate) -> bool:
    return AssessmentRound.objects.filter(template=template).exists()


def default_notice(assessment: BranchAssessment, notice_on: date) -> str:
    deadline = rules.appeal_deadline(notice_on, appeal_days())
    bonus = rules.fmt(assessment.bonus_total or 0)
    text = (
        f"{assessment.branch.name}：\n"
        f"经考核领导小组考核，你支部{assessment.round.title}得分{rules.fmt(assessment.total)}分"
        f"（其中附加分{bonus}分），考核等次为“{assessment.grade}”。"
    )
    if assessment.vetoed:
        reason = assessment.veto_reason.rstrip("。")
        text += f"一票否决事由：{reason}（{rules.VETO_RULE.rstrip('。')}）。"
    text += (
        f"\n如对考核结果有异议，可在接到本通知之日起一周内（{rules.cn_date(deadline)}前）"
        "向考核领导小组申请复核。\n考核领导小组\n"
        f"{rules.cn_date(notice_on)}"
    )
    return text


# --- who sees the group's result -----------------------------------------------------------


class ResultAccess:
    """The one place that decides whether a user may see what the assessment group decided on
    a branch's assessment: its item scores and notes, the acceptance of bonus claims, the totals,
    the grade, the veto and the funding (rules.group_result_visible, 《支部考核办法》四(一)(二)).

    The branch side is the branch's own officers (as permissions.holds_office_in; they are never
    the group for it, permissions.in_group): until the written notice they see their self-scores,
    claims and the state only. The group and the organisation department see everything; after
    the notice everyone who sees the assessment does.

    Build one per request (`result_access(user)`): the user's offices are read at most once, so
    a list asks no more per row. Without a signed-in user nothing unnotified is shown."""

    def __init__(self, user: AnyUser) -> None:
        self._user = user
        self._signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
        self._department = self._signed_in and scope_for(user).everything
        self._own: frozenset[int] | None = None

    def _own_offices(self) -> frozenset[int]:
        """Organisations where the user holds a current office (one query, at most once)."""
        if self._own is None:
            person_id = getattr(self._user, "person_id", None)
            self._own = (
                frozenset(
                    Position.objects.current()
                    .filter(person_id=person_id, title__in=OFFICER_TITLES)
                    .values_list("organisation_id", flat=True)
                )
                if person_id
                else frozenset()
            )
        return self._own

    def sees(self, assessment: BranchAssessment) -> bool:
        notified = assessment.state in RESULT_STATES
        if notified or self._department:
            return True  # without reading the user's offices
        if not self._signed_in:
            return False
        return rules.group_result_visible(
            notified=False,
            branch_side=assessment.branch_id in self._own_offices(),
            department=False,
        )

    def q(self) -> Q:
        """The assessments whose result the user sees: to filter on result fields (grade…)
        without telling the branch what it has not been notified of."""
        notified = Q(state__in=RESULT_STATES)
        if self._department:
            return Q()
        if not self._signed_in:
            return notified
        own = sorted(self._own_offices())
        return (notified | ~Q(branch_id__in=own)) if own else Q()


def result_access(user: AnyUser) -> ResultAccess:
    return ResultAccess(user)


def result_visible(user: AnyUser, assessment: BranchAssessment) -> bool:
    """May this user see the group's result of this one assessment?"""
    return result_access(user).sees(assessment)


# --- templates ----------------------------------------------------------------------------


def template_sheet(template: ScoreSheetTemplate) -> list[Indicator]:
    """The indicators with their items (two queries)."""
    return list(
        template.indicators.order_by("order").prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("number"))
        )
    )


def templates_for_list(user: AnyUser) -> QuerySet[ScoreSheetTemplate]:
    return (
        ScoreSheetTemplate.objects.visible_to(user)
        .annotate(
            round_count=Count("rounds", distinct=True),
            item_count=Count("indicators__items", distinct=True),
        )
        .order_by("-is_active", "-id")
    )


# --- rounds -------------------------------------------------------------------------------


def own_branch_ids(user: AnyUser) -> list[int]:
    """Branches where the user holds an office (their own branch's assessment)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    return list(
        Position.objects.current()
        .filter(
            person_id=person_id,
            title__in=OFFICER_TITLES,
            organisation__kind=OrgKind.BRANCH,
        )
        .values_list("organisation_id", flat=True)
    )


def _visible_assessments(user: AnyUser) -> QuerySet[BranchAssessment]:
    return BranchAssessment.objects.visible_to(user)


def rounds_for_list(user: AnyUser) -> QuerySet[AssessmentRound]:
    """Rounds the user sees, with the numbers of their branches in scope by progress.

    Counted per round shown (correlated subqueries, evaluated after the page's LIMIT): a
    GROUP BY over every round's assessments cost the department 100 ms at the reference scale
    (1,751 rounds, 45,657 assessments) to show 50 rounds."""
    scope = scope_for(user)
    assessments = BranchAssessment.objects.filter(round=OuterRef("pk"))
    if not scope.everything:
        assessments = assessments.filter(branch__in=orgs_under(scope.org_paths))

    def count(*conditions: Q) -> Coalesce:
        rows = assessments.filter(*conditions).order_by().values("round")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    qs = AssessmentRound.objects.visible_to(user).select_related("organisation", "template")
    return qs.annotate(
        branch_count=count(),
        submitted_count=count(~Q(state=AssessmentState.SELF_SCORING)),
        notified_count=count(
            Q(
                state__in=[
                    AssessmentState.NOTIFIED,
                    AssessmentState.APPEALED,
                    AssessmentState.REVIEWED,
                ]
            )
        ),
    )


def round_years(user: AnyUser) -> list[int]:
    return sorted(
        set(AssessmentRound.objects.visible_to(user).values_list("year", flat=True)), reverse=True
    )


def own_assessments(user: AnyUser, round_ids: list[int]) -> dict[int, list[BranchAssessment]]:
    """The user's own branches' assessments in these rounds (我的支部考核), by round."""
    branch_ids = own_branch_ids(user)
    result: dict[int, list[BranchAssessment]] = {}
    if not branch_ids or not round_ids:
        return result
    for a in BranchAssessment.objects.filter(
        round_id__in=round_ids, branch_id__in=branch_ids
    ).select_related("branch"):
        result.setdefault(a.round_id, []).append(a)
    return result


# --- a round's branches -------------------------------------------------------------------


def general_branches(round_: AssessmentRound) -> dict[str, Organisation]:
    """The general branches (and other non-branch organisations) of the round's subtree by path."""
    return {
        o.path: o
        for o in Organisation.objects.filter(path__startswith=round_.organisation.path)
        .exclude(kind__in=[OrgKind.BRANCH, OrgKind.GROUP])
        .only("pk", "path", "name", "kind", "depth")
    }


def parent_of(branch_path: str, parents: dict[str, Organisation]) -> Organisation | None:
    """The nearest general branch above a branch (None when the branch hangs off the root)."""
    step = Organisation.steplen
    for end in range(len(branch_path) - step, 0, -step):
        org = parents.get(branch_path[:end])
        if org is not None:
            return org if org.kind == OrgKind.GENERAL_BRANCH else None
    return None


def with_relations(qs: QuerySet[BranchAssessment]) -> QuerySet[BranchAssessment]:
    return qs.select_related("branch", "round__template", "appeal")


def round_assessments(user: AnyUser, round_: AssessmentRound) -> QuerySet[BranchAssessment]:
    """The round's assessments the user sees, with what a row shows (filtered by
    filters.RoundAssessmentFilter)."""
    return with_relations(_visible_assessments(user).filter(round=round_))


def decorate(
    rows: list[BranchAssessment],
    parents: dict[str, Organisation],
    today: date,
    access: ResultAccess,
) -> list[BranchAssessment]:
    """Labels of a round's rows; `result_shown` is False where the user is on the branch side
    and the branch has not been notified (the row shows 未通知 without figures)."""
    for a in rows:
        gb = parent_of(a.branch.path, parents)
        # labels the page and the export read, set on the row itself
        vars(a).update(
            general_branch_name=gb.name if gb else NO_GENERAL_BRANCH,
            state_text=a.state_label(today),
            fixed=a.is_fixed(today),
            appeal_row=appeal_of(a),
            result_shown=access.sees(a),
        )
    return rows


def appeal_of(a: BranchAssessment) -> Appeal | None:
    """The assessment's appeal, or None (a reverse one-to-one raises when missing)."""
    try:
        return a.appeal
    except BranchAssessment.appeal.RelatedObjectDoesNotExist:
        return None


@dataclass
class Distribution:
    labels: list[str]
    rows: list[tuple[str, list[int], int, int]]  # name, count per grade, pending, total
    totals: list[int]
    pending: int
    general_branch_ids: set[int] = field(default_factory=set)  # those with a row the user sees

    @property
    def count(self) -> int:
        return sum(r[3] for r in self.rows)


def grade_distribution(
    user: AnyUser, round_: AssessmentRound, parents: dict[str, Organisation]
) -> Distribution:
    """Grades per general branch over the branches the user sees (one query)."""
    labels = round_.template.grade_labels
    rows: OrderedDict[str, list] = OrderedDict()
    seen: set[int] = set()
    qs = (
        _visible_assessments(user)
        .filter(round=round_)
        .order_by("branch__path")
        .values_list("branch__path", "state", "grade")
    )
    for path, state, grade in qs:
        gb = parent_of(path, parents)
        name = gb.name if gb else NO_GENERAL_BRANCH
        if gb is not None:
            seen.add(gb.pk)
        entry = rows.setdefault(name, [[0] * len(labels), 0])
        if state in RESULT_STATES and grade in labels:
            entry[0][labels.index(grade)] += 1
        else:
            entry[1] += 1
    table = [(name, c, pending, sum(c) + pending) for name, (c, pending) in rows.items()]
    totals = [sum(r[1][i] for r in table) for i in range(len(labels))]
    return Distribution(
        labels=labels,
        rows=table,
        totals=totals,
        pending=sum(r[2] for r in table),
        general_branch_ids=seen,
    )


# --- the score sheet of one branch ---------------------------------------------------------


@dataclass
class SheetItem:
    item: Item
    score: ItemScore | None
    claims: list[BonusClaim] = field(default_factory=list)

    @property
    def claimed(self) -> Decimal:
        return sum((c.points for c in self.claims), Decimal(0))

    @property
    def accepted(self) -> Decimal:
        return sum((c.points for c in self.claims if c.accepted), Decimal(0))


@dataclass
class SheetIndicator:
    indicator: Indicator
    items: list[SheetItem]

    @property
    def rowspan(self) -> int:
        return len(self.items)


def sheet(
    assessment: BranchAssessment | None, template: ScoreSheetTemplate
) -> list[SheetIndicator]:
    """Indicators → items with the branch's scores and claims (four queries)."""
    indicators = template_sheet(template)
    scores: dict[int, ItemScore] = {}
    claims: dict[int, list[BonusClaim]] = {}
    if assessment is not None:
        scores = {s.item_id: s for s in assessment.scores.all()}
        for c in assessment.claims.order_by("item__number", "id"):
            claims.setdefault(c.item_id, []).append(c)
    return [
        SheetIndicator(
            indicator=ind,
            items=[SheetItem(i, scores.get(i.pk), claims.get(i.pk, [])) for i in ind.items.all()],
        )
        for ind in indicators
    ]


def all_claims(assessment: BranchAssessment) -> list[BonusClaim]:
    return list(assessment.claims.select_related("item").order_by("item__number", "id"))


# What the branch side may read of the audit trail before the notice: the state, its own
# dates and self-scores (labels as audit.snapshot writes them, from the fields' verbose names).
_BRANCH_EVENT_LABELS = frozenset(
    str(getattr(BranchAssessment._meta.get_field(name), "verbose_name", name))
    for name in ("state", "submitted_on", "self_total", "notice_on", "appeal_due")
)
_SELF_SCORE_LABEL = re.compile(r"^第\d+项自评$")


def assessment_events(
    assessment: BranchAssessment, shown: bool, limit: int = 50
) -> list[AuditEvent]:
    """The assessment's audit trail. When the group's result is not `shown` to the viewer,
    only the changes the branch may see are kept, and an event left with none (the group's
    scores, claim reviews, veto — even one that changed nothing) is left out."""
    events = list(events_for(assessment, limit))
    if shown:
        return events
    kept = []
    for event in events:
        changes = {
            k: v
            for k, v in (event.changes or {}).items()
            if k in _BRANCH_EVENT_LABELS or _SELF_SCORE_LABEL.match(k)
        }
        if not changes:
            continue
        event.changes = changes
        kept.append(event)
    return kept


@dataclass
class Reference:
    label: str
    text: str


def references(assessment: BranchAssessment, today: date | None = None) -> dict[str, Reference]:
    """What the records say for items 1 (定期改选), 6 (education hours), 7 (organisational
    life), 8, 10 and 16, from each app's own selectors."""
    today = today or timezone.localdate()
    year = assessment.round.year
    branch = assessment.branch
    result: dict[str, Reference] = {}
    members = orglife.members_with_hours(branch, year)
    total = members.count()
    if total:
        short = members.filter(orglife.short_of_hours_q()).count()
        met = total - short
        result[ItemReference.EDUCATION_HOURS] = Reference(
            "系统记录",
            f"{year}年度党员{total}名，达到学时要求{met}名（{round(met * 100 / total)}%）。",
        )
    else:
        result[ItemReference.EDUCATION_HOURS] = Reference("系统记录", "该支部尚无党员学时记录。")
    on = min(today, date(year, 12, 31))
    statuses = orglife.compliance_for([branch], (branch.path,), on, today, orglife.active_rules())
    if statuses and statuses[0].rows:
        s = statuses[0]
        result[ItemReference.ORG_LIFE] = Reference(
            "系统记录",
            f"截至{on:%Y-%m-%d}所在期间：组织生活制度{len(s.rows)}项，已落实{s.done}项，"
            f"进行中{s.due}项，逾期未落实{s.overdue}项。",
        )
    result[ItemReference.SATISFACTION] = satisfaction_reference(branch, year)
    result[ItemReference.MEMBERS_AWAY] = members_away_reference(branch, year, on)
    result[ItemReference.DUES] = dues_reference(branch, year, on)
    result[ItemReference.REELECTION] = reelection_reference(branch, year, on)
    return result


def reelection_reference(branch: Organisation, year: int, on: date) -> Reference:
    """Item 1 (班子健全，分工明确，定期改选): the branch's committee term on `on` as the
    elections records say — its number and end, whether it had run out with no new committee
    (《中国共产党基层组织选举工作条例》第三条: 按期换届), and an election completed in the year."""
    found = elections.reelection(branch, year, on)
    term = found.term
    if term is None:
        return Reference("换届记录", "该支部尚未登记委员会届次。")
    text = f"第{term.number}届委员会，{term.starts_on:%Y-%m-%d}起"
    if term.ends_on:
        text += f"，{term.ends_on:%Y-%m-%d}届满"
    if found.overdue:
        text += f"；截至{on:%Y-%m-%d}已届满未换届"
    elif term.ends_on:
        text += "；按期在任"
    if found.elected_on is not None:
        text += f"；{found.elected_on:%Y-%m-%d}完成换届选举"
    return Reference("换届记录", text + "。")


def members_away_reference(branch: Organisation, year: int, on: date) -> Reference:
    """Item 8 (流动党员: 建档、联系): the members of the branch away during the year, each with
    their record, the contacts of their contact log in the year, and those out of touch on `on`
    (membership's lapsed-contact rule, on the last contact the log keeps)."""
    away = MemberAway.objects.filter(
        person__primary_org=branch, left_on__lte=date(year, 12, 31)
    ).exclude(returned_on__lt=date(year, 1, 1))
    total = away.count()
    if not total:
        return Reference("系统记录", f"{year}年度该支部没有登记外出的流动党员。")
    lapsed = away.filter(membership.contact_lapsed_q(on)).count()
    contacts = AwayContact.objects.filter(
        away__in=away, contacted_on__year=year, contacted_on__lte=on
    ).aggregate(n=Count("id"), people=Count("away", distinct=True))
    return Reference(
        "系统记录",
        f"{year}年度登记流动党员{total}名（均已建档）；联系记录{contacts['n']}次，"
        f"联系到{contacts['people']}名；截至{on:%Y-%m-%d}联系超期{lapsed}名。",
    )


def dues_reference(branch: Organisation, year: int, on: date) -> Reference:
    """Item 10 (按规定缴纳党费, 看清单): the branch's dues of the year up to `on` as the
    finance records say — members with a standard, months in arrears, members six months
    running (《中国共产党章程》第九条)."""
    total = finance.totals(branch, year)
    if not total.records:
        return Reference("党费清单", f"{year}年度该支部尚未登记党费收缴。")
    through = min(finance.last_closed_period(on), year * 12 + 11)
    lapsed = finance.lapsed_under(branch, through)
    text = (
        f"{year}年度应交{total.due}元，实交{total.paid}元（收缴率{total.rate}），"
        f"欠缴{total.arrears}人次、补缴{total.late}人次"
    )
    if lapsed:
        text += f"；连续{settings.FINANCE_DUES_LAPSE_MONTHS}个月以上未交纳{len(lapsed)}名"
    return Reference("党费清单", text + "。")


def satisfaction_reference(branch: Organisation, year: int) -> Reference:
    """Item 16 (群众满意度): the year's latest satisfaction survey of the branch, once it has
    reached its minimum of ballots (the surveys app shows nothing before)."""
    survey = (
        Survey.objects.filter(
            organisation=branch, kind=SurveyKind.BRANCH_SATISFACTION, opens_on__year=year
        )
        .order_by("-opens_on", "-id")
        .first()
    )
    if survey is None:
        return Reference("民意测评", f"{year}年度尚未开展党支部工作满意度测评。")
    found = surveys.result(survey)
    if not found.visible:
        return Reference(
            "民意测评",
            f"“{survey.title}”已回收{found.responses}份，未达到最少{found.minimum}份，暂无结果。",
        )
    rate = found.satisfaction_rate or 0
    return Reference(
        "民意测评",
        f"“{survey.title}”回收{found.responses}份，满意度{rate:.1f}%"
        f"（满意与基本满意所占比例），按比例折合约{rules.fmt(rules.satisfaction_points(rate))}分。",
    )


# --- funding and the secretaries' reference grades -----------------------------------------


@dataclass
class FundingRow:
    assessment: BranchAssessment
    general_branch: str
    staff: int
    students: int
    grade: str
    funding: rules.Funding
    estimated: bool  # no result yet: the members counted now, factor 1


def funding_rows(
    user: AnyUser, round_: AssessmentRound, parents: dict[str, Organisation] | None = None
) -> list[FundingRow]:
    """活动经费: per branch, from the snapshot at scoring once the result is notified (before,
    an estimate from today's members at factor 1 — for everyone, so the branch learns nothing
    of the group's result before the written notice)."""
    parents = parents if parents is not None else general_branches(round_)
    access = result_access(user)
    rows = list(
        _visible_assessments(user)
        .filter(round=round_)
        .select_related("branch")
        .order_by("branch__path")
    )
    live = member_counts(
        [a.branch for a in rows if a.staff_members is None or not a.has_result],
        within=round_.organisation.path,
    )
    result = []
    for a in rows:
        estimated = not (a.has_result and access.sees(a))
        if a.staff_members is not None and not estimated:
            staff, students = a.staff_members, a.student_members or 0
        else:
            staff, students = live.get(a.branch_id, (0, 0))
        grade = "" if estimated else a.grade
        gb = parent_of(a.branch.path, parents)
        result.append(
            FundingRow(
                assessment=a,
                general_branch=gb.name if gb else NO_GENERAL_BRANCH,
                staff=staff,
                students=students,
                grade=grade,
                funding=funding_for(staff, students, grade or None),
                estimated=estimated,
            )
        )
    return result


@dataclass
class SecretaryRow:
    general_branch: Organisation
    secretaries: list[str]
    branches: int
    with_result: int
    average: Decimal | None
    failed: int
    grade: str | None
    review: str = ""  # the secretary's published 联述联评联考 result of the year (review app)

    @property
    def complete(self) -> bool:
        return self.branches == self.with_result


# The review app (above this one) registers the reader of its published results by
# organisation and year: {organisation id: "优秀（91.2分）"}.
_secretary_review_readers: list[Callable[[list[int], int], dict[int, str]]] = []


def set_secretary_review_reader(reader: Callable[[list[int], int], dict[int, str]]) -> None:
    _secretary_review_readers[:] = [reader]


def secretary_grades(user: AnyUser, round_: AssessmentRound) -> list[SecretaryRow]:
    """党总支书记年度工作考核参考等级 (《支部考核办法》§七(三)): from the final totals of the
    branches
    below each general branch the user sees (three queries)."""
    parents = general_branches(round_)
    bands = round_.template.bands
    per_gb: OrderedDict[int, list] = OrderedDict()
    gbs = {o.pk: o for o in parents.values() if o.kind == OrgKind.GENERAL_BRANCH}
    qs = (
        _visible_assessments(user)
        .filter(round=round_)
        .order_by("branch__path")
        .values_list("branch__path", "state", "total", "grade")
    )
    for path, state, total, grade in qs:
        gb = parent_of(path, parents)
        if gb is None:
            continue
        entry = per_gb.setdefault(gb.pk, [0, []])
        entry[0] += 1
        if state in RESULT_STATES and total is not None:
            entry[1].append((total, grade))
    names: dict[int, list[str]] = {}
    for org_id, name in (
        Position.objects.current()
        .filter(organisation_id__in=list(per_gb), title="secretary")
        .values_list("organisation_id", "person__name")
    ):
        names.setdefault(org_id, []).append(name)
    reviews: dict[int, str] = {}
    for reader in _secretary_review_readers:
        reviews.update(reader(list(per_gb), round_.year))
    result = []
    for gb_id, (count, results) in per_gb.items():
        result.append(
            SecretaryRow(
                general_branch=gbs[gb_id],
                secretaries=names.get(gb_id, []),
                branches=count,
                with_result=len(results),
                average=rules.average([t for t, _g in results]),
                failed=sum(1 for _t, g in results if g == rules.FAIL),
                grade=rules.secretary_reference_grade(results, bands),
                review=reviews.get(gb_id, ""),
            )
        )
    return result


def last_result_text(branch: Organisation) -> str:
    """年度考核情况 of a branch's registration form (branches app): the latest result sent to
    the branch in writing."""
    last = (
        BranchAssessment.objects.filter(branch=branch, notice_on__isnull=False)
        .select_related("round")
        .order_by("-round__year", "-notice_on")
        .first()
    )
    if last is None:
        return ""
    return f"{last.round.title}：{last.grade}（{last.total.normalize():f}分）"[:200]
