"""The modules of the scaled demo (`load_demo --orgs N`): a year's work in proportion to the tree.

The demo school has its own, richer loaders (mechanism, organisational, appraisal, assessment…);
at province scale those would take hours, so this module writes the rows every page reads with
the generator's bulk writer (COPY on PostgreSQL), from what the loader remembered of each branch
while it inserted the people. Proportions, per branch unless said (a branch has about 66 people
of whom about 30 are members at 100,000 organisations / 3,000,000 people):

- 三会一课: the last three months: 3 支委会 (its officers attend), 1 党员大会 and 1 党课 (every
  member attends: 90% present, 7% excused, 3% absent); 3 委员会 of each upper organisation;
- 设岗定责: this year's posts, one per 4 members (at least one), most published or performing;
- 履职记实: 2 records per post held and published, in the last 120 days;
- 党员考评: one published 年终总评 of last year per committee, a result for every member;
- 支部考核: one notified round of last year per committee, every branch scored on every item;
- 季报表: each committee, general branch and branch, every quarter of this year already due;
- 发展党员: a dossier for every applicant, activist, candidate, target and probationary member.

Everything comes from `random.Random(seed)`: the same seed gives the same rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import reset_queries as _reset_queries
from django.db import transaction

from dangjian.appraisal import rules as appraisal_rules
from dangjian.appraisal.models import EvaluationCycle, EvaluationResult
from dangjian.assessment import rules as assessment_rules
from dangjian.assessment.models import (
    AssessmentRound,
    BranchAssessment,
    Item,
    ItemScore,
    ScoreSheetTemplate,
)
from dangjian.development.models import Case
from dangjian.org.rules import add_years
from dangjian.orglife.models import Attendance, Meeting
from dangjian.posts.models import DutyRecord, Post, PostType
from dangjian.reports import rules as report_rules
from dangjian.reports.models import QuarterlyReport

if TYPE_CHECKING:
    from dangjian.demo.generator import BranchInfo, Loader

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLACES = ("党员活动室", "会议室", "党建工作室", "学院报告厅", "线上会议")
COMMITTEE_TOPICS = ("研究本月支部工作", "讨论发展党员工作", "部署组织生活会", "研究党员教育计划")
GENERAL_TOPICS = ("学习贯彻党的路线方针政策", "通报支部季度工作", "民主评议党员动员")
LECTURE_TOPICS = ("书记讲党课：坚定理想信念", "党章学习专题党课", "党史学习教育专题党课")
DUTY_CONTENT = (
    "开展政策宣讲，帮助群众解读相关政策。",
    "走访联系服务对象，收集意见建议。",
    "组织学习交流，帮扶学习困难同学。",
    "参与志愿服务活动，协助做好服务保障。",
)
POST_STATES = ("performing", "published", "performing", "confirmed", "performing", "claimed")
ASSESSMENT_SCORE_SHEET = "基层党支部工作目标管理考核评分表"  # the seed template


class ScaledModules:
    """Write the modules' rows for the branches a `generator.Loader` has just inserted."""

    def __init__(self, loader: Loader):
        from dangjian.demo.generator import RowWriter

        self.loader = loader
        self.today: date = loader.today
        self.year = self.today.year
        self.rng = random.Random(loader.seed * 4099 + 17)
        self.batch = loader.batch_size * 5
        self.meetings = RowWriter(
            Meeting,
            (
                "organisation",
                "kind",
                "topic",
                "held_on",
                "starts_at",
                "ends_at",
                "duration_minutes",
                "place",
                "host",
                "recorder",
                "minutes",
                "study_hours",
            ),
        )
        self.attendance = RowWriter(Attendance, ("meeting", "person", "status", "role"))
        self.posts = RowWriter(
            Post,
            (
                "organisation",
                "post_type",
                "year",
                "name",
                "duties",
                "targets",
                "holder",
                "state",
                "claimed_by_self",
                "confirmed_on",
                "published_on",
                "progress",
            ),
        )
        self.duty = RowWriter(
            DutyRecord, ("person", "organisation", "post", "occurred_on", "place", "content")
        )
        self.results = RowWriter(
            EvaluationResult,
            (
                "cycle",
                "person",
                "organisation",
                "self_score",
                "branch_score",
                "raters",
                "final_score",
                "grade",
                "computed_at",
            ),
        )
        self.assessments = RowWriter(
            BranchAssessment,
            (
                "round",
                "branch",
                "state",
                "submitted_on",
                "self_total",
                "base_total",
                "bonus_raw",
                "bonus_total",
                "total",
                "grade",
                "scored_on",
                "notice_on",
            ),
        )
        self.item_scores = RowWriter(ItemScore, ("assessment", "item", "self_score", "group_score"))
        self.reports = RowWriter(
            QuarterlyReport,
            (
                "organisation",
                "year",
                "quarter",
                "figures",
                "progress",
                "highlights",
                "problems",
                "next_steps",
                "status",
                "submitted_at",
            ),
        )
        self.cases = RowWriter(
            Case,
            (
                "person",
                "organisation",
                "stage",
                "status",
                "applied_on",
                "activist_on",
                "exam_passed_on",
                "candidate_on",
                "cultivation_starts_on",
                "target_on",
                "admitted_on",
                "probation_ends_on",
            ),
        )
        self.models = [
            Meeting,
            Attendance,
            Post,
            DutyRecord,
            EvaluationCycle,
            EvaluationResult,
            AssessmentRound,
            BranchAssessment,
            ItemScore,
            QuarterlyReport,
            Case,
        ]

    def run(self) -> None:
        from dangjian.demo.generator import Progress

        branches = self.loader.branches
        self.figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._prepare()
        progress = Progress(self.loader.out, "业务数据（按党支部）", len(branches))
        for start in range(0, len(branches), 500):
            chunk = branches[start : start + 500]
            with transaction.atomic():
                self._meetings(chunk)
                self._posts(chunk)
                self._cases(chunk)
                self._evaluations(chunk)
                self._assessments(chunk)
            _reset_queries()
            progress.update(start + len(chunk))
        progress.finish()
        with transaction.atomic():
            self._upper_meetings()
            self._reports()
        _reset_queries()

    def _add(self, label: str, n: int) -> None:
        self.loader.result.add(label, n)

    # --- one-off rows per committee -----------------------------------------------------

    def _prepare(self) -> None:
        """Catalogue, score sheet, and one evaluation cycle and one assessment round per
        committee (a few thousand rows: the ORM is fast enough)."""
        catalogue = list(
            PostType.objects.filter(organisation__isnull=True, is_active=True).order_by("id")
        )
        self.staff_types = [t for t in catalogue if t.audience != "student"] or catalogue
        self.student_types = [t for t in catalogue if t.audience != "staff"] or catalogue
        committees = sorted({b.committee for b in self.loader.branches})
        last = self.year - 1
        self.weights = (Decimal(30), Decimal(0), Decimal(70))  # no survey of the masses
        self.bands = appraisal_rules.normalise_bands(appraisal_rules.DEFAULT_BANDS)
        starts_on, ends_on = appraisal_rules.default_window(appraisal_rules.YEAR, last, 1)
        self.computed_at = datetime.combine(ends_on + timedelta(days=3), time(16), SHANGHAI)
        cycles = EvaluationCycle.objects.bulk_create(
            [
                EvaluationCycle(
                    organisation_id=committee,
                    kind=appraisal_rules.YEAR,
                    year=last,
                    period=1,
                    title=appraisal_rules.default_title(appraisal_rules.YEAR, last, 1),
                    population=appraisal_rules.ALL_MEMBERS,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    weight_self=self.weights[0],
                    weight_masses=self.weights[1],
                    weight_branch=self.weights[2],
                    bands=self.bands,
                    state="published",
                    computed_at=self.computed_at,
                    published_on=ends_on + timedelta(days=7),
                )
                for committee in committees
            ],
            batch_size=1000,
        )
        self.cycle_of = {c.organisation_id: c.pk for c in cycles}
        self._add("党员考评", len(cycles))
        self.template = (
            ScoreSheetTemplate.objects.filter(name=ASSESSMENT_SCORE_SHEET).first()
            or ScoreSheetTemplate.objects.filter(is_active=True).order_by("id").first()
        )
        self.round_of: dict[int, int] = {}
        self.items: list[Item] = []
        if self.template is None:
            return
        self.items = [
            i
            for i in Item.objects.filter(indicator__template=self.template).order_by(
                "indicator__order", "number"
            )
            if not i.is_bonus
        ]
        rounds = AssessmentRound.objects.bulk_create(
            [
                AssessmentRound(
                    template=self.template,
                    year=last,
                    title=f"{last}年度党支部工作目标管理考核",
                    organisation_id=committee,
                    self_due=date(last, 11, 20),
                    finish_by=assessment_rules.finish_by(last),
                )
                for committee in committees
            ],
            batch_size=1000,
        )
        self.round_of = {r.organisation_id: r.pk for r in rounds}
        self._add("支部考核", len(rounds))

    # --- organisational life --------------------------------------------------------------

    def _meeting(self, org: int, kind: str, topic: str, held_on: date, officers: list[int]):
        hours = Decimal("2.0") if kind == "lecture" else Decimal(0)
        host = officers[0] if officers else None
        recorder = officers[1] if len(officers) > 1 else host
        return (
            org,
            kind,
            topic,
            held_on,
            time(14, 30),
            time(16, 0),
            90,
            self.rng.choice(PLACES),
            host,
            recorder,
            f"{topic}。会议由书记主持，与会同志进行了讨论。",
            hours,
        )

    def _meetings(self, chunk: list[BranchInfo]) -> None:
        rng, today = self.rng, self.today
        officers = self.loader.officers
        meetings, rosters = [], []
        for b in chunk:
            own = officers.get(b.id, [])[:5]
            for month in range(3):
                held = today - timedelta(days=30 * month + rng.randint(1, 25))
                meetings.append(
                    self._meeting(b.id, "committee", rng.choice(COMMITTEE_TOPICS), held, own)
                )
                rosters.append(own)
            for kind, topics in (("general", GENERAL_TOPICS), ("lecture", LECTURE_TOPICS)):
                held = today - timedelta(days=rng.randint(1, 85))
                meetings.append(self._meeting(b.id, kind, rng.choice(topics), held, own))
                rosters.append(b.members)
        ids = self.meetings.write(meetings)
        rows = []
        for meeting, roster in zip(ids, rosters, strict=True):
            for person in roster:
                r = rng.random()
                status = "present" if r < 0.9 else "excused" if r < 0.97 else "absent"
                rows.append((meeting, person, status, "member"))
        for start in range(0, len(rows), self.batch):
            self.attendance.write(rows[start : start + self.batch])
        self._add("组织生活", len(meetings))
        self._add("出席情况", len(rows))

    def _upper_meetings(self) -> None:
        rng, today = self.rng, self.today
        officers = self.loader.officers
        uppers = sorted(
            {b.committee for b in self.loader.branches}
            | {b.general_branch for b in self.loader.branches}
        )
        meetings, rosters = [], []
        for org in uppers:
            own = officers.get(org, [])[:7]
            for month in range(3):
                held = today - timedelta(days=30 * month + rng.randint(1, 25))
                meetings.append(self._meeting(org, "committee", "研究部署近期党建工作", held, own))
                rosters.append(own)
        ids = self.meetings.write(meetings)
        rows = [
            (meeting, person, "present", "member")
            for meeting, roster in zip(ids, rosters, strict=True)
            for person in dict.fromkeys(roster)
        ]
        self.attendance.write(rows)
        self._add("组织生活", len(meetings))
        self._add("出席情况", len(rows))

    # --- posts and duty records -------------------------------------------------------------

    def _posts(self, chunk: list[BranchInfo]) -> None:
        rng, today, year = self.rng, self.today, self.year
        if not self.staff_types:
            return
        posts, holders = [], []
        for b in chunk:
            if not b.members:
                continue
            types = self.student_types if b.category == "student" else self.staff_types
            count = max(1, len(b.members) // 4)
            for n, holder in enumerate(rng.sample(b.members, count)):
                post_type = types[n % len(types)]
                state = POST_STATES[n % len(POST_STATES)]
                published = state in ("published", "performing")
                posts.append(
                    (
                        b.id,
                        post_type.pk,
                        year,
                        post_type.name,
                        post_type.duties,
                        post_type.annual_tasks or "按岗位职责完成年度任务。",
                        holder,
                        state,
                        n % 2 == 0,
                        None if state == "claimed" else date(year, 3, 10),
                        date(year, 3, 20) if published else None,
                        "按月开展履职活动，记实完整。" if published else "",
                    )
                )
                holders.append((b, holder, published))
            fig = self.figures[b.id]
            fig["posts"] += count
            fig["published_posts"] += sum(
                1 for n in range(count) if POST_STATES[n % len(POST_STATES)] != "claimed"
            )
        ids = self.posts.write(posts)
        records = []
        for post, (b, holder, published) in zip(ids, holders, strict=True):
            if not published:
                continue
            for _ in range(2):
                on = today - timedelta(days=rng.randint(1, 120))
                records.append(
                    (holder, b.id, post, on, rng.choice(PLACES), rng.choice(DUTY_CONTENT))
                )
                self.figures[b.id]["duty_records"] += 1
        self.duty.write(records)
        self._add("岗位", len(posts))
        self._add("履职记实", len(records))

    # --- development ------------------------------------------------------------------------

    def _cases(self, chunk: list[BranchInfo]) -> None:
        stage_of = {"applicant": 1, "activist": 2, "candidate": 4, "target": 5, "probationary": 9}
        rows = []
        for b in chunk:
            for pk, status, applied, since, p_start, p_end in b.pipeline:
                since = since or applied
                stage = stage_of[status]
                activist = candidate = exam = cultivation = target = None
                if stage >= 2:
                    activist = since if stage == 2 else applied + (since - applied) / 3
                if stage >= 4:
                    candidate = since if stage == 4 else None
                    exam = (candidate or since) - timedelta(days=20)
                if stage == 4:
                    cultivation = min(since + timedelta(days=8), self.today)
                if stage >= 5:
                    target = since if stage == 5 else since - timedelta(days=60)
                    cultivation = add_years(target, -1) - timedelta(days=15)
                    candidate = cultivation - timedelta(days=8)
                    exam = candidate - timedelta(days=20)
                rows.append(
                    (
                        pk,
                        b.id,
                        stage,
                        "probation" if stage == 9 else "active",
                        applied,
                        activist,
                        exam,
                        candidate,
                        cultivation,
                        target,
                        p_start if stage == 9 else None,
                        p_end if stage == 9 else None,
                    )
                )
        for start in range(0, len(rows), self.batch):
            self.cases.write(rows[start : start + self.batch])
        self._add("发展党员档案", len(rows))

    # --- evaluations and assessments --------------------------------------------------------

    def _evaluations(self, chunk: list[BranchInfo]) -> None:
        rng = self.rng
        rows = []
        for b in chunk:
            cycle = self.cycle_of[b.committee]
            for person in b.members:
                own = Decimal(rng.randint(150, 198)) / 2
                branch = Decimal(rng.randint(120, 198)) / 2
                exact = appraisal_rules.weighted_total(own, None, branch, self.weights)
                rows.append(
                    (
                        cycle,
                        person,
                        b.id,
                        own,
                        branch,
                        3,
                        appraisal_rules.shown_total(exact),
                        appraisal_rules.grade(exact, self.bands),
                        self.computed_at,
                    )
                )
        for start in range(0, len(rows), self.batch):
            self.results.write(rows[start : start + self.batch])
        self._add("考评结果", len(rows))

    def _assessments(self, chunk: list[BranchInfo]) -> None:
        if not self.items:
            return
        rng, last = self.rng, self.year - 1
        bands = self.template.bands
        assessments, sheets = [], []
        for b in chunk:
            group = [
                max(Decimal(0), item.points - Decimal(rng.choice((0, 0, 0, 1, 2))) / 2)
                for item in self.items
            ]
            own = [
                min(item.points, g + Decimal(rng.choice((0, 0, 1))) / 2)
                for item, g in zip(self.items, group, strict=True)
            ]
            total = sum(group, Decimal(0))
            assessments.append(
                (
                    self.round_of[b.committee],
                    b.id,
                    "notified",
                    date(last, 11, 18),
                    sum(own, Decimal(0)),
                    total,
                    Decimal(0),
                    Decimal(0),
                    total,
                    assessment_rules.grade(total, bands),
                    date(last, 11, 28),
                    date(last, 12, 1),
                )
            )
            sheets.append((own, group))
        ids = self.assessments.write(assessments)
        rows = [
            (pk, item.pk, own[i], group[i])
            for pk, (own, group) in zip(ids, sheets, strict=True)
            for i, item in enumerate(self.items)
        ]
        self.item_scores.write(rows)
        self._add("党支部考核", len(assessments))
        self._add("考核评分", len(rows))

    # --- quarterly reports --------------------------------------------------------------------

    def _reports(self) -> None:
        """Every committee, general branch and branch reports each quarter already due; the
        figures are summed from what was generated (members, posts, duty records)."""
        totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for b in self.loader.branches:
            fig = self.figures[b.id]
            fig["members"] = len(b.members)
            fig["branches"] = fig["covered_branches"] = 1
            for org in (b.id, b.general_branch, b.committee):
                for key, value in fig.items():
                    totals[org][key] += value
        rows = []
        for quarter in (1, 2, 3, 4):
            due = report_rules.due_date(self.year, quarter)
            if due > self.today:
                continue
            as_of = report_rules.figures_as_of(self.year, quarter, self.today)
            submitted = datetime.combine(due - timedelta(days=2), time(16, 30), SHANGHAI)
            for org, fig in totals.items():
                figures = {
                    "as_of": as_of.isoformat(),
                    "generated_on": (due - timedelta(days=2)).isoformat(),
                    **fig,
                    "coverage_percent": 100,
                }
                rows.append(
                    (
                        org,
                        self.year,
                        quarter,
                        figures,
                        "按季度推进设岗定责、亮岗履职和任务分解，各项工作有序开展。",
                        "开展党员示范岗亮牌和“一支部一品牌”创建。",
                        "个别支部履职记实检查不够及时。",
                        "加强督查指导，确保年底推广面达到100%。",
                        "accepted",
                        submitted,
                    )
                )
        for start in range(0, len(rows), self.batch):
            self.reports.write(rows[start : start + self.batch])
        self._add("季报表", len(rows))
