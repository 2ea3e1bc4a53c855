"""A year of the “168” mechanism for the demo institution, so every page has something to show.

Goals and plans, six-step work items at every step with their opinions, decisions, tasks,
commitments, progress and evaluations; posts in every state with holders; members'
commitment letters, duty records, monthly and quarterly checks and summaries; suggestions;
quarterly reports. Deterministic for a seed; written with bulk inserts.
"""

import random
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F

from dangjian.org.models import Organisation, OrgKind, Person, Unit
from dangjian.orglife.models import StudyRecord
from dangjian.posts.models import (
    Commitment,
    DutyCheck,
    DutyRecord,
    DutySummary,
    Post,
    PostState,
    PostType,
)
from dangjian.public.models import Suggestion
from dangjian.reports.models import QuarterlyReport
from dangjian.targets.models import (
    AnnualPlan,
    Decision,
    Evaluation,
    LongTermGoal,
    Opinion,
    Task,
    TaskProgress,
    WorkItem,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

MODELS = (  # deletion order: rows that point at others first
    QuarterlyReport,
    DutyRecord,
    DutyCheck,
    DutySummary,
    Commitment,
    Post,
    TaskProgress,
    Task,
    Evaluation,
    Decision,
    Opinion,
    Suggestion,
    WorkItem,
    AnnualPlan,
    LongTermGoal,
)

THEMES = ("基层组织工作建设年", "党建特色建设年", "党员奉献年")
FEATURES = (
    "“一支部一品牌”创建",
    "党员先锋岗进实训室",
    "“双带头人”教师党支部书记工作室",
    "学生党员“三岗”服务社区",
    "离退休党员“银龄先锋”志愿服务",
)
STUDIES = (
    "高职院校教师党支部组织力提升路径调研",
    "学生党员发挥作用的长效机制研究",
    "“168”机制与党建工作责任制融合调研",
)
OPINIONS = (
    ("teaching", "希望增加青年教师企业实践的机会和经费支持。"),
    ("management", "建议简化实训耗材报销流程，减少纸质签字环节。"),
    ("students", "学生公寓晚间学习空间不足，建议开放部分教室自习。"),
    ("logistics", "新校区食堂用餐高峰排队时间长，建议增加窗口。"),
    ("party", "支部主题党日形式可以更丰富，多结合专业实践。"),
    ("welfare", "希望工会组织更多教职工体育健身活动。"),
    ("party", "建议党员示范岗在办公场所统一亮牌，便于群众监督。"),
)
TASKS = (
    ("完成党支部标准化建设达标", "所属党支部100%达标", "对照标准逐项自查整改，年底前组织验收"),
    ("推进“双带头人”培育", "教工党支部书记“双带头人”比例达到90%", "开展专题培训，建立书记工作室"),
    ("开展党员亮岗履职", "党员亮岗率100%，履职记实每月不少于1条", "设岗定责、公开承诺、按月检查"),
    ("加强学生党员发展质量", "发展对象培训合格率100%", "落实十个步骤，严格公示和票决"),
    ("建设党员活动室", "活动室面积不少于20平方米", "整合场地资源，统一配置宣传栏"),
    ("开展意见征集和答复", "群众意见按时答复率100%", "设立意见箱，10个工作日内答复"),
    ("组织主题党日活动", "每月开展1次主题党日", "结合专业特色开展志愿服务"),
    ("完成党员教育培训学时", "教工党员每年不少于24学时", "依托网络学院和专题党课"),
)
DUTY_CONTENT = (
    (
        "党员活动室",
        "组织支部党员集中学习，领学专题文章并交流体会。",
        "参学党员12人，形成心得体会8篇。",
    ),
    ("学生公寓3栋", "开展政策宣传，讲解资助政策并解答学生疑问。", "覆盖学生60余人，解答问题15个。"),
    ("实训中心", "指导学生技能竞赛训练，示范规范操作。", "学生掌握关键工艺，模拟赛成绩提升。"),
    ("图书馆", "组织学习互助小组，帮扶学业困难同学。", "结对帮扶4名同学，期中成绩均有提高。"),
    ("办公室", "梳理本部门办事流程，推进一次性告知。", "精简材料2项，群众办事时间缩短。"),
    ("社区服务站", "参加社区志愿服务，开展文明劝导。", "服务居民30余人次，收到感谢信1封。"),
    ("教学楼", "开展文明监督岗巡查，劝导不文明行为。", "教室卫生和秩序明显改善。"),
)
SUGGESTIONS = (
    ("students", "希望学院多组织一些职业规划讲座。"),
    ("logistics", "三号教学楼饮水机经常没水，希望及时更换。"),
    ("teaching", "建议实训课安排更多的小组练习时间。"),
    ("conduct", "建议公开党员示范岗的联系方式，方便有事找党员。"),
    ("management", "请假审批流程较长，建议网上办理。"),
    ("party", "希望支部活动能邀请积极分子一起参加。"),
)


def reset_mechanism() -> None:
    for model in MODELS:
        model._base_manager.all().delete()


class MechanismLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 104729 + 168)
        self.today = today
        self.year = today.year
        self.counts: dict[str, int] = {}

    def _add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def _day(self, start: date, end: date) -> date:
        end = min(end, self.today)
        span = (end - start).days
        return start + timedelta(days=self.rng.randint(0, max(span, 0)))

    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.committee = Organisation.objects.filter(depth=1).order_by("path").first()
        if self.committee is None:
            return self.counts
        self.general_branches = list(
            Organisation.objects.filter(kind=OrgKind.GENERAL_BRANCH, dissolved_on__isnull=True)
        )
        self.branches = list(
            Organisation.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True)
        )
        members = Person.objects.filter(
            party_status__in=("full", "probationary"), primary_org__kind=OrgKind.BRANCH
        ).values_list("pk", "primary_org_id", "category", "party_status")
        self.members_by_branch: dict[int, list[tuple[int, str]]] = {}
        for pk, org_id, category, _status in members:
            self.members_by_branch.setdefault(org_id, []).append((pk, category))
        self.units = list(
            Unit.objects.filter(dissolved_on__isnull=True).values_list("pk", flat=True)
        )
        self._goals_and_plans()
        self._work_items()
        self._posts()
        self._commitments_and_records()
        self._suggestions()
        self._reports()
        return self.counts

    # target management and the six steps

    def _goals_and_plans(self) -> None:
        goals = [
            LongTermGoal(
                organisation=self.committee,
                kind="party",
                honour="先进基层党组织",
                current_level=2,
                target_level=3,
                start_year=self.year - 1,
                end_year=self.year + 3,
                measures="以“168”机制为抓手，三年内争创省级先进基层党组织。",
            ),
            LongTermGoal(
                organisation=self.committee,
                kind="school",
                honour="文明校园",
                current_level=2,
                target_level=3,
                start_year=self.year - 1,
                end_year=self.year + 2,
                measures="深化文明校园创建，补齐校园环境和志愿服务短板。",
            ),
        ]
        plans = [
            AnnualPlan(
                organisation=org,
                year=self.year,
                theme=THEMES[i % len(THEMES)],
                featured_work=FEATURES[i % len(FEATURES)],
                theoretical_study=STUDIES[i % len(STUDIES)],
                development_goals="围绕学校年度重点任务，推动党建与业务深度融合。",
            )
            for i, org in enumerate([self.committee, *self.general_branches])
        ]
        for i, org in enumerate(self.general_branches):
            goals.append(
                LongTermGoal(
                    organisation=org,
                    kind="party",
                    honour="先进基层党组织",
                    current_level=i % 2,
                    target_level=i % 2 + 1,
                    start_year=self.year,
                    end_year=self.year + 3,
                    measures="对标先进，按年度分解争创任务。",
                )
            )
        LongTermGoal.objects.bulk_create(goals)
        self.plans = {p.organisation_id: p for p in AnnualPlan.objects.bulk_create(plans)}
        self._add("长期目标", len(goals))
        self._add("年度计划", len(plans))

    def _work_items(self) -> None:
        owners = [self.committee, *self.general_branches]
        # Steps spread so that every step has items: the committee's plan is done, others vary.
        items = []
        for i, org in enumerate(owners):
            step = 7 if i == 0 else [7, 6, 5, 4, 3, 2, 1][i % 7]
            items.append(
                WorkItem(
                    organisation=org,
                    plan=self.plans.get(org.pk),
                    year=self.year,
                    kind="annual_plan",
                    title=f"{self.year}年度党建工作计划" if i else f"{self.year}年学校党建工作要点",
                    description="按“六步工作法”制定和实施本年度党建工作计划。",
                    step=step,
                )
            )
            if i % 3 == 1:
                items.append(
                    WorkItem(
                        organisation=org,
                        plan=self.plans.get(org.pk),
                        year=self.year,
                        kind="activity",
                        title="“七一”主题党日系列活动",
                        description="围绕建党节开展重温入党誓词、志愿服务等活动。",
                        step=[1, 3, 5][i % 3],
                    )
                )
        items = self.work_items = WorkItem.objects.bulk_create(items)
        self._add("工作事项", len(items))
        opinions, decisions, tasks = [], [], []
        start = date(self.year, 1, 5)
        for item in items:
            for k in range(self.rng.randint(3, 5)):
                category, text = OPINIONS[(item.pk + k) % len(OPINIONS)]
                pending = item.step == 1 and k == 0
                opinions.append(
                    Opinion(
                        work_item=item,
                        source=self.rng.choice(["meeting", "form", "visit"]),
                        category=category,
                        content=text,
                        raised_by=self.rng.choice(["", "教职工代表", "学生代表", "退休党员"]),
                        received_on=self._day(start, date(self.year, 2, 20)),
                        handling="pending" if pending else self.rng.choice(["adopted", "answered"]),
                        response="" if pending else "已纳入年度计划，由相关部门落实。",
                    )
                )
            if item.step >= 2:
                decisions.append(
                    Decision(
                        work_item=item,
                        meeting_kind="joint"
                        if item.organisation_id == self.committee.pk
                        else "committee",
                        held_on=date(self.year, 3, 1 + item.pk % 20),
                        place="行政楼第一会议室",
                        attendees="党组织班子成员、行政负责人",
                        representatives="教职工代表2名" if item.pk % 2 else "",
                        decisions="审议通过年度工作计划及任务分解方案。",
                    )
                )
            if item.step >= 3:
                tasks.extend(self._tasks_for(item))
        Opinion.objects.bulk_create(opinions)
        Decision.objects.bulk_create(decisions)
        tasks = Task.objects.bulk_create(tasks)
        self._add("征求意见", len(opinions))
        self._add("议事决策", len(decisions))
        self._add("分解任务", len(tasks))
        updates = []
        for task in tasks:
            if task.work_item.step >= 5 or task.completed_on or task.progress:
                for n, pct in enumerate(sorted({task.progress // 2, task.progress} - {0})):
                    updates.append(
                        TaskProgress(
                            task=task,
                            reported_on=min(task.deadline, self.today)
                            - timedelta(days=30 * (1 - n)),
                            percent=pct,
                            note="按计划推进，阶段性任务已完成。"
                            if pct < 100
                            else "任务已全部完成。",
                        )
                    )
        TaskProgress.objects.bulk_create(updates)
        self._add("任务进展", len(updates))
        evaluations = [
            Evaluation(
                work_item=item,
                evaluated_on=date(self.year, 11, 10),
                method="个人述岗自评、教职工民意测评、党组织综合评定相结合",
                result="年度任务完成率95%以上，群众满意度较高。",
                rewards="评选党员示范岗3个，对2项滞后任务通报督办。",
                published_on=date(self.year, 11, 15) if item.step == 7 else None,
            )
            for item in items
            if item.step >= 6 and self.today >= date(self.year, 11, 15)
        ]
        Evaluation.objects.bulk_create(evaluations)
        self._add("考评奖惩", len(evaluations))

    def _tasks_for(self, item: WorkItem) -> list[Task]:
        children = [o for o in self.general_branches if o.path.startswith(item.organisation.path)]
        children = children or [
            o for o in self.branches if o.path.startswith(item.organisation.path)
        ]
        people = self.members_by_branch.get(children[0].pk if children else 0) or next(
            iter(self.members_by_branch.values())
        )
        tasks = []
        for k, (title, target, measures) in enumerate(self.rng.sample(TASKS, 4)):
            deadline = date(self.year, self.rng.choice([6, 9, 10, 12]), 30 if k % 2 else 15)
            done = deadline < self.today and self.rng.random() < 0.75
            progress = 100 if done else self.rng.choice([30, 50, 60, 80]) if item.step >= 5 else 0
            kind = ("organisation", "unit", "person")[k % 3]
            responsible = people[k % len(people)][0]
            tasks.append(
                Task(
                    work_item=item,
                    title=title,
                    target=target,
                    measures=measures,
                    assignee_kind=kind,
                    assignee_org=children[k % len(children)]
                    if kind == "organisation" and children
                    else None,
                    assignee_unit_id=self.units[(item.pk + k) % len(self.units)]
                    if kind == "unit"
                    else None,
                    assignee_person_id=responsible if kind == "person" else None,
                    responsible_id=responsible,
                    deadline=deadline,
                    role=[1, 2, 5, 7, 3, 4, 6, 8][(item.pk + k) % 8],
                    commitment=f"保证{target}，按期完成。" if item.step >= 4 else "",
                    published_on=date(self.year, 4, 1) if item.step >= 4 else None,
                    progress=progress,
                    completed_on=deadline if done else None,
                )
            )
            if kind == "organisation" and not children:
                tasks[-1].assignee_kind = "person"
                tasks[-1].assignee_person_id = responsible
        return tasks

    # posts, commitments, duty records

    def _posts(self) -> None:
        catalogue = list(PostType.objects.filter(organisation__isnull=True, is_active=True))
        staff_types = [t for t in catalogue if t.audience != "student"]
        student_types = [t for t in catalogue if t.audience != "staff"]
        self.posts: list[Post] = []
        if not catalogue:
            return
        P = PostState
        states = [P.PERFORMING, P.PUBLISHED, P.PERFORMING, P.CLAIMED, P.PERFORMING, P.SET]
        states += [P.PERFORMING, P.CONFIRMED, P.PERFORMING]
        posts = []
        for branch in self.branches:
            members = self.members_by_branch.get(branch.pk, [])
            if not members:
                continue
            # A few branches have not yet published any post (coverage below 100%).
            lagging = self.rng.random() < 0.1
            holders = self.rng.sample(members, min(len(members), self.rng.randint(5, 9)))
            for n, (person_id, category) in enumerate(holders):
                types = (student_types if category == "student" else staff_types) or catalogue
                post_type = types[n % len(types)]
                state = PostState.CONFIRMED if lagging else states[n % len(states)]
                holder = None if state == PostState.SET else person_id
                posts.append(post_row(branch, post_type, self.year, state, holder, n))
                if n < 3:  # last year's posts, evaluated
                    posts.append(
                        post_row(
                            branch, post_type, self.year - 1, PostState.EVALUATED, person_id, n
                        )
                    )
        self.posts = Post.objects.bulk_create(posts)
        self._add("岗位", len(posts))

    def _commitments_and_records(self) -> None:
        commitments, records, checks, summaries = [], [], [], []
        months = [m for m in range(3, 13) if date(self.year, m, 1) <= self.today]
        holders: dict[int, list[Post]] = {}
        for post in self.posts:
            if post.year == self.year and post.state == PostState.PERFORMING:
                holders.setdefault(post.organisation_id, []).append(post)
        for branch in self.branches:
            members = self.members_by_branch.get(branch.pk, [])
            for person_id, _category in members:
                if self.rng.random() < 0.75:
                    commitments.append(
                        Commitment(
                            person_id=person_id,
                            organisation=branch,
                            year=self.year,
                            political="坚定理想信念，每月参加集中学习，撰写学习心得。",
                            duties="立足本职岗位，高标准完成年度工作任务。",
                            development="围绕学校中心工作，积极参与专业建设和社会服务。",
                            pairing="结对帮扶1名学生（同事），每学期谈心不少于2次。",
                            integrity="严守廉洁纪律，自觉接受群众监督。",
                            org_life="按时参加“三会一课”和主题党日，按时交纳党费。",
                            published_on=date(self.year, 3, 25)
                            if self.rng.random() < 0.85
                            else None,
                        )
                    )
            for post in holders.get(branch.pk, []):
                for month in months:
                    for _ in range(self.rng.randint(0, 2)):
                        place, content, effect = self.rng.choice(DUTY_CONTENT)
                        records.append(
                            DutyRecord(
                                person_id=post.holder_id,
                                organisation=branch,
                                post=post,
                                occurred_on=self._day(
                                    date(self.year, month, 1), date(self.year, month, 28)
                                ),
                                place=place,
                                content=content,
                                effect=effect,
                            )
                        )
            # Most branches check every month; some skip months (shown as gaps).
            diligent = self.rng.random() < 0.8
            for month in months:
                end = (date(self.year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(
                    days=1
                )
                if end >= self.today or (not diligent and month % 3 == 0):
                    continue
                checks.append(
                    DutyCheck(
                        organisation=branch,
                        kind="monthly",
                        period_start=date(self.year, month, 1),
                        period_end=end,
                        checked_on=end + timedelta(days=3),
                        findings="记实内容完整，个别党员记录偏少，已提醒按时记录。",
                        circulated_on=end + timedelta(days=5),
                    )
                )
            for person_id, _category in members[: max(1, len(members) // 2)]:
                summaries.append(
                    DutySummary(
                        kind="member_semester",
                        organisation=branch,
                        person_id=person_id,
                        year=self.year,
                        semester=1,
                        content="本学期认真履行岗位职责，完成承诺事项，今后将进一步发挥先锋模范作用。",
                        submitted_on=date(self.year, 7, 5),
                    )
                )
            summaries.append(
                DutySummary(
                    kind="branch_annual",
                    organisation=branch,
                    year=self.year - 1,
                    content="支部全体党员亮岗履职，设岗率、亮岗率均达到100%，群众满意度较高。",
                    submitted_on=date(self.year - 1, 12, 28),
                )
            )
        for gb in self.general_branches:
            for quarter_end in (
                date(self.year, 3, 31),
                date(self.year, 6, 30),
                date(self.year, 9, 30),
            ):
                if quarter_end < self.today:
                    checks.append(
                        DutyCheck(
                            organisation=gb,
                            kind="quarterly",
                            period_start=quarter_end.replace(day=1) - timedelta(days=60),
                            period_end=quarter_end,
                            checked_on=quarter_end + timedelta(days=10),
                            findings="各支部履职记实基本规范，部分支部月检查记录不全，限期补齐。",
                            circulated_on=quarter_end + timedelta(days=15),
                        )
                    )
        Commitment.objects.bulk_create(commitments)
        checks = DutyCheck.objects.bulk_create(checks)
        records = DutyRecord.objects.bulk_create(records, batch_size=2000)
        DutySummary.objects.bulk_create(summaries)
        # Records of checked months are marked checked by that month's check.
        monthly = {
            (c.organisation_id, c.period_start.month): c for c in checks if c.kind == "monthly"
        }
        checked = []
        for record in records:
            check = monthly.get((record.organisation_id, record.occurred_on.month))
            if check is not None:
                record.duty_check = check
                checked.append(record)
        DutyRecord.objects.bulk_update(checked, ["duty_check"], batch_size=2000)
        counted: dict[int, int] = {}
        for record in checked:
            counted[record.duty_check.pk] = counted.get(record.duty_check.pk, 0) + 1
        for check in checks:
            check.records_checked = counted.get(check.pk, 0)
        DutyCheck.objects.bulk_update(checks, ["records_checked"], batch_size=2000)
        self._add("党员承诺书", len(commitments))
        self._add("履职记实", len(records))
        self._add("履职检查", len(checks))
        self._add("履职总结", len(summaries))

    def _suggestions(self) -> None:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        rows = []
        targets = [self.committee, *self.general_branches, *self.branches[:10]]
        for n in range(40):
            category, content = SUGGESTIONS[n % len(SUGGESTIONS)]
            status = ["received", "assigned", "answered", "answered", "closed"][n % 5]
            answered = status in ("answered", "closed")
            rows.append(
                Suggestion(
                    organisation=targets[n % len(targets)],
                    tracking_code="".join(self.rng.choice(alphabet) for _ in range(10)),
                    name="" if n % 3 else "王老师",
                    category=category,
                    content=content,
                    status=status,
                    reply="感谢您的建议，已转相关部门办理，将于本月内落实。" if answered else "",
                    reply_public=answered and n % 2 == 0,
                    client_hash=secrets.token_hex(16),
                )
            )
        rows = Suggestion.objects.bulk_create(rows)
        for n, row in enumerate(rows):  # spread over the year (auto_now_add set them to now)
            row.created_at = row.created_at - timedelta(days=5 + n * 7 % 300)
            if row.reply:
                row.replied_on = min(row.created_at.date() + timedelta(days=3 + n % 7), self.today)
        Suggestion.objects.bulk_update(rows, ["created_at", "replied_on"])
        self._add("意见建议", len(rows))
        # Suggestions to an organisation whose plan is still collecting opinions feed step 1.
        collecting = {w.organisation_id: w for w in self.work_items if w.step == 1}
        opinions = [
            Opinion(
                work_item=collecting[row.organisation_id],
                source="suggestion_box",
                category="party" if row.category == "conduct" else row.category,
                content=row.content,
                raised_by=row.name or "匿名",
                received_on=row.created_at.date(),
                suggestion=row,
                handling="pending",
            )
            for row in rows
            if row.organisation_id in collecting
        ]
        Opinion.objects.bulk_create(opinions)
        self._add("征求意见", len(opinions))

    def _reports(self) -> None:
        """Reports of the quarters already due: most accepted, a few late, returned or missing."""
        from dangjian.reports import rules as report_rules
        from dangjian.reports.selectors import compute_figures

        rows = []
        orgs = [self.committee, *self.general_branches, *self.branches]
        for quarter in (1, 2, 3, 4):
            due = report_rules.due_date(self.year, quarter)
            if due > self.today:
                continue
            for n, org in enumerate(orgs):
                fate = self.rng.random()
                if fate < 0.06 and org != self.committee:
                    continue  # never submitted: overdue to the level above
                status = "accepted" if fate < 0.85 or org == self.committee else "returned"
                if quarter == 3 and 0.85 <= fate < 0.95:
                    status = "submitted"
                late = 0.06 <= fate < 0.12
                submitted = due + timedelta(days=3) if late else due - timedelta(days=n % 9 + 1)
                rows.append(
                    QuarterlyReport(
                        organisation=org,
                        year=self.year,
                        quarter=quarter,
                        figures=compute_figures(org, self.year, quarter, today=self.today),
                        progress="按季度推进设岗定责、亮岗履职和任务分解，各项工作有序开展。",
                        highlights="开展党员示范岗亮牌和“一支部一品牌”创建。",
                        problems="个别支部履职记实检查不够及时。",
                        next_steps="加强督查指导，确保年底推广面达到100%。",
                        status=status,
                        submitted_at=datetime.combine(submitted, time(16, 30), tzinfo=SHANGHAI),
                        review_note="数据与台账不一致，请核实后重新报送。"
                        if status == "returned"
                        else "",
                    )
                )
        QuarterlyReport.objects.bulk_create(rows)
        self._add("季报表", len(rows))


def post_row(branch, post_type, year, state, holder, n) -> Post:
    """A post of the demo in `state` (unsaved), its dates and evaluation following the state."""
    published = state in (PostState.PUBLISHED, PostState.PERFORMING, PostState.EVALUATED)
    evaluated = state == PostState.EVALUATED
    grade = ["excellent", "competent", "competent", "basic"][n % 4] if evaluated else ""
    return Post(
        organisation=branch,
        post_type=post_type,
        year=year,
        name=post_type.name,
        duties=post_type.duties,
        targets=post_type.annual_tasks or "按岗位职责完成年度任务。",
        holder_id=holder,
        state=state,
        claimed_by_self=bool(holder) and n % 2 == 0,
        confirmed_on=date(year, 3, 10) if state not in (PostState.SET, PostState.CLAIMED) else None,
        published_on=date(year, 3, 20) if published else None,
        progress="按月开展履职活动，记实完整。" if published else "",
        grade=grade,
        evaluation="履职尽责，群众评价较好。" if evaluated else "",
        reward="评为党员示范岗" if grade == "excellent" else "",
        evaluated_on=date(year, 12, 20) if evaluated else None,
    )


@transaction.atomic
def give_member_a_post(person: Person | None, today: date) -> None:
    """The demo member holds a post this year with a commitment and monthly duty records, so
    a first visitor signed in as a member sees 亮岗履职 at work, not zeros."""
    if person is None or person.primary_org_id is None:
        return
    year = today.year
    if Post.objects.filter(holder=person, year=year, state=PostState.PERFORMING).exists():
        return
    post_type = (
        PostType.objects.filter(organisation__isnull=True, is_active=True)
        .exclude(audience="staff")
        .order_by("display_order", "id")
        .first()
    )
    if post_type is None:
        return
    branch = person.primary_org
    post = post_row(branch, post_type, year, PostState.PERFORMING, person.pk, 0)
    post.save()
    Commitment.objects.get_or_create(
        person=person,
        year=year,
        defaults={
            "organisation": branch,
            "political": "坚定理想信念，每月参加集中学习，撰写学习心得。",
            "duties": "立足本职岗位，认真履行岗位职责，按时完成学习任务。",
            "development": "积极参加专业实践和志愿服务。",
            "pairing": "结对帮扶1名同学，每学期谈心不少于2次。",
            "integrity": "严守纪律，自觉接受群众监督。",
            "org_life": "按时参加“三会一课”和主题党日，按时交纳党费。",
            "published_on": date(year, 3, 25),
        },
    )
    # A record each month from March, the current month's dated today at the latest, so the
    # member's page shows this month's figure too; months the branch has checked are checked.
    checks = {
        c.period_start.month: c
        for c in DutyCheck.objects.filter(
            organisation=branch, kind="monthly", period_start__year=year
        )
    }
    records = []
    for month in range(3, 13):
        day = min(date(year, month, 12), today)
        if day.month != month:
            break
        place, content, effect = DUTY_CONTENT[month % len(DUTY_CONTENT)]
        records.append(
            DutyRecord(
                person=person,
                organisation=branch,
                post=post,
                occurred_on=day,
                place=place,
                content=content,
                effect=effect,
                duty_check=checks.get(month),
            )
        )
    DutyRecord.objects.bulk_create(records)
    for check in {r.duty_check for r in records if r.duty_check is not None}:
        DutyCheck.objects.filter(pk=check.pk).update(
            records_checked=F("records_checked") + sum(1 for r in records if r.duty_check == check)
        )
    # The semester summary (履职小结) once the first semester has ended.
    if today >= date(year, 7, 5):
        DutySummary.objects.get_or_create(
            kind="member_semester",
            person=person,
            year=year,
            semester=1,
            defaults={
                "organisation": branch,
                "content": "本学期认真履行党建工作岗职责，按月记实，完成承诺事项；"
                "下学期将在结对帮扶上投入更多精力。",
                "submitted_on": date(year, 7, 5),
            },
        )
    # Study hours (学习学时): meetings attended give most; a member who attended none this
    # year (a small demo) still shows self-study.
    if not StudyRecord.objects.filter(person=person, studied_on__year=year).exists():
        StudyRecord.objects.bulk_create(
            StudyRecord(
                person=person,
                studied_on=min(day, today),
                title=title,
                category=category,
                hours=hours,
            )
            for day, title, category, hours in (
                (date(year, 3, 20), "个人自学：《中国共产党章程》", "theory", 4),
                (date(year, 5, 15), "网上专题学习：党史学习教育", "party_spirit", 6),
            )
        )
