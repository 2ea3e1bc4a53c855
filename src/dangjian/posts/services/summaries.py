"""Semester summaries of members and annual summaries of branches (《168模式实施意见》§五(二)4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import User
from dangjian.org.models import Organisation, OrgKind
from dangjian.posts import permissions, rules
from dangjian.posts.models import DutySummary, SummaryKind
from dangjian.posts.services._common import check_year, person_of

SUMMARY_FIELDS = ["kind", "organisation", "person", "year", "semester", "content", "submitted_on"]


def _save_summary(actor: User, summary: DutySummary) -> DutySummary:
    summary.full_clean()
    summary.save()
    audit.created(actor=actor, obj=summary, fields=SUMMARY_FIELDS)
    return summary


@transaction.atomic
def summary_member_create(*, actor: User, year: int, semester: int, content: str) -> DutySummary:
    """每个党员在学期末写一篇“履职”情况个人小结 (《168模式实施意见》§五(二)4)."""
    person = person_of(actor)
    if not person.is_member or person.primary_org_id is None:
        raise ValidationError({"content": "只有党员（正式或预备）提交履职小结。"})
    check_year(year)
    error = rules.semester_error(semester)
    if error:
        raise ValidationError({"semester": error})
    if DutySummary.objects.filter(
        kind=SummaryKind.MEMBER_SEMESTER, person=person, year=year, semester=semester
    ).exists():
        raise ValidationError({"semester": "您已提交该学期的履职小结，请修改原小结。"})
    return _save_summary(
        actor,
        DutySummary(
            kind=SummaryKind.MEMBER_SEMESTER,
            organisation=person.primary_org,
            person=person,
            year=year,
            semester=semester,
            content=content,
            submitted_on=timezone.localdate(),
        ),
    )


ORG_SUMMARY_KIND = {
    OrgKind.BRANCH: SummaryKind.BRANCH_ANNUAL,
    OrgKind.GENERAL_BRANCH: SummaryKind.GENERAL_BRANCH_ANNUAL,
}


@transaction.atomic
def summary_org_create(
    *, actor: User, organisation: Organisation, year: int, content: str
) -> DutySummary:
    """党支部、党总支年度“亮岗履职”工作总结 (《168模式实施意见》§五(二)4)."""
    kind = ORG_SUMMARY_KIND.get(organisation.kind)
    if kind is None:
        raise ValidationError({"organisation": "年度亮岗履职工作总结由党支部或党总支提交。"})
    access.require(actor, permissions.EDIT_ORG_SUMMARY, DutySummary(organisation=organisation))
    check_year(year)
    if DutySummary.objects.filter(kind=kind, organisation=organisation, year=year).exists():
        raise ValidationError({"year": f"{organisation.name}已提交{year}年度总结，请修改原总结。"})
    return _save_summary(
        actor,
        DutySummary(
            kind=kind,
            organisation=organisation,
            year=year,
            content=content,
            submitted_on=timezone.localdate(),
        ),
    )


@transaction.atomic
def summary_update(*, actor: User, summary: DutySummary, content: str) -> DutySummary:
    summary = (
        DutySummary.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=summary.pk)
    )
    if summary.kind == SummaryKind.MEMBER_SEMESTER:
        access.require(actor, permissions.EDIT_OWN_SUMMARY, summary)
    else:
        access.require(actor, permissions.EDIT_ORG_SUMMARY, summary)
    audit.audited_update(
        actor=actor,
        obj=summary,
        fields={"content": content},
        audit_fields=SUMMARY_FIELDS,
        clean=lambda s: s.full_clean(),
    )
    return summary
