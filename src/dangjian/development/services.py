"""Every write of the development pipeline: one service per transition (`case_<verb>`), atomic,
the case locked (select_for_update), checked by `development.rules`, audited, and written on the
case's timeline (CaseEvent). The person's Party status follows the case through
`org.services.person_change_status` (the history is kept there, once).

Rights are declared in `development.permissions`: the branch's officers and those above act
on a case; the general branch's own steps need an officer strictly above the branch. A refused
right is a PermissionDenied naming the rule; a broken rule is a ValidationError naming it
(seed 004 §四(三)1).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent
from dangjian.development import permissions as perms
from dangjian.development import rules
from dangjian.development.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Notice,
    NoticePurpose,
    Objection,
    ProbationReport,
    Stage,
    StageDefinition,
    Vote,
    VotePurpose,
)
from dangjian.org.models import PartyStatus, Person
from dangjian.org.services import person_change_status, person_extend_probation

CASE_FIELDS = [
    "stage",
    "status",
    "applied_on",
    "activist_on",
    "exam_passed_on",
    "candidate_on",
    "cultivation_starts_on",
    "target_committee_on",
    "target_on",
    "admitted_on",
    "talk_on",
    "talker",
    "approved_on",
    "probation_ends_on",
    "conversion_applied_on",
    "conversion_late",
    "conversion_opinions_on",
    "conversion_committee_on",
    "conversion_reviewed_on",
    "extended_on",
    "converted_on",
    "ended_on",
    "end_reason",
]
OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.PROBATION, CaseStatus.EXTENDED)
PROBATION_STATUSES = (CaseStatus.PROBATION, CaseStatus.EXTENDED)


def params() -> rules.Params:
    """The institution's parameters (settings DEVELOPMENT_*), the seed's by default."""
    seed = rules.Params()
    # settings.py declares three of the seven; the others fall back to the seed's value until
    # it declares them too.
    return rules.Params(
        min_age=settings.DEVELOPMENT_MIN_AGE,
        cultivation_years=getattr(
            settings, "DEVELOPMENT_CULTIVATION_YEARS", seed.cultivation_years
        ),
        notice_days=settings.DEVELOPMENT_NOTICE_DAYS,
        probation_years=settings.DEVELOPMENT_PROBATION_YEARS,
        conversion_lead_months=getattr(
            settings, "DEVELOPMENT_CONVERSION_LEAD_MONTHS", seed.conversion_lead_months
        ),
        sponsor_report_months=getattr(
            settings, "DEVELOPMENT_SPONSOR_REPORT_MONTHS", seed.sponsor_report_months
        ),
        branch_report_months=getattr(
            settings, "DEVELOPMENT_BRANCH_REPORT_MONTHS", seed.branch_report_months
        ),
    )


# --- helpers -------------------------------------------------------------------------------


def _fail(errors) -> None:
    """Raise the collected rule violations, if any ({field: message})."""
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("person", "organisation")
        .get(pk=case.pk)
    )


def _today() -> date:
    return timezone.localdate()


def _expect(case: Case, stage: int, action: str, statuses=(CaseStatus.ACTIVE,)) -> None:
    """The case stands at `stage` (the last step completed) in one of `statuses`."""
    if case.status not in statuses:
        raise ValidationError(
            {"__all__": f"该发展党员档案状态为“{case.get_status_display()}”，不能{action}"}
        )
    if case.stage != stage:
        raise ValidationError(
            {
                "__all__": f"当前步骤为“{case.get_stage_display()}”，不能{action}："
                f"须在“{Stage(stage).label}”之后办理"
            }
        )


def _event(actor, case: Case, stage: int, on: date, title: str, note: str = "", document=None):
    return CaseEvent.objects.create(
        case=case,
        stage=stage,
        happened_on=on,
        title=title,
        note=note,
        document=document or "",
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _save(actor, case: Case, before: dict, note: str) -> Case:
    case.full_clean()
    case.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.STATUS,
        obj=case,
        before=before,
        after=audit.snapshot(case, CASE_FIELDS),
        note=note,
    )
    return case


def _set_status(actor, person: Person, status: str, on: date, note: str) -> None:
    """Keep the person's Party status in step (history in org.StatusChange)."""
    if person.party_status != status:
        person_change_status(
            actor=actor, person=person, new_status=status, effective_on=on, note=note
        )


