"""Branch target-management assessments for the demo (《支部考核办法》): last year's annual round
finished (every branch notified and its result fixed, a spread of grades, one branch vetoed at
a total of 90 or more, one appeal answered within 10 days with a revised total) and this year's
round in progress (branches self-scoring, submitted, scored, notified with the appeal window
open, one appeal pending). Works on any organisation tree; deterministic for a seed; bulk
inserts."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from dangjian.assessment import rules, services
from dangjian.assessment.models import (
    Appeal,
    AppealState,
    AssessmentRound,
    AssessmentState,
    BonusClaim,
    BranchAssessment,
    Item,
    ItemScore,
    RoundKind,
    ScoreSheetTemplate,
)
from dangjian.core.models import User
from dangjian.org.models import Organisation, OrgKind, Position

MODELS = (Appeal, BonusClaim, ItemScore, BranchAssessment, AssessmentRound)  # deletion order
SEED_TEMPLATE = "基层党支部工作目标管理考核评分表"
HALF = Decimal("0.5")
S = AssessmentState

# (item number, option, description, count)
CLAIMS = (
    (17, "校级", "校级先进基层党组织", 1),
    (17, "区级", "区级“五好”党支部", 1),
    (18, "区级", "党员志愿服务事迹经区融媒体中心报道", 1),
    (18, "校级", "党员先进事迹经校园网报道", 2),
    (19, "有推广价值的先进工作经验", "“支部建在专业上”工作法在全校推广", 1),
    (20, "公开发表论文", "《高校党建研究》发表党建论文", 1),
    (20, "校级及以上党建课题立项", "校级党建研究课题立项", 1),
)
VETO_REASON = "支部党员王某某因违反廉洁纪律受到党内警告处分。"
NOTES = ("材料齐全，记录完整。", "听取汇报，查阅了会议记录。", "基本落实，个别记录不全。")


def reset_assessment() -> None:
    """Remove every round and the plans their failures opened (the templates stay)."""
    from dangjian.branches.models import PlanSource, RectificationPlan

    RectificationPlan.objects.filter(source=PlanSource.ASSESSMENT).delete()
    for model in MODELS:
        model._base_manager.all().delete()


class AssessmentLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 6007 + 11)
        self.today = today
        self.counts: dict[str, int] = {}

    def _add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.template = (
            ScoreSheetTemplate.objects.filter(name=SEED_TEMPLATE).first()
            or ScoreSheetTemplate.objects.filter(is_active=True).order_by("id").first()
        )
        if self.template is None:
            return self.counts
        items = list(
            Item.objects.filter(indicator__template=self.template).order_by(
                "indicator__order", "number"
            )
        )
        self.base = [i for i in items if not i.is_bonus]
        self.bonus = {i.number: i for i in items if i.is_bonus}
        self.department = (
            User.objects.filter(is_org_officer=True, is_active=True).order_by("id").first()
        )
        users = dict(User.objects.exclude(person=None).values_list("person_id", "pk"))
        roots = list(Organisation.objects.filter(depth=1, dissolved_on__isnull=True))
        for root in roots:
            branches = list(
                Organisation.objects.active()
                .filter(path__startswith=root.path, kind=OrgKind.BRANCH)
                .order_by("path")
            )
            if not branches:
                continue
            secretaries = dict(
                Position.objects.current()
                .filter(organisation__in=branches, title="secretary")
                .values_list("organisation_id", "person_id")
            )
            self.filers = {b: users.get(p) for b, p in secretaries.items()}
            self.members = services.member_counts(branches, within=root.path)
            self._last_year(root, branches)
            self._this_year(root, branches)
        self._rectification_plans()
        return self.counts

    def _rectification_plans(self) -> None:
        """Failed branches that were notified get their plan (《支部考核办法》§七(四)), as the
        notice
        service opens it."""
        from dangjian.branches.models import PlanSource, RectificationPlan

        failed = BranchAssessment.objects.filter(
            grade=rules.FAIL, notice_on__isnull=False
        ).select_related("round")
        have = set(
            RectificationPlan.objects.filter(source=PlanSource.ASSESSMENT).values_list(
                "branch_id", "year"
            )
        )
        plans = [
            RectificationPlan(
                branch_id=a.branch_id,
                year=a.round.year,
                source=PlanSource.ASSESSMENT,
                reason=f"{a.round.title}结果为不合格"[:200],
            )
            for a in failed
            if (a.branch_id, a.round.year) not in have
        ]
        RectificationPlan.objects.bulk_create(plans)
        self.counts["整改提高方案（考核不合格）"] = len(plans)

    # --- scores -------------------------------------------------------------------------

    def _group_scores(self, target: Decimal) -> list[Decimal]:
        """Scores of the base items adding up to `target` (points taken off at random)."""
        scores = [i.points for i in self.base]
        left = rules.BASE_POINTS - target
        while left > 0:
            index = self.rng.randrange(len(scores))
            if scores[index] >= HALF:
                step = min(left, HALF * self.rng.randint(1, 3), scores[index])
                scores[index] -= step
                left -= step
        return scores

    def _self_scores(self, group: list[Decimal]) -> list[Decimal]:
        """Branches rate themselves a little higher than the group does."""
        result = []
        for item, score in zip(self.base, group, strict=True):
            lift = HALF * self.rng.randint(0, 2) if score < item.points else Decimal(0)
            result.append(min(item.points, score + lift))
        return result

    def _target(self) -> Decimal:
        roll = self.rng.random()
        if roll < 0.35:
            low, high = 90, 99
        elif roll < 0.75:
            low, high = 75, 89
        elif roll < 0.93:
            low, high = 60, 74
        else:
            low, high = 50, 59
        return Decimal(self.rng.randint(low * 2, high * 2 + 1)) / 2

    def _claims(self, a: BranchAssessment, reviewed: bool) -> list[BonusClaim]:
        claims = []
        for number, option, description, count in self.rng.sample(CLAIMS, self.rng.randint(1, 2)):
            item = self.bonus.get(number)
            if item is None or option not in item.bonus_options:
                continue
            rejected = reviewed and self.rng.random() < 0.15
            claims.append(
                BonusClaim(
                    assessment=a,
                    item=item,
                    option=option,
                    description=description,
                    count=count,
                    points=rules.bonus_points(item.bonus_options[option], count),
                    accepted=(not rejected) if reviewed else None,
                    group_note="证明材料不属于本考核年度。" if rejected else "",
                    created_by_id=self.filers.get(a.branch_id),
                )
            )
        return claims

    def _results(self, a: BranchAssessment, group: list[Decimal], claims, scored_on: date):
        accepted = [c.points for c in claims if c.accepted]
        raw, counted = rules.bonus_total(accepted, self.template.bonus_cap)
        a.base_total = sum(group, Decimal(0))
        a.bonus_raw, a.bonus_total = raw, counted
        a.total = a.base_total + counted
        a.grade = rules.grade(a.total, self.template.bands, a.vetoed)
        a.staff_members, a.student_members = self.members.get(a.branch_id, (0, 0))
        a.funding = services.funding_for(a.staff_members, a.student_members, a.grade).amount
        a.scored_on = scored_on
        a.scored_by = self.department

    def _self_total(self, own: list[Decimal], claims: list[BonusClaim]) -> Decimal:
        """The branch's own total: its scores and the bonus it claims, capped as the service
        does."""
        _raw, counted = rules.bonus_total([c.points for c in claims], self.template.bonus_cap)
        return rules.total(own, counted)

    def _notice(self, a: BranchAssessment, notice_on: date) -> None:
        a.notice_on = notice_on
        a.appeal_due = rules.appeal_deadline(notice_on, services.appeal_days())
        a.notice_text = services.default_notice(a, notice_on)
        a.notified_by = self.department

    def _round(self, root, year: int, self_due: date) -> AssessmentRound:
        round_ = AssessmentRound.objects.create(
            template=self.template,
            year=year,
            title=f"{year}年度党支部工作目标管理考核",
            kind=RoundKind.ANNUAL,
            organisation=root,
            self_due=self_due,
            finish_by=rules.finish_by(year),
            note="听取汇报、查阅材料、召开座谈会，结合平时掌握的情况进行考评。",
            created_by=self.department,
        )
        self._add("支部考核", 1)
        return round_

    def _write(self, assessments, scores, claims, appeals) -> None:
        BranchAssessment.objects.bulk_create(assessments, batch_size=1000)
        rows = []
        for a, (self_scores, group) in zip(assessments, scores, strict=True):
            for i, item in enumerate(self.base):
                rows.append(
                    ItemScore(
                        assessment=a,
                        item=item,
                        self_score=self_scores[i] if self_scores else None,
                        self_note=self.rng.choice(NOTES) if self_scores else "",
                        group_score=group[i] if group else None,
                        group_note="" if not group or group[i] == item.points else "扣分：记录不全",
                    )
                )
        ItemScore.objects.bulk_create(rows, batch_size=2000)
        for claim in claims:
            claim.assessment_id = claim.assessment.pk
        BonusClaim.objects.bulk_create(claims, batch_size=1000)
        for appeal in appeals:
            appeal.assessment_id = appeal.assessment.pk
        Appeal.objects.bulk_create(appeals)
        self._add("党支部考核", len(assessments))
        self._add("考核评分", len(rows))
        self._add("附加分申报", len(claims))
        self._add("申请复核", len(appeals))

    # --- last year: finished ------------------------------------------------------------

    def _last_year(self, root, branches) -> None:
        year = self.today.year - 1
        round_ = self._round(root, year, date(year, 11, 20))
        notice_on = date(year, 12, 1)
        order = list(range(len(branches)))
        self.rng.shuffle(order)
        veto_at = order[0]
        appeal_at = order[1] if len(order) > 1 else None
        assessments, scores, claims, appeals = [], [], [], []
        for index, branch in enumerate(branches):
            a = BranchAssessment(
                round=round_,
                branch=branch,
                state=S.NOTIFIED,
                submitted_on=date(year, 11, 18),
            )
            if index == veto_at:
                target = Decimal(self.rng.randint(182, 196)) / 2  # 91–98: still 不合格
                a.vetoed, a.veto_reason = True, VETO_REASON
            elif index == appeal_at:
                target = Decimal("88.5")
            else:
                target = self._target()
            group = self._group_scores(target)
            own = self._self_scores(group)
            branch_claims = self._claims(a, reviewed=True) if self.rng.random() < 0.3 else []
            self._results(a, group, branch_claims, date(year, 11, 28))
            a.self_total = self._self_total(own, branch_claims)
            self._notice(a, notice_on)
            if index == appeal_at:
                filed_on = notice_on + timedelta(days=3)
                revised = a.total + 2
                revised_grade = rules.grade(revised, self.template.bands, a.vetoed)
                answer = (
                    f"经复核，第9项补计2分，总分由{rules.fmt(a.total)}分改为"
                    f"{rules.fmt(revised)}分，等次为{revised_grade}。"
                )
                appeals.append(
                    Appeal(
                        assessment=a,
                        filed_on=filed_on,
                        filed_by_id=self.filers.get(branch.pk),
                        reason="第9项“党员联系服务群众”的走访记录已按要求报送，考评时未计入，申请复核。",
                        answer_due=rules.answer_due(filed_on, services.answer_days()),
                        state=AppealState.ANSWERED,
                        answered_on=filed_on + timedelta(days=7),
                        answered_by=self.department,
                        answer=answer,
                        original_total=a.total,
                        original_grade=a.grade,
                        revised_total=revised,
                    )
                )
                a.total, a.grade = revised, revised_grade
                a.funding = services.funding_for(a.staff_members, a.student_members, a.grade).amount
                a.state = S.REVIEWED
            assessments.append(a)
            scores.append((own, group))
            claims.extend(branch_claims)
        self._write(assessments, scores, claims, appeals)

    # --- this year: in progress ---------------------------------------------------------

    def _ago(self, days: int) -> date:
        """A day of this year's round, `days` before today (not before 1 January)."""
        return max(self.today - timedelta(days=days), date(self.today.year, 1, 1))

    def _this_year(self, root, branches) -> None:
        year = self.today.year
        finish_by = rules.finish_by(year)
        self_due = min(self.today + timedelta(days=14), finish_by)
        round_ = self._round(root, year, self_due)
        # Every stage appears, the pending appeal first (small trees have few branches).
        stages = [S.APPEALED, S.SELF_SCORING, S.NOTIFIED, S.SUBMITTED, S.SCORED]
        order = list(range(len(branches)))
        self.rng.shuffle(order)
        state_of = {}
        for rank, index in enumerate(order):
            if rank < len(stages):
                state_of[index] = stages[rank]
            else:
                state_of[index] = self.rng.choices(stages[1:], weights=[4, 2, 2, 2])[0]
        assessments, scores, claims, appeals = [], [], [], []
        for index, branch in enumerate(branches):
            state = state_of[index]
            a = BranchAssessment(round=round_, branch=branch, state=state)
            target = Decimal("74") if state == S.APPEALED else self._target()
            group = self._group_scores(target)
            own = self._self_scores(group)
            if state == S.SELF_SCORING:
                # half-way through: some items self-scored
                done = self.rng.randint(0, len(own))
                own = [s if i < done else None for i, s in enumerate(own)]
                a.self_total = rules.total(own, 0) if done else None
                assessments.append(a)
                scores.append((own, None))
                continue
            a.submitted_on = self._ago(6)
            reviewed = state != S.SUBMITTED
            branch_claims = self._claims(a, reviewed=reviewed) if self.rng.random() < 0.3 else []
            a.self_total = self._self_total(own, branch_claims)
            if state == S.SUBMITTED:
                assessments.append(a)
                scores.append((own, group if self.rng.random() < 0.5 else None))
                claims.extend(branch_claims)
                continue
            self._results(a, group, branch_claims, self._ago(4))
            if state in (S.NOTIFIED, S.APPEALED):
                self._notice(a, self._ago(3))
            if state == S.APPEALED:
                filed_on = max(self._ago(1), a.notice_on)
                appeals.append(
                    Appeal(
                        assessment=a,
                        filed_on=filed_on,
                        filed_by_id=self.filers.get(branch.pk),
                        reason="第7项“三会一课”记录已补交，第16项满意度测评结果有误，申请复核。",
                        answer_due=rules.answer_due(filed_on, services.answer_days()),
                        state=AppealState.PENDING,
                        original_total=a.total,
                        original_grade=a.grade,
                    )
                )
            assessments.append(a)
            scores.append((own, group))
            claims.extend(branch_claims)
        self._write(assessments, scores, claims, appeals)
