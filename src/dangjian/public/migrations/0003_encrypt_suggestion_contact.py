"""The suggestion box's 联系方式 (usually a phone number) encrypted at rest, like the people
registry's numbers: widen to text, encrypt the existing values in batches, then switch to the
encrypted field (no schema change). Reversible: going back decrypts."""

from django.db import migrations, models

import dangjian.core.crypto
from dangjian.core import crypto
from dangjian.core.rules import ENVELOPE_PREFIX

BATCH = 2000
CONTEXT = "public.suggestion.contact"


def _convert(apps, change):
    Suggestion = apps.get_model("public", "Suggestion")
    last = 0
    while rows := list(
        Suggestion.objects.filter(pk__gt=last).order_by("pk").only("pk", "contact")[:BATCH]
    ):
        for row in rows:
            row.contact = change(row.contact)
        Suggestion.objects.bulk_update(rows, ["contact"])
        last = rows[-1].pk


def encrypt_existing(apps, schema_editor):
    def change(value):
        if value and not value.startswith(ENVELOPE_PREFIX):
            return crypto.encrypt(value, context=CONTEXT)
        return value

    _convert(apps, change)


def decrypt_existing(apps, schema_editor):
    def change(value):
        if value and value.startswith(ENVELOPE_PREFIX):
            return crypto.decrypt(value, context=CONTEXT)
        return value

    _convert(apps, change)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_text_limits"),
    ]

    operations = [
        migrations.AlterField(
            model_name="suggestion",
            name="contact",
            field=models.TextField(blank=True, verbose_name="联系方式"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.AlterField(
            model_name="suggestion",
            name="contact",
            field=dangjian.core.crypto.EncryptedCharField(
                blank=True, max_length=60, verbose_name="联系方式"
            ),
        ),
    ]