def _latest_notice(case: Case, purpose: str, since: date | None = None) -> Notice | None:
    qs = case.notices.filter(purpose=purpose)
    if since is not None:
        qs = qs.filter(starts_on__gte=since)
    return qs.prefetch_related("objections").order_by("-starts_on", "-id").first()


def notice_facts(notice: Notice | None) -> rules.NoticeFacts | None:
    if notice is None:
        return None
    return rules.NoticeFacts(
        starts_on=notice.starts_on,
        ends_on=notice.ends_on,
        objections=tuple((o.resolved_on is not None, o.upheld) for o in notice.objections.all()),
    )


def _people(ids_or_people) -> list[Person]:
    ids = [p.pk if isinstance(p, Person) else int(p) for p in ids_or_people]
    return list(Person.objects.filter(pk__in=ids))


def _dated(on: date, label: str = "日期") -> dict:
    return {"on": rules.future_error(on, _today(), label)}


# --- step 1: open the dossier --------------------------------------------------------------


@transaction.atomic
def case_create(*, actor, person: Person, applied_on: date, note: str = "", document=None) -> Case:
    """Open a dossier from the written application (seed 004 §四(三)1(1))."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("primary_org")
        .get(pk=person.pk)
    )
    access.require(actor, perms.OPEN_CASE, person)
    p = params()
    errors = {"applied_on": rules.future_error(applied_on, _today(), "申请日期")}
    if not errors["applied_on"]:
        errors["applied_on"] = rules.age_error(person.birth_date, applied_on, p.min_age)
    if person.primary_org_id is None:
        errors["person"] = "该人员未登记所在党支部，无法建立发展党员档案"
    elif Case.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
        errors["person"] = "该人员已有正在办理的发展党员档案"
    elif person.party_status not in (PartyStatus.MASSES, PartyStatus.APPLICANT):
        errors["person"] = (
            f"该人员政治面貌为“{person.get_party_status_display()}”，"
            "只能为群众或入党申请人建立发展党员档案"
        )
    _fail(errors)
    case = Case.objects.create(
        person=person, organisation=person.primary_org, applied_on=applied_on
    )
    _event(actor, case, Stage.APPLICATION, applied_on, "递交入党申请书", note, document)
    audit.created(actor=actor, obj=case, fields=CASE_FIELDS)
    _set_status(actor, person, PartyStatus.APPLICANT, applied_on, "发展党员：递交入党申请书")
    return case


# --- step 2: activist ----------------------------------------------------------------------


@transaction.atomic
def case_make_activist(*, actor, case: Case, on: date, note: str = "", document=None) -> Case:
    """推优 and the branch's appraisal → activist, sent to the Party school
    (seed 004 §四(三)1(2))."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    _expect(case, Stage.APPLICATION, "确定为入党积极分子")
    errors = _dated(on)
    errors["on"] = errors["on"] or rules.order_error(
        case.applied_on, on, "递交申请日期", "确定日期"
    )
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.activist_on = on
    case.stage = Stage.ACTIVIST
    _save(actor, case, before, "确定为入党积极分子")
    _event(
        actor, case, Stage.ACTIVIST, on, "经推优和党支部评议，确定为入党积极分子", note, document
    )
    _set_status(actor, case.person, PartyStatus.ACTIVIST, on, "发展党员：确定为入党积极分子")
    return case


# --- step 3: candidate ---------------------------------------------------------------------


