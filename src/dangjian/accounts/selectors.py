"""Scoped reads for account opening."""

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from dangjian.accounts.models import AccountBatch, AccountGrant
from dangjian.core.models import User
from dangjian.org.models import Organisation, Person


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def organisations_for_batches(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Organisations whose people the user may open accounts for (accounts.open)."""
    return Organisation.objects.restrict(user, "accounts.open").active()


def candidates(
    *, user: User | AnonymousUser, organisation: Organisation, members_only: bool
) -> QuerySet[Person]:
    """People in the organisation's subtree, in the user's scope, still registered, with no
    login yet."""
    people = (
        Person.objects.in_subtree(organisation)
        .editable_by(user)
        .filter(is_active=True, user__isnull=True)
        .select_related("primary_org")
        .order_by("primary_org__path", "name", "id")
    )
    return people.members() if members_only else people


def batches_for(user: User | AnonymousUser) -> QuerySet[AccountBatch]:
    return (
        AccountBatch.objects.visible_to(user)
        .select_related("organisation", "created_by__person")
        .annotate(
            activated=Count("grants", filter=Q(grants__used_at__isnull=False)),
        )
    )


def grants_of(batch: AccountBatch) -> QuerySet[AccountGrant]:
    return AccountGrant.objects.filter(batch=batch).select_related("user", "person__primary_org")


def grant_for_token(token: str) -> AccountGrant | None:
    """The activation grant behind a link's token (compared by hash), or None. Initial
    passwords are hashed the same way but never open the activation page."""
    if not token or len(token) > 100:
        return None
    return (
        AccountGrant.objects.select_related("user", "person__primary_org")
        .filter(token_hash=token_hash(token), batch__method=AccountBatch.Method.ACTIVATION)
        .first()
    )
