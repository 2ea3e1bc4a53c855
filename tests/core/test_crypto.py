"""Encryption at rest (core.crypto): both algorithms round-trip, modified ciphertext is refused,
keys rotate (dangjian rotate_data_key), keys are required in production, and the org migration
converts clear values."""

import base64
import io
import os
import subprocess
import sys
from datetime import date

import pytest
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from dangjian.core import crypto, rules
from dangjian.core.models import SecurityEvent
from dangjian.org.models import Person
from tests.factories import make_id_number, make_person

TEST_KEY = "test1:dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc="
AES_K2 = "k2:" + base64.b64encode(b"k" * 32).decode()
SM4_S1 = "s1:" + base64.b64encode(b"s" * 16).decode()
ID = make_id_number(date(1988, 8, 8), 5)
PHONE = "13700001111"


def stored(person_pk: int) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash, phone_hash FROM org_person WHERE id = %s",
            [person_pk],
        )
        return cursor.fetchone()


def tamper(text: str, at: int = -5) -> str:
    flipped = "A" if text[at] != "A" else "B"
    return text[:at] + flipped + text[at + 1 :] if at != -1 else text[:-1] + flipped


# --- pure rules ---------------------------------------------------------------------------


def test_envelope_round_trip_and_parsing():
    text = rules.format_envelope("sm4-gcm", "k7", "cGF5")
    assert text == "dj1$SM4GCM$k7$cGF5"
    assert rules.parse_envelope(text) == ("sm4-gcm", "k7", "cGF5")
    assert rules.parse_envelope("13800000000") is None  # not encrypted at all
    for bad in ("dj1$", "dj1$A256GCM$k1", "dj1$DES$k1$abc", "dj1$A256GCM$$abc"):
        with pytest.raises(ValueError):
            rules.parse_envelope(bad)


def test_key_list_parsing():
    keys = rules.parse_key_list(f" {AES_K2} , {SM4_S1} ")
    assert [(k, len(v)) for k, v in keys] == [("k2", 32), ("s1", 16)]
    for bad in ("k2", "k2:!!!", "k2:" + base64.b64encode(b"x" * 20).decode(), f"{AES_K2},{AES_K2}"):
        with pytest.raises(ValueError) as info:
            rules.parse_key_list(bad)
        assert "eHh4" not in str(info.value)  # never echoes key material


# --- encryption ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("algorithm", "keys", "tag"),
    [("aes-256-gcm", TEST_KEY, "A256GCM"), ("sm4-gcm", SM4_S1, "SM4GCM")],
)
def test_round_trip_both_algorithms(algorithm, keys, tag):
    with override_settings(DANGJIAN_CRYPTO_ALGORITHM=algorithm, DANGJIAN_DATA_KEYS=keys):
        sealed = crypto.encrypt(ID, context="org.person.id_number")
        assert sealed.startswith(f"dj1${tag}$") and ID not in sealed
        assert crypto.decrypt(sealed, context="org.person.id_number") == ID
        # a random nonce: the same value never encrypts the same way twice
        assert crypto.encrypt(ID, context="org.person.id_number") != sealed


@pytest.mark.parametrize(("algorithm", "keys"), [("aes-256-gcm", TEST_KEY), ("sm4-gcm", SM4_S1)])
def test_modified_ciphertext_is_refused(algorithm, keys):
    with override_settings(DANGJIAN_CRYPTO_ALGORITHM=algorithm, DANGJIAN_DATA_KEYS=keys):
        sealed = crypto.encrypt(PHONE, context="org.person.phone")
        for broken in (tamper(sealed), tamper(sealed, -1), sealed[:-8]):
            with pytest.raises(crypto.DecryptionError):
                crypto.decrypt(broken, context="org.person.phone")
        # moved to another column
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(sealed, context="org.person.id_number")


def test_a_swapped_algorithm_tag_or_unknown_key_is_refused():
    sealed = crypto.encrypt(PHONE, context="c")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed.replace("$test1$", "$gone$"), context="c")
    with override_settings(DANGJIAN_DATA_KEYS=f"{TEST_KEY},{SM4_S1}"):
        relabelled = sealed.replace("$test1$", "$s1$")
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(relabelled, context="c")


