"""A year of organisational life, education, member development and outreach for the demo
institution: most branches keep the seed's cadence, some do not; people stand at every step
of the pipeline (one branch vote fails the majority rule); members keep contacts and visits.
Deterministic for a seed; bulk inserts."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangjian.demo.column import MODELS as COLUMN_MODELS
from dangjian.demo.column import ColumnDemo
from dangjian.demo.elections import MODELS as ELECTION_MODELS
from dangjian.demo.elections import ElectionsDemo
from dangjian.demo.finance import MODELS as FINANCE_MODELS
from dangjian.demo.finance import FinanceDemo
from dangjian.development.models import (
    Case,
    CaseEvent,
    Notice,
    Objection,
    ProbationReport,
    Vote,
)
from dangjian.membership import services as membership
from dangjian.membership.models import (
    AwayContact,
    AwayKind,
    ContactWay,
    MemberAway,
    Transfer,
    TransferBatch,
    TransferStep,
)
from dangjian.notices import models as notices
from dangjian.org import services as org_services
from dangjian.org.models import (
    LeaveCause,
    Organisation,
    OrgKind,
    Person,
    Position,
    StandingChange,
    Unit,
)
from dangjian.org.rules import OFFICER_TITLES, add_years, probation_end
from dangjian.orglife.models import (
    Attendance,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingState,
    StudyRecord,
    Training,
)
from dangjian.outreach.models import Contact, Link, Visit
from dangjian.statistics import rules as statistics_rules
from dangjian.statistics import services as statistics
from dangjian.statistics.models import StatisticsRun

MODELS = (  # deletion order
    TransferStep,
    Transfer,
    TransferBatch,
    StatisticsRun,
    StandingChange,
    *FINANCE_MODELS,
    *ELECTION_MODELS,
    *COLUMN_MODELS,
    notices.NoticeRead,
    notices.Notice,
    AwayContact,
    MemberAway,
    Visit,
    Link,
    Contact,
    ProbationReport,
    Vote,
    Objection,
    Notice,
    CaseEvent,
    Case,
    StudyRecord,
    Training,
    LeaveRequest,
    Attendance,
    Meeting,
)

TOPICS = {
    "org_life": ("学习党的创新理论专题研讨", "对照党章党规查找差距", "结合专业开展志愿服务"),
    "general": ("支部党员大会：通报支部工作", "讨论年度党员发展计划"),
    "committee": ("研究本月支部工作", "分析党员思想状况"),
    "lecture": ("书记讲党课：坚定理想信念", "党史专题党课"),
    "party_day": ("重温入党誓词主题党日", "走进红色教育基地"),
    "democratic_life": ("年度组织生活会暨民主评议党员",),
    "forum": ("师生员工座谈会",),
    "thought_analysis": ("师生员工思想状况分析会",),
    "activist_review": ("入党积极分子考察分析会",),
}
PLACES = ("党员活动室", "行政楼会议室", "学院会议室", "图书馆报告厅")


def reset_organisational() -> None:
    for model in MODELS:
        model._base_manager.all().delete()


class OrganisationalLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 7907 + 5)
        self.today = today
        self.year = today.year
        self.counts: dict[str, int] = {}

    def _add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.branches = list(
            Organisation.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True)
        )
        if not self.branches:
            return self.counts
        self.general_branches = list(
            Organisation.objects.filter(kind=OrgKind.GENERAL_BRANCH, dissolved_on__isnull=True)
        )
        rows = Person.objects.filter(primary_org__in=self.branches).values_list(
            "pk",
            "primary_org_id",
            "category",
            "party_status",
            "applied_on",
            "status_since",
            "probation_starts_on",
            "probation_ends_on",
        )
        self.people: dict[int, list[tuple]] = {}
        for row in rows:
            self.people.setdefault(row[1], []).append(row)
        self.secretaries = dict(
            Position.objects.current()
            .filter(title="secretary", organisation__in=self.branches + self.general_branches)
            .values_list("organisation_id", "person_id")
        )
        self.committees: dict[int, list[int]] = {}
        for org_id, person_id in (
            Position.objects.current()
            .filter(
                title__in=OFFICER_TITLES,
                organisation__in=self.branches + self.general_branches,
            )
            .values_list("organisation_id", "person_id")
        ):
            self.committees.setdefault(org_id, []).append(person_id)
        self._meetings()
        self._planned_meetings()
        self._trainings()
        self._development()
        self._outreach()
        self._members_away()
        self._transfers()
        self._standing()
        self._statistics()
        self.counts.update(FinanceDemo(self).run())
        self.counts.update(ElectionsDemo(self).run())
        self._notices()
        self.counts.update(ColumnDemo(self).run())
        return self.counts

    def members(self, branch_id: int) -> list[int]:
        return [p[0] for p in self.people.get(branch_id, []) if p[3] in ("full", "probationary")]

    # organisational life

    def _months(self) -> list[date]:
        return [date(self.year, m, 1) for m in range(1, self.today.month + 1)]

    def _meeting(self, org, kind, day, minutes, hours=Decimal(0), integrity=False) -> Meeting:
        start = time(14 + self.rng.randint(0, 2), 30)
        end_minutes = start.hour * 60 + start.minute + minutes
        return Meeting(
            organisation=org,
            kind=kind,
            topic=self.rng.choice(TOPICS[kind]),
            held_on=day,
            starts_at=start,
            ends_at=time(end_minutes // 60, end_minutes % 60),
            duration_minutes=minutes,
            place=self.rng.choice(PLACES),
            host_id=self.secretaries.get(org.pk),
            minutes="会议传达学习上级精神，讨论研究本支部工作，党员逐一发言。",
            study_hours=hours,
            integrity=integrity,
        )

    def _meetings(self) -> None:
        meetings: list[Meeting] = []
        for branch in self.branches:
            # Most branches keep the cadence; about one in five misses months or runs short.
            lax = self.rng.random() < 0.2
            per_month = 2 if branch.category == "student" else 1
            for first in self._months():
                last_day = 28 if first.month == self.today.month else 27
                days = sorted(
                    first + timedelta(days=self.rng.randint(0, last_day))
                    for _ in range(per_month + 1)
                )
                days = [d for d in days if d <= self.today]
                if not days:
                    continue
                skip = lax and self.rng.random() < 0.4
                for n in range(per_month if not skip else per_month - 1):
                    if n < len(days):
                        minutes = 90 if lax and n == 0 and self.rng.random() < 0.3 else 120
                        kind = "party_day" if first.month in (3, 10) and n == 0 else "org_life"
                        meetings.append(self._meeting(branch, kind, days[n], minutes))
                if not skip:
                    meetings.append(self._meeting(branch, "committee", days[-1], 60))
                if first.month in (4, 11):
                    meetings.append(
                        self._meeting(branch, "lecture", days[0], 120, Decimal(2), first.month == 4)
                    )
                # the yearly 支部民主生活会 (《基层组织建设实施意见》§四(二)3(4)), in January; lax
                # branches skip it
                if first.month == 1 and not lax:
                    meetings.append(self._meeting(branch, "democratic_life", days[-1], 150))
        for gb in self.general_branches:
            for first in self._months():
                day = min(first + timedelta(days=self.rng.randint(2, 20)), self.today)
                meetings.append(self._meeting(gb, "committee", day, 60))
                if first.month in (5, 11):
                    meetings.append(self._meeting(gb, "lecture", day, 90, Decimal(1.5)))
                if first.month in (6, 12):
                    for kind in ("forum", "thought_analysis", "activist_review"):
                        meetings.append(self._meeting(gb, kind, day, 60))
            if date(self.year, 1, 15) <= self.today:
                meetings.append(self._meeting(gb, "democratic_life", date(self.year, 1, 15), 180))
        meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
        self._add("组织生活", len(meetings))
        attendance, study = [], []
        for meeting in meetings:
            people = self.members(meeting.organisation_id)
            observers: list[int] = []
            if meeting.kind == "committee":
                # the committee's meeting (《基层组织建设实施意见》§四(二)3(3)); now and then a
                # member 列席
                committee = self.committees.get(meeting.organisation_id, [])
                others = [p for p in people if p not in committee]
                if others and self.rng.random() < 0.15:
                    observers = [self.rng.choice(others)]
                people = committee
            elif meeting.organisation.kind == OrgKind.GENERAL_BRANCH:
                people = [
                    self.secretaries[b.pk]
                    for b in self.branches
                    if b.pk in self.secretaries and b.path.startswith(meeting.organisation.path)
                ]
            attendance += [
                Attendance(meeting=meeting, person_id=pk, status="present", role="observer")
                for pk in observers
            ]
            for person_id in people:
                roll = self.rng.random()
                status = "present" if roll < 0.86 else "excused" if roll < 0.96 else "absent"
                made_up = status != "present" and self.rng.random() < 0.5
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        person_id=person_id,
                        status=status,
                        makeup_on=meeting.held_on + timedelta(days=7) if made_up else None,
                    )
                )
                if meeting.study_hours and (status == "present" or made_up):
                    study.append(
                        StudyRecord(
                            person_id=person_id,
                            studied_on=meeting.held_on,
                            title=meeting.topic,
                            category="party_spirit",
                            hours=meeting.study_hours,
                            integrity=meeting.integrity,
                            meeting=meeting,
                        )
                    )
        Attendance.objects.bulk_create(attendance, batch_size=5000)
        StudyRecord.objects.bulk_create(study, batch_size=5000)
        self._add("出席记录", len(attendance))
        self._add("学习学时", len(study))

    def _planned_meetings(self) -> None:
        """Next week's meeting of each branch, planned ahead (so every demo login sees one):
        their members are told, two of each asked for leave (one approved, one pending)."""
        chosen = self.branches
        monday = self.today + timedelta(days=7 - self.today.weekday())
        meetings = [
            Meeting(
                organisation=branch,
                state=MeetingState.PLANNED,
                kind="party_day" if n % 2 else "org_life",
                topic="主题党日：学习贯彻党的创新理论" if n % 2 else "专题组织生活会",
                held_on=monday + timedelta(days=n % 5),
                starts_at=time(14, 30),
                ends_at=time(16, 30),
                duration_minutes=120,
                place=self.rng.choice(PLACES),
                host_id=self.secretaries.get(branch.pk),
            )
            for n, branch in enumerate(chosen)
        ]
        meetings = Meeting.objects.bulk_create(meetings)
        attendance, leaves = [], []
        for meeting in meetings:
            people = self.members(meeting.organisation_id)
            secretary = self.secretaries.get(meeting.organisation_id)
            askers = [p for p in people[1:] if p != secretary][:2]
            for person_id in people:
                excused = person_id == (askers[0] if askers else None)
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        person_id=person_id,
                        status="excused" if excused else "absent",
                        note="请假：外出参加学术会议" if excused else "",
                    )
                )
            for n, person_id in enumerate(askers):
                leaves.append(
                    LeaveRequest(
                        meeting=meeting,
                        person_id=person_id,
                        reason="外出参加学术会议" if n == 0 else "家中有事",
                        status=LeaveStatus.APPROVED if n == 0 else LeaveStatus.PENDING,
                    )
                )
        Attendance.objects.bulk_create(attendance)
        LeaveRequest.objects.bulk_create(leaves)
        self._add("计划召开的会议", len(meetings))
        self._add("请假申请", len(leaves))

    def _trainings(self) -> None:
        committee = Organisation.objects.filter(depth=1).order_by("path").first()
        courses = [
            ("网络学院：党的创新理论专题", "theory", 10, False, date(self.year, 3, 10)),
            ("廉政教育专题报告会", "integrity", 4, True, date(self.year, 5, 20)),
            ("师德师风专题培训", "business", 6, False, date(self.year, 9, 15)),
            ("学生党员党性教育专题培训", "party_spirit", 12, False, date(self.year, 4, 12)),
        ]
        staff, students = [], []
        for people in self.people.values():
            for pk, _org, category, status, *_ in people:
                if status in ("full", "probationary"):
                    (students if category == "student" else staff).append((pk, category))
        records = []
        for title, category, hours, integrity, day in courses:
            if day > self.today:
                continue
            pool = students if category == "party_spirit" else [p for p in staff if p[1] == "staff"]
            training = Training.objects.create(
                organisation=committee,
                title=title,
                category=category,
                starts_on=day,
                ends_on=day,
                hours=hours,
                integrity=integrity,
                organiser="党委组织部",
            )
            # A few members miss each course: some end the year short of hours.
            chosen = [pk for pk, _c in pool if self.rng.random() < 0.88]
            training.participants.set(chosen)
            records += [
                StudyRecord(
                    person_id=pk,
                    studied_on=day,
                    title=title,
                    category=category,
                    hours=hours,
                    integrity=integrity,
                    training=training,
                )
                for pk in chosen
            ]
        # Branch secretaries: centralised training each half-year and a practice activity.
        secretaries = [self.secretaries[b.pk] for b in self.branches if b.pk in self.secretaries]
        for title, kind, hours, day in (
            ("党支部书记上半年集中培训", "secretary", 8, date(self.year, 4, 20)),
            ("党支部书记实践活动（红色教育基地）", "practice", 8, date(self.year, 6, 15)),
            ("党支部书记下半年集中培训", "secretary", 8, date(self.year, 10, 25)),
        ):
            if day > self.today:
                continue
            training = Training.objects.create(
                organisation=committee,
                kind=kind,
                title=title,
                category="party_spirit",
                starts_on=day,
                ends_on=day + timedelta(days=1),
                hours=hours,
                organiser="党委组织部",
            )
            chosen = [pk for pk in secretaries if self.rng.random() < 0.9]
            training.participants.set(chosen)
            records += [
                StudyRecord(
                    person_id=pk,
                    studied_on=day,
                    title=title,
                    category="party_spirit",
                    hours=hours,
                    training=training,
                )
                for pk in chosen
            ]
        StudyRecord.objects.bulk_create(records, batch_size=5000)
        self._add("培训", Training.objects.count())
        self._add("学习学时", len(records))

    # member development

    def _development(self) -> None:
        cases, plans = [], []
        stage_of = {"applicant": 1, "activist": 2, "candidate": 4, "target": 5, "probationary": 9}
        for branch in self.branches:
            full = [p[0] for p in self.people.get(branch.pk, []) if p[3] == "full"]
            for pk, _org, _cat, status, applied, since, p_start, p_end in self.people.get(
                branch.pk, []
            ):
                recent = (
                    p_end is not None and self.today - timedelta(days=365) <= p_end <= self.today
                )
                if status == "full" and recent and applied and p_start:
                    # Converted within the last year: the dossier is complete (step 10).
                    cases.append(
                        Case(
                            person_id=pk,
                            organisation=branch,
                            stage=10,
                            status="converted",
                            applied_on=applied,
                            admitted_on=p_start,
                            talk_on=p_start + timedelta(days=7),
                            approved_on=p_start + timedelta(days=14),
                            probation_ends_on=p_end,
                            conversion_applied_on=p_end - timedelta(days=31),
                            converted_on=p_end,
                        )
                    )
                    plans.append((cases[-1], full))
                    continue
                if status not in stage_of or applied is None or since is None:
                    continue
                stage = stage_of[status]
                case = Case(
                    person_id=pk,
                    organisation=branch,
                    stage=stage,
                    status="probation" if status == "probationary" else "active",
                    applied_on=applied,
                )
                if stage >= 2:
                    case.activist_on = since if stage == 2 else applied + (since - applied) / 3
                if stage >= 4:
                    case.candidate_on = since if stage == 4 else None
                    case.exam_passed_on = (case.candidate_on or since) - timedelta(days=20)
                if stage >= 5:
                    target_on = since if stage == 5 else since - timedelta(days=60)
                    case.cultivation_starts_on = add_years(target_on, -1) - timedelta(days=15)
                    case.candidate_on = case.cultivation_starts_on - timedelta(days=8)
                    case.exam_passed_on = case.candidate_on - timedelta(days=20)
                    case.target_on = target_on
                if stage == 4:
                    case.cultivation_starts_on = since + timedelta(days=8)
                    if case.cultivation_starts_on > self.today:
                        case.cultivation_starts_on = None  # the notice is still running
                        case.stage = 3
                if stage == 9:
                    case.admitted_on = p_start
                    case.talk_on = p_start + timedelta(days=7)
                    case.approved_on = p_start + timedelta(days=14)
                    case.probation_ends_on = p_end or probation_end(p_start)
                    left = (case.probation_ends_on - self.today).days
                    if left <= 40:  # conversion under way; applied one month before the end
                        applied = case.probation_ends_on - timedelta(days=31)
                        case.conversion_applied_on = applied if applied <= self.today else None
                cases.append(case)
                plans.append((case, full))
        cases = Case.objects.bulk_create(cases, batch_size=2000)
        self._add("发展党员档案", len(cases))
        Cultivators = Case.cultivators.through
        Sponsors = Case.sponsors.through
        links_c, links_s, notices, votes, reports, events = [], [], [], [], [], []
        failed_vote = False
        for case, full in plans:
            others = [p for p in full if p != case.person_id]
            if case.stage >= 4 and others and case.cultivation_starts_on:
                links_c.append(Cultivators(case_id=case.pk, person_id=self.rng.choice(others)))
            if case.stage >= 5 and len(others) >= 2:
                for sponsor in self.rng.sample(others, 2):
                    links_s.append(Sponsors(case_id=case.pk, person_id=sponsor))
            if case.stage == 4 and case.candidate_on:
                notices.append(
                    Notice(
                        case=case,
                        purpose="candidate",
                        starts_on=case.candidate_on,
                        ends_on=case.candidate_on + timedelta(days=5),
                    )
                )
            if case.stage == 5 and case.target_on:
                notices.append(
                    Notice(
                        case=case,
                        purpose="target",
                        starts_on=case.target_on,
                        ends_on=case.target_on + timedelta(days=5),
                    )
                )
                passed_on = case.target_on + timedelta(days=30)
                if failed_vote and passed_on <= self.today and self.rng.random() < 0.1:
                    # Passed by the branch meeting (step 6 done); the general branch's talk,
                    # or after the talk (step 7 done) its approval, is still to come.
                    case.stage = 6 if self.rng.random() < 0.5 else 7
                    if case.stage == 7:
                        case.talk_on = min(passed_on + timedelta(days=5), self.today)
                    votes.append(
                        Vote(
                            case=case,
                            purpose="admission",
                            held_on=passed_on,
                            should_attend=max(len(full), 3),
                            present=max(len(full) - 1, 2),
                            in_favour=max(len(full) - 2, 2),
                            passed=True,
                        )
                    )
                elif not failed_vote and len(full) >= 6 and len(full) % 2 == 0:
                    # The vote that fails the majority rule: a majority present, but votes in
                    # favour exactly half of those who should attend — not more than half.
                    failed_vote = True  # the case stays at step 5 (发展对象)
                    half = len(full) // 2
                    votes.append(
                        Vote(
                            case=case,
                            purpose="admission",
                            held_on=min(case.target_on + timedelta(days=30), self.today),
                            should_attend=len(full),
                            present=half + 1,
                            in_favour=half,
                            against=1,
                            passed=False,
                            failure="赞成票未超过应到会有表决权的正式党员的半数",
                        )
                    )
            if case.stage == 9 and case.admitted_on:
                votes.append(
                    Vote(
                        case=case,
                        purpose="admission",
                        held_on=case.admitted_on,
                        should_attend=max(len(full), 3),
                        present=max(len(full) - 1, 2),
                        in_favour=max(len(full) - 2, 2),
                        passed=True,
                    )
                )
                n = 0
                while True:
                    day = case.admitted_on + timedelta(days=61 * (n + 1))
                    if day > self.today:
                        break
                    if self.rng.random() < 0.85:  # some reports are missing
                        reports.append(
                            ProbationReport(
                                case=case,
                                kind="sponsor" if n % 3 != 2 else "branch",
                                submitted_on=day,
                                summary="汇报近期思想、工作和学习情况。",
                            )
                        )
                    n += 1
            events.append(
                CaseEvent(case=case, stage=1, happened_on=case.applied_on, title="递交入党申请书")
            )
        Case.objects.bulk_update(
            [c for c, _f in plans if c.stage in (6, 7)], ["stage", "talk_on"], batch_size=2000
        )
        Cultivators.objects.bulk_create(links_c, batch_size=5000)
        Sponsors.objects.bulk_create(links_s, batch_size=5000)
        notices = Notice.objects.bulk_create(notices, batch_size=2000)
        if notices:
            Objection.objects.create(
                notice=notices[0],
                received_on=notices[0].starts_on + timedelta(days=1),
                content="反映该同志曾有一门课程补考。",
                resolved_on=notices[0].starts_on + timedelta(days=3),
                resolution="经核查，已补考合格，不影响发展。",
            )
        Vote.objects.bulk_create(votes, batch_size=2000)
        ProbationReport.objects.bulk_create(reports, batch_size=5000)
        CaseEvent.objects.bulk_create(events, batch_size=5000)
        self._add("公示", len(notices))
        self._add("支部大会表决", len(votes))
        self._add("预备期汇报", len(reports))

    # contacts and visits

    def _members_away(self) -> None:
        """A few members away: students on internships, staff seconded or studying elsewhere,
        each with a contact log; most in touch within the quarter, some not (the lapsed filter
        and the reminders have rows)."""
        kinds = {
            "student": [(AwayKind.INTERN, "实习单位（{}）"), (AwayKind.STUDY, "交换学习（{}）")],
            "other": [(AwayKind.SECONDED, "挂职单位（{}）"), (AwayKind.STUDY, "访学（{}）")],
        }
        cities = ("深圳", "杭州", "上海", "成都", "西安", "新加坡")
        ways = (ContactWay.PHONE, ContactWay.MESSAGE, ContactWay.VIDEO, ContactWay.VISIT)
        topics = (
            "了解近况和思想动态，传达支部近期学习安排",
            "提醒按时交纳党费，告知线上参加组织生活的方式",
            "谈心谈话，了解工作（学习）中的困难",
            "转发学习材料，约定下次联系时间",
        )
        rows, logs = [], []
        for branch in self.branches:
            if branch.category == "retiree":
                continue
            secretary = self.secretaries.get(branch.pk)
            for member in self.members(branch.pk):
                if self.rng.random() >= 0.03:
                    continue
                kind, place = self.rng.choice(kinds.get(branch.category, kinds["other"]))
                left_on = self.today - timedelta(days=self.rng.randint(20, 200))
                if self.rng.random() < 0.8:  # kept in touch up to the last few weeks
                    last = self.today - timedelta(days=self.rng.randint(0, 50))
                else:  # contact lapsed after the first weeks
                    last = left_on + timedelta(days=self.rng.randint(5, 60))
                last = min(max(last, left_on), self.today)
                # The contact log, every three to six weeks up to the last contact.
                days, day = [], left_on + timedelta(days=self.rng.randint(3, 20))
                while day <= last:
                    days.append(day)
                    day += timedelta(days=self.rng.randint(20, 45))
                rows.append(
                    MemberAway(
                        person_id=member,
                        kind=kind,
                        place=place.format(self.rng.choice(cities)),
                        left_on=left_on,
                        until=left_on + timedelta(days=self.rng.choice((90, 180, 365))),
                        keeps_contact_id=secretary,
                        last_contact_on=days[-1] if days else None,
                    )
                )
                logs.append((secretary, days))
        MemberAway.objects.bulk_create(rows, batch_size=5000)
        AwayContact.objects.bulk_create(
            (
                AwayContact(
                    away_id=away.pk,
                    contacted_on=day,
                    way=self.rng.choice(ways),
                    by_id=by,
                    content=self.rng.choice(topics),
                )
                for away, (by, days) in zip(rows, logs, strict=True)
                for day in days
            ),
            batch_size=5000,
        )
        self._add("流动党员", len(rows))

    # 组织关系转接

    def _movable(self, branch: Organisation, n: int) -> list[Person]:
        """Up to `n` members of `branch` who may move in the demo: no officers, not the lowest
        ids (the demo logins pick those), not the organisation department's own."""
        people = (
            Person.objects.filter(
                primary_org=branch,
                is_active=True,
                party_status__in=("full", "probationary"),
                positions__isnull=True,
            )
            .exclude(unit__name="组织部")
            .order_by("id")
        )
        return list(people[5 : 5 + n])

    def _transfers(self) -> None:
        """Transfers in every state, through the services (steps, audit, people moved): the
        demo's branch secretary (信息工程学院学生支部) has one to receive, letters awaiting
        their slips (one overdue) and a graduating class's batch; its general branch has one
        to approve."""
        today = self.today
        branches = [b for b in self.branches if b.category != "retiree"]
        home = next((b for b in branches if b.name == "信息工程学院学生支部"), None)
        if home is None or len(branches) < 4:
            return
        home_gb = home.get_parent()
        elsewhere = [b for b in branches if not b.path.startswith(home_gb.path)]
        sibling = next((b for b in branches if b != home and b.path.startswith(home_gb.path)), None)
        if len(elsewhere) < 3:
            return
        a, b, c = elsewhere[:3]
        leaving = self._movable(home, 4)
        arriving = self._movable(a, 2) + self._movable(b, 2)
        if len(leaving) < 4 or len(arriving) < 4:
            return

        def within(person, destination, days_ago, reason):
            return membership.transfer_send(
                actor=None,
                person=person,
                destination_org=destination,
                reason=reason,
                issued_on=today - timedelta(days=days_ago),
            )

        made = []
        made.append(within(arriving[0], home, 3, "工作调动至信息工程学院"))  # to receive
        t = within(leaving[0], a, 10, "转入其他学院学习")  # received: general branches approve
        membership.transfer_receive(actor=None, transfer=t, note="同意接收")
        made.append(t)
        t = within(arriving[1], b if sibling is None else sibling, 40, "部门调整")  # completed
        membership.transfer_receive(actor=None, transfer=t, note="同意接收")
        for _ in membership.selectors.approvers(t):
            membership.transfer_approve(actor=None, transfer=t, note="同意")
        made.append(t)
        t = within(arriving[2], c, 30, "岗位变动")
        membership.transfer_reject(actor=None, transfer=t, note="该同志岗位调整已撤销")
        made.append(t)
        t = within(arriving[3], c, 20, "拟调往其他部门")
        membership.transfer_cancel(actor=None, transfer=t, note="调动暂缓")
        made.append(t)

        def letter(person, days_ago, destination):
            return membership.transfer_issue_letter(
                actor=None,
                person=person,
                destination_text=destination,
                reason="毕业离校" if person.category == "student" else "工作调动",
                issued_on=today - timedelta(days=days_ago),
                dues_paid_until=(today - timedelta(days=days_ago + 28)).replace(day=1),
            )

        made.append(letter(leaving[1], 45, "中共重庆市渝北区委组织部"))  # slip overdue
        made.append(letter(leaving[2], 6, "中共重庆两江新区某科技有限公司委员会"))
        t = letter(leaving[3], 60, "中共重庆市沙坪坝区委组织部")
        membership.transfer_record_slip(
            actor=None, transfer=t, returned_on=today - timedelta(days=35)
        )
        made.append(t)
        made.append(
            membership.transfer_arrive(
                actor=None,
                destination_org=home,
                letter_number="渝教工委组转字（2026）第0315号",
                origin_text="中共重庆大学计算机学院学生第二支部委员会",
                reason="专升本入学",
                issued_on=today - timedelta(days=15),
                name="欧阳晓",
                gender="F",
                ethnicity="土家族",
                birth_date=date(2004, 3, 18),
                category="student",
                party_status="probationary",
            )
        )
        # Steps dated as they would have been taken, a day apart from the first.
        for t in made:
            for n, step in enumerate(t.steps.order_by("id")):
                step.at = timezone.make_aware(datetime.combine(t.issued_on, time(9)))
                step.at += timedelta(days=n, hours=n)
                step.save(update_fields=["at"])
        self._add("组织关系转接", len(made))
        self._graduates(home, blocked=leaving[2])

    def _graduates(self, home: Organisation, blocked: Person) -> None:
        """A graduating class of the home branch leaves in one batch each June; one row is
        refused (that member already has a letter out)."""
        skip = set(
            Person.objects.filter(primary_org=home).order_by("id").values_list("pk", flat=True)[:5]
        )
        classes: dict[int, list[Person]] = {}
        for person in Person.objects.filter(
            primary_org=home,
            is_active=True,
            category="student",
            party_status__in=("full", "probationary"),
            positions__isnull=True,
            unit__kind="class",
        ).order_by("id"):
            if person.pk not in skip and not person.transfers.exists():
                classes.setdefault(person.unit_id, []).append(person)
        if not classes:
            return
        unit_id, students = max(classes.items(), key=lambda item: len(item[1]))
        rows = [membership.BatchRow(p, "中共重庆市人才交流服务中心委员会") for p in students[:8]]
        rows.append(membership.BatchRow(blocked, "中共重庆市人才交流服务中心委员会"))
        issued = date(self.year, 6, 25) if self.today >= date(self.year, 6, 25) else self.today
        batch = membership.transfer_batch_out(
            actor=None,
            organisation=home,
            unit=Unit.objects.get(pk=unit_id),
            rows=rows,
            reason="毕业离校",
            issued_on=issued,
        )
        self._add("毕业生批量转出", len(batch.results))

    # standing on the roll

    # How many members leave the roll for each cause this year, and arrive (转入).
    LEAVERS = (
        (LeaveCause.SUSPENDED, 2, "与党组织失去联系超过六个月，支部大会决定停止党籍"),
        (LeaveCause.REMOVED, 1, "连续六个月不参加组织生活、不交纳党费，支部大会决定除名"),
        (LeaveCause.EXPELLED, 1, "违反党的纪律，经党委批准开除党籍"),
        (LeaveCause.WITHDRAWN, 1, "本人申请退党，经支部大会讨论同意"),
        (LeaveCause.DECEASED, 2, "因病逝世"),
        (LeaveCause.TRANSFERRED_OUT, 3, "组织关系转往外单位党组织"),
    )
    ARRIVALS = 3

    def _statistics(self) -> None:
        """This year's 党内统计 of the institution, so its page has figures at first sight
        (computed when the load commits, as 重新统计 would: about a second for the demo)."""
        root = Organisation.objects.filter(depth=1, dissolved_on__isnull=True).first()
        if root is not None:
            statistics.run_request(
                actor=None, organisation=root, cut_off=statistics_rules.default_cut_off(self.today)
            )

    def _standing(self) -> None:
        """A few members of this year leave the roll for each cause (one suspension later
        restored), and a few arrive by transfer: the person pages' history and the annual
        statistics' changes have rows. Officers and the first members of each branch (the
        demo logins' people) are left alone."""
        officers = set(Position.objects.values_list("person_id", flat=True))
        users = set(Person.objects.filter(user__isnull=False).values_list("pk", flat=True))
        pool = [
            member
            for branch in self.branches
            for member in self.members(branch.pk)[5:]
            if member not in officers and member not in users
        ]
        if not pool:
            return
        self.rng.shuffle(pool)
        start = date(self.year, 1, 1)
        span = max(1, (self.today - start).days)
        wanted = sum(n for _c, n, _r in self.LEAVERS) + self.ARRIVALS
        if len(pool) < wanted:
            return  # a demo too small to spare them
        chosen = iter(pool)
        left: list[Person] = []
        for cause, n, reason in self.LEAVERS:
            for _ in range(n):
                person = Person.objects.get(pk=next(chosen))
                on = start + timedelta(days=self.rng.randrange(span))
                if person.joined_on and on < person.joined_on:
                    on = person.joined_on
                left.append(
                    org_services.person_leave(
                        actor=None, person=person, cause=cause, on=on, reason=reason
                    )
                )
                self._add("党籍变动", 1)
        suspended = next(p for p in left if p.standing == LeaveCause.SUSPENDED)
        org_services.person_restore(
            actor=None,
            person=suspended,
            on=min(self.today, suspended.left_on + timedelta(days=30)),
            reason="本人恢复与党组织联系并说明情况，经党委批准恢复党籍",
        )
        self._add("党籍变动", 1)
        for _ in range(self.ARRIVALS):
            person = Person.objects.get(pk=next(chosen))
            org_services.person_record_arrival(
                actor=None,
                person=person,
                on=start + timedelta(days=self.rng.randrange(span)),
                reason="组织关系由外单位党组织转入",
            )
            self._add("党籍变动", 1)

    def _notices(self) -> None:
        """A few notices (通知公告): the committee's to everyone and to officers, each general
        branch's to its members, a draft and a withdrawn one; about half the people have read
        the committee's notice, so the not-read list and the bell both have rows."""
        root = Organisation.objects.filter(depth=1, dissolved_on__isnull=True).first()
        if root is None:
            return
        now = timezone.now()
        Audience, State = notices.Audience, notices.NoticeState

        def notice(org, audience, title, body, days_ago, state=State.PUBLISHED, **kw):
            published = now - timedelta(days=days_ago, hours=self.rng.randint(0, 8))
            return notices.Notice(
                organisation=org,
                audience=audience,
                title=title,
                body=body,
                state=state,
                created_at=published - timedelta(hours=2),
                published_at=published if state != State.DRAFT else None,
                withdrawn_at=published + timedelta(hours=1) if state == State.WITHDRAWN else None,
                **kw,
            )

        rows = [
            notice(
                root,
                Audience.ALL,
                f"关于开展{self.year}年度民主评议党员工作的通知",
                "各党总支、党支部：\n根据《中国共产党党员权利保障条例》和学校党委工作安排，"
                "现就开展年度民主评议党员工作通知如下。\n一、时间安排：本月内完成个人自评、"
                "党员互评和民主测评。\n二、工作要求：各支部要认真组织，如实记录。",
                6,
                receipt_required=True,
                deadline=self.today + timedelta(days=20),
            ),
            notice(
                root,
                Audience.OFFICERS,
                "关于报送本季度季报表的通知",
                "各党组织书记：\n请于截止日期前在平台“季报表”中填报并提交本季度工作情况。",
                3,
                deadline=self.today + timedelta(days=10),
            ),
            notice(
                root,
                Audience.ALL,
                "关于调整党员活动室开放时间的通知（已更正）",
                "党员活动室开放时间调整为工作日8:30—17:30。",
                12,
                state=State.WITHDRAWN,
            ),
        ]
        for n, org in enumerate(self.general_branches):
            rows.append(
                notice(
                    org,
                    Audience.MEMBERS,
                    f"关于参加{org.short_name or org.name}主题党日活动的通知",
                    "全体党员：\n本周五下午开展主题党日活动，请准时参加，不能参加的请向支部书记请假。",
                    1 + n % 5,
                )
            )
        if self.branches:
            rows.append(
                notice(
                    self.branches[0],
                    Audience.ALL,
                    "关于开展志愿服务活动的通知（草稿）",
                    "拟于下月组织志愿服务活动，具体安排另行通知。",
                    0,
                    state=State.DRAFT,
                )
            )
        notices.Notice.objects.bulk_create(rows)
        first = rows[0]
        reads = [
            notices.NoticeRead(
                notice=first,
                person_id=person[0],
                read_at=first.published_at + timedelta(hours=self.rng.randint(1, 100)),
                confirmed_at=first.published_at + timedelta(hours=self.rng.randint(100, 120))
                if self.rng.random() < 0.7
                else None,
            )
            for people in self.people.values()
            for person in people
            if self.rng.random() < 0.5
        ]
        notices.NoticeRead.objects.bulk_create(reads, batch_size=5000)
        self._add("通知公告", len(rows))
        self._add("通知阅读记录", len(reads))

    def _outreach(self) -> None:
        masses_by_branch = {
            org: [p[0] for p in people if p[3] in ("masses", "applicant", "activist")]
            for org, people in self.people.items()
        }
        contacts = []
        for branch in self.branches:
            pool = masses_by_branch.get(branch.pk, [])
            for member in self.members(branch.pk):
                if self.rng.random() < 0.1 or not pool:
                    continue  # a few members have no contact yet
                for contact in self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3))):
                    contacts.append(
                        Contact(
                            member_id=member,
                            organisation=branch,
                            contact_id=contact,
                            name="",
                            relation="学生" if branch.category == "student" else "同事",
                            since=date(self.year, 3, 1),
                        )
                    )
        names = dict(
            Person.objects.filter(pk__in={c.contact_id for c in contacts}).values_list("pk", "name")
        )
        for c in contacts:
            c.name = names.get(c.contact_id, "")
        Contact.objects.bulk_create(contacts, batch_size=5000)
        self._add("联系群众", len(contacts))
        colleges = list(Unit.objects.filter(kind="college", dissolved_on__isnull=True))
        classes = list(Unit.objects.filter(kind="class", dissolved_on__isnull=True))
        committee = Organisation.objects.filter(depth=1).order_by("path").first()
        leaders = list(
            Position.objects.current()
            .filter(organisation=committee)
            .values_list("person_id", flat=True)
        )
        links = [
            Link(
                visitor_id=leader,
                organisation=committee,
                kind="leader_college",
                unit=colleges[i % len(colleges)],
                since=date(self.year - 1, 9, 1),
            )
            for i, leader in enumerate(leaders)
            if colleges
        ]
        for i, gb in enumerate(self.general_branches):
            if gb.pk in self.secretaries and classes:
                links.append(
                    Link(
                        visitor_id=self.secretaries[gb.pk],
                        organisation=gb,
                        kind="leader_class",
                        unit=classes[i % len(classes)],
                        since=date(self.year - 1, 9, 1),
                    )
                )
        for branch in self.branches:
            if branch.category == "student" and branch.pk in self.secretaries:
                links.append(
                    Link(
                        visitor_id=self.secretaries[branch.pk],
                        organisation=branch,
                        kind="teacher_dorm",
                        target="学生公寓" + str(self.rng.randint(1, 9)) + "号楼",
                        since=date(self.year - 1, 9, 1),
                    )
                )
        links = Link.objects.bulk_create(links)
        visits = []
        for link in links:
            step = {"leader_college": 120, "leader_class": 80, "teacher_dorm": 28}[link.kind]
            diligent = self.rng.random() < 0.8
            day = date(self.year, 1, 10)
            while day <= self.today:
                if diligent or self.rng.random() < 0.5:
                    visits.append(
                        Visit(
                            visitor_id=link.visitor_id,
                            organisation_id=link.organisation_id,
                            kind=link.kind,
                            link=link,
                            visited_on=day,
                            unit=link.unit,
                            interviewee=link.target,
                            content="了解学习生活情况，听取意见建议，协调解决实际困难。",
                        )
                    )
                day += timedelta(days=step)
        for n, branch in enumerate(self.branches[:12]):
            for member in self.members(branch.pk)[:4]:
                visits.append(
                    Visit(
                        visitor_id=member,
                        organisation=branch,
                        kind="teacher_student" if branch.category == "student" else "cadre_teacher",
                        visited_on=date(self.year, 3 + n % 8, 10),
                        interviewee="重点访谈对象",
                        focus_group=("freshman", "academic", "financial", "young_teacher")[n % 4],
                        method=("face", "phone", "messaging")[n % 3],
                        content="一对一谈心谈话，了解困难和诉求。",
                        needs_follow_up=n % 5 == 0,
                    )
                )
        Visit.objects.bulk_create([v for v in visits if v.visited_on <= self.today])
        self._add("联系点", len(links))
        self._add("走访记录", len(visits))
