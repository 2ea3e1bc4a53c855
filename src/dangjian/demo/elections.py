"""Committee elections of the demo institution (换届选举): one branch completed its election
in the spring (the current committee came from it, the previous term before it), one branch's
term ends within three months with its plan approved and candidates named, and a branch
beside it has sent its plan to the general branch for approval (the 党总支 login sees it).
Deterministic for a seed; a handful of rows."""

from datetime import timedelta
from typing import Any

from dangjian.elections import rules
from dangjian.elections.models import Candidate, Election, ElectionState
from dangjian.org.models import Person, Position, Term

MODELS = (Candidate, Election)  # deletion order
IN_PROGRESS = "信息工程学院学生支部"  # the 党支部书记 login's branch
PLAN = (
    "一、委员会职数：委员{seats}名，设书记1名、组织委员1名、宣传委员1名。\n"
    "二、候选人产生：党员推荐、支部委员会酝酿，按不少于20%的差额确定候选人。\n"
    "三、选举方式：召开支部党员大会，无记名投票，差额选举。\n"
    "四、会议议程：上届委员会工作报告、通过选举办法、选举、宣布结果。"
)


class ElectionsDemo:
    """Rows for the branches an OrganisationalLoader has read."""

    def __init__(self, loader: Any):
        self.loader = loader
        self.rng = loader.rng
        self.today = loader.today

    def run(self) -> dict[str, int]:
        branches = [b for b in self.loader.branches if b.category != "retiree"]
        if len(branches) < 3:
            return {}
        terms = {
            t.organisation_id: t
            for t in Term.objects.filter(organisation__in=branches).order_by("number")
        }
        busy = next((b for b in branches if b.name == IN_PROGRESS), branches[0])
        beside = next(
            (b for b in branches if b.pk != busy.pk and b.path[:-4] == busy.path[:-4]),
            next(b for b in branches if b.pk != busy.pk),
        )
        done = next(b for b in branches if b.pk not in (busy.pk, beside.pk) and b.pk in terms)
        elections = 0
        if done.pk in terms:
            elections += self._completed(done, terms[done.pk])
        elections += self._in_progress(busy, terms.get(busy.pk), ElectionState.PLAN_APPROVED)
        elections += self._in_progress(beside, terms.get(beside.pk), ElectionState.SUBMITTED)
        return {"换届选举": elections}

    def _full_members(self, branch, exclude=()) -> list[int]:
        return list(
            Person.objects.filter(primary_org=branch, party_status="full", is_active=True)
            .exclude(pk__in=exclude)
            .order_by("id")
            .values_list("pk", flat=True)[:12]
        )

    def _completed(self, branch, term: Term) -> int:
        """The current committee came from an election: the previous term before it, the
        election's plan, ballot and approvals, one candidate more than the seats."""
        offices = list(
            Position.objects.current(self.today)
            .filter(
                organisation=branch,
                title__in=[
                    "secretary",
                    "organisation",
                    "propaganda",
                    "deputy_secretary",
                    "discipline",
                    "committee",
                ],
            )
            .values_list("person_id", "title")
        )
        if term.number < 2:  # room for the previous term
            term.number = 2
            term.save(update_fields=["number"])
        held_on = term.starts_on - timedelta(days=2)
        previous = Term.objects.create(
            organisation=branch,
            number=term.number - 1,
            starts_on=rules.add_months(term.starts_on, -36),
            ends_on=term.starts_on - timedelta(days=1),
        )
        seats = max(len(offices), 1)
        others = self._full_members(branch, exclude=[p for p, _ in offices])
        present = 20 + self.rng.randint(0, 6)
        election = Election.objects.create(
            organisation=branch,
            term=previous,
            state=ElectionState.APPOINTED,
            seats=seats,
            planned_on=held_on,
            plan=PLAN.format(seats=seats),
            submitted_on=held_on - timedelta(days=30),
            plan_approved_on=held_on - timedelta(days=21),
            plan_reply="同意该选举方案，请按程序组织选举。",
            held_on=held_on,
            entitled=present + self.rng.randint(0, 3),
            present=present,
            result_approved_on=held_on + timedelta(days=1),
            result_reply="同意选举结果。",
            new_term=term,
        )
        rows = [
            Candidate(
                election=election,
                person_id=person,
                title=title,
                votes=present - self.rng.randint(0, 4),
                elected=True,
            )
            for person, title in offices
        ]
        if others:
            rows.append(
                Candidate(
                    election=election,
                    person_id=others[0],
                    title="committee",
                    votes=present // 2 - 1,
                    elected=False,
                )
            )
        Candidate.objects.bulk_create(rows)
        return 1

    def _in_progress(self, branch, term: Term | None, state: str) -> int:
        """A term ending within three months and its election under way."""
        if term is not None:
            term.ends_on = self.today + timedelta(days=self.rng.randint(30, 80))
            term.starts_on = rules.add_months(term.ends_on, -36)  # a three-year term
            term.save(update_fields=["starts_on", "ends_on"])
        seats = 3
        approved = state == ElectionState.PLAN_APPROVED
        election = Election.objects.create(
            organisation=branch,
            term=term,
            state=state,
            seats=seats,
            planned_on=self.today + timedelta(days=20),
            plan=PLAN.format(seats=seats),
            submitted_on=self.today - timedelta(days=10),
            plan_approved_on=self.today - timedelta(days=3) if approved else None,
            plan_reply="同意该选举方案，请按程序组织选举。" if approved else "",
        )
        people = self._full_members(branch)
        titles = ["secretary", "organisation", "propaganda", "committee"]
        Candidate.objects.bulk_create(
            Candidate(election=election, person_id=p, title=t)
            for p, t in zip(people[: len(titles)], titles, strict=False)
        )
        return 1
