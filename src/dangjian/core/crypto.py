"""Encryption at rest of personal identifiers (ID numbers, phone numbers).

    id_number = EncryptedCharField("身份证号", max_length=18, hash_field="id_number_hash")
    id_number_hash = HashField()

The column holds "dj1$<cipher>$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>" (see
core.rules.parse_envelope); Python code reads and writes plain text. The companion hash column
holds a keyed hash (HMAC) of the normalised value, kept in sync whenever the value is assigned,
and serves uniqueness and exact search: `Person.objects.filter(id_number_hash=keyed_hash(x))`.
Lookups on the encrypted column go to its hash: `filter(id_number=x)` and `__in` compare keyed
hashes; every other lookup (contains, startswith, ordering by value…) is refused.

Settings: DANGJIAN_CRYPTO_ALGORITHM ("aes-256-gcm" or "sm4-gcm"), DANGJIAN_DATA_KEYS
("id:base64key,…", the first encrypts, all decrypt), DANGJIAN_HASH_KEY (base64). With DEBUG on
and no keys, development keys are derived from SECRET_KEY (with a warning); settings.py refuses
to start without keys when DEBUG is off. `dangjian rotate_data_key` re-encrypts every row under
the current key and recomputes the hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import EmptyResultSet, FieldError, ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import IsNull, Lookup
from django.db.models.query_utils import DeferredAttribute
from django.dispatch import receiver

from dangjian.core import rules

logger = logging.getLogger(__name__)

NONCE_BYTES = 12  # 96-bit random nonce, the size GCM is designed for
TAG_BYTES = 16
HASH_CHARS = 64  # hex of a 256-bit HMAC (SHA-256 or SM3)


class DecryptionError(ValueError):
    """A stored value that cannot be decrypted: modified, truncated, or under an unknown key."""


@dataclass(frozen=True)
class Keyring:
    algorithm: str
    current: str
    keys: dict[str, bytes]
    hash_key: bytes
    hash_algorithm: str
    development: bool = False
    _aead: dict = field(default_factory=dict, compare=False, repr=False)


_ring: Keyring | None = None
KEY_SETTINGS = frozenset(
    {"DANGJIAN_CRYPTO_ALGORITHM", "DANGJIAN_DATA_KEYS", "DANGJIAN_HASH_KEY", "SECRET_KEY", "DEBUG"}
)


def _derive(label: str, size: int) -> bytes:
    return hashlib.sha256(f"dangjian {label}|{settings.SECRET_KEY}".encode()).digest()[:size]


def keyring() -> Keyring:
    """The keys of the current settings, parsed once (again when a test changes them)."""
    global _ring
    if _ring is None:
        _ring = _build(
            settings.DANGJIAN_CRYPTO_ALGORITHM,
            settings.DANGJIAN_DATA_KEYS,
            settings.DANGJIAN_HASH_KEY,
        )
    return _ring


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    global _ring
    if setting in KEY_SETTINGS:
        _ring = None


def _build(algorithm: str, data_keys: str, hash_key: str) -> Keyring:
    if algorithm not in rules.CIPHER_TAGS:
        raise ImproperlyConfigured(
            f"DANGJIAN_CRYPTO_ALGORITHM must be one of {', '.join(rules.CIPHER_TAGS)}"
        )
    development = not (data_keys and hash_key)
    if development:
        if not settings.DEBUG:
            raise ImproperlyConfigured(
                "DANGJIAN_DATA_KEYS and DANGJIAN_HASH_KEY must be set when DEBUG is off."
            )
        logger.warning(
            "DANGJIAN_DATA_KEYS / DANGJIAN_HASH_KEY not set: using development keys derived "
            "from SECRET_KEY. Never do this in production."
        )
    try:
        keys = rules.parse_key_list(data_keys) if data_keys else []
        hashed = base64.b64decode(hash_key, validate=True) if hash_key else b""
    except ValueError as exc:
        raise ImproperlyConfigured(f"DANGJIAN_DATA_KEYS / DANGJIAN_HASH_KEY: {exc}") from exc
    if not keys:
        # One development key per cipher, so switching the algorithm in development works.
        keys = [
            (f"dev{n}", _derive(f"data key {name}", size))
            for n, (name, size) in enumerate(rules.CIPHER_KEY_BYTES.items())
        ]
        keys.sort(key=lambda item: len(item[1]) != rules.CIPHER_KEY_BYTES[algorithm])
    if not hashed:
        hashed = _derive("hash key", 32)
    if len(hashed) < 16:
        raise ImproperlyConfigured("DANGJIAN_HASH_KEY must be at least 16 bytes (base64).")
    current, key = keys[0]
    if len(key) != rules.CIPHER_KEY_BYTES[algorithm]:
        raise ImproperlyConfigured(
            f"The current data key {current!r} must be {rules.CIPHER_KEY_BYTES[algorithm]} "
            f"bytes for {algorithm}."
        )
    return Keyring(
        algorithm=algorithm,
        current=current,
        keys=dict(keys),
        hash_key=hashed,
        hash_algorithm=rules.HASH_FOR_CIPHER[algorithm],
        development=development,
    )


# --- encryption ------------------------------------------------------------------------------


def _seal(algorithm: str, key: bytes, nonce: bytes, plain: bytes, aad: bytes, ring) -> bytes:
    if algorithm == "aes-256-gcm":
        aead = ring._aead.get(key)
        if aead is None:
            aead = ring._aead[key] = AESGCM(key)
        return aead.encrypt(nonce, plain, aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(plain) + encryptor.finalize() + encryptor.tag


def _open(algorithm: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes, ring) -> bytes:
    if algorithm == "aes-256-gcm":
        aead = ring._aead.get(key)
        if aead is None:
            aead = ring._aead[key] = AESGCM(key)
        return aead.decrypt(nonce, sealed, aad)
    body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


def encrypt(plain: str, *, context: str) -> str:
    """The stored form of `plain` under the current key. `context` (e.g. "org.person.phone")
    is authenticated with it, so a value cannot be moved to another column unnoticed."""
    ring = keyring()
    header = rules.envelope_header(ring.algorithm, ring.current)
    nonce = os.urandom(NONCE_BYTES)
    sealed = _seal(
        ring.algorithm,
        ring.keys[ring.current],
        nonce,
        plain.encode(),
        f"{header}{context}".encode(),
        ring,
    )
    payload = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return rules.format_envelope(ring.algorithm, ring.current, payload)


def decrypt(stored: str, *, context: str) -> str:
    """The plain text of a stored value; DecryptionError if it was modified or the key is gone."""
    try:
        parsed = rules.parse_envelope(stored)
    except ValueError as exc:
        raise DecryptionError(str(exc)) from exc
    if parsed is None:
        raise DecryptionError("value is not encrypted")
    algorithm, key_id, payload = parsed
    ring = keyring()
    key = ring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"unknown data key {key_id!r} (is it still in DANGJIAN_DATA_KEYS?)")
    if len(key) != rules.CIPHER_KEY_BYTES[algorithm]:
        raise DecryptionError(f"data key {key_id!r} does not fit {algorithm}")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except ValueError as exc:
        raise DecryptionError("payload is not base64") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("payload too short")
    header = rules.envelope_header(algorithm, key_id)
    try:
        plain = _open(
            algorithm,
            key,
            raw[:NONCE_BYTES],
            raw[NONCE_BYTES:],
            f"{header}{context}".encode(),
            ring,
        )
    except InvalidTag as exc:
        raise DecryptionError("authentication failed: the stored value was modified") from exc
    return plain.decode()


def is_current(stored: str) -> bool:
    """Whether a stored value is already under the current key and algorithm."""
    ring = keyring()
    return stored.startswith(rules.envelope_header(ring.algorithm, ring.current))


# --- keyed hash ------------------------------------------------------------------------------


def normalise(value: str) -> str:
    """The form that is hashed: surrounding blanks dropped, the ID number's x as X."""
    return value.strip().upper()


