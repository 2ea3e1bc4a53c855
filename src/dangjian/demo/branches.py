"""Two years of branch classification grading (分类定级) and rectification (整改) for the demo, on
any tree (《组织建设年实施方案》附件1 二).

Last year is complete: every branch graded in March with a spread of 先进/较好/一般/后进, plans
discussed at a general meeting and submitted by the end of May, items mostly done and verified
(a few long-term ones still open), and the June–October regrade in which some branches moved up
(晋位升级) and one moved down. This year, as far as `today` allows (the demo's today is in
November): the initial grading done, plans submitted (one late, one missing), items at every
state including overdue ones, and some regrades done. Deterministic for a seed; bulk inserts.
"""

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction

from dangjian.branches import rules
from dangjian.branches.models import (
    Audience,
    BranchGrading,
    Criterion,
    GradingScore,
    GradingStandard,
    GradingState,
    GradingYear,
    ItemState,
    PlanSource,
    PlanState,
    RectificationItem,
    RectificationPlan,
    Round,
)
from dangjian.branches.services import default_dates
from dangjian.core.models import User
from dangjian.org.models import (
    BranchCategory,
    Organisation,
    OrgKind,
    PartyStatus,
    Person,
    Position,
    PositionTitle,
)
from dangjian.org.rules import MEMBER_STATUSES, OFFICER_TITLES, POSITION_ORDER
from dangjian.orglife.models import Meeting, MeetingKind

MODELS = (RectificationItem, RectificationPlan, GradingScore, BranchGrading, GradingYear)
MEETING_TOPIC = "党员大会：讨论本支部整改提高方案"
TITLES = dict(PositionTitle.choices)

# target totals per grade (inside the default bands 90/75/60)
TOTALS = {
    rules.ADVANCED: (90, 97),
    rules.GOOD: (76, 88),
    rules.AVERAGE: (61, 74),
    rules.LAGGING: (48, 58),
}
# share of branches per grade, best first
SPREAD = ((rules.ADVANCED, 0.25), (rules.GOOD, 0.4), (rules.AVERAGE, 0.25), (rules.LAGGING, 0.1))

PROBLEMS = {
    "组织设置是否合理": (
        "党小组划分与教研室设置不一致，活动难以集中开展",
        "外出实习学生党员未编入临时党小组",
    ),
    "支部班子是否健全": ("支部委员缺额1名，分工不明确", "新任支部书记尚未参加任职培训"),
    "组织制度是否完善": ("“三会一课”记录不完整，部分会议无签到", "党员党性定期分析制度未落实"),
    "发展思路是否清晰": ("年度工作计划与学院中心工作结合不紧", "支部活动开展计划未按时制定"),
    "活动开展是否正常": ("组织生活次数不足，部分月份未开展", "主题党日形式单一，党员参与度不高"),
    "作用发挥是否充分": ("党员亮岗履职记录不全，示范作用不明显", "部分党员未联系群众"),
    "经费场所保障是否落实": ("没有相对固定的活动场所", "活动经费使用台账不规范"),
    "一个好的带头人": ("书记兼职较多，抓支部工作时间不足",),
    "一个好的发展思路": ("发展思路未经党员充分讨论",),
    "一个好的工作制度": ("尚未形成务实管用的特色制度",),
    "一个好的活动阵地": ("党务公开栏内容更新不及时",),
    "一个好的保障机制": ("党员关怀帮扶机制不健全",),
}
MEASURES = {
    "组织设置是否合理": "按教研室（班级）调整党小组设置，实习学生按实习单位编组并明确联系人",
    "支部班子是否健全": "召开党员大会补选委员，明确分工；书记半年内参加任职培训",
    "组织制度是否完善": "建立会议签到和记录检查制度，支部书记每月检查一次",
    "发展思路是否清晰": "对照学院年度重点工作修订支部计划，经支委会讨论后公示",
    "活动开展是否正常": "制定月度组织生活安排表，每月至少开展一次（学生支部两次）",
    "作用发挥是否充分": "开展亮岗履职、党员联系群众“回头看”，每季度通报",
    "经费场所保障是否落实": "协调学院落实不少于20平方米的活动室，规范经费台账",
    "一个好的带头人": "调整书记分工，保证每周固定时间抓支部工作",
    "一个好的发展思路": "召开党员大会讨论发展思路，广泛征求党员群众意见",
    "一个好的工作制度": "建立一项务实管用的特色制度并试行",
    "一个好的活动阵地": "每月更新党务公开栏，建立网上学习阵地",
    "一个好的保障机制": "建立困难党员帮扶台账，节日走访慰问",
}
# when the scores could not be brought into the grade's band (a standard with unusual bands)
REASON = "结合年度考核、群众评议和支部自评情况综合确定。"
RESULTS = (
    "已完成，经支委会检查验收。",
    "已按措施落实，党员群众评议满意。",
    "已整改到位，建立长效机制。",
)


