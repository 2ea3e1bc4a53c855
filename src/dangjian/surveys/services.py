"""Every write of the surveys app: atomic, validated by surveys.rules, audited.

Officers of an organisation (or of the levels above) run its surveys; a ballot is cast by
whoever holds an unused link, with no account. Casting records no token, user, address or
time of day on the ballot, so no answer can be traced back to the link that admitted it —
and it writes no audit event either (an event carries who and when).
"""

import secrets
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.org.rules import MEMBER_STATUSES
from dangjian.surveys import rules
from dangjian.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyBallot,
    SurveyKind,
    SurveyState,
    SurveyToken,
)

# The settings' readers are reads; other apps (appraisal, demo) use them from here too.
from dangjian.surveys.selectors import default_min_responses, min_responses_floor

SURVEY_FIELDS = ["organisation", "kind", "title", "opens_on", "closes_on", "min_responses", "state"]
TOKEN_INVALID = "测评链接无效，请核对链接或二维码。"
TOKEN_USED = "该测评链接已经提交过答卷，每个链接只能提交一次。"
NOT_OPEN = "该测评尚未开始，请在开始日期后再打开此链接。"
CLOSED = "该测评已经结束，不再接收答卷。"
MAX_TOKENS_PER_BATCH = 500
MAX_SUBJECTS = 300


def new_token() -> str:
    """A one-time link's secret: 96 random bits, 16 URL-safe characters."""
    return secrets.token_urlsafe(12)


@transaction.atomic
def survey_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    title: str,
    opens_on: date,
    closes_on: date,
    min_responses: int | None = None,
    subjects: Iterable[Person] = (),
    instructions: str = "",
) -> Survey:
    access.require(actor, "surveys.create", organisation)
    minimum = default_min_responses() if min_responses is None else min_responses
    errors = {}
    if organisation.kind == OrgKind.GROUP:
        errors["organisation"] = "党小组不单独组织测评，请选择党支部或上级党组织。"
    elif organisation.dissolved_on is not None:
        errors["organisation"] = f"{organisation.name}已撤销，不能组织测评。"
    if kind not in SurveyKind.values:
        errors["kind"] = "请选择测评类型：党员民意测评或党支部工作满意度测评。"
    if not title.strip():
        errors["title"] = "请填写测评标题。"
    if error := rules.min_responses_error(minimum, floor=min_responses_floor()):
        errors["min_responses"] = error
    if error := rules.period_error(opens_on.toordinal(), closes_on.toordinal()):
        errors["closes_on"] = error
    subjects = list({p.pk: p for p in subjects}.values())
    if kind == SurveyKind.MEMBER_RATING and not subjects:
        errors["subjects"] = "党员民意测评须选择被测评的党员。"
    elif kind == SurveyKind.BRANCH_SATISFACTION and subjects:
        errors["subjects"] = "满意度测评的对象是党组织的工作，不选择党员。"
    elif len(subjects) > MAX_SUBJECTS:
        errors["subjects"] = f"一次测评最多{MAX_SUBJECTS}名测评对象，请按党支部分别组织。"
    elif subjects:
        inside = set(
            Person.objects.under_path(organisation.path)
            .filter(pk__in=[p.pk for p in subjects])
            .values_list("pk", flat=True)
        )
        outside = [p.name for p in subjects if p.pk not in inside]
        # 党员民意测评 rates Party members (正式、预备党员) on the roll, nobody else.
        not_members = [
            p.name for p in subjects if p.party_status not in MEMBER_STATUSES or not p.is_active
        ]
        if outside:
            errors["subjects"] = (
                f"测评对象须是{organisation.name}（含下级）的人员：{'、'.join(outside[:5])}不是。"
            )
        elif not_members:
            errors["subjects"] = (
                "党员民意测评的对象须是在册的正式党员或预备党员："
                f"{'、'.join(not_members[:5])}不是。"
            )
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.create(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        instructions=instructions.strip(),
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
def tokens_issue(*, actor: User, survey: Survey, count: int) -> list[SurveyToken]:
    """Hand out `count` more one-time links (a new batch)."""
    access.require(actor, "surveys.run", survey)
    # The survey row is the lock: two officers issuing at once get batches n and n+1.
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if survey.state != SurveyState.OPEN:
        raise ValidationError({"count": "测评已结束，不能再发放链接。"})
    if not 1 <= count <= MAX_TOKENS_PER_BATCH:
        raise ValidationError({"count": f"每批发放1～{MAX_TOKENS_PER_BATCH}个链接。"})
    last = survey.tokens.order_by("-batch").values_list("batch", flat=True).first() or 0
    tokens = SurveyToken.objects.bulk_create(
        SurveyToken(survey=survey, token=new_token(), batch=last + 1) for _ in range(count)
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
    """Cast one ballot with a one-time link: ratings by subject person id (None: the branch).

    The survey's row is locked first (as when issuing links), so the ballots of a survey are
    cast one at a time and two submissions of one link are serialised: the second finds the
    link used and is refused with TOKEN_USED, writing nothing."""
    today = today or timezone.localdate()
    survey_id = (
        SurveyToken.objects.filter(token=token).values_list("survey_id", flat=True).first()
        if rules.token_well_formed(token)
        else None
    )
    if survey_id is None:
        raise ValidationError({"token": TOKEN_INVALID})
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey_id)
    row = SurveyToken.objects.select_for_update(of=("self",)).get(token=token)
    if row.used:
        raise ValidationError({"token": TOKEN_USED})
    reason = rules.unanswerable(survey.state, survey.opens_on, survey.closes_on, today)
    if reason is not None:
        raise ValidationError({"token": NOT_OPEN if reason == rules.NOT_OPEN else CLOSED})
    expected: set[int | None] = (
        set(survey.subjects.values_list("pk", flat=True))
        if survey.kind == SurveyKind.MEMBER_RATING
        else {None}
    )
    comment = (comment or "").strip()
    errors = rules.ballot_errors(survey.kind, expected, ratings, comment)
    if errors:
        raise ValidationError(errors)
    _spend(survey, row)
    ballot = SurveyBallot.objects.create(survey=survey, comment=comment)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(ballot=ballot, subject_id=subject, rating=value)
        for subject, value in ratings.items()
    )


def _spend(survey: Survey, row: SurveyToken) -> None:
    """Mark the link used by writing every link of the survey anew, in the order of issue.

    Updating the used link alone would give its row this transaction's id (PostgreSQL's
    xmin, which the ballot's rows carry too) and a new place at the end of the table, so the
    used links would come out of a plain SELECT, a COPY or a pg_dump in the order they were
    used — the order of the ballots. Even an UPDATE of all the links would not do: the row
    that changes may not stay on its page while the others do. Deleted and inserted again,
    all of them alike, every link has the same transaction id and a place that does not
    depend on which of them was used. (Nothing refers to a link's row.)"""
    links = list(SurveyToken.objects.filter(survey=survey).order_by("pk"))
    for link in links:
        if link.pk == row.pk:
            link.used = True
    SurveyToken.objects.filter(survey=survey).delete()
    SurveyToken.objects.bulk_create(links, batch_size=1000)


@transaction.atomic
def survey_close(*, actor: User, survey: Survey) -> Survey:
    access.require(actor, "surveys.run", survey)
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if survey.state == SurveyState.CLOSED:
        raise ValidationError({"state": "测评已经结束。"})
    audit.audited_update(
        actor=actor,
        obj=survey,
        fields={"state": SurveyState.CLOSED},
        audit_fields=["state"],
        clean=lambda obj: None,
        action=AuditEvent.Action.STATUS,
    )
    return survey
