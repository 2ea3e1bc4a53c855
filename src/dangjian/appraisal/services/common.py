"""What the services of member duty evaluation share: the audited fields, the rules' words,
the acting person, locks and dates."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils import timezone

from dangjian.appraisal import rules
from dangjian.appraisal.models import CycleState, EvaluationCycle
from dangjian.core import access
from dangjian.core.access import Actor
from dangjian.core.models import User
from dangjian.org.models import OrgKind, Person

CYCLE_FIELDS = [
    "organisation",
    "kind",
    "year",
    "period",
    "title",
    "population",
    "starts_on",
    "ends_on",
    "weight_self",
    "weight_masses",
    "weight_branch",
    "bands",
    "min_responses",
    "state",
    "published_on",
]
RESULT_FIELDS = [
    "self_score",
    "self_missing",
    "masses_score",
    "masses_responses",
    "branch_score",
    "raters",
    "final_score",
    "grade",
]
SELF_REPORT_FIELDS = ["cycle", "person", "report", "self_score", "duty_records"]
RATING_FIELDS = ["cycle", "ratee", "rater", "score", "comment"]
HONOUR_FIELDS = ["person", "kind", "year", "cycle", "organisation", "awarded_on", "note"]
RECTIFICATION_FIELDS = [
    "person",
    "organisation",
    "reason",
    "explain_meeting",
    "explained_on",
    "explanation",
    "measures",
    "deadline",
    "state",
    "done_on",
    "verified_by",
    "verified_on",
]

RATE_SELF = "不能为本人作综合评定。"
HONOUR_SELF = "不能为本人授予荣誉，请由上级党组织授予。"
NOT_EVALUATED = "您不在本次考评的考评对象中。"
CYCLE_ORG_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def actor_person(user: Actor) -> Person:
    """The acting user's person (a self-report, a rating, 我的考评), or 403 naming why."""
    access.require(user, "appraisal.take_part")
    person_id = access.scope_for(user).person_id
    person = Person.objects.select_related("primary_org").filter(pk=person_id).first()
    if person is None:
        raise PermissionDenied(access.refusal("appraisal.take_part"))
    return person


def _user(actor: Actor) -> User | None:
    """The signed-in user who acts (recorded as creator), or None for the system."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _lock_cycle(cycle: EvaluationCycle) -> EvaluationCycle:
    return (
        EvaluationCycle.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=cycle.pk)
    )


def _full_clean(obj: Model) -> None:
    """Field checks only: uniqueness is the services' (named) rule and the database's."""
    obj.full_clean(validate_unique=False, validate_constraints=False)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _window_error(cycle: EvaluationCycle, today: date, what: str) -> str | None:
    if cycle.state != CycleState.OPEN:
        return f"考评{cycle.get_state_display()}，{what}不能再提交或修改。"
    if not rules.window_open(cycle.starts_on, cycle.ends_on, today):
        return (
            f"不在{what}期间（{cycle.starts_on:%Y-%m-%d}至{cycle.ends_on:%Y-%m-%d}），"
            "不能提交或修改。"
        )
    return None