def reset_branches() -> None:
    for model in MODELS:
        model._base_manager.all().delete()
    Meeting.objects.filter(topic=MEETING_TOPIC).delete()


class BranchesLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 3571 + 17)
        self.today = today
        self.counts: dict[str, int] = {}

    def _add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def happened(self, day: date) -> bool:
        return day <= self.today

    @transaction.atomic
    def run(self) -> dict[str, int]:
        committees = list(
            Organisation.objects.filter(kind=OrgKind.COMMITTEE, dissolved_on__isnull=True)
        )
        standards = {s.applies_to: s for s in GradingStandard.objects.filter(is_active=True)}
        if not committees or len(standards) < len(Audience.values):
            return self.counts
        self.criteria = {
            audience: list(Criterion.objects.filter(standard=s).order_by("order", "pk"))
            for audience, s in standards.items()
        }
        self.standards = standards
        branches = list(
            Organisation.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True).order_by(
                "path"
            )
        )
        if not branches:
            return self.counts
        self._people(branches)
        for committee in committees:
            mine = [b for b in branches if b.path.startswith(committee.path)]
            if not mine:
                continue
            for year in (self.today.year - 1, self.today.year):
                grading_year, created = GradingYear.objects.get_or_create(
                    organisation=committee, year=year, defaults=default_dates(year)
                )
                if created:
                    self._add("年度分类定级", 1)
                if BranchGrading.objects.filter(grading_year=grading_year).exists():
                    continue
                self._year(grading_year, mine, complete=year < self.today.year)
        return self.counts

    # --- people -----------------------------------------------------------------------------

    def _people(self, branches) -> None:
        ids = [b.pk for b in branches]
        self.members: dict[int, list[int]] = {}
        self.full_members: dict[int, int] = {}
        for pk, org_id, status in (
            Person.objects.filter(
                primary_org_id__in=ids, party_status__in=MEMBER_STATUSES, is_active=True
            )
            .order_by("pk")
            .values_list("pk", "primary_org_id", "party_status")
        ):
            self.members.setdefault(org_id, []).append(pk)
            if status == PartyStatus.FULL:
                self.full_members[org_id] = self.full_members.get(org_id, 0) + 1
        self.member_count = {k: len(v) for k, v in self.members.items()}
        parents = {b.path[: -Organisation.steplen] for b in branches}
        parent_ids = dict(Organisation.objects.filter(path__in=parents).values_list("path", "pk"))
        self.parent = {b.pk: parent_ids.get(b.path[: -Organisation.steplen]) for b in branches}
        positions = (
            Position.objects.current()
            .filter(organisation_id__in=ids + list(parent_ids.values()), title__in=OFFICER_TITLES)
            .order_by("pk")
            .values_list("organisation_id", "person_id", "title")
        )
        positions = sorted(positions, key=lambda row: POSITION_ORDER.index(row[2]))
        self.officers: dict[int, list[tuple[int, str]]] = {}
        for org_id, person_id, title in positions:
            self.officers.setdefault(org_id, []).append((person_id, title))
        person_ids = {p for rows in self.officers.values() for p, _t in rows}
        self.users = dict(
            User.objects.filter(person_id__in=person_ids).values_list("person_id", "pk")
        )

    def _grader(self, branch) -> int | None:
        """A user of the general branch's secretary (the level above decides the grade)."""
        for person_id, _title in self.officers.get(self.parent.get(branch.pk), []):
            if person_id in self.users:
                return self.users[person_id]
        return None

    def _responsible(self, branch) -> int | None:
        people = self.members.get(branch.pk) or [p for p, _t in self.officers.get(branch.pk, [])]
        return self.rng.choice(people) if people else None

    # --- a year -----------------------------------------------------------------------------

    def _grades(self, n: int) -> list[str]:
        """A spread over n branches with every grade present when n >= 4."""
        if n < 4:
            grades = [rules.AVERAGE, rules.GOOD, rules.LAGGING][:n]
            self.rng.shuffle(grades)
            return grades
        grades: list[str] = []
        for grade, share in SPREAD:
            grades += [grade] * max(1, round(n * share))
        while len(grades) < n:
            grades.append(rules.GOOD)
        grades = grades[:n]
        if rules.LAGGING not in grades:
            grades[-1] = rules.LAGGING
        self.rng.shuffle(grades)
        return grades

    def _scores(self, criteria: list, grade: str, bands) -> tuple[list[Decimal], Decimal]:
        """Scores whose total falls in the grade's band of the standard."""
        low, high = TOTALS[grade]
        target = Decimal(self.rng.randint(low, high))
        scores = []
        for c in criteria:
            ratio = target / 100 + Decimal(self.rng.choice((-6, -3, 0, 3, 6))) / 100
            value = (c.points * ratio * 2).quantize(Decimal(1)) / 2
            scores.append(max(Decimal(0), min(c.points, value)))
        total = sum(scores, Decimal(0))
        # nudge into the band of the target grade
        index = 0
        while rules.suggested_grade(total, bands) != grade and index < 400:
            i = index % len(criteria)
            step = (
                Decimal("0.5")
                if rules.GRADE_RANK[rules.suggested_grade(total, bands)] < rules.GRADE_RANK[grade]
                else Decimal("-0.5")
            )
            if Decimal(0) <= scores[i] + step <= criteria[i].points:
                scores[i] += step
                total += step
            index += 1
        return scores, total

    def _grading(self, grading_year, branch, round, grade, graded_on, reason=""):
        audience = Audience.STUDENT if branch.category == BranchCategory.STUDENT else Audience.STAFF
        criteria = self.criteria[audience]
        standard = self.standards[audience]
        scores, total = self._scores(criteria, grade, standard.bands)
        suggested = rules.suggested_grade(total, standard.bands)
        officers = self.officers.get(branch.pk, [])
        members = self.member_count.get(branch.pk, 0)
        titles = {t for _p, t in officers}
        graded = graded_on is not None and self.happened(graded_on)
        grading = BranchGrading(
            grading_year=grading_year,
            branch=branch,
            round=round,
            standard=standard,
            members_count=members,
            committee_complete=rules.committee_complete(
                self.full_members.get(branch.pk, 0), titles
            ),
            committee_note="、".join(TITLES.get(t, "委员") for _p, t in officers)[:200],
            activity_room_area=branch.activity_room_area,
            annual_assessment=self.rng.choice(("优秀", "良好", "合格"))
            if round == Round.INITIAL
            else "",
            problems="；".join(self._weakest(criteria, scores, 2)),
            self_grade=grade if self.rng.random() < 0.7 else self._neighbour(grade),
            masses_opinion=(
                f"发放测评表{self.rng.randint(15, 60)}份，满意率{self.rng.randint(78, 99)}%。"
            ),
            total=total,
            suggested_grade=suggested,
            grade=grade if graded else "",
            decision_reason=(reason or ("" if suggested == grade else REASON)) if graded else "",
            graded_by_id=self._grader(branch) if graded else None,
            graded_on=graded_on if graded else None,
            graded_standard_name=standard.name if graded else "",
            graded_bands=[list(band) for band in standard.bands] if graded else None,
            state=GradingState.GRADED if graded else GradingState.DRAFT,
        )
        return grading, list(zip(criteria, scores, strict=True))

    def _neighbour(self, grade: str) -> str:
        rank = rules.GRADE_RANK[grade]
        return next(g for g, r in rules.GRADE_RANK.items() if r == min(3, rank + 1))

    def _weakest(self, criteria, scores, n: int) -> list[str]:
        ranked = sorted(zip(criteria, scores, strict=True), key=lambda cs: cs[1] / cs[0].points)
        return [PROBLEMS[c.name][0] if c.name in PROBLEMS else c.name for c, _s in ranked[:n]]

    def _year(self, grading_year: GradingYear, branches: list, *, complete: bool) -> None:
        year = grading_year.year
        grades = self._grades(len(branches))
        gradings, score_sets = [], []
        for index, (branch, grade) in enumerate(zip(branches, grades, strict=True)):
            graded_on = date(year, 3, 18 + index % 12)
            if complete and index == len(branches) - 1 and len(branches) > 2:
                graded_on = date(year, 4, 6)  # one late grading last year
            grading, scores = self._grading(grading_year, branch, Round.INITIAL, grade, graded_on)
            gradings.append(grading)
            score_sets.append(scores)
        BranchGrading.objects.bulk_create(gradings)
        self._save_scores(gradings, score_sets)
        self._add("党支部调查摸底与分类定级", len(gradings))
        initial = {g.branch_id: g for g in gradings if g.state == GradingState.GRADED}
        if not initial:
            return
        plans = self._plans(grading_year, branches, initial, complete=complete)
        self._items(grading_year, plans, initial, complete=complete)
        self._regrades(grading_year, branches, initial, complete=complete)

    def _save_scores(self, gradings, score_sets) -> None:
        rows = [
            GradingScore.of(
                c,
                grading=g,
                score=s,
                finding=(PROBLEMS.get(c.name, ("",))[0] if s < c.points * Decimal("0.8") else ""),
            )
            for g, scores in zip(gradings, score_sets, strict=True)
            for c, s in scores
        ]
        GradingScore.objects.bulk_create(rows, batch_size=1000)
        self._add("调查摸底评分", len(rows))

    def _meetings(self, branches, year: int) -> dict[int, Meeting]:
        """The general meeting in May that discussed each branch's plan (an existing one when
        the organisational-life demo has one, else a new one)."""
        window = (date(year, 5, 6), date(year, 5, 28))
        existing: dict[int, Meeting] = {}
        for meeting in Meeting.objects.filter(
            organisation__in=branches, kind=MeetingKind.GENERAL, held_on__range=window
        ).order_by("held_on", "pk"):
            existing.setdefault(meeting.organisation_id, meeting)
        new = []
        for branch in branches:
            if branch.pk in existing:
                continue
            day = date(year, 5, 8 + self.rng.randint(0, 18))
            if not self.happened(day):
                continue
            meeting = Meeting(
                organisation=branch,
                kind=MeetingKind.GENERAL,
                topic=MEETING_TOPIC,
                held_on=day,
                starts_at=time(15, 0),
                ends_at=time(17, 0),
                duration_minutes=120,
                place="党员活动室",
                minutes="逐项讨论本支部整改提高方案的目标、任务、措施和完成时限，全体党员一致同意。",
            )
            new.append(meeting)
            existing[branch.pk] = meeting
        Meeting.objects.bulk_create(new)
        self._add("党员大会（讨论整改提高方案）", len(new))
        return existing

    def _plans(self, grading_year, branches, initial, *, complete: bool) -> list[RectificationPlan]:
        year = grading_year.year
        graded = [b for b in branches if b.pk in initial]
        missing = late = None
        if not complete and len(graded) >= 3:
            missing, late = graded[-1].pk, graded[-2].pk
        meetings = self._meetings([b for b in graded if b.pk != missing], year)
        plans = []
        for branch in graded:
            if branch.pk == missing:
                continue
            grading = initial[branch.pk]
            meeting = meetings.get(branch.pk)
            submitted = date(year, 5, 20 + self.rng.randint(0, 11))
            if branch.pk == late:
                submitted = date(year, 6, 12)
            if meeting is not None and submitted <= meeting.held_on:
                submitted = meeting.held_on + timedelta(days=1)
            state = PlanState.DRAFT
            if meeting is not None:
                state = PlanState.DISCUSSED
                if self.happened(submitted):
                    state = PlanState.SUBMITTED
            plans.append(
                RectificationPlan(
                    branch=branch,
                    year=year,
                    grading=grading,
                    source=PlanSource.GRADING,
                    reason=f"{year}年初次定级为{rules.GRADE_LABELS[grading.grade]}",
                    goals=self._goals(grading.grade),
                    discussed_on=meeting.held_on if meeting else None,
                    meeting=meeting,
                    discussion_note="党员逐条讨论，补充了两条措施。" if meeting else "",
                    state=state,
                    submitted_on=submitted if state == PlanState.SUBMITTED else None,
                )
            )
        RectificationPlan.objects.bulk_create(plans)
        self._add("整改提高方案", len(plans))
        return plans

    def _goals(self, grade: str) -> str:
        return {
            rules.ADVANCED: "巩固先进：保持先进党支部水平，总结推广特色做法，发挥示范带动作用。",
            rules.GOOD: "扩大较好：补齐短板，力争年内晋位为先进党支部。",
            rules.AVERAGE: "推动一般：针对突出问题逐项整改，年内晋位为较好党支部。",
            rules.LAGGING: "整顿后进：配强班子、健全制度、规范活动，年内转化为一般以上党支部。",
        }[grade]

    def _items(self, grading_year, plans, initial, *, complete: bool) -> None:
        year = grading_year.year
        items: list[RectificationItem] = []
        per_plan: dict[int, list[RectificationItem]] = {}
        for p_index, plan in enumerate(plans):
            grading = initial[plan.branch_id]
            count = {rules.ADVANCED: 1, rules.GOOD: 2, rules.AVERAGE: 3, rules.LAGGING: 4}[
                grading.grade
            ]
            names = [n for n in PROBLEMS if n in MEASURES]
            self.rng.shuffle(names)
            for order, name in enumerate(names[:count], start=1):
                responsible = self._responsible(plan.branch)
                if responsible is None:
                    break
                long_term = order == count and count > 1 and p_index % 5 == 1
                deadline = (
                    date(year + 1, 6, 30)
                    if long_term
                    else date(year, self.rng.choice((6, 7, 9, 10, 11, 12)), 28)
                )
                item = RectificationItem(
                    plan=plan,
                    order=order,
                    problem=self.rng.choice(PROBLEMS[name]),
                    measures=MEASURES[name],
                    responsible_id=responsible,
                    deadline=deadline,
                    long_term=long_term,
                )
                self._item_state(item, plan, complete=complete, index=len(items))
                items.append(item)
                per_plan.setdefault(plan.pk, []).append(item)
        RectificationItem.objects.bulk_create(items, batch_size=1000)
        self._add("整改事项", len(items))
        finished = []
        for plan in plans:
            rows = per_plan.get(plan.pk, [])
            done = rules.plan_complete((i.state == ItemState.DONE, i.long_term) for i in rows)
            if plan.state == PlanState.SUBMITTED and done:
                plan.state = PlanState.DONE
                plan.completed_on = max(
                    [i.done_on for i in rows if i.done_on] or [plan.submitted_on]
                )
                finished.append(plan)
        RectificationPlan.objects.bulk_update(finished, ["state", "completed_on"])

    def _item_state(self, item, plan, *, complete: bool, index: int) -> None:
        """Last year: done and verified except long-term items. This year: every state."""
        if plan.state != PlanState.SUBMITTED:
            return
        grader = self._grader(plan.branch)
        if complete:
            if item.long_term:
                return
            item.state = ItemState.DONE
            item.done_on = item.deadline - timedelta(days=self.rng.randint(3, 40))
            item.result = self.rng.choice(RESULTS)
            item.verified_on = item.done_on + timedelta(days=7)
            item.verified_by_id = grader
            return
        kind = index % 5  # 0 verified, 1 done awaiting verification, 2 open, 3 overdue, 4 open
        if item.long_term:
            return
        if kind in (0, 1):
            done_on = min(item.deadline, self.today) - timedelta(days=self.rng.randint(1, 20))
            if not self.happened(done_on) or done_on < (plan.submitted_on or done_on):
                return
            item.state = ItemState.DONE
            item.done_on = done_on
            item.result = self.rng.choice(RESULTS)
            if kind == 0 and self.happened(done_on + timedelta(days=5)):
                item.verified_on = done_on + timedelta(days=5)
                item.verified_by_id = grader
        elif kind == 3:
            # overdue: a deadline already passed this year, still open
            past = self.today - timedelta(days=self.rng.randint(10, 60))
            if past.year == item.deadline.year and past > (plan.submitted_on or past):
                item.deadline = past
        else:
            future = self.today + timedelta(days=self.rng.randint(10, 40))
            item.deadline = min(max(item.deadline, future), date(self.today.year, 12, 31))

    def _regrades(self, grading_year, branches, initial, *, complete: bool) -> None:
        year = grading_year.year
        graded = [b for b in branches if b.pk in initial]
        regrades, score_sets = [], []

        def regraded(index: int) -> bool:
            return complete or index % 2 == 0  # this year: about half regraded so far

        # one branch moves down: the last regraded one that is not already 后进
        down = None
        if len(graded) > 2:
            down = next(
                (
                    i
                    for i in reversed(range(len(graded)))
                    if regraded(i) and initial[graded[i].pk].grade != rules.LAGGING
                ),
                None,
            )
        for index, branch in enumerate(graded):
            before = initial[branch.pk].grade
            if not regraded(index):
                continue
            rank = rules.GRADE_RANK[before]
            if index == down:
                rank -= 1
            elif rank < 3 and (index % 3 != 2 or before == rules.LAGGING):
                rank += 1  # 晋位升级
            grade = next(g for g, r in rules.GRADE_RANK.items() if r == rank)
            graded_on = date(year, 10, 8 + index % 20)
            if not self.happened(graded_on):
                graded_on = date(year, 9, 15 + index % 10)
            if not self.happened(graded_on) or not self.happened(grading_year.regrading_from):
                continue
            grading, scores = self._grading(grading_year, branch, Round.REGRADE, grade, graded_on)
            regrades.append(grading)
            score_sets.append(scores)
        BranchGrading.objects.bulk_create(regrades)
        self._save_scores(regrades, score_sets)
        self._add("党支部调查摸底与分类定级", len(regrades))