@transaction.atomic
def case_make_candidate(
    *,
    actor,
    case: Case,
    on: date,
    exam_passed_on: date | None,
    exam_score=None,
    note: str = "",
    document=None,
) -> Case:
    """Passed the Party-school exam, recommended → 培养考察对象 (seed 004 §四(三)1(3))."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    _expect(case, Stage.ACTIVIST, "确定为培养考察对象")
    errors = _dated(on)
    errors["on"] = errors["on"] or rules.order_error(
        case.activist_on, on, "确定为入党积极分子日期", "确定日期"
    )
    errors["exam_passed_on"] = rules.exam_error(exam_passed_on, case.activist_on, on)
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.exam_passed_on = exam_passed_on
    case.exam_score = exam_score
    case.candidate_on = on
    case.stage = Stage.CANDIDATE
    _save(actor, case, before, "确定为培养考察对象")
    _event(
        actor,
        case,
        Stage.CANDIDATE,
        on,
        "党校考试合格，经民主推荐确定为培养考察对象",
        note,
        document,
    )
    _set_status(actor, case.person, PartyStatus.CANDIDATE, on, "发展党员：确定为培养考察对象")
    return case


# --- notices and objections ----------------------------------------------------------------

NOTICE_STAGE = {
    NoticePurpose.CANDIDATE: (Stage.CANDIDATE, (CaseStatus.ACTIVE,)),
    NoticePurpose.TARGET: (Stage.CULTIVATION, (CaseStatus.ACTIVE,)),
    NoticePurpose.CONVERSION: (Stage.PROBATION, PROBATION_STATUSES),
}


@transaction.atomic
def notice_create(
    *,
    actor,
    case: Case,
    purpose: str,
    starts_on: date,
    ends_on: date | None = None,
    channel: str = "全体师生",
) -> Notice:
    """Post a notice (公示) for the candidate list, the development target or the conversion."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    label = NoticePurpose(purpose).label
    stage, statuses = NOTICE_STAGE[purpose]
    _expect(case, stage, f"进行{label}", statuses)
    p = params()
    ends_on = ends_on or rules.notice_end(starts_on, p.notice_days)
    errors = {"ends_on": rules.notice_length_error(starts_on, ends_on, p.notice_days)}
    if purpose == NoticePurpose.CANDIDATE:
        errors["starts_on"] = rules.order_error(
            case.candidate_on, starts_on, "确定为培养考察对象日期", "公示开始日期"
        )
    elif purpose == NoticePurpose.TARGET:
        errors["starts_on"] = rules.order_error(
            case.cultivation_starts_on, starts_on, "培养考察开始日期", "公示开始日期"
        )
    elif case.conversion_reviewed_on is None:
        errors["starts_on"] = "党总支审查后方可进行预备党员转正公示" + rules.cite(10)
    else:
        errors["starts_on"] = rules.order_error(
            case.conversion_reviewed_on, starts_on, "党总支审查日期", "公示开始日期"
        )
    _fail(errors)
    notice = Notice(
        case=case, purpose=purpose, starts_on=starts_on, ends_on=ends_on, channel=channel
    )
    notice.full_clean()
    notice.save()
    audit.created(actor=actor, obj=notice, fields=["purpose", "starts_on", "ends_on", "channel"])
    _event(
        actor,
        case,
        stage if purpose != NoticePurpose.TARGET else Stage.TARGET,
        starts_on,
        f"{label}（{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}，{channel}）",
    )
    return notice


@transaction.atomic
def objection_create(*, actor, notice: Notice, received_on: date, content: str) -> Objection:
    """An objection received during a notice: it must be checked before the next step."""
    notice = Notice.objects.select_for_update(of=("self",)).select_related("case").get(pk=notice.pk)
    access.require(actor, perms.ACT, notice.case)
    errors = {
        "received_on": rules.future_error(received_on, _today(), "收到日期")
        or rules.order_error(notice.starts_on, received_on, "公示开始日期", "收到日期"),
        "content": None if content.strip() else "请填写反映内容",
    }
    _fail(errors)
    objection = Objection.objects.create(notice=notice, received_on=received_on, content=content)
    audit.created(actor=actor, obj=objection, fields=["received_on", "content"], note=str(notice))
    return objection


