"""Notices (公示) with their objections, and the branch general meeting's votes
(《基层组织建设实施意见》§四(三)1(3)(5)(6)(10))."""

from datetime import date

from django.db import transaction

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.development import events, rules, selectors
from dangjian.development import permissions as perms
from dangjian.development.models import (
    PROBATION_STATUSES,
    Case,
    CaseStatus,
    Notice,
    NoticePurpose,
    Objection,
    Stage,
    Vote,
    VotePurpose,
)
from dangjian.development.services._common import (
    CASE_FIELDS,
    expect,
    fail,
    latest_notice,
    lock,
    save,
    timeline,
    today,
)

# --- notices and objections ----------------------------------------------------------------

NOTICE_STAGE: dict[str, tuple[Stage, tuple[CaseStatus, ...]]] = {
    NoticePurpose.CANDIDATE: (Stage.CANDIDATE, (CaseStatus.ACTIVE,)),
    NoticePurpose.TARGET: (Stage.CULTIVATION, (CaseStatus.ACTIVE,)),
    NoticePurpose.CONVERSION: (Stage.PROBATION, PROBATION_STATUSES),
}


@transaction.atomic
def notice_create(
    *,
    actor: User,
    case: Case,
    purpose: str,
    starts_on: date,
    ends_on: date | None = None,
    channel: str = "全体师生",
) -> Notice:
    """Post a notice (公示) for the candidate list, the development target or the conversion."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    label = NoticePurpose(purpose).label
    stage, statuses = NOTICE_STAGE[purpose]
    expect(case, stage, f"进行{label}", statuses)
    p = selectors.params()
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
    fail(errors)
    notice = Notice(
        case=case, purpose=purpose, starts_on=starts_on, ends_on=ends_on, channel=channel
    )
    notice.full_clean()
    notice.save()
    audit.created(actor=actor, obj=notice, fields=["purpose", "starts_on", "ends_on", "channel"])
    timeline(
        actor,
        case,
        stage if purpose != NoticePurpose.TARGET else Stage.TARGET,
        starts_on,
        f"{label}（{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}，{channel}）",
    )
    return notice


@transaction.atomic
def objection_create(*, actor: User, notice: Notice, received_on: date, content: str) -> Objection:
    """An objection received during a notice: it must be checked before the next step."""
    notice = Notice.objects.select_for_update(of=("self",)).select_related("case").get(pk=notice.pk)
    access.require(actor, perms.ACT, notice.case)
    errors = {
        "received_on": rules.future_error(received_on, today(), "收到日期")
        or rules.order_error(notice.starts_on, received_on, "公示开始日期", "收到日期"),
        "content": None if content.strip() else "请填写反映内容",
    }
    fail(errors)
    objection = Objection.objects.create(notice=notice, received_on=received_on, content=content)
    audit.created(actor=actor, obj=objection, fields=["received_on", "content"], note=str(notice))
    return objection


@transaction.atomic
def objection_resolve(
    *, actor: User, objection: Objection, resolved_on: date, resolution: str, upheld: bool
) -> Objection:
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("notice__case")
        .get(pk=objection.pk)
    )
    access.require(actor, perms.ACT, objection.notice.case)
    errors = {
        "resolved_on": rules.future_error(resolved_on, today(), "处理日期")
        or rules.order_error(objection.received_on, resolved_on, "收到日期", "处理日期"),
        "resolution": None if resolution.strip() else "请填写核查处理结果",
    }
    fail(errors)
    fields = ["resolved_on", "resolution", "upheld"]
    with audit.recording(
        actor=actor,
        obj=objection,
        fields=fields,
        event=events.OBJECTION_RESOLVED,
        action=AuditEvent.Action.UPDATE,
    ):
        objection.resolved_on = resolved_on
        objection.resolution = resolution
        objection.upheld = upheld
        objection.save()
    return objection


# --- steps 6 and 10: the branch general meeting's vote -------------------------------------


@transaction.atomic
def vote_record(
    *,
    actor: User,
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
    and the case does not advance (《基层组织建设实施意见》§四(三)1(6), (10))."""
    case = lock(case)
    access.require(actor, perms.ACT, case)
    errors: dict[str, str | None] = {
        "held_on": rules.future_error(held_on, today(), "支部大会日期")
    }
    if purpose == VotePurpose.ADMISSION:
        expect(case, Stage.TARGET, "召开支部大会讨论接收预备党员")
        errors["held_on"] = errors["held_on"] or rules.order_error(
            case.target_on, held_on, "确定为发展对象日期", "支部大会日期"
        )
    else:
        expect(case, Stage.PROBATION, "召开支部大会讨论转正", PROBATION_STATUSES)
        if case.conversion_reviewed_on is None:
            errors["held_on"] = "党总支审查并公示后方可召开支部大会讨论转正" + rules.cite(10)
        else:
            notice = latest_notice(case, NoticePurpose.CONVERSION, case.conversion_reviewed_on)
            errors["held_on"] = errors["held_on"] or "；".join(
                rules.notice_errors(
                    selectors.notice_facts(notice), held_on, NoticePurpose.CONVERSION.label, 10
                )
            )
    errors.update(rules.vote_count_errors(should_attend, present, in_favour, against, abstained))
    fail(errors)
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
        timeline(actor, case, stage, held_on, f"支部大会表决{label}未通过", f"{counts}。{failure}")
        return vote
    if purpose == VotePurpose.ADMISSION:
        before = audit.snapshot(case, CASE_FIELDS)
        case.admitted_on = held_on
        case.stage = Stage.ADMISSION
        save(actor, case, before, events.ADMITTED)
        timeline(
            actor, case, Stage.ADMISSION, held_on, "支部大会表决通过接收为预备党员", counts + "。"
        )
    else:
        timeline(
            actor, case, Stage.CONVERSION, held_on, "支部大会表决通过预备党员转正", counts + "。"
        )
    return vote
