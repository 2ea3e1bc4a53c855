"""The steps of a dossier (《基层组织建设实施意见》§四(三)1): open it, activist, candidate,
cultivation, development target, the general branch's talk and approval, its closing; the documents
of a step and the institution's wording of the steps. Each service locks the case, checks the right
(development.permissions) and the rules (development.rules), saves it as a named event
(development.events) and writes the timeline."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import access, audit
from dangjian.core.models import User
from dangjian.development import events, rules, selectors
from dangjian.development import permissions as perms
from dangjian.development.models import (
    OPEN_STATUSES,
    PROBATION_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    NoticePurpose,
    Stage,
    StageDefinition,
)
from dangjian.development.services._common import (
    CASE_FIELDS,
    Document,
    dated,
    expect,
    fail,
    latest_notice,
    lock,
    persons,
    save,
    set_status,
    timeline,
    today,
)
from dangjian.org.models import PartyStatus, Person

# --- step 1: open the dossier --------------------------------------------------------------


@transaction.atomic
def case_create(
    *, actor: User, person: Person, applied_on: date, note: str = "", document: Document = None
) -> Case:
    """Open a dossier from the written application (《基层组织建设实施意见》§四(三)1(1))."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("primary_org")
        .get(pk=person.pk)
    )
    access.require(actor, perms.OPEN_CASE, person)
    p = selectors.params()
    errors = {"applied_on": rules.future_error(applied_on, today(), "申请日期")}
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
    fail(errors)
    assert person.primary_org is not None  # checked above
    case = Case.objects.create(
        person=person, organisation=person.primary_org, applied_on=applied_on
    )
    timeline(actor, case, Stage.APPLICATION, applied_on, "递交入党申请书", note, document)
    audit.created(actor=actor, obj=case, fields=CASE_FIELDS)
    set_status(actor, person, PartyStatus.APPLICANT, applied_on, "发展党员：递交入党申请书")
    return case


# --- step 2: activist ----------------------------------------------------------------------


@transaction.atomic
def case_make_activist(
    *, actor: User, case: Case, on: date, note: str = "", document: Document = None
) -> Case:
    """推优 and the branch's appraisal → activist, sent to the Party school
    (《基层组织建设实施意见》§四(三)1(2))."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    expect(case, Stage.APPLICATION, "确定为入党积极分子")
    errors = dated(on)
    errors["on"] = errors["on"] or rules.order_error(
        case.applied_on, on, "递交申请日期", "确定日期"
    )
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.activist_on = on
    case.stage = Stage.ACTIVIST
    save(actor, case, before, events.MADE_ACTIVIST)
    timeline(
        actor, case, Stage.ACTIVIST, on, "经推优和党支部评议，确定为入党积极分子", note, document
    )
    set_status(actor, case.person, PartyStatus.ACTIVIST, on, "发展党员：确定为入党积极分子")
    return case


# --- the Party-school exam, between steps 2 and 3 -----------------------------------------


@transaction.atomic
def case_record_exam(
    *,
    actor: User,
    case: Case,
    passed_on: date | None,
    score: Decimal | None = None,
    note: str = "",
) -> Case:
    """The activist passed the Party-school exam (《基层组织建设实施意见》§四(三)1(2)(3)): the
    Party school (partyschool) records it on the case, which step 3 then checks; `passed_on`
    None withdraws a pass the school corrected. Only while the case waits for step 3."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    expect(case, Stage.ACTIVIST, "登记党校考试成绩")
    if passed_on is not None:
        fail(
            {
                "taken_on": rules.future_error(passed_on, today(), "考试日期")
                or rules.exam_error(passed_on, case.activist_on, today())
            }
        )
    before = audit.snapshot(case, CASE_FIELDS)
    case.exam_passed_on = passed_on
    case.exam_score = score if passed_on is not None else None
    save(actor, case, before, events.EXAM_RECORDED, note)
    title = f"党校考试合格（成绩{score}）" if passed_on is not None else "党校考试成绩更正为不合格"
    timeline(actor, case, Stage.ACTIVIST, passed_on or today(), title, note)
    return case


# --- step 3: candidate ---------------------------------------------------------------------


