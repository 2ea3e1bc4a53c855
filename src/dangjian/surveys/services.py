"""Every write of the surveys app: atomic, validated by surveys.rules, audited.

Officers of an organisation (or of the levels above) run its surveys; a ballot is cast by
whoever holds an unused link, with no account. Casting records no token, user, address or
time of day on the ballot, so no answer can be traced back to the link that admitted it.
"""

import secrets
from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.models import AuditEvent
from dangjian.core.scoping import scope_for
from dangjian.org.models import Organisation, Person
from dangjian.surveys import rules
from dangjian.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyBallot,
    SurveyKind,
    SurveyState,
    SurveyToken,
)

SURVEY_FIELDS = ["organisation", "kind", "title", "opens_on", "closes_on", "min_responses", "state"]
NOT_IN_SCOPE = "您不是该党组织或其上级党组织的书记、委员，不能组织该测评。"
TOKEN_INVALID = "测评链接无效，请核对链接或二维码。"
TOKEN_USED = "该测评链接已经提交过答卷，每个链接只能提交一次。"
MAX_TOKENS_PER_BATCH = 500


def default_min_responses() -> int:
    return int(getattr(settings, "SURVEY_MIN_RESPONSES", rules.MIN_RESPONSES))


def _require_scope(actor, organisation: Organisation) -> None:
    if not scope_for(actor).covers_path(organisation.path):
        raise PermissionDenied(NOT_IN_SCOPE)


@transaction.atomic
def survey_create(
    *,
    actor,
    organisation: Organisation,
    kind: str,
    title: str,
    opens_on: date,
    closes_on: date,
    min_responses: int | None = None,
    subjects: Iterable[Person] = (),
    instructions: str = "",
) -> Survey:
    _require_scope(actor, organisation)
    minimum = default_min_responses() if min_responses is None else min_responses
    errors = {}
    if error := rules.min_responses_error(minimum):
        errors["min_responses"] = error
    if error := rules.period_error(opens_on.toordinal(), closes_on.toordinal()):
        errors["closes_on"] = error
    subjects = list(subjects)
    if kind == SurveyKind.MEMBER_RATING and not subjects:
        errors["subjects"] = "党员民意测评须选择被测评的党员。"
    if kind == SurveyKind.BRANCH_SATISFACTION and subjects:
        errors["subjects"] = "满意度测评的对象是党组织的工作，不选择党员。"
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        instructions=instructions,
        opens_on=opens_on,
        closes_on=closes_on,
        min_responses=minimum,
        created_by=actor,
    )
    if subjects:
        survey.subjects.set(subjects)
    audit.created(actor=actor, obj=survey, fields=SURVEY_FIELDS)
    return survey


@transaction.atomic
def tokens_issue(*, actor, survey: Survey, count: int) -> list[SurveyToken]:
    """Hand out `count` more one-time links (a new batch)."""
    _require_scope(actor, survey.organisation)
    if survey.state != SurveyState.OPEN:
        raise ValidationError({"count": "测评已结束，不能再发放链接。"})
    if not 1 <= count <= MAX_TOKENS_PER_BATCH:
        raise ValidationError({"count": f"每批发放1～{MAX_TOKENS_PER_BATCH}个链接。"})
    last = survey.tokens.order_by("-batch").values_list("batch", flat=True).first() or 0
    tokens = SurveyToken.objects.bulk_create(
        SurveyToken(survey=survey, token=secrets.token_urlsafe(12), batch=last + 1)
        for _ in range(count)
    )
    audit.record(
        actor=actor,
        obj=survey,
        action=AuditEvent.Action.UPDATE,
        note=f"发放测评链接第{last + 1}批，共{count}个",
    )
    return tokens


@transaction.atomic
def ballot_cast(
    *,
    token: str,
    ratings: Mapping[int | None, str],
    comment: str = "",
    today: date | None = None,
) -> None:
    """Cast one ballot with a one-time link: ratings by subject person id (None: the branch)."""
    today = today or timezone.localdate()
    row = (
        SurveyToken.objects.select_for_update(of=("self",))
        .select_related("survey")
        .filter(token=token)
        .first()
    )
    if row is None:
        raise ValidationError({"token": TOKEN_INVALID})
    if row.used:
        raise ValidationError({"token": TOKEN_USED})
    survey = row.survey
    if survey.state != SurveyState.OPEN or not (survey.opens_on <= today <= survey.closes_on):
        raise ValidationError({"token": "该测评不在填写期内。"})
    allowed = rules.ratings_for(survey.kind)
    expected: set[int | None] = (
        set(survey.subjects.values_list("pk", flat=True))
        if survey.kind == SurveyKind.MEMBER_RATING
        else {None}
    )
    missing = expected - set(ratings)
    if missing or set(ratings) - expected:
        raise ValidationError({"ratings": "请对每一位测评对象作出评价。"})
    if any(value not in allowed for value in ratings.values()):
        raise ValidationError({"ratings": "评价选项无效。"})
    if len(comment) > 500:
        raise ValidationError({"comment": "意见建议不能超过500字。"})
    row.used = True
    row.save(update_fields=["used"])
    ballot = SurveyBallot.objects.create(survey=survey, cast_on=today, comment=comment.strip())
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(ballot=ballot, subject_id=subject, rating=value)
        for subject, value in ratings.items()
    )


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    _require_scope(actor, survey.organisation)
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if survey.state == SurveyState.CLOSED:
        raise ValidationError({"state": "测评已经结束。"})
    return audit.audited_update(
        actor=actor,
        obj=survey,
        fields={"state": SurveyState.CLOSED},
        audit_fields=["state"],
        clean=lambda obj: None,
        action=AuditEvent.Action.STATUS,
    )