def test_a_modified_row_is_refused_when_read(db):
    person = make_person(None, id_number=ID)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE org_person SET id_number = %s WHERE id = %s",
            [tamper(stored(person.pk)[0]), person.pk],
        )
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=person.pk)


def test_keyed_hash_normalises_and_depends_on_key_and_algorithm():
    digest = crypto.keyed_hash(ID[:17] + "X")
    assert digest == crypto.keyed_hash(f" {ID[:17]}x ") and len(digest) == 64
    assert crypto.keyed_hash("") is None and crypto.keyed_hash(None) is None
    with override_settings(DANGJIAN_HASH_KEY=base64.b64encode(b"h" * 32).decode()):
        assert crypto.keyed_hash(ID[:17] + "X") != digest
    with override_settings(DANGJIAN_CRYPTO_ALGORITHM="sm4-gcm", DANGJIAN_DATA_KEYS=SM4_S1):
        assert crypto.keyring().hash_algorithm == "hmac-sm3"
        assert crypto.keyed_hash(ID[:17] + "X") != digest


# --- keys from the environment ------------------------------------------------------------


def test_development_keys_are_derived_only_with_debug(caplog):
    with override_settings(DEBUG=True, DANGJIAN_DATA_KEYS="", DANGJIAN_HASH_KEY=""):
        ring = crypto.keyring()
        assert ring.development and ring.current == "dev0"
        assert crypto.decrypt(crypto.encrypt("x", context="c"), context="c") == "x"
    assert "development keys" in caplog.text
    production = override_settings(DEBUG=False, DANGJIAN_DATA_KEYS="", DANGJIAN_HASH_KEY="")
    with production, pytest.raises(ImproperlyConfigured):
        crypto.keyring()


def test_current_key_must_fit_the_algorithm():
    aes_key_for_sm4 = override_settings(
        DANGJIAN_CRYPTO_ALGORITHM="sm4-gcm", DANGJIAN_DATA_KEYS=TEST_KEY
    )
    with aes_key_for_sm4, pytest.raises(ImproperlyConfigured):
        crypto.keyring()
    with override_settings(DANGJIAN_CRYPTO_ALGORITHM="des"), pytest.raises(ImproperlyConfigured):
        crypto.keyring()


