"""The demo's leadership contact points (领导班子成员联系点, 《延伸提升168机制意见》§五):
each member of the leading groups holds a branch as a contact point, set last September,
and visits it about once a semester, helping with a problem; one member has no point yet
and a few have not been this semester, so the page shows what it flags."""

import random
from datetime import date, timedelta

from django.db import transaction

from dangjian.org.models import LeadingGroupMember, Organisation, OrgKind, Person
from dangjian.outreach.models import Link, Visit
from dangjian.outreach.rules import LEADER_POINT, SEMESTER, period_of

HELP = [
    "指导支部落实“三会一课”，协调解决活动场地问题。",
    "参加支部主题党日，听取党员意见建议，推动解决实验室安全隐患。",
    "调研支部设岗定责情况，帮助完善岗位职责和承诺事项。",
    "走访困难党员，协调落实帮扶措施。",
    "指导支部分类定级整改，帮助制定整改方案。",
]


class ContactPointsLoader:
    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed * 7927 + 13)
        self.today = today

    @transaction.atomic
    def run(self) -> dict[str, int]:
        people = list(
            Person.objects.filter(
                pk__in=LeadingGroupMember.objects.values("person_id"), primary_org__isnull=False
            ).order_by("pk")
        )
        branches = list(
            Organisation.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True).order_by(
                "path"
            )
        )
        if not people or not branches:
            return {}
        since = date(self.today.year - 1, 9, 1)
        links = Link.objects.bulk_create(
            Link(
                visitor=person,
                organisation_id=person.primary_org_id,
                kind=LEADER_POINT,
                target=branches[(i * 7) % len(branches)].name,
                since=since,
            )
            for i, person in enumerate(people[:-1])  # the last has no point yet
        )
        visits = []
        for link in links:
            # Most visit each semester; some missed the last one (overdue) or have not been
            # yet this semester (still due).
            diligent = self.rng.random() < 0.7
            period = period_of(SEMESTER, since)
            while period.start <= self.today:
                current = period.end >= self.today
                day = min(period.start + timedelta(days=self.rng.randint(10, 90)), self.today)
                if diligent or (not current and self.rng.random() < 0.6):
                    visits.append(
                        Visit(
                            visitor_id=link.visitor_id,
                            organisation_id=link.organisation_id,
                            kind=LEADER_POINT,
                            link=link,
                            visited_on=day,
                            interviewee=link.target,
                            content=self.rng.choice(HELP),
                        )
                    )
                period = period_of(SEMESTER, period.end + timedelta(days=1))
        Visit.objects.bulk_create(visits)
        return {"领导班子成员联系点": len(links), "联系点走访": len(visits)}
