"""Every write of the assessment app: atomic, validated by assessment.rules, audited.

Rights (seed 004 附件 三、四):
- the organisation department (scope everything; 党委组织部负责组织协调工作) creates rounds and
  edits score-sheet templates;
- a branch's own officers (书记、委员 of that branch) self-score, attach evidence, claim bonus
  points, submit the self-assessment and ask for a review;
- the assessment group (考核领导小组) is made of the officers strictly above the branch — the
  general branch's officers and the organisation department (`restructurable_by` semantics):
  they score, accept or reject bonus claims, record a veto, send the written notice and answer
  appeals. Whoever holds an office in the branch itself never scores it.
A refused right raises PermissionDenied naming the rule; a broken rule raises ValidationError.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django_fsm import can_proceed

from dangjian.assessment import rules
from dangjian.assessment.models import (
    Appeal,
    AppealState,
    AssessmentRound,
    AssessmentState,
    BonusClaim,
    BranchAssessment,
    Indicator,
    Item,
    ItemScore,
    RoundKind,
    ScoreSheetTemplate,
)
from dangjian.core import audit
from dangjian.core import rules as core_rules
from dangjian.core.models import AuditEvent
from dangjian.core.scoping import is_department, scope_for
from dangjian.org.models import Organisation, OrgKind, Person, Position
from dangjian.org.rules import MEMBER_STATUSES, OFFICER_TITLES

TEMPLATE_FIELDS = ["name", "note", "bands", "bonus_cap", "veto_rules", "is_active"]
ITEM_FIELDS = ["number", "content", "points", "elements", "methods", "bonus_rule"]
ROUND_FIELDS = [
    "template",
    "year",
    "title",
    "kind",
    "organisation",
    "self_due",
    "finish_by",
    "note",
]
ASSESSMENT_FIELDS = [
    "state",
    "submitted_on",
    "self_total",
    "base_total",
    "bonus_raw",
    "bonus_total",
    "total",
    "grade",
    "vetoed",
    "veto_reason",
    "staff_members",
    "student_members",
    "funding",
    "notice_on",
    "appeal_due",
]
CLAIM_FIELDS = ["item", "option", "description", "count", "points", "accepted", "group_note"]
APPEAL_FIELDS = [
    "filed_on",
    "reason",
    "answer_due",
    "state",
    "answered_on",
    "answer",
    "original_total",
    "revised_total",
]

NOT_DEPARTMENT = (
    "只有党委组织部可以创建考核、修改考核评分表"
    "（党支部工作目标管理考核办法 三：党委组织部负责组织协调工作）。"
)
NOT_BRANCH_OFFICER = (
    "只有本支部的书记、委员可以填报支部自评、申报附加分、提交自评和申请复核"
    "（考核办法 四：被考核支部自评并接受考评）。"
)
NOT_GROUP = (
    "考核评分、认定附加分、一票否决、书面通知和复核意见由考核领导小组作出，"
    "即上级党总支和党委组织部；党支部书记、委员不能考评本支部（考核办法 三、四(一)）。"
)
OUT_OF_SCOPE = "只能对本人管理范围内的党组织创建考核。"
TEMPLATE_IN_USE = (
    "该评分表已用于考核，不能再修改分值、指标和等次（考核结果须可复核）；请复制为新版本后修改。"
)

# Why a step is refused in another state.
STEP_RULES = {
    "to_submitted": ("提交自评", "只有“支部自评”状态可以提交"),
    "to_self_scoring": ("退回修改", "只有“已提交自评”、尚未评分的考核可以退回支部修改"),
    "to_scored": ("完成评分", "支部提交自评后，考核组才能完成评分"),
    "to_notified": (
        "书面通知",
        "考核组完成评分后，才能以书面形式通知被考核支部（考核办法 四(二)）",
    ),
    "to_appealed": (
        "申请复核",
        "支部接到书面通知后才能申请复核，且只能申请一次（考核办法 四(二)）",
    ),
    "to_reviewed": ("提出复核意见", "只有已申请复核的考核需要提出复核意见（考核办法 四(二)）"),
}


# --- settings -----------------------------------------------------------------------------


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


# --- rights -------------------------------------------------------------------------------


def holds_office_in(user, branch: Organisation) -> bool:
    """A current secretary, deputy or committee member of the branch itself."""
    person_id = getattr(user, "person_id", None)
    if not person_id or not getattr(user, "is_authenticated", False):
        return False
    return (
        Position.objects.current()
        .filter(person_id=person_id, organisation_id=branch.pk, title__in=OFFICER_TITLES)
        .exists()
    )


def in_group(user, branch: Organisation) -> bool:
    """The assessment group for this branch: officers strictly above it (the general branch's,
    the committee's) and the organisation department — never the branch's own officers."""
    scope = scope_for(user)
    above = scope.everything or any(
        branch.path.startswith(p) and branch.path != p for p in scope.org_paths
    )
    return above and not holds_office_in(user, branch)


def _require_department(user) -> None:
    if not is_department(user):
        raise PermissionDenied(NOT_DEPARTMENT)


def _require_branch_officer(user, assessment: BranchAssessment) -> None:
    if not holds_office_in(user, assessment.branch):
        raise PermissionDenied(NOT_BRANCH_OFFICER)


def _require_group(user, assessment: BranchAssessment) -> None:
    if not in_group(user, assessment.branch):
        raise PermissionDenied(NOT_GROUP)


class Rights:
    """Which party a user is on one branch assessment: the branch's own officers (`branch`) or
    the assessment group (`group`); neither for anyone else who can see it."""

    def __init__(self, user, assessment: BranchAssessment):
        self.branch = holds_office_in(user, assessment.branch)
        self.group = not self.branch and in_group(user, assessment.branch)


# --- helpers ------------------------------------------------------------------------------


def _step(assessment: BranchAssessment, name: str) -> None:
    method = getattr(assessment, name)
    if not can_proceed(method):
        label, rule = STEP_RULES[name]
        raise ValidationError(
            {"state": f"该考核当前为“{assessment.get_state_display()}”，不能{label}：{rule}。"}
        )
    method()


def _state_in(assessment: BranchAssessment, states, doing: str, rule: str) -> None:
    if assessment.state not in states:
        raise ValidationError(
            {"state": f"该考核当前为“{assessment.get_state_display()}”，不能{doing}：{rule}。"}
        )


VETO_RULE_TEXT = rules.VETO_RULE.rstrip("。") + rules.VETO_SOURCE
SELF_RULE = "支部自评只能在提交前填报；已提交的，可请考核组退回修改"
GROUP_RULE = "考核组在支部提交自评后、书面通知前评分"


def _lock(assessment: BranchAssessment) -> BranchAssessment:
    return (
        BranchAssessment.objects.select_for_update(of=("self",))
        .select_related("branch", "round__template")
        .get(pk=assessment.pk)
    )


def _full_clean(obj, exclude=None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


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
    branch). Retired members count as 教职工 (离退休教职工党员, seed 004 §四(五)1:
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


def _compute(assessment: BranchAssessment) -> None:
    """Set the group's results on a locked assessment from its scores and accepted claims."""
    template = assessment.round.template
    scores = list(assessment.scores.filter(item__indicator__is_bonus=False))
    claims = list(assessment.claims.filter(accepted=True).values_list("points", flat=True))
    raw, counted = rules.bonus_total(claims, template.bonus_cap)
    assessment.base_total = rules.total((s.group_score for s in scores), 0)
    assessment.bonus_raw = raw
    assessment.bonus_total = counted
    assessment.total = assessment.base_total + counted
    _grade(assessment)


def _grade(assessment: BranchAssessment) -> None:
    template = assessment.round.template
    assessment.grade = rules.grade(assessment.total, template.bands, assessment.vetoed)
    if assessment.staff_members is not None:
        assessment.funding = funding_for(
            assessment.staff_members, assessment.student_members or 0, assessment.grade
        ).amount


def _self_total(assessment: BranchAssessment) -> Decimal:
    scores = assessment.scores.filter(item__indicator__is_bonus=False).values_list(
        "self_score", flat=True
    )
    claimed = assessment.claims.values_list("points", flat=True)
    _raw, counted = rules.bonus_total(claimed, assessment.round.template.bonus_cap)
    return rules.total(scores, counted)


def _save(actor, assessment: BranchAssessment, before: dict, note: str = "", action=None):
    _full_clean(assessment)
    assessment.save()
    audit.record(
        actor=actor,
        action=action or AuditEvent.Action.STATUS,
        obj=assessment,
        before=before,
        after=audit.snapshot(assessment, ASSESSMENT_FIELDS),
        note=note,
    )
    return assessment


# --- templates (department) ---------------------------------------------------------------


def template_in_use(template: ScoreSheetTemplate) -> bool:
    return AssessmentRound.objects.filter(template=template).exists()


def _check_template(template: ScoreSheetTemplate) -> None:
    ceiling = base_full_marks(template.pk) if template.pk else None
    error = rules.bands_error(template.bands or [], ceiling)
    if error:
        raise ValidationError({"bands": error})
    if template.bonus_cap is not None and template.bonus_cap < 0:
        raise ValidationError({"bonus_cap": "附加分上限不能为负数。"})
    if not isinstance(template.veto_rules, list) or not all(
        isinstance(v, str) and v.strip() for v in template.veto_rules
    ):
        raise ValidationError({"veto_rules": "一票否决情形须为文字，每行一条。"})
    _full_clean(template)


@transaction.atomic
def template_update(*, actor, template: ScoreSheetTemplate, **fields) -> ScoreSheetTemplate:
    """Name, note and is_active always; bands, bonus cap and veto rules while no round uses it."""
    _require_department(actor)
    template = ScoreSheetTemplate.objects.select_for_update().get(pk=template.pk)
    allowed = {k: v for k, v in fields.items() if k in TEMPLATE_FIELDS}
    scoring = {k for k in ("bands", "bonus_cap", "veto_rules") if k in allowed}
    changed = {k for k in scoring if allowed[k] != getattr(template, k)}
    if changed and template_in_use(template):
        raise ValidationError({sorted(changed)[0]: TEMPLATE_IN_USE})
    return audit.audited_update(
        actor=actor,
        obj=template,
        fields=allowed,
        audit_fields=TEMPLATE_FIELDS,
        clean=_check_template,
    )


def _check_item(item: Item) -> None:
    if not item.content.strip():
        raise ValidationError({"content": "请填写二级指标内容。"})
    if item.indicator.is_bonus:
        item.points = None
        item.elements = []
        error = rules.bonus_rule_error(item.bonus_rule)
        if error:
            raise ValidationError({"bonus_rule": error})
    else:
        item.bonus_rule = []
        if item.points is None or item.points <= 0 or item.points > rules.BASE_POINTS:
            raise ValidationError({"points": "请填写该项分值（大于0、不超过100分）。"})
        if item.points % rules.SCORE_STEP:
            raise ValidationError({"points": "分值以0.5分为单位。"})
        error = rules.elements_error(item.elements or [], item.points)
        if error:
            raise ValidationError({"elements": error})
    _full_clean(item)


@transaction.atomic
def item_update(*, actor, item: Item, **fields) -> Item:
    """Change an item's text, points, elements, method or bonus rule while the template is
    unused; the indicator's points follow the sum of its items."""
    _require_department(actor)
    item = Item.objects.select_for_update(of=("self",)).select_related("indicator").get(pk=item.pk)
    if template_in_use(item.indicator.template):
        raise ValidationError({"points": TEMPLATE_IN_USE})
    allowed = {k: v for k, v in fields.items() if k in ITEM_FIELDS and k != "number"}
    item = audit.audited_update(
        actor=actor, obj=item, fields=allowed, audit_fields=ITEM_FIELDS, clean=_check_item
    )
    indicator = item.indicator
    if not indicator.is_bonus:
        points = sum((i.points for i in indicator.items.all() if i.points is not None), Decimal(0))
        if points != indicator.points:
            audit.audited_update(
                actor=actor,
                obj=indicator,
                fields={"points": points},
                audit_fields=["name", "points"],
                clean=_full_clean,
            )
    return item


@transaction.atomic
def template_copy(*, actor, template: ScoreSheetTemplate, name: str = "") -> ScoreSheetTemplate:
    """A new version of a template (all indicators and items), to change it for future rounds."""
    _require_department(actor)
    name = name.strip() or f"{template.name}（新版本）"
    copy = ScoreSheetTemplate(
        name=name,
        note=template.note,
        bands=template.bands,
        bonus_cap=template.bonus_cap,
        veto_rules=list(template.veto_rules),
        is_active=True,
        copied_from=template,
    )
    _check_template(copy)
    copy.save()
    indicators = list(template.indicators.prefetch_related("items"))
    for indicator in indicators:
        new = Indicator.objects.create(
            template=copy,
            order=indicator.order,
            name=indicator.name,
            points=indicator.points,
            is_bonus=indicator.is_bonus,
        )
        Item.objects.bulk_create(
            Item(
                indicator=new,
                number=i.number,
                content=i.content,
                points=i.points,
                elements=i.elements,
                methods=i.methods,
                bonus_rule=i.bonus_rule,
                reference=i.reference,
            )
            for i in indicator.items.all()
        )
    audit.created(actor=actor, obj=copy, fields=TEMPLATE_FIELDS, note=f"复制自“{template.name}”")
    return copy


# --- rounds (department) ------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor,
    template: ScoreSheetTemplate,
    year: int,
    organisation: Organisation,
    self_due: date,
    title: str = "",
    kind: str = RoundKind.ANNUAL,
    finish_by: date | None = None,
    note: str = "",
) -> AssessmentRound:
    """A round with one assessment (and an empty score sheet) per active branch below."""
    _require_department(actor)
    if not scope_for(actor).covers_path(organisation.path):
        raise PermissionDenied(OUT_OF_SCOPE)
    if not template.is_active:
        raise ValidationError({"template": "该评分表已停用，请选择启用的评分表。"})
    if organisation.dissolved_on is not None:
        raise ValidationError({"organisation": "该党组织已撤销。"})
    finish_by = finish_by or rules.finish_by(year)
    if finish_by.year != year:
        raise ValidationError(
            {"finish_by": "考核应在考核年度内完成（考核办法 五：考核年度的12月中旬前完成）。"}
        )
    if self_due > finish_by:
        raise ValidationError({"self_due": "自评截止日期不能晚于考核完成日期。"})
    if self_due.year != year:
        raise ValidationError({"self_due": f"自评截止日期应在考核年度（{year}年）内。"})
    if kind == RoundKind.ANNUAL:
        # A branch has one annual assessment a year: no second round over the same branches
        # (the same organisation, one above it or one below it).
        step = Organisation.steplen
        above = [organisation.path[:i] for i in range(step, len(organisation.path) + 1, step)]
        overlapping = (
            AssessmentRound.objects.filter(year=year, kind=RoundKind.ANNUAL)
            .filter(
                Q(organisation__path__in=above)
                | Q(organisation__path__startswith=organisation.path)
            )
            .select_related("organisation")
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                {
                    "year": f"{overlapping.organisation.name}{year}年度考核已创建，"
                    "同一党支部每年只进行一次年度考核；需要时请创建专项考核。"
                }
            )
    branches = list(
        Organisation.objects.active()
        .filter(path__startswith=organisation.path, kind=OrgKind.BRANCH)
        .order_by("path")
    )
    if not branches:
        raise ValidationError({"organisation": "该党组织下没有党支部，不能创建考核。"})
    items = base_items(template.pk)
    round_ = AssessmentRound(
        template=template,
        year=year,
        title=title.strip() or f"{year}年度党支部工作目标管理考核",
        kind=kind,
        organisation=organisation,
        self_due=self_due,
        finish_by=finish_by,
        note=note,
        created_by=actor,
    )
    _full_clean(round_)
    round_.save()
    assessments = BranchAssessment.objects.bulk_create(
        [BranchAssessment(round=round_, branch=b) for b in branches], batch_size=1000
    )
    ItemScore.objects.bulk_create(
        [ItemScore(assessment=a, item=i) for a in assessments for i in items], batch_size=2000
    )
    audit.created(
        actor=actor, obj=round_, fields=ROUND_FIELDS, note=f"参加考核的党支部{len(branches)}个"
    )
    return round_