def _import_settings(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DANGJIAN_")}
    base.update(DEBUG="0", SECRET_KEY="x" * 50, **env)
    return subprocess.run(
        [sys.executable, "-c", "import dangjian.settings"],
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_keys():
    refused = _import_settings()
    assert refused.returncode != 0 and "DANGJIAN_DATA_KEYS" in refused.stderr
    started = _import_settings(
        DANGJIAN_DATA_KEYS=TEST_KEY, DANGJIAN_HASH_KEY=base64.b64encode(b"h" * 32).decode()
    )
    assert started.returncode == 0, started.stderr
    malformed = _import_settings(DANGJIAN_DATA_KEYS="k1:not-base64", DANGJIAN_HASH_KEY="aGFzaA==")
    assert malformed.returncode != 0 and "not valid base64" in malformed.stderr


# --- rotation -----------------------------------------------------------------------------


def test_rotate_data_key_re_encrypts_every_row_and_is_idempotent(db):
    people = [make_person(None, id_number=make_id_number(date(1990, 1, 1), n)) for n in range(5)]
    people[0].phone = PHONE
    people[0].save()
    make_person(None)  # no numbers at all
    assert stored(people[0].pk)[0].startswith("dj1$A256GCM$test1$")

    with override_settings(DANGJIAN_DATA_KEYS=f"{AES_K2},{TEST_KEY}"):
        # old rows stay readable before the rotation ...
        assert Person.objects.get(pk=people[0].pk).phone == PHONE
        call_command("rotate_data_key", "--batch-size", "2", stdout=io.StringIO())
        for person in people:
            assert stored(person.pk)[0].startswith("dj1$A256GCM$k2$")
        event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SETTING)
        assert "重新加密 5 行" in event.detail
        before = [stored(p.pk) for p in people]
        call_command("rotate_data_key", stdout=io.StringIO())
        assert [stored(p.pk) for p in people] == before  # nothing left to do
        assert "重新加密 0 行" in SecurityEvent.objects.order_by("-id")[0].detail

    # ... and after it the old key can go
    with override_settings(DANGJIAN_DATA_KEYS=AES_K2):
        assert Person.objects.get(pk=people[0].pk).phone == PHONE
        assert Person.objects.get(id_number=people[3].id_number) == people[3]


def test_switching_to_sm4_rotates_ciphertext_and_hashes(db):
    person = make_person(None, id_number=ID, phone=PHONE)
    with override_settings(
        DANGJIAN_CRYPTO_ALGORITHM="sm4-gcm", DANGJIAN_DATA_KEYS=f"{SM4_S1},{TEST_KEY}"
    ):
        call_command("rotate_data_key", stdout=io.StringIO())
        id_stored, phone_stored, id_hash, phone_hash = stored(person.pk)
        assert id_stored.startswith("dj1$SM4GCM$s1$") and phone_stored.startswith("dj1$SM4GCM$")
        assert id_hash == crypto.keyed_hash(ID) and phone_hash == crypto.keyed_hash(PHONE)
        assert Person.objects.get(phone=PHONE) == person


# --- fields -------------------------------------------------------------------------------


def test_hash_follows_every_kind_of_write(db):
    person = make_person(None)
    person.phone = PHONE
    person.save(update_fields=["phone"])
    assert stored(person.pk)[3] == crypto.keyed_hash(PHONE)
    Person.objects.filter(pk=person.pk).update(id_number=ID)
    assert stored(person.pk)[2] == crypto.keyed_hash(ID)
    person.refresh_from_db()
    person.phone = "13900000000"
    Person.objects.bulk_update([person], ["phone"])
    assert stored(person.pk)[3] == crypto.keyed_hash("13900000000")


def test_id_number_stays_unique_through_its_hash(db):
    from django.db import IntegrityError, transaction

    make_person(None, id_number=ID)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(None, id_number=ID)
    make_person(None)
    make_person(None)  # no ID number twice is fine


def test_serialised_rows_carry_ciphertext(db):
    person = make_person(None, id_number=ID, phone=PHONE)
    dumped = serializers.serialize("json", [person])
    assert ID not in dumped and PHONE not in dumped and "dj1$A256GCM$" in dumped
    loaded = next(serializers.deserialize("json", dumped)).object
    assert (loaded.id_number, loaded.phone) == (ID, PHONE)


# --- the migration ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_encrypts_existing_clear_values():
    executor = MigrationExecutor(connection)
    before = [("org", "0002_text_limits")]
    after = [("org", "0003_encrypt_personal_data")]
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        OldPerson = old_apps.get_model("org", "Person")
        rows = [
            OldPerson(name=f"旧{n}", gender="M", category="staff", id_number=None, phone="")
            for n in range(3)
        ]
        rows[0].id_number, rows[0].phone = ID, PHONE
        OldPerson.objects.bulk_create(rows)
        pk = OldPerson.objects.get(name="旧0").pk

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        id_stored, phone_stored, id_hash, phone_hash = stored(pk)
        assert id_stored.startswith("dj1$") and phone_stored.startswith("dj1$")
        assert (id_hash, phone_hash) == (crypto.keyed_hash(ID), crypto.keyed_hash(PHONE))
        assert stored(pk + 1)[:3] == (None, "", None)

        # and back: the clear values return
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, phone FROM org_person WHERE id = %s", [pk])
            assert cursor.fetchone() == (ID, PHONE)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        Person.objects.all().delete()


def test_typed_ciphertext_is_never_decrypted_by_validation():
    """A copied ciphertext typed into a field is no oracle: validation takes it as plain text
    (too long for the field); only deserialising a dump decrypts."""
    from django.core.exceptions import ValidationError

    field = Person._meta.get_field("phone")
    sealed = crypto.encrypt(PHONE, context="org.person.phone")
    with pytest.raises(ValidationError) as info:
        field.clean(sealed, Person())
    assert PHONE not in str(info.value)
    assert field.to_python(sealed) == PHONE
