"""Every write of the Party school: atomic, checked (`partyschool.manage` on the class, the
rules), audited. Hours go through orglife's own service (`training_hours_sync`), which rebuilds
the class's study records from the sessions attended, so a session never counts twice; a session
whose hours a member already has entered by hand (same day, same title) is refused until the
hand entry is removed. A pass in the activists' class is recorded on the person's development
case through development's service (`case_record_exam`), which step 3 then checks."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypedDict, Unpack, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.access import Actor, require
from dangjian.core.models import AuditEvent, User
from dangjian.development import selectors as development_selectors
from dangjian.development import services as development
from dangjian.org.models import Person
from dangjian.orglife import services as orglife
from dangjian.orglife.models import Training
from dangjian.partyschool import events, rules, selectors
from dangjian.partyschool.models import ClassSession, ExamResult
from dangjian.partyschool.permissions import MANAGE

SESSION_FIELDS = ["training", "held_on", "topic", "teacher", "place", "hours"]
RESULT_FIELDS = ["training", "person", "taken_on", "score", "passed", "pass_mark", "note"]


class SessionFields(TypedDict, total=False):
    held_on: date
    topic: str
    teacher: str
    place: str
    hours: Decimal


class ResultFields(TypedDict, total=False):
    taken_on: date
    score: Decimal
    note: str


def _fail(errors: dict[str, str | None]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _today() -> date:
    return timezone.localdate()


def _lock_class(training: Training) -> Training:
    return (
        Training.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=training.pk)
    )


# --- sessions ------------------------------------------------------------------------------


def _clean_session(session: ClassSession) -> None:
    t = session.training
    _fail(
        {
            "held_on": rules.session_date_error(session.held_on, t.starts_on, t.ends_on, _today())
            if session.held_on
            else None,
            "hours": rules.session_hours_error(session.hours),
        }
    )
    session.full_clean(exclude=["training"])


@transaction.atomic
def session_create(
    *, actor: Actor, training: Training, **fields: Unpack[SessionFields]
) -> ClassSession:
    """A session of a class (课次); the class now credits hours by attendance."""
    training = _lock_class(training)
    require(actor, MANAGE, training)
    session = ClassSession(training=training, **fields)
    _clean_session(session)
    session.save()
    orglife.training_hours_sync(actor=actor, training=training)
    audit.created(actor=actor, obj=session, fields=SESSION_FIELDS)
    return session


@transaction.atomic
def session_update(
    *,
    actor: Actor,
    session: ClassSession,
    training: Training | None = None,  # ignored: a session stays in its class
    **fields: Unpack[SessionFields],
) -> ClassSession:
    session = (
        ClassSession.objects.select_for_update(of=("self",))
        .select_related("training__organisation")
        .get(pk=session.pk)
    )
    require(actor, MANAGE, session.training)

    def clean(obj: ClassSession) -> None:
        _clean_session(obj)
        _refuse_hand_entered(obj, list(obj.present.values_list("pk", flat=True)))

    audit.audited_update(
        actor=actor, obj=session, fields=dict(fields), audit_fields=SESSION_FIELDS, clean=clean
    )
    orglife.training_hours_sync(actor=actor, training=session.training)
    return session


@transaction.atomic
def session_delete(*, actor: Actor, session: ClassSession) -> None:
    session = ClassSession.objects.select_related("training__organisation").get(pk=session.pk)
    training = session.training
    require(actor, MANAGE, training)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=session,
        before=audit.snapshot(session, SESSION_FIELDS),
    )
    session.delete()
    orglife.training_hours_sync(actor=actor, training=training)


def _refuse_hand_entered(session: ClassSession, person_ids: list[int]) -> None:
    twice = orglife.hand_entered_twice(person_ids, session.held_on, session.record_title)
    if twice:
        names = "、".join(
            Person.objects.filter(pk__in=twice).order_by("name").values_list("name", flat=True)
        )
        raise ValidationError(
            {
                "present": f"{names}当天已手工登记“{session.record_title}”的学时；"
                "请先删除手工登记，再登记出勤（同一课次的学时不重复计算）。"
            }
        )


@transaction.atomic
def attendance_record(
    *, actor: Actor, session: ClassSession, present: Iterable[Person | int]
) -> ClassSession:
    """Who attended a session (the others were absent): only the class's trainees; each
    present trainee is credited the session's hours through orglife."""
    session = (
        ClassSession.objects.select_for_update(of=("self",))
        .select_related("training__organisation")
        .get(pk=session.pk)
    )
    training = session.training
    require(actor, MANAGE, training)
    ids = sorted({p.pk if isinstance(p, Person) else int(p) for p in present})
    enrolled = set(training.participants.filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - enrolled:
        raise ValidationError({"present": "出勤学员应为该培训班的学员。"})
    _refuse_hand_entered(session, ids)
    before = sorted(session.present.values_list("pk", flat=True))
    session.present.set(ids)
    session.attendance_taken = True
    session.save(update_fields=["attendance_taken"])
    orglife.training_hours_sync(actor=actor, training=training)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=session,
        before={"出勤学员": before},
        after={"出勤学员": ids},
        note=f"出勤{len(ids)}人，应到{training.participants.count()}人",
        event=events.ATTENDANCE_RECORDED,
    )
    return session


