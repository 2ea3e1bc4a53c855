"""Honours and model units of the demo institution, written through the services.

- The round of two years ago (两优一先, 《基层组织建设实施意见》§四(五)3(1)), published: quotas of
  every general branch, nominations reviewed, the notice with one objection upheld, the
  decision and its publication on the board and the files.
- This year's round, open for nominations until ten days from today: quotas set, a few
  nominations pending review, some approved — so the deadline reminder reaches the secretaries.
- Model units (典型培育): the committee's 2–3 typical units (《168模式实施意见》§六2), a
  demonstration unit and a leader's contact point (《延伸提升168机制意见》§三), with checks, one
  confirmed by review.
Deterministic for a seed."""

import random
from datetime import date, timedelta

from django.db import transaction

from dangjian.core.models import User
from dangjian.honours import services
from dangjian.honours.models import (
    HonourRound,
    ModelUnit,
    Nomination,
    Objection,
    Quota,
    UnitCheck,
)
from dangjian.org.models import Organisation, OrgKind, Person, Position
from dangjian.org.rules import MEMBER_STATUSES

MODELS = (UnitCheck, ModelUnit, Objection, Nomination, Quota, HonourRound)  # deletion order

DEEDS_MEMBER = (
    "立足教学岗位，主讲课程评教连续三年优秀，带头开展课程思政，指导学生获省级技能大赛一等奖。",
    "亮岗履职成效突出，履岗考评连续两年为优秀，主动联系困难学生，群众评议满意率高。",
    "担任党员示范岗，牵头完成实训基地建设，服务师生热情，群众公认。",
    "学生党员，学习成绩专业前列，组织志愿服务120余小时，在班级中发挥先锋模范作用。",
)
DEEDS_WORKER = (
    "长期从事党务工作，组织生活记录规范，“三会一课”落实到位，支部分类定级为先进。",
    "兼任支部组织委员，发展党员程序规范、材料齐全，党员教育培训学时全部达标。",
)
DEEDS_ORG = (
    "支部建在专业上，“168”机制推广全覆盖，年度目标管理考核优秀，支部党员设岗定责100%。",
    "组织生活规范，党员联系群众全覆盖，支部特色工作在全校推广。",
)
FINDINGS = (
    "听取支部书记汇报，查阅“三会一课”记录，台账齐全。",
    "随机抽查党员履岗记录，个别记录不够及时，已当场指出。",
    "召开点评会，交流特色做法，支部工作法可在全校推广。",
)


def reset_honours() -> None:
    for model in MODELS:
        model._base_manager.all().delete()


class HonoursLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 7919 + 16)
        self.today = today
        self.counts: dict[str, int] = {}

    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.department = self._department()
        root = (
            Organisation.objects.filter(depth=1, dissolved_on__isnull=True).order_by("path").first()
        )
        if self.department is None or root is None:
            return self.counts
        self.root = root
        self.holders = list(
            Organisation.objects.active()
            .filter(depth=2, path__startswith=root.path)
            .order_by("path")
        )
        self._past_round()
        self._current_round()
        self._model_units()
        self.counts["评选表彰"] = HonourRound.objects.count()
        self.counts["评选推荐对象"] = Nomination.objects.count()
        self.counts["示范单位培育"] = ModelUnit.objects.count()
        self.counts["示范单位检查"] = UnitCheck.objects.count()
        return self.counts

    @staticmethod
    def _department() -> User | None:
        """The organisation department's login, which runs the rounds (created here when the
        demo logins are not made yet; making them again later changes nothing)."""
        from dangjian.demo import generator

        found = User.objects.filter(is_org_officer=True, is_active=True).order_by("id").first()
        if found is None:
            generator.create_demo_logins()
            found = User.objects.filter(is_org_officer=True, is_active=True).order_by("id").first()
        return found

    # --- rounds ---------------------------------------------------------------------------

    def _members_of(self, holder: Organisation, n: int) -> list[Person]:
        return list(
            Person.objects.filter(
                primary_org__path__startswith=holder.path,
                primary_org__kind=OrgKind.BRANCH,
                party_status__in=MEMBER_STATUSES,
                is_active=True,
            ).order_by("id")[: n * 3]
        )[::3][:n]

    def _branches_of(self, holder: Organisation) -> list[Organisation]:
        return list(
            Organisation.objects.active()
            .filter(path__startswith=holder.path, kind=OrgKind.BRANCH)
            .order_by("path")[:3]
        )

    def _quotas(self, round_: HonourRound) -> None:
        for holder in self.holders:
            for category, quota in (
                ("excellent_member", 3),
                ("party_worker", 1),
                ("advanced_org", 1),
            ):
                services.quota_set(
                    actor=self.department,
                    round=round_,
                    organisation=holder,
                    category=category,
                    quota=quota,
                )

    def _nominate(
        self, round_: HonourRound, on: date, holders: list[Organisation]
    ) -> list[Nomination]:
        rows = []
        for holder in holders:
            people = self._members_of(holder, 3)
            for person in people[:2]:
                rows.append(
                    services.nomination_create(
                        actor=self.department,
                        round=round_,
                        category="excellent_member",
                        person=person,
                        deeds=self.rng.choice(DEEDS_MEMBER),
                        nominated_on=on,
                    )
                )
            if len(people) > 2:
                rows.append(
                    services.nomination_create(
                        actor=self.department,
                        round=round_,
                        category="party_worker",
                        person=people[2],
                        deeds=self.rng.choice(DEEDS_WORKER),
                        nominated_on=on,
                    )
                )
            branches = self._branches_of(holder)
            if branches:
                rows.append(
                    services.nomination_create(
                        actor=self.department,
                        round=round_,
                        category="advanced_org",
                        organisation=branches[0],
                        deeds=self.rng.choice(DEEDS_ORG),
                        nominated_on=on,
                    )
                )
        return rows

    def _past_round(self) -> None:
        year = self.today.year - 2
        deadline = date(year, 6, 10)
        round_ = services.round_create(
            actor=self.department,
            title=f"{year}年“两优一先”评选表彰",
            year=year,
            nomination_deadline=deadline,
            note="结合“七一”表彰，评选先进基层党组织、优秀党务工作者和优秀共产党员。",
        )
        self._quotas(round_)
        rows = self._nominate(round_, deadline - timedelta(days=5), self.holders)
        for i, row in enumerate(rows):
            approve = i % 7 != 6
            services.nomination_review(
                actor=self.department,
                nomination=row,
                approve=approve,
                note="同意推荐" if approve else "事迹材料不够具体，本次不予推荐",
                reviewed_on=deadline + timedelta(days=3),
            )
        services.notice_post(
            actor=self.department,
            round=round_,
            starts_on=date(year, 6, 18),
            ends_on=date(year, 6, 24),
        )
        approved = [r for i, r in enumerate(rows) if i % 7 != 6]
        if approved:
            objection = services.objection_record(
                actor=self.department,
                nomination=approved[-1],
                received_on=date(year, 6, 20),
                content="反映该同志年度考核中有迟交材料情况。",
            )
            services.objection_resolve(
                actor=self.department,
                objection=objection,
                upheld=False,
                resolution="经核查，材料按期提交，反映不属实，维持推荐。",
                resolved_on=date(year, 6, 22),
            )
        services.round_decide(
            actor=self.department,
            round=round_,
            decided_on=date(year, 6, 28),
            decision_number=f"院委〔{year}〕36号",
        )
        services.round_publish(actor=self.department, round=round_, published_on=date(year, 6, 30))

    def _current_round(self) -> None:
        year = self.today.year
        round_ = services.round_create(
            actor=self.department,
            title=f"{year}年“两优一先”评选表彰",
            year=year,
            nomination_deadline=self.today + timedelta(days=10),
            note="各党总支在名额内推荐，推荐截止后由党委组织部汇总公示。",
        )
        self._quotas(round_)
        rows = self._nominate(round_, self.today - timedelta(days=3), self.holders[:4])
        for row in rows[: len(rows) // 2]:
            services.nomination_review(
                actor=self.department,
                nomination=row,
                approve=True,
                note="同意推荐",
                reviewed_on=self.today - timedelta(days=1),
            )

    # --- model units ----------------------------------------------------------------------

    def _model_units(self) -> None:
        branches = list(
            Organisation.objects.active()
            .filter(path__startswith=self.root.path, kind=OrgKind.BRANCH)
            .order_by("path")
        )
        if len(branches) < 4:
            return
        leaders = list(
            Position.objects.current(self.today)
            .filter(organisation=self.root)
            .order_by("id")
            .values_list("person_id", flat=True)
        ) or list(
            Person.objects.filter(primary_org=self.root)
            .order_by("id")
            .values_list("pk", flat=True)[:3]
        )
        if not leaders:
            return
        people = Person.objects.in_bulk(leaders)
        picks = [branches[i * len(branches) // 4] for i in range(4)]
        start = self.today - timedelta(days=300)
        plan = (
            ("typical", "综合典型", "建成“五好”样板支部，“168”机制推广全覆盖，年度考核优秀。"),
            ("typical", "单项典型：党员设岗定责", "党员设岗定责100%，形成可推广的亮岗履职工作法。"),
            (
                "demonstration",
                "“168”机制典型示范单位",
                "六步工作法规范运行，经验在全市教育系统交流。",
            ),
            (
                "contact_point",
                "领导干部挂钩联系点",
                "校领导每季度到联系点指导一次，帮助解决实际问题。",
            ),
        )
        units = []
        for i, (org, (kind, feature, goals)) in enumerate(zip(picks, plan, strict=True)):
            units.append(
                services.unit_create(
                    actor=self.department,
                    organisation=org,
                    chosen_by=self.root,
                    kind=kind,
                    feature=feature,
                    goals=goals,
                    leader=people[leaders[i % len(leaders)]],
                    starts_on=start,
                    ends_on=start + timedelta(days=730),
                )
            )
        for unit in units:
            for k, kind in enumerate(("meeting", "regular", "random")[: self.rng.randint(1, 3)]):
                services.check_record(
                    actor=self.department,
                    unit=unit,
                    checked_on=start + timedelta(days=60 + 90 * k),
                    kind=kind,
                    findings=self.rng.choice(FINDINGS),
                )
        services.unit_review(
            actor=self.department,
            unit=units[0],
            outcome="confirm",
            reviewed_on=self.today - timedelta(days=10),
            note="培育目标基本实现，确认为样板支部，继续发挥示范引领作用。",
        )
