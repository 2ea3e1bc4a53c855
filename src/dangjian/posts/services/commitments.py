"""党员岗位责任承诺书 (《机关168模式通知》§二3): written by the member, published by the branch."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import access, audit
from dangjian.core.models import AuditEvent, User
from dangjian.posts import events, permissions
from dangjian.posts.models import Commitment, CommitmentProgress
from dangjian.posts.services._common import check_year, given, person_of, save_step

COMMITMENT_AREAS = ["political", "duties", "development", "pairing", "integrity", "org_life"]
COMMITMENT_FIELDS = ["year", *COMMITMENT_AREAS, "published_on"]


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    year: int,
    political: str = "",
    duties: str = "",
    development: str = "",
    pairing: str = "",
    integrity: str = "",
    org_life: str = "",
) -> Commitment:
    """承诺书 (《机关168模式通知》§二3): one per member per year, on the six areas."""
    person = person_of(actor)
    if not person.is_member or person.primary_org_id is None:
        raise ValidationError({"year": "只有党员（正式或预备）填写党员岗位责任承诺书。"})
    check_year(year)
    if Commitment.objects.filter(person=person, year=year).exists():
        raise ValidationError({"year": f"您已填写{year}年度承诺书，每人每年一份，请修改原承诺书。"})
    commitment = Commitment(
        person=person,
        organisation=person.primary_org,
        year=year,
        political=political,
        duties=duties,
        development=development,
        pairing=pairing,
        integrity=integrity,
        org_life=org_life,
    )
    commitment.full_clean()
    commitment.save()
    audit.created(actor=actor, obj=commitment, fields=COMMITMENT_FIELDS)
    return commitment


@transaction.atomic
def commitment_update(
    *,
    actor: User,
    commitment: Commitment,
    political: str | None = None,
    duties: str | None = None,
    development: str | None = None,
    pairing: str | None = None,
    integrity: str | None = None,
    org_life: str | None = None,
) -> Commitment:
    """The member changes the areas given, until the letter is published."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    access.require(actor, permissions.EDIT_COMMITMENT, commitment)
    if commitment.published_on:
        raise ValidationError({"published_on": "承诺书已公开，不能再修改；践诺情况请填写进展。"})
    fields = given(
        political=political,
        duties=duties,
        development=development,
        pairing=pairing,
        integrity=integrity,
        org_life=org_life,
    )
    audit.audited_update(
        actor=actor,
        obj=commitment,
        fields=fields,
        audit_fields=COMMITMENT_FIELDS,
        clean=lambda c: c.full_clean(validate_constraints=False),
    )
    return commitment


@transaction.atomic
def commitment_publish(
    *, actor: User, commitment: Commitment, published_on: date | None = None
) -> Commitment:
    """公开承诺 by an officer of the member's branch (or above)."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=commitment.pk)
    )
    access.require(actor, permissions.PUBLISH_COMMITMENT, commitment)
    if commitment.published_on:
        raise ValidationError({"published_on": "该承诺书已公开。"})
    save_step(
        actor=actor,
        obj=commitment,
        fields={"published_on": published_on or timezone.localdate()},
        audit_fields=COMMITMENT_FIELDS,
        event=events.COMMITMENT_PUBLISHED,
    )
    return commitment


@transaction.atomic
def commitment_progress_add(
    *, actor: User, commitment: Commitment, note: str, reported_on: date | None = None
) -> CommitmentProgress:
    """践诺情况: the member reports how the commitment is kept."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    access.require(actor, permissions.EDIT_COMMITMENT, commitment)
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": "日期不能晚于今天。"})
    if not note.strip():
        raise ValidationError({"note": "请填写践诺情况。"})
    progress = CommitmentProgress.objects.create(
        commitment=commitment, reported_on=reported_on, note=note.strip()
    )
    audit.record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=commitment,
        after={"践诺情况": f"{reported_on.isoformat()} {progress.note[:100]}"},
    )
    return progress
