"""联述联评联考 of the demo institution (《组织建设年实施方案》§四(三)): last year's rounds of the
branch and general-branch secretaries, rated, reviewed and published; this year's round of the
branch secretaries under way — some still to report, some reported, some being rated (a few
below their minimum), some reviewed. The ratings are member-rating surveys of the surveys app
with one subject, the secretary; ballots are bulk-inserted and carry no link to their links.
Deterministic for a seed (but for the links' secrets)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from dangjian.org.models import Organisation, OrgKind, Position
from dangjian.review import rules
from dangjian.review.models import Level, ReportState, ReviewRound, RoundState, SecretaryReport
from dangjian.surveys import services as survey_services
from dangjian.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyBallot,
    SurveyKind,
    SurveyState,
    SurveyToken,
)

WORK = (
    "坚持把抓基层党建作为第一责任，全年主持召开支委会{meetings}次，讲专题党课{lectures}次。",
    "严格落实“三会一课”制度，组织生活规范开展，党员参学率保持在九成以上。",
    "深入实施“168”党建工作模式，全体党员设岗定责、亮岗履职，公开承诺并接受群众监督。",
    "围绕学校中心工作，组织党员在教学改革、学生管理和服务师生中发挥先锋模范作用。",
    "按照“坚持标准、保证质量、改善结构、慎重发展”的方针，做好入党积极分子培养和发展党员工作。",
    "开展“三联二访”，党员联系群众{contacts}人次，收集意见建议{opinions}条并逐条办理答复。",
)
PROBLEMS = (
    "存在的问题：理论学习的深度还不够，组织生活的形式还不够丰富，党员作用发挥不够均衡。",
    "存在的问题：个别党员履岗记实不及时，支部特色工作的总结提炼还不够。",
    "存在的问题：联系服务群众的长效机制还需健全，对流动党员的管理还需加强。",
)
NEXT = (
    "下一步，将进一步落实党建工作责任制，抓好整改，推动支部工作再上新台阶。",
    "下一步，将以创建“五好”党支部为目标，补短板、强弱项，切实提高支部组织力。",
)
COMMENTS = {
    "优秀": "述职全面客观，党建工作责任落实有力，成效明显，群众评价高。",
    "称职": "述职实事求是，能够较好履行抓党建第一责任，部分工作还需深化。",
    "基本称职": "履职基本到位，组织生活和党员教育管理存在薄弱环节，须限期整改。",
    "不称职": "抓党建责任落实不到位，须认真整改并向上级党组织书面报告。",
}
RATINGS = ("excellent", "competent", "basic", "incompetent")


def reset_review() -> None:
    """Delete every round with its reports (before the surveys they refer to)."""
    SecretaryReport.objects.all().delete()
    ReviewRound.objects.all().delete()


class ReviewLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 65537 + 35)
        self.today = today
        self.year = today.year
        self.counts: dict[str, int] = {}
        self.minimum = survey_services.default_min_responses()

    def _add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def _text(self) -> str:
        parts = [
            line.format(
                meetings=self.rng.randint(10, 14),
                lectures=self.rng.randint(1, 3),
                contacts=self.rng.randint(40, 160),
                opinions=self.rng.randint(5, 30),
            )
            for line in self.rng.sample(WORK, k=4)
        ]
        parts += [self.rng.choice(PROBLEMS), self.rng.choice(NEXT)]
        return "\n".join(parts)

    @transaction.atomic
    def run(self) -> dict[str, int]:
        committees = list(Organisation.objects.active().filter(kind=OrgKind.COMMITTEE, depth=1))
        for committee in committees:
            self._round(committee, self.year - 1, Level.BRANCH, published=True)
            self._round(committee, self.year - 1, Level.GENERAL_BRANCH, published=True)
            self._round(committee, self.year, Level.BRANCH, published=False)
        return self.counts

    def _round(self, committee: Organisation, year: int, level: str, *, published: bool) -> None:
        kind = OrgKind.BRANCH if level == Level.BRANCH else OrgKind.GENERAL_BRANCH
        orgs = list(
            Organisation.objects.active()
            .filter(path__startswith=committee.path, kind=kind)
            .order_by("path")
        )
        secretaries: dict[int, int] = {}
        for org_id, person_id in (
            Position.objects.current()
            .filter(organisation__in=orgs, title="secretary")
            .order_by("starts_on", "id")
            .values_list("organisation_id", "person_id")
        ):
            secretaries.setdefault(org_id, person_id)
        orgs = [o for o in orgs if o.pk in secretaries]
        if not orgs:
            return
        masses_w, review_w = settings.REVIEW_WEIGHTS
        due = rules.default_due(year)
        round_ = ReviewRound.objects.create(
            organisation=committee,
            year=year,
            level=level,
            title=f"{year}年度{Level(level).label}抓基层党建工作述职评议",
            due_on=due,
            weight_masses=masses_w,
            weight_review=review_w,
            state=RoundState.PUBLISHED if published else RoundState.OPEN,
            published_on=date(year, 12, 28) if published else None,
        )
        self._add("联述联评联考", 1)
        # this year's round: a spread of steps; last year's: every report reviewed
        states = (
            [ReportState.REVIEWED] * len(orgs)
            if published
            else [
                self.rng.choice(
                    (
                        ReportState.PENDING,
                        ReportState.REPORTED,
                        ReportState.RATING,
                        ReportState.RATING,
                        ReportState.REVIEWED,
                    )
                )  # fmt: skip
                for _ in orgs
            ]
        )
        start = (
            date(year, 11, 20)
            if published
            else max(date(year, 1, 1), self.today - timedelta(days=20))
        )
        for org, state in zip(orgs, states, strict=True):
            self._report(round_, org, secretaries[org.pk], state, start)

    def _report(
        self, round_: ReviewRound, org: Organisation, secretary: int, state: str, start: date
    ) -> None:
        report = SecretaryReport(
            round=round_, organisation=org, secretary_id=secretary, state=state
        )
        if state != ReportState.PENDING:
            report.text = self._text()
            report.submitted_on = min(start + timedelta(days=self.rng.randint(0, 6)), self.today)
        if state in (ReportState.RATING, ReportState.REVIEWED):
            reviewed = state == ReportState.REVIEWED
            below = not reviewed and self.rng.random() < 0.4
            survey, distribution = self._survey(
                round_, org, secretary, report.submitted_on, reviewed, below
            )
            report.survey = survey
            if reviewed:
                from dangjian.surveys.rules import mean_score
                from dangjian.surveys.selectors import rating_scores

                masses = mean_score(distribution, rating_scores(SurveyKind.MEMBER_RATING))
                assert masses is not None
                review = Decimal(self.rng.choice((68, 75, 80, 84, 86, 88, 90, 92, 95)))
                report.masses_score = masses
                report.masses_responses = sum(distribution.values())
                report.review_score = review
                report.total = rules.combined_score(
                    masses, review, (round_.weight_masses, round_.weight_review)
                )
                report.grade = rules.grade(report.total, settings.REVIEW_GRADE_BANDS)
                report.review_comment = COMMENTS.get(report.grade, "")
                report.reviewed_on = min(survey.closes_on + timedelta(days=1), self.today)
        report.save()
        self._add("书记述职", 1)

    def _survey(self, round_, org, secretary, opened: date, closed: bool, below: bool):
        opens = opened + timedelta(days=1) if closed else min(opened, self.today)
        survey = Survey.objects.create(
            organisation=org,
            kind=SurveyKind.MEMBER_RATING,
            title=f"{round_.year}年度{org.name}书记述职测评"[:120],
            instructions="请对书记抓基层党建工作情况作出评价（联述联评联考）。",
            opens_on=opens,
            closes_on=opens + timedelta(days=10),
            min_responses=self.minimum,
            state=SurveyState.CLOSED if closed else SurveyState.OPEN,
        )
        survey.subjects.set([secretary])
        issued = self.minimum + self.rng.randint(10, 25)
        cast = (
            self.rng.randint(max(0, self.minimum - 6), self.minimum - 1)
            if below
            else self.rng.randint(self.minimum, issued)
        )
        used = set(self.rng.sample(range(issued), k=cast))
        SurveyToken.objects.bulk_create(
            SurveyToken(survey=survey, token=survey_services.new_token(), used=n in used)
            for n in range(issued)
        )
        weights = self.rng.choice(((70, 25, 4, 1), (50, 40, 8, 2), (30, 50, 15, 5)))
        ratings = self.rng.choices(RATINGS, weights=weights, k=cast)
        ballots = SurveyBallot.objects.bulk_create(SurveyBallot(survey=survey) for _ in range(cast))
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(ballot=b, subject_id=secretary, rating=r)
            for b, r in zip(ballots, ratings, strict=True)
        )
        distribution: dict[str, int] = {}
        for r in ratings:
            distribution[r] = distribution.get(r, 0) + 1
        self._add("述职测评答卷", cast)
        return survey, distribution
