"""ID numbers and phone numbers encrypted at rest, with keyed hashes for uniqueness and search.

1. add the hash columns; 2. widen both columns to text (ciphertext is longer) and move the
uniqueness of the ID number to its hash; 3. encrypt the existing clear values and fill the
hashes, in batches (works on SQLite and PostgreSQL); 4. switch the fields to the encrypted
field (no schema change). Reversible: going back decrypts.
"""

from django.db import migrations, models

import dangjian.core.crypto
from dangjian.core import crypto
from dangjian.core.rules import ENVELOPE_PREFIX

BATCH = 2000
COLUMNS = (("id_number", "id_number_hash"), ("phone", "phone_hash"))


def _batches(Person):
    last = 0
    while True:
        rows = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", *(name for name, _ in COLUMNS))[:BATCH]
        )
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def encrypt_existing(apps, schema_editor):
    Person = apps.get_model("org", "Person")
    fields = [name for pair in COLUMNS for name in pair]
    for rows in _batches(Person):
        for person in rows:
            for name, hash_name in COLUMNS:
                value = getattr(person, name)
                if value and not value.startswith(ENVELOPE_PREFIX):
                    setattr(person, hash_name, crypto.keyed_hash(value))
                    setattr(
                        person, name, crypto.encrypt(value, context=f"org.person.{name}")
                    )
        Person.objects.bulk_update(rows, fields)


def decrypt_existing(apps, schema_editor):
    Person = apps.get_model("org", "Person")
    fields = [name for name, _ in COLUMNS]
    for rows in _batches(Person):
        for person in rows:
            for name, _ in COLUMNS:
                value = getattr(person, name)
                if value and value.startswith(ENVELOPE_PREFIX):
                    setattr(person, name, crypto.decrypt(value, context=f"org.person.{name}"))
        Person.objects.bulk_update(rows, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_text_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="id_number_hash",
            field=dangjian.core.crypto.HashField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="身份证号摘要",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_hash",
            field=dangjian.core.crypto.HashField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                null=True,
                verbose_name="手机号摘要",
            ),
        ),
        # Plain text columns while the values are converted (the historical model then
        # reads and writes the stored text as it is).
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=models.TextField(blank=True, null=True, verbose_name="身份证号"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=models.TextField(blank=True, verbose_name="手机号"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=dangjian.core.crypto.EncryptedCharField(
                blank=True,
                hash_field="id_number_hash",
                help_text="18位居民身份证号码，校验位自动核对。",
                max_length=18,
                null=True,
                verbose_name="身份证号",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=dangjian.core.crypto.EncryptedCharField(
                blank=True, hash_field="phone_hash", max_length=20, verbose_name="手机号"
            ),
        ),
    ]