# --- the branch: self-assessment, evidence, bonus claims, appeal ----------------------------


@dataclass
class ScoreEntry:
    item: Item
    score: Decimal | None
    note: str = ""
    evidence: object = None  # an uploaded file, or None to keep the current one
    clear_evidence: bool = False


def _scores_by_item(assessment: BranchAssessment, entries: list[ScoreEntry]):
    rows = {
        s.item_id: s
        for s in assessment.scores.select_for_update(of=("self",)).select_related("item")
    }
    for entry in entries:
        if entry.item.pk not in rows:
            raise ValidationError({"item": f"第{entry.item.number}项不是本考核的基本分指标。"})
    return rows


def _validate(entries: list[ScoreEntry]) -> None:
    errors: dict[str, list[str]] = {}
    for entry in entries:
        if entry.score is None:
            continue
        error = rules.score_error(entry.score, entry.item.points, entry.item.number)
        if error:
            errors.setdefault(f"score_{entry.item.pk}", []).append(error)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def self_scores_save(
    *, actor, assessment: BranchAssessment, entries: list[ScoreEntry]
) -> BranchAssessment:
    """The branch fills in its self scores, notes and evidence (partial saves allowed)."""
    assessment = _lock(assessment)
    _require_branch_officer(actor, assessment)
    _state_in(assessment, (AssessmentState.SELF_SCORING,), "修改支部自评", SELF_RULE)
    rows = _scores_by_item(assessment, entries)
    _validate(entries)
    before, after = {}, {}
    for entry in entries:
        row = rows[entry.item.pk]
        label = f"第{entry.item.number}项自评"
        old = (row.self_score, row.self_note, row.evidence.name)
        row.self_score = entry.score
        row.self_note = entry.note.strip()
        if entry.evidence:
            row.evidence = entry.evidence
        elif entry.clear_evidence:
            row.evidence = ""
        if old != (row.self_score, row.self_note, row.evidence.name):
            row.save()
            before[label] = rules.fmt(old[0]) if old[0] is not None else None
            after[label] = rules.fmt(row.self_score) if row.self_score is not None else None
    before_total = assessment.self_total
    assessment.self_total = _self_total(assessment)
    assessment.save(update_fields=["self_total"])
    if before or before_total != assessment.self_total:
        before["自评得分"] = str(before_total) if before_total is not None else None
        after["自评得分"] = str(assessment.self_total)
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=assessment,
            before=before,
            after=after,
            note="填报支部自评",
        )
    return assessment