@transaction.atomic
def objection_resolve(
    *, actor, objection: Objection, resolved_on: date, resolution: str, upheld: bool
) -> Objection:
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("notice__case")
        .get(pk=objection.pk)
    )
    access.require(actor, perms.ACT, objection.notice.case)
    errors = {
        "resolved_on": rules.future_error(resolved_on, _today(), "处理日期")
        or rules.order_error(objection.received_on, resolved_on, "收到日期", "处理日期"),
        "resolution": None if resolution.strip() else "请填写核查处理结果",
    }
    _fail(errors)
    fields = ["resolved_on", "resolution", "upheld"]
    before = audit.snapshot(objection, fields)
    objection.resolved_on = resolved_on
    objection.resolution = resolution
    objection.upheld = upheld
    objection.save()
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=objection,
        before=before,
        after=audit.snapshot(objection, fields),
    )
    return objection


# --- step 4: cultivation -------------------------------------------------------------------


@transaction.atomic
def case_start_cultivation(*, actor, case: Case, on: date, cultivators, note: str = "") -> Case:
    """No objection after the notice → a cultivator is assigned (seed 004 §四(三)1(4))."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    _expect(case, Stage.CANDIDATE, "开始培养考察")
    people = _people(cultivators)
    notice = notice_facts(_latest_notice(case, NoticePurpose.CANDIDATE))
    errors = _dated(on)
    errors["on"] = errors["on"] or "；".join(
        rules.notice_errors(notice, on, NoticePurpose.CANDIDATE.label, 4)
    )
    errors["cultivators"] = rules.cultivators_error(
        case.person_id, [(p.pk, p.party_status) for p in people]
    )
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.cultivation_starts_on = on
    case.stage = Stage.CULTIVATION
    _save(actor, case, before, "开始培养考察")
    case.cultivators.set(people)
    _event(
        actor,
        case,
        Stage.CULTIVATION,
        on,
        "公示无异议，指定培养人：" + "、".join(p.name for p in people),
        note,
    )
    return case


# --- step 5: development target ------------------------------------------------------------


@transaction.atomic
def case_make_target(
    *, actor, case: Case, on: date, committee_on: date, sponsors, note: str = "", document=None
) -> Case:
    """One year of cultivation, the branch committee's discussion, the notice and two full
    members as sponsors → 发展对象 (seed 004 §四(三)1(5))."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    _expect(case, Stage.CULTIVATION, "确定为发展对象")
    p = params()
    people = _people(sponsors)
    notice = _latest_notice(case, NoticePurpose.TARGET)
    errors = _dated(on)
    errors["on"] = (
        errors["on"]
        or rules.cultivation_error(case.cultivation_starts_on, on, p.cultivation_years)
        or "；".join(rules.notice_errors(notice_facts(notice), on, NoticePurpose.TARGET.label, 5))
    )
    errors["committee_on"] = rules.order_error(
        case.cultivation_starts_on, committee_on, "培养考察开始日期", "支委会讨论日期"
    )
    if not errors["committee_on"] and notice is not None and committee_on > notice.starts_on:
        errors["committee_on"] = (
            "支委会集体讨论评议后方可公示：支委会讨论日期不能晚于公示开始日期" + rules.cite(5)
        )
    errors["sponsors"] = rules.sponsors_error(
        case.person_id, [(s.pk, s.party_status) for s in people]
    )
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.target_committee_on = committee_on
    case.target_on = on
    case.stage = Stage.TARGET
    _save(actor, case, before, "确定为发展对象")
    case.sponsors.set(people)
    _event(
        actor,
        case,
        Stage.TARGET,
        on,
        "确定为发展对象，入党介绍人：" + "、".join(s.name for s in people),
        note,
        document,
    )
    _set_status(actor, case.person, PartyStatus.TARGET, on, "发展党员：确定为发展对象")
    return case


