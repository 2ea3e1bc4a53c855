"""The suggestion box's 联系方式 (usually a phone number) is encrypted at rest."""

from django.db import connection

from dangjian.public import services
from dangjian.public.models import Suggestion


def test_suggestion_contact_is_stored_encrypted(world):
    suggestion = services.suggestion_submit(
        organisation=world.branch_a,
        content="希望延长图书馆开放时间。",
        client_address="192.0.2.7",
        contact="13912345678",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM public_suggestion WHERE id = %s", [suggestion.pk])
        (stored,) = cursor.fetchone()
    assert "13912345678" not in stored and stored.startswith("dj1$")
    assert Suggestion.objects.get(pk=suggestion.pk).contact == "13912345678"