def _pairs_papers(item: Item, option: str) -> bool:
    """评分表第20项: the claim is a paper or its award, on an item that has both options."""
    return option in (rules.PAPER, rules.PAPER_AWARD) and item.bonus_options.keys() >= {
        rules.PAPER,
        rules.PAPER_AWARD,
    }


def _papers_and_awards(
    assessment: BranchAssessment, item: Item, accepted_only: bool = False
) -> tuple[int, int]:
    """The 项 of papers and of paper awards claimed (or accepted) on the item."""
    claims = assessment.claims.filter(item=item, option__in=(rules.PAPER, rules.PAPER_AWARD))
    if accepted_only:
        claims = claims.filter(accepted=True)
    counts = dict(
        claims.order_by().values("option").annotate(n=Sum("count")).values_list("option", "n")
    )
    return counts.get(rules.PAPER, 0), counts.get(rules.PAPER_AWARD, 0)


@transaction.atomic
def bonus_claim_create(
    *,
    actor,
    assessment: BranchAssessment,
    item: Item,
    option: str,
    description: str,
    count: int = 1,
    evidence=None,
) -> BonusClaim:
    """The branch claims bonus points (评分表 17–20) with evidence, before it submits."""
    assessment = _lock(assessment)
    _require_branch_officer(actor, assessment)
    _state_in(assessment, (AssessmentState.SELF_SCORING,), "申报附加分", SELF_RULE)
    if item.indicator.template_id != assessment.round.template_id or not item.is_bonus:
        raise ValidationError({"item": "请选择本考核评分表的附加分项目（第17～20项）。"})
    options = item.bonus_options
    error = rules.claim_error(options, option, count)
    if error:
        raise ValidationError({"option" if "类别" in error else "count": error})
    if not description.strip():
        raise ValidationError({"description": "请填写事项，如荣誉名称、报道标题、论文题目。"})
    if _pairs_papers(item, option):
        papers, awards = _papers_and_awards(assessment, item)
        if option == rules.PAPER:
            papers += count
        else:
            awards += count
        error = rules.paper_award_error(papers, awards)
        if error:
            raise ValidationError({"option": error})
    claim = BonusClaim(
        assessment=assessment,
        item=item,
        option=option,
        description=description.strip(),
        count=count,
        points=rules.bonus_points(options[option], count),
        evidence=evidence or "",
        created_by=actor,
    )
    _full_clean(claim)
    claim.save()
    assessment.self_total = _self_total(assessment)
    assessment.save(update_fields=["self_total"])
    audit.created(actor=actor, obj=claim, fields=CLAIM_FIELDS)
    return claim