# --- steps 6 and 10: the branch general meeting's vote -------------------------------------


@transaction.atomic
def vote_record(
    *,
    actor,
    case: Case,
    purpose: str,
    held_on: date,
    should_attend: int,
    present: int,
    in_favour: int,
    against: int = 0,
    abstained: int = 0,
    note: str = "",
) -> Vote:
    """Record a branch general meeting's vote. A failed vote is recorded with the rule it broke
    and the case does not advance (seed 004 §四(三)1(6), (10))."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    errors: dict = {"held_on": rules.future_error(held_on, _today(), "支部大会日期")}
    if purpose == VotePurpose.ADMISSION:
        _expect(case, Stage.TARGET, "召开支部大会讨论接收预备党员")
        errors["held_on"] = errors["held_on"] or rules.order_error(
            case.target_on, held_on, "确定为发展对象日期", "支部大会日期"
        )
    else:
        _expect(case, Stage.PROBATION, "召开支部大会讨论转正", PROBATION_STATUSES)
        if case.conversion_reviewed_on is None:
            errors["held_on"] = "党总支审查并公示后方可召开支部大会讨论转正" + rules.cite(10)
        else:
            notice = _latest_notice(case, NoticePurpose.CONVERSION, case.conversion_reviewed_on)
            errors["held_on"] = errors["held_on"] or "；".join(
                rules.notice_errors(
                    notice_facts(notice), held_on, NoticePurpose.CONVERSION.label, 10
                )
            )
    errors.update(rules.vote_count_errors(should_attend, present, in_favour, against, abstained))
    _fail(errors)
    failure = rules.vote_failure(should_attend, present, in_favour) or ""
    vote = Vote(
        case=case,
        purpose=purpose,
        held_on=held_on,
        should_attend=should_attend,
        present=present,
        in_favour=in_favour,
        against=against,
        abstained=abstained,
        passed=not failure,
        failure=failure[:200],
        note=note,
    )
    vote.full_clean()
    vote.save()
    audit.created(
        actor=actor,
        obj=vote,
        fields=["purpose", "held_on", "should_attend", "present", "in_favour", "passed"],
        note=failure,
    )
    counts = (
        f"应到{should_attend}人，实到{present}人，赞成{in_favour}票、反对{against}票、"
        f"弃权{abstained}票"
    )
    label = VotePurpose(purpose).label
    if failure:
        stage = Stage.ADMISSION if purpose == VotePurpose.ADMISSION else Stage.CONVERSION
        _event(actor, case, stage, held_on, f"支部大会表决{label}未通过", f"{counts}。{failure}")
        return vote
    if purpose == VotePurpose.ADMISSION:
        before = audit.snapshot(case, CASE_FIELDS)
        case.admitted_on = held_on
        case.stage = Stage.ADMISSION
        _save(actor, case, before, "支部大会通过接收为预备党员")
        _event(
            actor, case, Stage.ADMISSION, held_on, "支部大会表决通过接收为预备党员", counts + "。"
        )
    else:
        _event(
            actor, case, Stage.CONVERSION, held_on, "支部大会表决通过预备党员转正", counts + "。"
        )
    return vote


# --- steps 7–8: the general branch ---------------------------------------------------------


@transaction.atomic
def case_record_talk(
    *, actor, case: Case, on: date, talker: Person, note: str = "", document=None
) -> Case:
    """The general branch appoints someone who reviews the form and talks with the applicant
    (seed 004 §四(三)1(7)). Only an officer above the branch."""
    case = _lock(case)
    access.require(actor, perms.TALK, case)
    _expect(case, Stage.ADMISSION, "登记党总支谈话")
    talker = Person.objects.filter(pk=talker.pk if isinstance(talker, Person) else talker).first()
    errors = _dated(on, "谈话日期")
    errors["on"] = errors["on"] or rules.order_error(
        case.admitted_on, on, "支部大会日期", "谈话日期"
    )
    errors["talker"] = rules.talker_error(
        case.person_id, (talker.pk, talker.party_status) if talker else None
    )
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.talk_on = on
    case.talker = talker
    case.stage = Stage.TALK
    _save(actor, case, before, "党总支指派专人谈话")
    _event(
        actor,
        case,
        Stage.TALK,
        on,
        f"党总支指派{talker.name}审核《入党志愿书》并谈话",
        note,
        document,
    )
    return case


@transaction.atomic
def case_approve(*, actor, case: Case, on: date, note: str = "", document=None) -> Case:
    """The general-branch committee approves: the person becomes 预备党员 from the branch
    meeting's date, probation one year (seed 004 §四(三)1(8)(9))."""
    case = _lock(case)
    access.require(actor, perms.APPROVE, case)
    _expect(case, Stage.TALK, "审批预备党员")
    errors = _dated(on, "审批日期")
    errors["on"] = errors["on"] or rules.order_error(case.talk_on, on, "谈话日期", "审批日期")
    _fail(errors)
    p = params()
    before = audit.snapshot(case, CASE_FIELDS)
    case.approved_on = on
    case.probation_ends_on = rules.probation_ends(case.admitted_on, p.probation_years)
    case.stage = Stage.PROBATION
    case.status = CaseStatus.PROBATION
    _save(actor, case, before, "党总支委员会审批为预备党员")
    _event(
        actor, case, Stage.APPROVAL, on, "党总支委员会集体讨论，同意接收为预备党员", note, document
    )
    _event(
        actor,
        case,
        Stage.PROBATION,
        case.admitted_on,
        f"预备期自{case.admitted_on:%Y-%m-%d}起至{case.probation_ends_on:%Y-%m-%d}止",
    )
    _set_status(
        actor,
        case.person,
        PartyStatus.PROBATIONARY,
        case.admitted_on,
        "发展党员：党总支审批为预备党员（预备期自支部大会通过之日算起）",
    )
    return case


