"""The demo's Party school: this term's activists' class (sessions, attendance, an exam whose
passes are on the activists' development cases, a few trainees still to be examined), a
development targets' class, and the secretaries' latest centralised training kept by session.
Hours follow from attendance through orglife (`sync_training_records`)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from dangjian.development.models import Case, CaseEvent, CaseStatus, Stage
from dangjian.org.models import Organisation, Person
from dangjian.orglife.models import Training, TrainingKind
from dangjian.orglife.services import sync_training_records
from dangjian.partyschool import rules
from dangjian.partyschool.models import ClassSession, ExamResult

ACTIVIST_TOPICS = [
    ("党的性质、宗旨和指导思想", "党委书记"),
    ("中国共产党章程导读", "组织部部长"),
    ("党的光辉历程", "马克思主义学院教授"),
    ("端正入党动机，争取早日入党", "党委副书记"),
    ("党员的权利和义务", "组织部副部长"),
    ("党的纪律与作风建设", "纪委书记"),
]
TARGET_TOPICS = [
    ("发展党员工作程序与要求", "组织部部长"),
    ("党的组织原则：民主集中制", "党委书记"),
    ("坚定理想信念，践行初心使命", "马克思主义学院教授"),
    ("预备党员的教育考察", "组织部副部长"),
]
UNEXAMINED = 3  # trainees left for a visitor to examine


class PartySchoolLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 7919 + 11)
        self.today = today
        self.counts: dict[str, int] = {}

    @transaction.atomic
    def run(self) -> dict[str, int]:
        committee = Organisation.objects.filter(depth=1).order_by("path").first()
        if committee is None:
            return self.counts
        ends = self.today - timedelta(days=7)
        starts = ends - timedelta(days=42)
        activists = list(
            Case.objects.filter(
                status=CaseStatus.ACTIVE, stage=Stage.ACTIVIST, activist_on__lte=starts
            )
            .order_by("person__primary_org__path", "id")
            .values_list("person_id", flat=True)[:60]
        )
        self._class(
            committee,
            TrainingKind.ACTIVIST_CLASS,
            f"{self.today.year}年第二期入党积极分子培训班",
            starts,
            ends,
            activists,
            ACTIVIST_TOPICS,
            examine=len(activists) - UNEXAMINED,
        )
        targets = list(
            Person.objects.filter(party_status="target", is_active=True)
            .order_by("primary_org__path", "id")
            .values_list("pk", flat=True)[:40]
        )
        self._class(
            committee,
            TrainingKind.TARGET_CLASS,
            f"{self.today.year}年发展对象培训班",
            starts + timedelta(days=14),
            ends,
            targets,
            TARGET_TOPICS,
            examine=len(targets),
        )
        # The secretaries' centralised training is a class too: kept by session.
        latest = (
            Training.objects.filter(kind=TrainingKind.SECRETARY, ends_on__lte=self.today)
            .order_by("-starts_on")
            .first()
        )
        if latest is not None:
            people = list(latest.participants.values_list("pk", flat=True))
            half = latest.hours / 2
            for day, topic in (
                (latest.starts_on, "党支部工作条例解读"),
                (latest.ends_on, "“168”党建工作模式与设岗定责"),
            ):
                self._session(latest, day, topic, "党委组织部", half, people, 0.95)
            sync_training_records(latest)
        self.counts["党校课次"] = ClassSession.objects.count()
        self.counts["党校考试成绩"] = ExamResult.objects.count()
        return self.counts

    def _session(self, training, day, topic, teacher, hours, people, rate) -> list[int]:
        session = ClassSession.objects.create(
            training=training,
            held_on=day,
            topic=topic,
            teacher=teacher,
            place="学校党校报告厅",
            hours=hours,
            attendance_taken=True,
        )
        present = [pk for pk in people if self.rng.random() < rate]
        session.present.set(present)
        return present

    def _class(self, committee, kind, title, starts, ends, people, topics, examine) -> None:
        if not people:
            return
        training = Training.objects.create(
            organisation=committee,
            kind=kind,
            title=title,
            category="party_spirit",
            starts_on=starts,
            ends_on=ends,
            hours=Decimal(3 * len(topics)),
            organiser="党委组织部（党校）",
        )
        training.participants.set(people)
        span = (ends - starts).days
        for i, (topic, teacher) in enumerate(topics):
            day = starts + timedelta(days=span * i // max(len(topics) - 1, 1))
            self._session(training, day, topic, teacher, Decimal(3), people, 0.9)
        sync_training_records(training)
        results, passed = [], []
        for pk in people[: max(examine, 0)]:
            score = Decimal(self.rng.randint(104, 196)) / 2  # 52–98 in half points
            ok = rules.passed(score)
            results.append(
                ExamResult(
                    training=training,
                    person_id=pk,
                    taken_on=ends,
                    score=score,
                    passed=ok,
                    pass_mark=rules.PASS_MARK,
                    note="" if ok else "待补考",
                )
            )
            if ok:
                passed.append((pk, score))
        ExamResult.objects.bulk_create(results)
        if rules.gates_development(kind):
            self._on_cases(title, ends, passed)

    def _on_cases(self, title, on, passed) -> None:
        """Passes in the activists' class on the cases, as `case_record_exam` records them."""
        scores = dict(passed)
        cases = list(
            Case.objects.filter(
                person_id__in=scores, status=CaseStatus.ACTIVE, stage=Stage.ACTIVIST
            )
        )
        for case in cases:
            case.exam_passed_on = on
            case.exam_score = scores[case.person_id]
        Case.objects.bulk_update(cases, ["exam_passed_on", "exam_score"])
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                stage=Stage.ACTIVIST,
                happened_on=on,
                title=f"党校考试合格（成绩{case.exam_score}）",
                note=title,
            )
            for case in cases
        )