@transaction.atomic
def bonus_claim_delete(*, actor, claim: BonusClaim) -> None:
    assessment = _lock(claim.assessment)
    _require_branch_officer(actor, assessment)
    _state_in(assessment, (AssessmentState.SELF_SCORING,), "撤回附加分申报", SELF_RULE)
    claim = (
        BonusClaim.objects.select_for_update(of=("self",))
        .select_related("item")
        .get(pk=claim.pk, assessment=assessment)
    )
    if claim.option == rules.PAPER and _pairs_papers(claim.item, claim.option):
        papers, awards = _papers_and_awards(assessment, claim.item)
        error = rules.paper_award_error(papers - claim.count, awards)
        if error:
            raise ValidationError({"claim": f"请先撤回对应的“{rules.PAPER_AWARD}”申报：{error}"})
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=claim,
        before=audit.snapshot(claim, CLAIM_FIELDS),
    )
    claim.delete()
    assessment.self_total = _self_total(assessment)
    assessment.save(update_fields=["self_total"])


@transaction.atomic
def assessment_submit(*, actor, assessment: BranchAssessment) -> BranchAssessment:
    """提交自评: every base item self-scored."""
    assessment = _lock(assessment)
    _require_branch_officer(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    if assessment.state == AssessmentState.SELF_SCORING:
        missing = list(
            assessment.scores.filter(self_score__isnull=True)
            .order_by("item__number")
            .values_list("item__number", flat=True)
        )
        if missing:
            numbers = "、".join(str(n) for n in missing)
            raise ValidationError({"state": f"第{numbers}项尚未自评，请全部填报后再提交。"})
    _step(assessment, "to_submitted")
    assessment.submitted_on = timezone.localdate()
    assessment.self_total = _self_total(assessment)
    return _save(actor, assessment, before, note="支部提交自评")


@transaction.atomic
def appeal_file(
    *, actor, assessment: BranchAssessment, reason: str, filed_on: date | None = None
) -> Appeal:
    """申请复核: within a week of the written notice (考核办法 四(二)). A paper appeal entered
    later carries its own date (`filed_on`), from which the week and the answer's 10 days count."""
    assessment = _lock(assessment)
    _require_branch_officer(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_appealed")
    today = filed_on or timezone.localdate()
    error = core_rules.recorded_on_error(
        today,
        timezone.localdate(),
        label="申请复核日期",
        earliest=assessment.notice_on,
        earliest_label="书面通知日期",
    )
    if error:
        raise ValidationError({"filed_on": error})
    error = rules.appeal_error(assessment.notice_on, today, appeal_days())
    if error:
        raise ValidationError({"filed_on" if filed_on else "reason": error})
    if not reason.strip():
        raise ValidationError({"reason": "请写明申请复核的理由。"})
    appeal = Appeal(
        assessment=assessment,
        filed_on=today,
        filed_by=actor,
        reason=reason.strip(),
        answer_due=rules.answer_due(today, answer_days()),
        original_total=assessment.total,
        original_grade=assessment.grade,
    )
    _full_clean(appeal, exclude=["assessment"])
    appeal.save()
    _save(actor, assessment, before, note="支部申请复核")
    audit.created(actor=actor, obj=appeal, fields=APPEAL_FIELDS)
    return appeal


# --- the assessment group: scores, claims, veto, notice, answer ----------------------------


@transaction.atomic
def assessment_reopen(*, actor, assessment: BranchAssessment, reason: str = "") -> BranchAssessment:
    """退回修改: the group sends a submitted self-assessment back to the branch."""
    assessment = _lock(assessment)
    _require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_self_scoring")
    assessment.submitted_on = None
    return _save(actor, assessment, before, note=f"退回支部修改：{reason.strip()}"[:500])


@transaction.atomic
def group_scores_save(
    *, actor, assessment: BranchAssessment, entries: list[ScoreEntry]
) -> BranchAssessment:
    """The group's score of each base item (partial saves allowed; results follow once scored)."""
    assessment = _lock(assessment)
    _require_group(actor, assessment)
    _state_in(
        assessment,
        (AssessmentState.SUBMITTED, AssessmentState.SCORED),
        "修改考核组评分",
        GROUP_RULE,
    )
    rows = _scores_by_item(assessment, entries)
    _validate(entries)
    if assessment.state == AssessmentState.SCORED and any(e.score is None for e in entries):
        raise ValidationError({"state": "已完成评分的考核，每项都须有考核组评分。"})
    before, after = {}, {}
    for entry in entries:
        row = rows[entry.item.pk]
        old = (row.group_score, row.group_note)
        row.group_score = entry.score
        row.group_note = entry.note.strip()
        if old != (row.group_score, row.group_note):
            row.save(update_fields=["group_score", "group_note"])
            label = f"第{entry.item.number}项考评"
            before[label] = rules.fmt(old[0]) if old[0] is not None else None
            after[label] = rules.fmt(row.group_score) if row.group_score is not None else None
    if assessment.state == AssessmentState.SCORED:
        snap = audit.snapshot(assessment, ASSESSMENT_FIELDS)
        _compute(assessment)
        assessment.save()
        for key, value in audit.snapshot(assessment, ASSESSMENT_FIELDS).items():
            if value != snap[key]:
                before[key], after[key] = snap[key], value
    if before:
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=assessment,
            before=before,
            after=after,
            note="考核组评分",
        )
    return assessment


@transaction.atomic
def bonus_claim_review(
    *, actor, claim: BonusClaim, accepted: bool, group_note: str = ""
) -> BonusClaim:
    """The group accepts or rejects a bonus claim (认定附加分)."""
    assessment = _lock(claim.assessment)
    _require_group(actor, assessment)
    _state_in(
        assessment,
        (AssessmentState.SUBMITTED, AssessmentState.SCORED),
        "认定附加分",
        GROUP_RULE,
    )
    claim = (
        BonusClaim.objects.select_for_update(of=("self",))
        .select_related("item")
        .get(pk=claim.pk, assessment=assessment)
    )
    if not accepted and not group_note.strip():
        raise ValidationError({"group_note": "不予认定的，请写明理由。"})
    claim = audit.audited_update(
        actor=actor,
        obj=claim,
        fields={"accepted": accepted, "group_note": group_note.strip()},
        audit_fields=CLAIM_FIELDS,
        clean=_full_clean,
    )
    if _pairs_papers(claim.item, claim.option):
        error = rules.paper_award_error(*_papers_and_awards(assessment, claim.item, True))
        if error:
            raise ValidationError(
                {"accepted": f"认定的“{rules.PAPER_AWARD}”不能多于认定的论文：{error}"}
            )
    if assessment.state == AssessmentState.SCORED:
        before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
        _compute(assessment)
        _save(actor, assessment, before, note="附加分认定变更", action=AuditEvent.Action.UPDATE)
    return claim


@transaction.atomic
def assessment_score(*, actor, assessment: BranchAssessment) -> BranchAssessment:
    """完成评分: every base item scored and every claim reviewed; the results are computed and
    the members counted for the funding (snapshot)."""
    assessment = _lock(assessment)
    _require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    if assessment.state == AssessmentState.SUBMITTED:
        missing = list(
            assessment.scores.filter(group_score__isnull=True)
            .order_by("item__number")
            .values_list("item__number", flat=True)
        )
        if missing:
            numbers = "、".join(str(n) for n in missing)
            raise ValidationError({"state": f"第{numbers}项尚未评分。"})
        if assessment.claims.filter(accepted__isnull=True).exists():
            raise ValidationError({"state": "还有附加分申报尚未认定。"})
    _step(assessment, "to_scored")
    staff, students = member_counts([assessment.branch])[assessment.branch_id]
    assessment.staff_members, assessment.student_members = staff, students
    assessment.scored_on = timezone.localdate()
    assessment.scored_by = actor
    _compute(assessment)
    return _save(actor, assessment, before, note="考核组完成评分")


@transaction.atomic
def assessment_veto(
    *, actor, assessment: BranchAssessment, vetoed: bool, reason: str = ""
) -> BranchAssessment:
    """一票否决 (考核办法 六(二)): a branch with a member disciplined for violating discipline or
    law is 不合格 whatever its score. Recorded (or lifted) before the written notice."""
    assessment = _lock(assessment)
    _require_group(actor, assessment)
    _state_in(
        assessment,
        (AssessmentState.SUBMITTED, AssessmentState.SCORED),
        "一票否决",
        "一票否决在书面通知前由考核组认定；通知后只能经复核改变结果",
    )
    reason = reason.strip()
    if vetoed and not reason:
        raise ValidationError({"veto_reason": f"请写明否决事由（{VETO_RULE_TEXT}）。"})
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    assessment.vetoed = vetoed
    assessment.veto_reason = reason if vetoed else ""
    if assessment.total is not None:
        _grade(assessment)
    return _save(
        actor,
        assessment,
        before,
        note="一票否决" if vetoed else "撤销一票否决",
        action=AuditEvent.Action.UPDATE,
    )


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


@transaction.atomic
def assessment_notify(
    *, actor, assessment: BranchAssessment, notice_on: date | None = None, notice_text: str = ""
) -> BranchAssessment:
    """书面通知 (考核办法 四(二)): the result in writing; the appeal window opens."""
    assessment = _lock(assessment)
    _require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_notified")
    today = timezone.localdate()
    notice_on = notice_on or today
    if notice_on > today:
        raise ValidationError({"notice_on": "通知日期不能晚于今天。"})
    if assessment.scored_on and notice_on < assessment.scored_on:
        raise ValidationError({"notice_on": "通知日期不能早于评分日期。"})
    assessment.notice_on = notice_on
    assessment.appeal_due = rules.appeal_deadline(notice_on, appeal_days())
    assessment.notice_text = notice_text.strip() or default_notice(assessment, notice_on)
    assessment.notified_by = actor
    _save(actor, assessment, before, note="书面通知考核结果")
    _rectify_if_failed(actor, assessment)
    return assessment


def _rectify_if_failed(actor, assessment: BranchAssessment) -> None:
    """考核不合格的基层党组织，及时整顿，限期整改 (考核办法 七(四)): a failed branch gets a
    rectification plan in the branches app, where its items are tracked to year end; when an
    appeal lifts the result, a plan not yet started is withdrawn."""
    from dangjian.branches import services as branches
    from dangjian.branches.models import PlanSource

    where = {"branch": assessment.branch, "year": assessment.round.year}
    total = rules.fmt(assessment.total)
    if assessment.grade != rules.FAIL:
        branches.rectification_plan_withdraw(
            actor=actor,
            source=PlanSource.ASSESSMENT,
            reason=f"{assessment.round.title}复核后为{assessment.grade}（总分{total}分）",
            **where,
        )
        return
    why = f"，一票否决：{assessment.veto_reason}" if assessment.vetoed else ""
    branches.rectification_plan_open(
        actor=actor,
        source=PlanSource.ASSESSMENT,
        reason=f"{assessment.round.title}结果为不合格（总分{total}分{why}）"[:200],
        **where,
    )


@transaction.atomic
def appeal_answer(
    *,
    actor,
    assessment: BranchAssessment,
    answer: str,
    revised_total: Decimal | None = None,
    answered_on: date | None = None,
) -> Appeal:
    """复核意见 (考核办法 四(二)): in writing, within 10 days of the appeal (a later answer is
    recorded and flagged). A revised total re-computes the grade; a veto still applies. An
    answer given on paper and entered later carries its own date (`answered_on`)."""
    assessment = _lock(assessment)
    _require_group(actor, assessment)
    before = audit.snapshot(assessment, ASSESSMENT_FIELDS)
    _step(assessment, "to_reviewed")
    appeal = Appeal.objects.select_for_update().get(assessment=assessment)
    if not answer.strip():
        raise ValidationError({"answer": "请填写复核意见。"})
    if revised_total is not None:
        revised_total = rules.dec(revised_total)
        claimed = assessment.claims.values_list("points", flat=True)
        _raw, counted = rules.bonus_total(claimed, assessment.round.template.bonus_cap)
        ceiling = base_full_marks(assessment.round.template_id) + counted
        error = rules.revised_total_error(revised_total, ceiling)
        if error:
            raise ValidationError({"revised_total": error})
    today = answered_on or timezone.localdate()
    error = core_rules.recorded_on_error(
        today,
        timezone.localdate(),
        label="复核意见日期",
        earliest=appeal.filed_on,
        earliest_label="申请复核日期",
    )
    if error:
        raise ValidationError({"answered_on": error})
    appeal_before = audit.snapshot(appeal, APPEAL_FIELDS)
    appeal.answer = answer.strip()
    appeal.answered_on = today
    appeal.answered_by = actor
    appeal.state = AppealState.ANSWERED
    appeal.revised_total = revised_total
    _full_clean(appeal, exclude=["assessment"])
    appeal.save()
    late = rules.answer_late(appeal.filed_on, today, answer_days())
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=appeal,
        before=appeal_before,
        after=audit.snapshot(appeal, APPEAL_FIELDS),
        note="超过10日提出复核意见" if late else "",
    )
    if revised_total is not None:
        assessment.total = revised_total
        _grade(assessment)
    _save(actor, assessment, before, note="复核完成")
    _rectify_if_failed(actor, assessment)
    return appeal