def keyed_hash(value: str | None) -> str | None:
    """HMAC of the normalised value (hex), None for no value; the only way to find a row by an
    ID number or phone number."""
    if not value or not value.strip():
        return None
    ring = keyring()
    message = normalise(value).encode()
    if ring.hash_algorithm == "hmac-sha256":
        return hmac.digest(ring.hash_key, message, "sha256").hex()
    mac = crypto_hmac.HMAC(ring.hash_key, hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()


# --- model fields ----------------------------------------------------------------------------


STALE = "_dangjian_stale_"  # instance.__dict__ marker: this hash must be recomputed


class _SyncedAttribute(DeferredAttribute):
    """Assigning the value marks its keyed hash stale; the hash is recomputed when read (by
    validation, bulk_update …) or saved. Rows loaded and never searched cost no HMAC."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
        if self.field.hash_field:
            instance.__dict__[STALE + self.field.hash_field] = True


class _HashAttribute(DeferredAttribute):
    """The hash of an encrypted field, recomputed on read after the value was assigned."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        attname = self.field.attname
        if instance.__dict__.pop(STALE + attname, False):
            source = _source_of(type(instance), attname)
            instance.__dict__[attname] = keyed_hash(getattr(instance, source))
        return super().__get__(instance, cls)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
        instance.__dict__.pop(STALE + self.field.attname, None)


def _source_of(model, hash_attname: str) -> str:
    return next(f.attname for f in encrypted_fields(model) if f.hash_field == hash_attname)


class EncryptedCharField(models.CharField):
    """Text encrypted in the database, plain in Python. `max_length` limits the plain text
    (forms, validation); the column is unbounded text for the longer ciphertext."""

    description = "Encrypted text"
    descriptor_class = _SyncedAttribute

    def __init__(self, *args, hash_field: str | None = None, **kwargs):
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, context=self.context)

    def to_python(self, value):
        value = super().to_python(value)
        if value and value.startswith(rules.ENVELOPE_PREFIX):
            # A serialised fixture (dumpdata writes ciphertext, see value_to_string).
            try:
                return decrypt(value, context=self.context)
            except DecryptionError as exc:
                raise ValidationError(f"无法解密：{exc}") from exc
        return value

    def clean(self, value, model_instance):
        # What a user typed is never decrypted (else a copied ciphertext would be an oracle).
        value = models.CharField.to_python(self, value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    def get_prep_value(self, value):
        value = models.Field.get_prep_value(self, value)
        if value is None or value == "":
            return value
        return encrypt(str(value), context=self.context)

    def value_to_string(self, obj):
        # dumpdata (and any serialiser) carries ciphertext, never the plain value.
        return self.get_prep_value(self.value_from_object(obj))

    def get_lookup(self, lookup_name):
        return ENCRYPTED_LOOKUPS.get(lookup_name)

    def get_transform(self, name):
        return None


class _ByHash(Lookup):
    """`filter(id_number=x)` and `filter(phone__in=[…])` compare keyed hashes: an exact match
    is all an encrypted column can answer (no partial search, no ordering)."""

    prepare_rhs = False
    can_use_none_as_rhs = False

    def _hash_column(self, compiler):
        lhs = self.lhs
        field = getattr(lhs, "target", None)
        if not isinstance(lhs, Col) or not getattr(field, "hash_field", None):
            raise FieldError("an encrypted column without a hash column cannot be searched")
        return compiler.compile(Col(lhs.alias, field.model._meta.get_field(field.hash_field)))


class EncryptedExact(_ByHash):
    lookup_name = "exact"

    def as_sql(self, compiler, connection):
        sql, params = self._hash_column(compiler)
        digest = keyed_hash(self.rhs)
        if digest is None:  # "" : the number is missing
            return f"{sql} IS NULL", params
        return f"{sql} = %s", [*params, digest]


class EncryptedIn(_ByHash):
    lookup_name = "in"

    def as_sql(self, compiler, connection):
        sql, params = self._hash_column(compiler)
        digests = sorted({d for d in map(keyed_hash, self.rhs) if d is not None})
        if not digests:
            raise EmptyResultSet
        places = ", ".join(["%s"] * len(digests))
        return f"{sql} IN ({places})", [*params, *digests]


ENCRYPTED_LOOKUPS = {"exact": EncryptedExact, "in": EncryptedIn, "isnull": IsNull}


class HashField(models.CharField):
    """The keyed hash of an EncryptedCharField, kept by it, never edited. Declare it BEFORE its
    encrypted field: Model.__init__ assigns fields in order, and a later hash field would clear
    the mark that assigning the value left (see _HashAttribute)."""

    descriptor_class = _HashAttribute

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", HASH_CHARS)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        # Computed from the value at save time, whatever happened to the attribute.
        value = keyed_hash(getattr(model_instance, _source_of(type(model_instance), self.attname)))
        setattr(model_instance, self.attname, value)
        return value


def hash_fields(model) -> dict[str, str]:
    """{encrypted field name: its hash field name} of a model."""
    return {
        f.name: f.hash_field
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedCharField) and f.hash_field
    }


def encrypted_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


class EncryptedModelMixin:
    """save(update_fields=[…]) of an encrypted field also writes its hash."""

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            companions = hash_fields(type(self))
            kwargs["update_fields"] = set(update_fields) | {
                companions[name] for name in update_fields if name in companions
            }
        return super().save(*args, **kwargs)


class EncryptedQuerySetMixin:
    """update(field=…) and bulk_update([…], [field]) of an encrypted field keep its hash."""

    def update(self, **kwargs):
        for name, hash_name in hash_fields(self.model).items():
            if name in kwargs and hash_name not in kwargs:
                value = kwargs[name]
                if isinstance(value, models.expressions.Combinable):
                    raise FieldError(
                        f"{name} is encrypted: update it with a value, not an expression"
                    )
                kwargs[hash_name] = keyed_hash(value)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        companions = hash_fields(self.model)
        fields = list(fields)
        fields += [companions[f] for f in fields if f in companions and companions[f] not in fields]
        return super().bulk_update(objs, fields, *args, **kwargs)