@transaction.atomic
def case_make_candidate(
    *,
    actor: User,
    case: Case,
    on: date,
    exam_passed_on: date | None,
    exam_score: Decimal | None = None,
    note: str = "",
    document: Document = None,
) -> Case:
    """Passed the Party-school exam, recommended → 培养考察对象
    (《基层组织建设实施意见》§四(三)1(3))."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    expect(case, Stage.ACTIVIST, "确定为培养考察对象")
    errors = dated(on)
    errors["on"] = errors["on"] or rules.order_error(
        case.activist_on, on, "确定为入党积极分子日期", "确定日期"
    )
    errors["exam_passed_on"] = rules.exam_error(exam_passed_on, case.activist_on, on)
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.exam_passed_on = exam_passed_on
    case.exam_score = exam_score
    case.candidate_on = on
    case.stage = Stage.CANDIDATE
    save(actor, case, before, events.MADE_CANDIDATE)
    timeline(
        actor,
        case,
        Stage.CANDIDATE,
        on,
        "党校考试合格，经民主推荐确定为培养考察对象",
        note,
        document,
    )
    set_status(actor, case.person, PartyStatus.CANDIDATE, on, "发展党员：确定为培养考察对象")
    return case


# --- step 4: cultivation -------------------------------------------------------------------


@transaction.atomic
def case_start_cultivation(
    *, actor: User, case: Case, on: date, cultivators: list[Person] | list[int], note: str = ""
) -> Case:
    """No objection after the notice → a cultivator is assigned
    (《基层组织建设实施意见》§四(三)1(4))."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    expect(case, Stage.CANDIDATE, "开始培养考察")
    people = persons(cultivators)
    notice = selectors.notice_facts(latest_notice(case, NoticePurpose.CANDIDATE))
    errors = dated(on)
    errors["on"] = errors["on"] or "；".join(
        rules.notice_errors(notice, on, NoticePurpose.CANDIDATE.label, 4)
    )
    errors["cultivators"] = rules.cultivators_error(
        case.person_id, [(p.pk, p.party_status) for p in people]
    )
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.cultivation_starts_on = on
    case.stage = Stage.CULTIVATION
    save(actor, case, before, events.CULTIVATION_STARTED)
    case.cultivators.set(people)
    timeline(
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
    *,
    actor: User,
    case: Case,
    on: date,
    committee_on: date,
    sponsors: list[Person] | list[int],
    note: str = "",
    document: Document = None,
) -> Case:
    """One year of cultivation, the branch committee's discussion, the notice and two full
    members as sponsors → 发展对象 (《基层组织建设实施意见》§四(三)1(5))."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    expect(case, Stage.CULTIVATION, "确定为发展对象")
    p = selectors.params()
    people = persons(sponsors)
    notice = latest_notice(case, NoticePurpose.TARGET)
    errors = dated(on)
    errors["on"] = (
        errors["on"]
        or rules.cultivation_error(case.cultivation_starts_on, on, p.cultivation_years)
        or "；".join(
            rules.notice_errors(selectors.notice_facts(notice), on, NoticePurpose.TARGET.label, 5)
        )
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
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.target_committee_on = committee_on
    case.target_on = on
    case.stage = Stage.TARGET
    save(actor, case, before, events.MADE_TARGET)
    case.sponsors.set(people)
    timeline(
        actor,
        case,
        Stage.TARGET,
        on,
        "确定为发展对象，入党介绍人：" + "、".join(s.name for s in people),
        note,
        document,
    )
    set_status(actor, case.person, PartyStatus.TARGET, on, "发展党员：确定为发展对象")
    return case


# --- steps 7–8: the general branch ---------------------------------------------------------


@transaction.atomic
def case_record_talk(
    *,
    actor: User,
    case: Case,
    on: date,
    talker: Person | int,
    note: str = "",
    document: Document = None,
) -> Case:
    """The general branch appoints someone who reviews the form and talks with the applicant
    (《基层组织建设实施意见》§四(三)1(7)). Only an officer above the branch."""
    case = lock(case)
    access.require(actor, perms.TALK, case)
    expect(case, Stage.ADMISSION, "登记党总支谈话")
    found = Person.objects.filter(pk=talker.pk if isinstance(talker, Person) else talker).first()
    errors = dated(on, "谈话日期")
    errors["on"] = errors["on"] or rules.order_error(
        case.admitted_on, on, "支部大会日期", "谈话日期"
    )
    errors["talker"] = rules.talker_error(
        case.person_id, (found.pk, found.party_status) if found else None
    )
    fail(errors)
    assert found is not None  # talker_error refuses none
    before = audit.snapshot(case, CASE_FIELDS)
    case.talk_on = on
    case.talker = found
    case.stage = Stage.TALK
    save(actor, case, before, events.TALK_RECORDED)
    timeline(
        actor,
        case,
        Stage.TALK,
        on,
        f"党总支指派{found.name}审核《入党志愿书》并谈话",
        note,
        document,
    )
    return case


@transaction.atomic
def case_approve(
    *, actor: User, case: Case, on: date, note: str = "", document: Document = None
) -> Case:
    """The general-branch committee approves: the person becomes 预备党员 from the branch
    meeting's date, probation one year (《基层组织建设实施意见》§四(三)1(8)(9))."""
    case = lock(case)
    access.require(actor, perms.APPROVE, case)
    expect(case, Stage.TALK, "审批预备党员")
    errors = dated(on, "审批日期")
    errors["on"] = errors["on"] or rules.order_error(case.talk_on, on, "谈话日期", "审批日期")
    fail(errors)
    p = selectors.params()
    admitted = case.admitted_on
    assert admitted is not None  # the branch meeting's vote set it
    before = audit.snapshot(case, CASE_FIELDS)
    case.approved_on = on
    case.probation_ends_on = ends = rules.probation_ends(admitted, p.probation_years)
    case.stage = Stage.PROBATION
    case.status = CaseStatus.PROBATION
    save(actor, case, before, events.APPROVED)
    timeline(
        actor, case, Stage.APPROVAL, on, "党总支委员会集体讨论，同意接收为预备党员", note, document
    )
    timeline(
        actor,
        case,
        Stage.PROBATION,
        admitted,
        f"预备期自{admitted:%Y-%m-%d}起至{ends:%Y-%m-%d}止",
    )
    set_status(
        actor,
        case.person,
        PartyStatus.PROBATIONARY,
        admitted,
        "发展党员：党总支审批为预备党员（预备期自支部大会通过之日算起）",
    )
    return case


