"""Pure rules of the platform core: no database, no Django imports."""

from datetime import datetime, timedelta
from typing import Any


def login_locked(
    failure_times: list[datetime], now: datetime, *, limit: int = 5, minutes: int = 15
) -> bool:
    """A username is locked once `limit` failures fall within the last `minutes` minutes."""
    window_start = now - timedelta(minutes=minutes)
    return sum(1 for at in failure_times if at > window_start) >= limit


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [before, after]}; blank equals missing."""

    def norm(value: Any) -> Any:
        return None if value == "" else value

    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: [norm(before.get(k)), norm(after.get(k))]
        for k in keys
        if norm(before.get(k)) != norm(after.get(k))
    }


# Evidence files (佐证/证明材料) of any record: documents, pictures or an archive, at most 10 MB.
EVIDENCE_EXTENSIONS = (
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".zip",
)
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_error(
    filename: str, size: int, *, label: str = "佐证材料", max_bytes: int = EVIDENCE_MAX_BYTES
) -> str | None:
    if not filename.lower().endswith(EVIDENCE_EXTENSIONS):
        return f"{label}须为PDF、图片、Word、Excel、PPT或ZIP文件。"
    if size > max_bytes:
        return f"{label}不能超过{max_bytes // (1024 * 1024)}MB。"
    return None


# --- personal data encryption: how an encrypted value is stored, how keys are written ---------

# A stored value: "dj1$<cipher tag>$<key id>$<base64url(nonce ‖ ciphertext ‖ GCM tag)>".
# The tag names the algorithm and the key id names the key, so keys can rotate and the
# algorithm can change while older rows stay readable.
ENVELOPE_PREFIX = "dj1$"
CIPHER_TAGS = {"aes-256-gcm": "A256GCM", "sm4-gcm": "SM4GCM"}
CIPHER_KEY_BYTES = {"aes-256-gcm": 32, "sm4-gcm": 16}
# The keyed hash that goes with each cipher (SM4 with SM3 for 密评, GB/T 39786-2021).
HASH_FOR_CIPHER = {"aes-256-gcm": "hmac-sha256", "sm4-gcm": "hmac-sm3"}
KEY_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
MAX_KEY_ID = 16


def format_envelope(algorithm: str, key_id: str, payload: str) -> str:
    """The stored text of a value encrypted with `algorithm` under key `key_id`."""
    return f"{ENVELOPE_PREFIX}{CIPHER_TAGS[algorithm]}${key_id}${payload}"


def envelope_header(algorithm: str, key_id: str) -> str:
    """The part before the payload, authenticated with it (so the tag cannot be swapped)."""
    return f"{ENVELOPE_PREFIX}{CIPHER_TAGS[algorithm]}${key_id}$"


def parse_envelope(text: str) -> tuple[str, str, str] | None:
    """(algorithm, key id, payload) of a stored value; None when `text` is not encrypted at all;
    ValueError when it claims to be but is malformed or names an unknown algorithm."""
    if not text.startswith(ENVELOPE_PREFIX):
        return None
    parts = text[len(ENVELOPE_PREFIX) :].split("$")
    if len(parts) != 3 or not all(parts):
        raise ValueError("malformed encrypted value")
    tag, key_id, payload = parts
    algorithm = next((name for name, t in CIPHER_TAGS.items() if t == tag), None)
    if algorithm is None:
        raise ValueError(f"unknown cipher tag {tag!r}")
    return algorithm, key_id, payload


def parse_key_list(text: str) -> list[tuple[str, bytes]]:
    """Keys written as "id:base64key,id:base64key" (the first is current) → [(id, key)].
    ValueError says what is wrong; the key bytes never appear in the message."""
    import base64
    import binascii

    keys: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id:
            raise ValueError("each key is written as id:base64key")
        if len(key_id) > MAX_KEY_ID or not set(key_id) <= KEY_ID_CHARS:
            raise ValueError(f"key id {key_id!r}: at most {MAX_KEY_ID} letters, digits, _ or -")
        if any(key_id == seen for seen, _ in keys):
            raise ValueError(f"key id {key_id!r} appears twice")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"key {key_id!r} is not valid base64") from exc
        if len(key) not in CIPHER_KEY_BYTES.values():
            raise ValueError(f"key {key_id!r} must be 16 (SM4) or 32 (AES-256) bytes")
        keys.append((key_id, key))
    return keys
