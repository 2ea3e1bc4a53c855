"""The rights (and a named event) accounts declares (accounts.permissions): opening accounts for an
organisation's people and reissuing a batch, as the in-scope officer, another branch's
officer, a member and an anonymous visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from dangjian.accounts import events, services
from dangjian.accounts.models import AccountBatch
from dangjian.core.access import can
from dangjian.core.models import AuditEvent
from tests.factories import make_person


@pytest.fixture
def batch(world):
    make_person(world.branch_a, name="孙新党员", staff_number="T9001")
    made, _credentials = services.batch_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        members_only=True,
        method=AccountBatch.Method.ACTIVATION,
    )
    return made


def test_open_accounts(world):
    w = world
    assert can(w.secretary_a, "accounts.open", w.branch_a)
    assert can(w.gb_secretary_a, "accounts.open", w.branch_a)
    assert can(w.org_officer, "accounts.open", w.branch_a)
    assert not can(w.secretary_b, "accounts.open", w.branch_a)
    assert not can(w.member_user, "accounts.open", w.branch_a)
    assert not can(AnonymousUser(), "accounts.open", w.branch_a)
    with pytest.raises(PermissionDenied, match="您不能为该党组织开通账号"):
        services.batch_preview(actor=w.secretary_b, organisation=w.branch_a, members_only=False)


def test_reissue_a_batch(world, batch):
    w = world
    assert can(w.secretary_a, "accounts.reissue", batch)
    assert can(w.gb_secretary_a, "accounts.reissue", batch)
    assert not can(w.secretary_b, "accounts.reissue", batch)
    assert not can(w.member_user, "accounts.reissue", batch)
    assert not can(AnonymousUser(), "accounts.reissue", batch)
    with pytest.raises(PermissionDenied, match="您不能处理该批次"):
        services.batch_reissue(actor=w.secretary_b, batch=batch)


def test_opening_a_batch_records_its_named_event(world, batch):
    row = AuditEvent.objects.get(event=events.BATCH_OPENED.name)
    assert row.object_id == batch.pk and row.label == "批量开通账号"