# --- step 9: probation reports -------------------------------------------------------------


@transaction.atomic
def probation_report_create(
    *, actor, case: Case, kind: str, submitted_on: date, summary: str, document=None
) -> ProbationReport:
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    if case.status not in PROBATION_STATUSES:
        raise ValidationError({"__all__": "只有预备期内的预备党员才登记思想汇报"})
    errors = {
        "submitted_on": rules.future_error(submitted_on, _today(), "汇报日期")
        or rules.order_error(case.admitted_on, submitted_on, "预备期开始日期", "汇报日期"),
        "summary": None if summary.strip() else "请填写汇报内容摘要",
    }
    _fail(errors)
    report = ProbationReport.objects.create(
        case=case, kind=kind, submitted_on=submitted_on, summary=summary, document=document or ""
    )
    audit.created(actor=actor, obj=report, fields=["kind", "submitted_on", "summary"])
    _event(actor, case, Stage.PROBATION, submitted_on, report.get_kind_display(), summary, document)
    return report


# --- step 10: conversion -------------------------------------------------------------------


@transaction.atomic
def case_apply_conversion(*, actor, case: Case, on: date, note: str = "", document=None) -> Case:
    """The written conversion application, due one month before the probation ends; a late one
    is recorded and flagged (seed 004 §四(三)1(10))."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    _expect(case, Stage.PROBATION, "提出转正申请", PROBATION_STATUSES)
    errors = _dated(on, "申请日期")
    if case.conversion_applied_on is not None:
        errors["on"] = "已提出转正申请"
    errors["on"] = errors["on"] or rules.order_error(
        case.approved_on, on, "党总支审批日期", "转正申请日期"
    )
    _fail(errors)
    p = params()
    late = rules.conversion_late(on, case.probation_ends_on, p.conversion_lead_months)
    before = audit.snapshot(case, CASE_FIELDS)
    case.conversion_applied_on = on
    case.conversion_late = late
    _save(actor, case, before, "提出书面转正申请")
    deadline = rules.conversion_deadline(case.probation_ends_on, p.conversion_lead_months)
    title = "提出书面转正申请" + (f"（逾期：应于{deadline:%Y-%m-%d}前提出）" if late else "")
    _event(actor, case, Stage.CONVERSION, on, title, note, document)
    return case


CONVERSION_STEPS = {
    # step: (field, previous field, label, previous label, the right it needs)
    "opinions": (
        "conversion_opinions_on",
        "conversion_applied_on",
        "征求党内外师生意见",
        "提出转正申请",
        perms.ACT,
    ),
    "committee": (
        "conversion_committee_on",
        "conversion_opinions_on",
        "支委会讨论评议转正",
        "征求党内外意见",
        perms.ACT,
    ),
    "review": (
        "conversion_reviewed_on",
        "conversion_committee_on",
        "党总支审查转正",
        "支委会讨论评议",
        perms.REVIEW_CONVERSION,
    ),
}


@transaction.atomic
def case_conversion_step(
    *, actor, case: Case, step: str, on: date, note: str = "", document=None
) -> Case:
    """One of the steps between the application and the notice, in the seed's order:
    opinions → branch committee → general-branch review (seed 004 §四(三)1(10))."""
    if step not in CONVERSION_STEPS:
        raise ValidationError({"step": "无效的转正程序步骤"})
    field, previous, label, previous_label, right = CONVERSION_STEPS[step]
    case = _lock(case)
    access.require(actor, right, case)
    _expect(case, Stage.PROBATION, label, PROBATION_STATUSES)
    errors = _dated(on)
    if getattr(case, previous) is None:
        errors["on"] = f"须先{previous_label}，方可{label}{rules.cite(10)}"
    elif getattr(case, field) is not None:
        errors["on"] = f"已{label}"
    else:
        errors["on"] = errors["on"] or rules.order_error(
            getattr(case, previous), on, previous_label + "日期", label + "日期"
        )
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    setattr(case, field, on)
    _save(actor, case, before, label)
    _event(actor, case, Stage.CONVERSION, on, label, note, document)
    return case


def _passed_conversion_vote(case: Case) -> Vote | None:
    if case.conversion_reviewed_on is None:
        return None
    return (
        case.votes.filter(
            purpose=VotePurpose.CONVERSION, passed=True, held_on__gte=case.conversion_reviewed_on
        )
        .order_by("-held_on", "-id")
        .first()
    )


@transaction.atomic
def case_approve_conversion(*, actor, case: Case, on: date, note: str = "", document=None) -> Case:
    """The general branch approves the conversion: full member from the probation's end
    (seed 004 §四(三)1(10))."""
    case = _lock(case)
    access.require(actor, perms.APPROVE_CONVERSION, case)
    _expect(case, Stage.PROBATION, "审批转正", PROBATION_STATUSES)
    vote = _passed_conversion_vote(case)
    errors = _dated(on, "审批日期")
    if vote is None:
        errors["on"] = "须经支部大会讨论、表决通过后方可审批转正" + rules.cite(10)
    else:
        errors["on"] = (
            errors["on"]
            or rules.order_error(vote.held_on, on, "支部大会日期", "审批日期")
            or rules.conversion_approval_error(case.probation_ends_on, on)
        )
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.converted_on = case.probation_ends_on
    case.stage = Stage.CONVERSION
    case.status = CaseStatus.CONVERTED
    _save(actor, case, before, "党总支审批转为正式党员")
    _event(
        actor,
        case,
        Stage.CONVERSION,
        on,
        f"党总支审批同意按期转为正式党员（转正时间{case.converted_on:%Y-%m-%d}）",
        note,
        document,
    )
    _set_status(
        actor, case.person, PartyStatus.FULL, case.converted_on, "发展党员：预备党员转为正式党员"
    )
    return case


@transaction.atomic
def case_extend(*, actor, case: Case, on: date, until: date, reason: str) -> Case:
    """Extend the probation by up to one year (the general branch approves)."""
    case = _lock(case)
    access.require(actor, perms.EXTEND, case)
    _expect(case, Stage.PROBATION, "延长预备期", PROBATION_STATUSES)
    p = params()
    original = rules.probation_ends(case.admitted_on, p.probation_years)
    errors = _dated(on)
    errors["until"] = rules.extension_error(original, case.probation_ends_on, until)
    errors["reason"] = None if reason.strip() else "请填写延长预备期的原因"
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.probation_ends_on = until
    case.status = CaseStatus.EXTENDED
    case.extended_on = on
    case.extension_reason = reason[:200]
    # The conversion procedure starts again at the end of the extended probation.
    case.conversion_applied_on = None
    case.conversion_late = False
    case.conversion_opinions_on = None
    case.conversion_committee_on = None
    case.conversion_reviewed_on = None
    _save(actor, case, before, "延长预备期")
    person_extend_probation(actor=actor, person=case.person, ends_on=until)
    _event(actor, case, Stage.CONVERSION, on, f"延长预备期至{until:%Y-%m-%d}", reason)
    return case


@transaction.atomic
def case_cancel(*, actor, case: Case, on: date, reason: str) -> Case:
    """Close a dossier: cancel the probationary membership (the general branch decides) or stop
    the development of an applicant (the branch). The person returns to 群众."""
    case = _lock(case)
    if case.status in PROBATION_STATUSES:
        access.require(actor, perms.CANCEL_PROBATION, case)
        title = "取消预备党员资格"
    elif case.status == CaseStatus.ACTIVE:
        access.require(actor, perms.ACT, case)
        title = "终止发展"
    else:
        raise ValidationError({"__all__": f"该档案已{case.get_status_display()}，不能终止"})
    errors = _dated(on)
    errors["reason"] = None if reason.strip() else "请填写原因"
    _fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.status = CaseStatus.CANCELLED
    case.ended_on = on
    case.end_reason = reason[:200]
    _save(actor, case, before, title)
    _event(actor, case, max(case.stage, Stage.APPLICATION), on, title, reason)
    _set_status(actor, case.person, PartyStatus.MASSES, on, f"发展党员：{title}")
    return case


# --- documents and stages ------------------------------------------------------------------


@transaction.atomic
def case_event_add(
    *, actor, case: Case, stage: int, happened_on: date, title: str, note: str = "", document=None
) -> CaseEvent:
    """A document or a record for a step of the dossier (思想汇报, 政审材料…)."""
    case = _lock(case)
    access.require(actor, perms.ACT, case)
    if stage > case.stage + 1:
        raise ValidationError({"stage": "不能为尚未进行的步骤登记材料"})
    _fail(
        {
            "happened_on": rules.future_error(happened_on, _today()),
            "title": None if title.strip() else "请填写事项",
        }
    )
    event = _event(actor, case, stage, happened_on, title, note, document)
    audit.created(actor=actor, obj=event, fields=["stage", "happened_on", "title"])
    return event


@transaction.atomic
def stage_definition_update(
    *, actor, definition: StageDefinition, name: str, description: str, documents: str
) -> StageDefinition:
    access.require(actor, perms.EDIT_STAGES)
    definition = StageDefinition.objects.select_for_update().get(pk=definition.pk)
    return audit.audited_update(
        actor=actor,
        obj=definition,
        fields={"name": name, "description": description, "documents": documents},
        audit_fields=["name", "description", "documents"],
        clean=lambda obj: obj.full_clean(),
    )
