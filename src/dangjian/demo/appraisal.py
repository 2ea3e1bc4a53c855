"""Member duty evaluation for the demo institution (or any tree): last year's 年终总评 and
民主评议党员 computed and published (grades spread, honours for some 优秀, two 不称职 with
rectification — one explained at a general meeting and done, one explained and still open); this
year's quarterly cycles and the half-year cycle published; the current cycle open with about
70 % of the self-reports, ratings from most branches and anonymous member-rating surveys — most
above their minimum, one below. Deterministic for a seed (but for the links' secrets); bulk
inserts; the figures of computed results come from appraisal.rules exactly as cycle_compute
would store them."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count

from dangjian.appraisal import rules
from dangjian.appraisal.models import (
    BranchRating,
    CycleState,
    EvaluationCycle,
    EvaluationResult,
    Honour,
    HonourKind,
    MemberRectification,
    RectificationState,
    SelfReport,
)
from dangjian.org.models import Organisation, Person, Position
from dangjian.org.rules import OFFICER_TITLES
from dangjian.orglife.models import Meeting, MeetingKind
from dangjian.posts.models import DutyRecord, Post, PostState
from dangjian.surveys import rules as survey_rules
from dangjian.surveys import services as survey_services
from dangjian.surveys.models import Survey, SurveyAnswer, SurveyBallot, SurveyToken

SHANGHAI = ZoneInfo("Asia/Shanghai")
MIN_RESPONSES = survey_rules.MIN_RESPONSES
WEIGHTS_FULL = (Decimal(20), Decimal(30), Decimal(50))
WEIGHTS_QUARTER = (Decimal(30), Decimal(0), Decimal(70))  # 一季一评 without a survey
SCORES = survey_rules.MEMBER_RATING_SCORES
REPORTS = (
    "认真履行岗位职责，按承诺完成本学期各项任务，积极参加组织生活，在教学（学习）中发挥党员"
    "先锋模范作用。存在不足：理论学习的深度不够，联系群众还不够经常。",
    "对照岗位职责和公开承诺，坚持每月记录履职情况，带头完成急难险重任务，服务师生的意识进一步"
    "增强。存在不足：创新意识不强，工作方法有待改进。",
    "本考评期间承诺事项已全部兑现，结对帮扶学生两名，参加志愿服务三次。存在不足：履职记实"
    "记录不够及时，今后加强。",
)
COMMENTS = ("履职认真，群众认可", "作用发挥较好", "承诺兑现到位", "需加强理论学习", "")


def reset_appraisal() -> None:
    """Delete every evaluation and the member-rating surveys the evaluations created."""
    MemberRectification.objects.all().delete()
    Honour.objects.all().delete()
    BranchRating.objects.all().delete()
    SelfReport.objects.all().delete()
    EvaluationResult.objects.all().delete()
    Survey.objects.filter(evaluation_cycles__isnull=False).delete()
    EvaluationCycle.objects.all().delete()


def _clip(value: float, low: float = 0, high: float = 100) -> Decimal:
    return Decimal(str(round(min(high, max(low, value)), 1)))


class AppraisalLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 7919 + 13)
        self.today = today
        self.year = today.year
        self.counts: dict[str, int] = {}

    def _add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    # --- loading ----------------------------------------------------------------------

    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.orgs = {
            o.pk: o for o in Organisation.objects.filter(dissolved_on__isnull=True).order_by("path")
        }
        by_path = {o.path: o.pk for o in self.orgs.values()}
        officers: dict[int, list[int]] = defaultdict(list)
        for org_id, person_id in (
            Position.objects.current(self.today)
            .filter(title__in=OFFICER_TITLES, organisation_id__in=list(self.orgs))
            .order_by("organisation_id", "pk")
            .values_list("organisation_id", "person_id")
        ):
            if person_id not in officers[org_id]:
                officers[org_id].append(person_id)
        people = list(
            Person.objects.filter(
                is_active=True,
                party_status__in=rules.MEMBER_STATUSES,
                primary_org_id__in=list(self.orgs),
            )
            .order_by("primary_org__path", "name", "pk")
            .values_list("pk", "name", "primary_org_id")
        )
        steplen = Organisation.steplen
        self.raters: dict[int, list[int]] = {}
        self.people: list[tuple[int, str, int]] = []
        for pk, name, org_id in people:
            path = self.orgs[org_id].path
            chain = [path[:end] for end in range(len(path), 0, -steplen)]  # own org first
            candidates = [p for c in chain for p in officers.get(by_path.get(c, -1), []) if p != pk]
            if candidates:  # someone above them can rate them
                self.raters[pk] = list(dict.fromkeys(candidates))[:3]
                self.people.append((pk, name, org_id))
        if not self.people:
            return self.counts
        self.quality = {
            pk: min(99.0, max(72.0, self.rng.gauss(85.5, 5.5))) for pk, _n, _o in self.people
        }
        self.posts: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for holder_id, year, name, org_name, state in (
            Post.objects.filter(holder_id__in=list(self.quality), year__gte=self.year - 1)
            .order_by("pk")
            .values_list("holder_id", "year", "name", "organisation__name", "state")
        ):
            # as services.posts_snapshot stores them: the state's label
            self.posts[(holder_id, year)].append(
                {"name": name, "organisation": org_name, "state": PostState(state).label}
            )
        for root in [o for o in self.orgs.values() if o.depth == 1]:
            self._root(root)
        return self.counts

    def _root(self, root: Organisation) -> None:
        members = [p for p in self.people if self.orgs[p[2]].path.startswith(root.path)]
        if not members:
            return
        last = self.year - 1
        # two poorly rated members of last year's 年终总评, in different branches when possible
        branches = sorted({org for _pk, _n, org in members})
        picks = [next(p for p in members if p[2] == b) for b in branches[:2]]
        if len(picks) < 2 and len(members) >= 2:
            picks = members[:2]
        self.poor = {p[0] for p in picks}
        year_end = self._cycle(root, members, rules.YEAR, last, 1, WEIGHTS_FULL, poor=True)
        self._cycle(root, members, rules.DEMOCRATIC, last, 1, WEIGHTS_FULL)
        self._honours(year_end)
        self._rectifications(year_end)
        self._posts_evaluated(year_end)
        month = self.today.month
        current_quarter = (month - 1) // 3 + 1
        done_quarters = 3 if month >= 11 else current_quarter - 1
        for quarter in range(1, done_quarters + 1):
            self._cycle(root, members, rules.QUARTER, self.year, quarter, WEIGHTS_QUARTER)
        if month >= 8:
            self._cycle(root, members, rules.HALF_YEAR, self.year, 1, WEIGHTS_FULL)
        if month >= 11:
            self._cycle(root, members, rules.YEAR, self.year, 1, WEIGHTS_FULL, open_=True)
        else:
            self._cycle(
                root, members, rules.QUARTER, self.year, current_quarter, WEIGHTS_FULL, open_=True
            )

    # --- one cycle ----------------------------------------------------------------------

    def _cycle(self, root, members, kind, year, period, weights, *, poor=False, open_=False):
        rng = self.rng
        if open_:
            starts_on, ends_on = self.today - timedelta(days=10), self.today + timedelta(days=20)
        else:
            starts_on, ends_on = rules.default_window(kind, year, period)
        computed_on = min(ends_on + timedelta(days=3), self.today)
        bands = rules.normalise_bands(rules.DEFAULT_BANDS)
        cycle = EvaluationCycle.objects.create(
            organisation=root,
            kind=kind,
            year=year,
            period=period,
            title=rules.default_title(kind, year, period),
            population=rules.ALL_MEMBERS,
            starts_on=starts_on,
            ends_on=ends_on,
            weight_self=weights[0],
            weight_masses=weights[1],
            weight_branch=weights[2],
            bands=bands,
            min_responses=MIN_RESPONSES if weights[1] > 0 else None,
            state=CycleState.OPEN if open_ else CycleState.PUBLISHED,
            computed_at=None
            if open_
            else datetime.combine(computed_on, time(16, 0), tzinfo=SHANGHAI),
            published_on=None if open_ else min(computed_on + timedelta(days=4), self.today),
        )
        self._add("党员考评", 1)
        period_start, period_end = rules.period_dates(kind, year, period)
        records = dict(
            DutyRecord.objects.filter(
                person_id__in=[p[0] for p in members],
                occurred_on__range=(period_start, period_end),
            )
            .order_by()
            .values("person_id")
            .annotate(n=Count("pk"))
            .values_list("person_id", "n")
        )
        is_poor = (lambda pk: pk in self.poor) if poor else (lambda pk: False)
        # self-reports
        reports = {}
        share = 0.7 if open_ else 1.0  # published cycles: every member reported
        for pk, _name, org_id in members:
            if is_poor(pk) or rng.random() > share:
                continue
            reports[pk] = SelfReport(
                cycle=cycle,
                person_id=pk,
                organisation_id=org_id,
                report=rng.choice(REPORTS),
                self_score=_clip(rng.uniform(82, 98)),
                posts=self.posts.get((pk, year), []),
                duty_records=records.get(pk, 0),
            )
        SelfReport.objects.bulk_create(reports.values(), batch_size=1000)
        # submitted during the window, not when the demo was loaded
        submitted = datetime.combine(
            min(starts_on + timedelta(days=7), self.today), time(20, 30), tzinfo=SHANGHAI
        )
        SelfReport.objects.filter(cycle=cycle).update(submitted_at=submitted, updated_at=submitted)
        self._add("述岗自评", len(reports))
        # ratings: every branch when computed; most branches when open
        org_ids = sorted({org for _pk, _n, org in members}, key=lambda o: self.orgs[o].path)
        unrated_orgs = set()
        if open_ and len(org_ids) >= 3:
            unrated_orgs = set(rng.sample(org_ids, max(1, len(org_ids) // 6)))
        ratings = []
        given: dict[int, list[Decimal]] = defaultdict(list)
        for pk, _name, org_id in members:
            if org_id in unrated_orgs:
                continue
            centre = 40.0 if is_poor(pk) else self.quality[pk]
            for rater in self.raters[pk][: 1 + (pk % 2)]:
                score = _clip(centre + rng.uniform(-4, 4))
                given[pk].append(score)
                ratings.append(
                    BranchRating(
                        cycle=cycle,
                        ratee_id=pk,
                        rater_id=rater,
                        organisation_id=org_id,
                        score=score,
                        comment=rng.choice(COMMENTS),
                    )
                )
        BranchRating.objects.bulk_create(ratings, batch_size=1000)
        self._add("综合评定", len(ratings))
        # surveys of the masses, one per branch
        masses: dict[int, tuple[Decimal | None, int]] = {}
        if weights[1] > 0:
            masses = self._surveys(cycle, members, org_ids, starts_on, ends_on, open_, is_poor)
        # results, computed as cycle_compute would
        results = []
        for pk, _name, org_id in members:
            result = EvaluationResult(cycle=cycle, person_id=pk, organisation_id=org_id)
            if not open_:
                report = reports.get(pk)
                result.self_score = report.self_score if report else None
                result.self_missing = report is None
                score, count = masses.get(pk, (None, 0))
                result.masses_score = score
                result.masses_responses = count
                result.branch_score = rules.mean(given[pk])
                result.raters = len(given[pk])
                exact = rules.weighted_total(result.self_score, score, result.branch_score, weights)
                result.final_score = rules.shown_total(exact)
                result.grade = rules.grade(exact, bands)
                result.note = rules.SELF_MISSING_LABEL if report is None else ""
                result.computed_at = cycle.computed_at
            results.append(result)
        EvaluationResult.objects.bulk_create(results, batch_size=1000)
        self._add("考评结果", len(results))
        if not open_:
            self._required_rectifications(cycle, computed_on)
        return cycle

    def _surveys(self, cycle, members, org_ids, opens_on, closes_on, open_, is_poor):
        rng = self.rng
        subjects: dict[int, list[int]] = defaultdict(list)
        for pk, _name, org_id in members:
            subjects[org_id].append(pk)
        short = rng.choice(org_ids) if open_ else None
        surveys = Survey.objects.bulk_create(
            Survey(
                organisation_id=org_id,
                kind="member_rating",
                title=f"{cycle.title}·{self.orgs[org_id].name}"[:120],
                instructions="请对每位党员作出评价，测评不记名，只公布汇总结果。",
                opens_on=opens_on,
                closes_on=closes_on,
                min_responses=MIN_RESPONSES,
                state="open" if open_ else "closed",
            )
            for org_id in org_ids
        )
        cycle.surveys.add(*surveys)
        Survey.subjects.through.objects.bulk_create(
            Survey.subjects.through(survey_id=s.pk, person_id=pk)
            for s in surveys
            for pk in subjects[s.organisation_id]
        )
        tokens, ballots, plan = [], [], []
        for survey in surveys:
            if survey.organisation_id == short:
                n = max(0, MIN_RESPONSES - 3)
            else:
                n = rng.randint(MIN_RESPONSES + 2, MIN_RESPONSES + 15)
            for i in range(n + rng.randint(3, 8)):
                tokens.append(
                    # the links' secrets are random, as always (not derived from the seed)
                    SurveyToken(survey=survey, token=survey_services.new_token(), used=i < n)
                )
            for _ in range(n):
                ballots.append(SurveyBallot(survey=survey))
            plan.append((survey, n))
        SurveyToken.objects.bulk_create(tokens, batch_size=2000)
        SurveyBallot.objects.bulk_create(ballots, batch_size=2000)
        answers = []
        distributions: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        position = 0
        for survey, n in plan:
            for ballot in ballots[position : position + n]:
                for pk in subjects[survey.organisation_id]:
                    centre = 52.0 if is_poor(pk) else self.quality[pk]
                    x = centre + rng.gauss(0, 6)
                    rating = (
                        "excellent"
                        if x >= 90
                        else "competent"
                        if x >= 80
                        else "basic"
                        if x >= 62
                        else "incompetent"
                    )
                    distributions[pk][rating] += 1
                    answers.append(SurveyAnswer(ballot=ballot, subject_id=pk, rating=rating))
            position += n
        SurveyAnswer.objects.bulk_create(answers, batch_size=5000)
        self._add("民意测评答卷", len(ballots))
        out = {}
        counts = {s.organisation_id: n for s, n in plan}
        for pk, _name, org_id in members:
            n = counts[org_id]
            if n >= MIN_RESPONSES:
                out[pk] = (survey_rules.mean_score(distributions[pk], SCORES), n)
        return out

    # --- consequences -------------------------------------------------------------------

    def _required_rectifications(self, cycle, computed_on) -> None:
        rows = []
        for result in EvaluationResult.objects.filter(cycle=cycle).order_by("pk"):
            if rules.needs_rectification(result.grade, result.masses_score, cycle.bands):
                rows.append(
                    MemberRectification(
                        result=result,
                        person_id=result.person_id,
                        organisation_id=result.organisation_id,
                        reason=rules.rectification_reason(
                            result.grade, result.masses_score, cycle.bands
                        ),
                        deadline=rules.rectify_deadline(computed_on),
                    )
                )
        MemberRectification.objects.bulk_create(rows)
        self._add("限期整改", len(rows))

    def _honours(self, cycle) -> None:
        excellent = list(
            EvaluationResult.objects.filter(cycle=cycle, grade=rules.top_grade(cycle.bands))
            .order_by("-final_score", "pk")
            .values_list("person_id", "organisation_id")
        )
        awarded_on = cycle.published_on or self.today
        rows = []
        for index, (person_id, org_id) in enumerate(excellent[:12]):
            kind = rules.EXCELLENT_MEMBER if index % 2 == 0 else rules.PIONEER_POST
            rows.append(
                Honour(
                    person_id=person_id,
                    kind=kind,
                    year=cycle.year,
                    cycle=cycle,
                    organisation_id=org_id,
                    awarded_on=awarded_on,
                )
            )
        if excellent:
            person_id, org_id = excellent[-1]
            rows.append(
                Honour(
                    person_id=person_id,
                    kind=rules.RESERVE_CADRE,
                    year=cycle.year,
                    cycle=cycle,
                    organisation_id=org_id,
                    awarded_on=awarded_on,
                    note="年轻、有培养潜质的优秀党员",
                )
            )
        Honour.objects.bulk_create(rows, ignore_conflicts=True)
        self._add("党员荣誉", len(rows))

    def _posts_evaluated(self, cycle) -> None:
        """Last year's 评岗 is the 年终总评 (as `cycle_evaluate_posts` does it): the posts the
        mechanism demo evaluated take the holder's grade, total and honours."""
        from dangjian.posts import rules as post_rules
        from dangjian.posts.models import Post, PostGrade, PostState

        grades = {label: value for value, label in PostGrade.choices}
        results = {
            person_id: (grade, score)
            for person_id, grade, score in EvaluationResult.objects.filter(cycle=cycle).values_list(
                "person_id", "grade", "final_score"
            )
        }
        honours: dict[int, list[str]] = {}
        for person_id, kind in Honour.objects.filter(cycle=cycle).values_list("person_id", "kind"):
            honours.setdefault(person_id, []).append(HonourKind(kind).label)
        posts = list(
            Post.objects.filter(
                year=cycle.year, state=PostState.EVALUATED, holder_id__in=list(results)
            ).only("pk", "holder_id")
        )
        for post in posts:
            grade, score = results[post.holder_id]
            post.grade = grades.get(grade, "")
            consistent = score is not None and post_rules.grade_for_score(score) == post.grade
            post.score = score if consistent else None
            post.evaluation = f"{cycle.title}：总分{score}分，{grade}。"
            post.reward = "、".join(honours.get(post.holder_id, []))
        Post.objects.bulk_update(posts, ["grade", "score", "evaluation", "reward"], batch_size=500)

    def _rectifications(self, cycle) -> None:
        """Of the two poorly rated members: one explained at a general meeting and done, one
        explained (without a meeting on record) and still open."""
        items = list(
            MemberRectification.objects.filter(result__cycle=cycle, person_id__in=self.poor)
            .select_related("organisation")
            .order_by("pk")
        )
        start = cycle.computed_at.astimezone(SHANGHAI).date()
        for index, item in enumerate(items[:2]):
            explained_on = min(start + timedelta(days=12 + index * 5), self.today)
            if index == 0:
                meeting = Meeting.objects.create(
                    organisation=item.organisation,
                    kind=MeetingKind.GENERAL,
                    topic="支部党员大会：通报党员履岗考评结果",
                    held_on=explained_on,
                    starts_at=time(15, 0),
                    ends_at=time(16, 30),
                    duration_minutes=90,
                    place="党员活动室",
                    minutes="通报年终总评结果；考评等次为不称职的党员作出解释和说明；支部责令限期整改。",
                )
                item.explain_meeting = meeting
                item.done_on = min(explained_on + timedelta(days=45), self.today)
                item.measures = (
                    "制定整改措施三条：加强理论学习、按月记录履职情况、结对帮扶一名学生，"
                    "已全部完成。"
                )
                item.state = RectificationState.DONE
                item.verified_on = min(item.done_on + timedelta(days=5), self.today)
                self._add("组织生活（党员大会）", 1)
            else:
                item.state = RectificationState.EXPLAINED
            item.explained_on = explained_on
            item.explanation = "本人对履职不到位、群众评议较差的原因作了说明，表示认真整改。"
            item.save()