# --- exam results --------------------------------------------------------------------------


def _check_result(result: ExamResult) -> None:
    t = result.training
    errors: dict[str, str | None] = {
        "score": rules.score_error(result.score, selectors.max_score()),
        "taken_on": rules.exam_date_error(result.taken_on, t.starts_on, _today())
        if result.taken_on
        else None,
    }
    if not t.participants.filter(pk=result.person_id).exists():
        errors["person"] = "该人员不是这个培训班的学员，请先将其加入参训人员。"
    _fail(errors)
    result.full_clean(exclude=["training", "person"], validate_unique=False)


def _to_development(actor: Actor, result: ExamResult, *, withdrawn: bool = False) -> str:
    """Record (or withdraw) an activists' class pass on the trainee's development case when
    the case waits for step 3; say what was done."""
    if not rules.gates_development(result.training.kind):
        return ""
    case = development_selectors.case_awaiting_exam(result.person_id)
    if case is None:
        return ""
    user = cast(User, actor)  # development's services are made by a signed-in officer
    if withdrawn or not result.passed:
        if case.exam_passed_on is None:
            return ""
        development.case_record_exam(
            actor=user, case=case, passed_on=None, note=f"{result.training.title}成绩更正"
        )
        return "已撤销发展党员档案中的党校考试合格记录"
    development.case_record_exam(
        actor=user,
        case=case,
        passed_on=result.taken_on,
        score=result.score,
        note=result.training.title,
    )
    return "已记入发展党员档案，可确定为培养考察对象"


@transaction.atomic
def result_create(
    *, actor: Actor, training: Training, person: Person, **fields: Unpack[ResultFields]
) -> ExamResult:
    """A trainee's exam score; 合格 from the pass mark in force (setting PARTYSCHOOL_PASS_MARK).
    A pass in the activists' class is recorded on the development case (step 3 checks it)."""
    training = _lock_class(training)
    require(actor, MANAGE, training)
    if ExamResult.objects.filter(training=training, person=person).exists():
        raise ValidationError({"person": "该学员在本培训班已有考试成绩；补考请修改原成绩。"})
    result = ExamResult(training=training, person=person, **fields)
    result.pass_mark = selectors.pass_mark()
    _check_result(result)
    result.passed = rules.passed(result.score, result.pass_mark)
    result.recorded_by = actor if actor is not None and actor.is_authenticated else None
    result.save()
    note = _to_development(actor, result)
    audit.created(
        actor=actor, obj=result, fields=RESULT_FIELDS, note=note, event=events.EXAM_RECORDED
    )
    return result


@transaction.atomic
def result_update(
    *,
    actor: Actor,
    result: ExamResult,
    training: Training | None = None,  # ignored: a result stays with its class
    person: Person | None = None,  # and its trainee
    **fields: Unpack[ResultFields],
) -> ExamResult:
    """A corrected score or a resit: 合格 is worked out again and the case follows."""
    result = (
        ExamResult.objects.select_for_update(of=("self",))
        .select_related("training__organisation")
        .get(pk=result.pk)
    )
    require(actor, MANAGE, result.training)
    before = audit.snapshot(result, RESULT_FIELDS)
    for name, value in fields.items():
        setattr(result, name, value)
    result.pass_mark = selectors.pass_mark()
    _check_result(result)
    result.passed = rules.passed(result.score, result.pass_mark)
    result.save()
    note = _to_development(actor, result)
    audit.changed(
        actor=actor,
        obj=result,
        fields=RESULT_FIELDS,
        before=before,
        action=AuditEvent.Action.UPDATE,
        event=events.EXAM_RECORDED,
        note=note,
    )
    return result


@transaction.atomic
def result_delete(*, actor: Actor, result: ExamResult) -> None:
    result = ExamResult.objects.select_related("training__organisation").get(pk=result.pk)
    require(actor, MANAGE, result.training)
    note = _to_development(actor, result, withdrawn=True)
    audit.record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=result,
        before=audit.snapshot(result, RESULT_FIELDS),
        note=note,
    )
    result.delete()
