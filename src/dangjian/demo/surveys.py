"""This year's branch-satisfaction surveys (《支部考核办法》评分表第16项 对党支部工作进行满意度测评)
for the demo institution, or any tree: one survey per branch, most with enough ballots to show
their result, a few below their minimum, one still open with unused links. Ballots are
bulk-inserted and, like real ones, carry no link to the link that admitted them.
Member-rating surveys are made by the appraisal demo. Deterministic for a seed (but for the
links' secrets, which are random as always)."""

import random
from datetime import date, timedelta

from django.db import transaction

from dangjian.org.models import Organisation, OrgKind
from dangjian.surveys import services
from dangjian.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyBallot,
    SurveyKind,
    SurveyState,
    SurveyToken,
)

MODELS = (SurveyAnswer, SurveyBallot, SurveyToken, Survey)  # deletion order
INSTRUCTIONS = (
    "请您根据本学年对党支部工作的了解，对党支部工作作出总体评价，并提出意见建议。"
    "本测评为匿名测评，每个链接只能提交一次。"
)
COMMENTS = (
    "支部组织生活开展得比较规范，希望多结合业务工作。",
    "党员示范岗作用发挥明显，为师生办了不少实事。",
    "建议支部活动更多邀请群众参加。",
    "希望加强与学生的联系，多听取学生意见。",
    "主题党日活动形式可以更丰富一些。",
    "建议及时公开党支部工作进展情况。",
    "党员教师在教学中起到了带头作用。",
    "希望支部多组织志愿服务活动。",
)


def reset_surveys() -> None:
    """Delete every survey with its links and ballots, member-rating surveys of the appraisal
    demo included (an evaluation cycle refers to its surveys through a many-to-many table,
    whose rows go with them)."""
    for model in MODELS:
        model._base_manager.all().delete()


class SurveysLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 65537 + 16)
        self.today = today
        self.year = today.year
        self.counts: dict[str, int] = {}

    def _add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def _period(self, still_open: bool) -> tuple[date, date]:
        first = date(self.year, 1, 1)
        if still_open:
            return max(first, self.today - timedelta(days=5)), self.today + timedelta(days=14)
        latest = self.today - timedelta(days=14)
        if latest < first:
            return first, self.today
        opens = first + timedelta(days=self.rng.randint(0, (latest - first).days))
        return opens, opens + timedelta(days=14)

    @transaction.atomic
    def run(self) -> dict[str, int]:
        branches = list(
            Organisation.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True).order_by(
                "path"
            )
        )
        if not branches:
            return self.counts
        minimum = services.default_min_responses()
        count = len(branches)
        open_index = self.rng.randrange(count)
        others = [i for i in range(count) if i != open_index]
        below = set(self.rng.sample(others, k=min(len(others), max(1, count // 8))))
        surveys = []
        for index, branch in enumerate(branches):
            opens, closes = self._period(index == open_index)
            surveys.append(
                Survey(
                    organisation=branch,
                    kind=SurveyKind.BRANCH_SATISFACTION,
                    title=f"{branch.name}工作满意度测评（{self.year}年）",
                    instructions=INSTRUCTIONS,
                    opens_on=opens,
                    closes_on=closes,
                    min_responses=minimum,
                    state=SurveyState.OPEN if index == open_index else SurveyState.CLOSED,
                )
            )
        surveys = Survey.objects.bulk_create(surveys)
        self._add("满意度测评", len(surveys))

        tokens: list[SurveyToken] = []
        ballots: list[SurveyBallot] = []
        ratings: list[str] = []
        for index, survey in enumerate(surveys):
            issued = minimum + self.rng.randint(8, 30)
            if index == open_index:
                cast = self.rng.randint(1, max(1, issued // 2))
            elif index in below:
                cast = self.rng.randint(max(0, minimum - 6), minimum - 1)
            else:
                cast = self.rng.randint(minimum, issued)
            used = set(self.rng.sample(range(issued), k=cast))
            first_batch = issued * 2 // 3
            tokens.extend(
                SurveyToken(
                    survey=survey,
                    token=services.new_token(),
                    batch=1 if n < first_batch else 2,
                    used=n in used,
                )
                for n in range(issued)
            )
            # Each branch is liked to its own degree.
            pleased = self.rng.uniform(0.55, 0.9)
            fair = (1 - pleased) * 0.7
            for _ in range(cast):
                roll = self.rng.random()
                ratings.append(
                    "satisfied"
                    if roll < pleased
                    else "fairly_satisfied"
                    if roll < pleased + fair
                    else "dissatisfied"
                )
                ballots.append(
                    SurveyBallot(
                        survey=survey,
                        comment=self.rng.choice(COMMENTS) if self.rng.random() < 0.25 else "",
                    )
                )
        SurveyToken.objects.bulk_create(tokens, batch_size=2000)
        ballots = SurveyBallot.objects.bulk_create(ballots, batch_size=2000)
        SurveyAnswer.objects.bulk_create(
            (
                SurveyAnswer(ballot=ballot, subject=None, rating=rating)
                for ballot, rating in zip(ballots, ratings, strict=True)
            ),
            batch_size=2000,
        )
        self._add("测评链接", len(tokens))
        self._add("测评答卷", len(ballots))
        return self.counts
