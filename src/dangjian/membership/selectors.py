"""Reads of membership administration."""

from datetime import date

from django.conf import settings
from django.db.models import Q

from dangjian.membership import rules


def contact_lapsed_q(today: date) -> Q:
    """Still away, and not in touch for more than AWAY_CONTACT_DAYS (rules.contact_lapsed)."""
    cutoff = rules.contact_cutoff(today, settings.AWAY_CONTACT_DAYS)
    return Q(returned_on__isnull=True) & (
        Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True, left_on__lt=cutoff)
    )