@transaction.atomic
def case_cancel(*, actor: User, case: Case, on: date, reason: str) -> Case:
    """Close a dossier: cancel the probationary membership (the general branch decides) or stop
    the development of an applicant (the branch). The person returns to 群众."""
    case = lock(case)
    if case.status in PROBATION_STATUSES:
        access.require(actor, perms.CANCEL_PROBATION, case)
        event = events.PROBATION_CANCELLED
    elif case.status == CaseStatus.ACTIVE:
        access.require(actor, perms.ACT, case)
        event = events.DEVELOPMENT_ENDED
    else:
        raise ValidationError({"__all__": f"该档案已{case.get_status_display()}，不能终止"})
    errors = dated(on)
    errors["reason"] = None if reason.strip() else "请填写原因"
    fail(errors)
    before = audit.snapshot(case, CASE_FIELDS)
    case.status = CaseStatus.CANCELLED
    case.ended_on = on
    case.end_reason = reason[:200]
    save(actor, case, before, event, note=reason)
    timeline(actor, case, max(case.stage, Stage.APPLICATION), on, event.label, reason)
    set_status(actor, case.person, PartyStatus.MASSES, on, f"发展党员：{event.label}")
    return case


# --- documents and stages ------------------------------------------------------------------


@transaction.atomic
def case_event_add(
    *,
    actor: User,
    case: Case,
    stage: int,
    happened_on: date,
    title: str,
    note: str = "",
    document: Document = None,
) -> CaseEvent:
    """A document or a record for a step of the dossier (思想汇报, 政审材料…)."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    if stage > case.stage + 1:
        raise ValidationError({"stage": "不能为尚未进行的步骤登记材料"})
    fail(
        {
            "happened_on": rules.future_error(happened_on, today()),
            "title": None if title.strip() else "请填写事项",
        }
    )
    event = timeline(actor, case, stage, happened_on, title, note, document)
    audit.created(actor=actor, obj=event, fields=["stage", "happened_on", "title"])
    return event


@transaction.atomic
def stage_definition_update(
    *, actor: User, definition: StageDefinition, name: str, description: str, documents: str
) -> StageDefinition:
    access.require(actor, perms.EDIT_STAGES)
    definition = StageDefinition.objects.select_for_update().get(pk=definition.pk)
    return audit.audited_update(  # type: ignore[return-value]  # returns the row it was given
        actor=actor,
        obj=definition,
        fields={"name": name, "description": description, "documents": documents},
        audit_fields=["name", "description", "documents"],
        clean=lambda obj: obj.full_clean(),
    )
