"""Pure rules of the platform core: no database, no Django imports."""

import re
from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from typing import Any

# --- authentication throttle (core.authguard) ---------------------------------------------
# Three counters of failed sign-ins, each in its own window:
#   (user name, address)  a few failures lock that pair: the owner at another address is not hurt;
#   user name             many failures from many addresses lock the name for a short time that
#                         doubles with each lock, and an address where the user signed in before
#                         is exempt, so a stranger cannot keep the owner out;
#   address               many failures across any names block the address.


def locks_now(failures: int, limit: int) -> bool:
    """A counter locks when the failure just counted brings it to `limit`."""
    return limit > 0 and failures >= limit


def name_lock_minutes(previous_locks: int, *, base: int, cap: int) -> int:
    """How long a user name stays locked: `base` minutes, doubled for each earlier lock of the
    same name within a day, never more than `cap`."""
    doublings: int = max(0, min(previous_locks, 16))
    return min(cap, base * (1 << doublings))


def sign_in_refusal(
    *, address_blocked: bool, pair_locked: bool, name_locked: bool, known_address: bool
) -> str | None:
    """Why a sign-in attempt is refused before the password is even checked, or None.

    "address": the address tried too many names; "pair": this name failed too often from this
    address; "name": the name failed too often from anywhere, unless this address is one where
    the user has signed in before."""
    if address_blocked:
        return "address"
    if pair_locked:
        return "pair"
    if name_locked and not known_address:
        return "name"
    return None


def session_expiry(
    now: float, *, started: float, last_seen: float, idle_seconds: int, absolute_seconds: int
) -> str | None:
    """Whether a signed-in session is over: "absolute" once `absolute_seconds` have passed since
    sign-in, "idle" once more than `idle_seconds` passed since the last request, else None.
    A limit of 0 is off."""
    if absolute_seconds and now - started > absolute_seconds:
        return "absolute"
    if idle_seconds and now - last_seen > idle_seconds:
        return "idle"
    return None


def otp_required(
    *, is_superuser: bool, is_staff: bool, is_org_officer: bool, is_officer: bool, officers: bool
) -> bool:
    """Who must use a second factor: administrators, staff and the organisation department
    always; every other officer when OTP_REQUIRED_FOR_OFFICERS is on."""
    return is_superuser or is_staff or is_org_officer or (officers and is_officer)


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


# --- uploads: the one policy for every file field (core.uploads applies it) ----------------

# Kinds of content a file may have: (extensions, content type served, group shown to users).
UPLOAD_TYPES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "pdf": ((".pdf",), "application/pdf", "PDF"),
    "doc": ((".doc", ".wps"), "application/msword", "Word/WPS文字"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word/WPS文字",
    ),
    "xls": ((".xls", ".et"), "application/vnd.ms-excel", "Excel/WPS表格"),
    "xlsx": (
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel/WPS表格",
    ),
    "ppt": ((".ppt", ".dps"), "application/vnd.ms-powerpoint", "PPT/WPS演示"),
    "pptx": (
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PPT/WPS演示",
    ),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text", "OpenDocument"),
    "ods": ((".ods",), "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument"),
    "odp": ((".odp",), "application/vnd.oasis.opendocument.presentation", "OpenDocument"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg", "图片"),
    "png": ((".png",), "image/png", "图片"),
    "gif": ((".gif",), "image/gif", "图片"),
    "webp": ((".webp",), "image/webp", "图片"),
    "zip": ((".zip",), "application/zip", "ZIP压缩包"),
}
DOCUMENT_KINDS = tuple(UPLOAD_TYPES)
# Pictures a browser may show inline (under CSP sandbox); SVG is never one of them.
INLINE_IMAGE_KINDS = frozenset({"jpeg", "png", "gif", "webp"})

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt (and WPS) files
ZIP_MAGIC = b"PK\x03\x04"
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
IMAGE_MIMES = {"image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
# Markup a browser would run if it ever rendered the file as a page: refused in any file, so a
# picture or a PDF cannot also be a web page (a polyglot).
ACTIVE_MARKERS = (
    b"<script",
    b"<html",
    b"<svg",
    b"<iframe",
    b"<body",
    b"<!doctype html",
    b"<?xml-stylesheet",
)


def upload_extension(filename: str) -> str:
    """The lower-case extension of a file name, with its dot ("" when none)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "." + base.rsplit(".", 1)[1] if "." in base.strip(".") else ""


def upload_kind_of_extension(extension: str) -> str | None:
    for kind, (extensions, _type, _group) in UPLOAD_TYPES.items():
        if extension in extensions:
            return kind
    return None


def content_kinds(
    head: bytes,
    *,
    image_mime: str | None = None,
    zip_names: list[str] | None = None,
    odf_mimetype: str | None = None,
) -> frozenset[str]:
    """The kinds a file's content can be, from its first bytes (`image_mime` is what the
    filetype package found in them; for a zip, the names of its members and the content of an
    ODF `mimetype` member). Empty when the content is none of the allowed kinds."""
    if head.startswith(b"%PDF-"):
        return frozenset({"pdf"})
    if head.startswith(OLE_MAGIC):
        return frozenset({"doc", "xls", "ppt"})
    if head.startswith(ZIP_MAGIC):
        if zip_names is None:  # not a readable zip
            return frozenset()
        if "[Content_Types].xml" in zip_names:
            found = {
                kind
                for folder, kind in OOXML_FOLDERS.items()
                if any(name.startswith(folder) for name in zip_names)
            }
            return frozenset({*found, "zip"}) if len(found) == 1 else frozenset({"zip"})
        if odf_mimetype in ODF_MIMETYPES:
            return frozenset({ODF_MIMETYPES[odf_mimetype], "zip"})
        return frozenset({"zip"})
    if image_mime in IMAGE_MIMES:
        return frozenset({IMAGE_MIMES[image_mime]})
    return frozenset()


def has_active_content(data: bytes) -> bool:
    """Whether bytes hold HTML, SVG or script markup (case-insensitive)."""
    lowered = data.lower()
    return any(marker in lowered for marker in ACTIVE_MARKERS)


def allowed_types_text(kinds: Iterable[str]) -> str:
    """The allowed types as users read them: "PDF（.pdf）、图片（.jpg、.png）"."""
    groups: dict[str, list[str]] = {}
    for kind in kinds:
        extensions, _type, group = UPLOAD_TYPES[kind]
        groups.setdefault(group, []).extend(extensions)
    return "、".join(f"{group}（{'、'.join(exts)}）" for group, exts in groups.items())


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def upload_error(
    filename: str,
    size: int,
    found: frozenset[str] | None,
    *,
    allowed: Collection[str],
    max_bytes: int,
    active: bool = False,
) -> str | None:
    """Why an uploaded file is refused, or None: its extension must be an allowed type, its
    size at most `max_bytes`, its content (`found`, see content_kinds; None when not read yet)
    that type, holding no markup (`active`)."""
    allowed_text = allowed_types_text(allowed)
    extension = upload_extension(filename)
    kind = upload_kind_of_extension(extension)
    if kind is None or kind not in allowed:
        shown = f"“{extension}”" if extension else "无扩展名的"
        return f"不能上传{shown}文件。只接受：{allowed_text}。"
    if size > max_bytes:
        return f"文件大小{megabytes(size)}MB，超过了{megabytes(max_bytes)}MB的上限。"
    if found is None:  # content not read yet
        return None
    if kind not in found:
        return (
            f"文件内容不是真正的{UPLOAD_TYPES[kind][2]}文件，与扩展名“{extension}”不符"
            f"（可能是改了扩展名的网页或其他文件），不能上传。只接受：{allowed_text}。"
        )
    if active:
        return "文件中含有网页或脚本代码，出于安全原因不能上传。请另存为PDF或图片后再上传。"
    return None


def quota_error(used: int, size: int, quota: int) -> str | None:
    """A person's uploads may take at most `quota` bytes in all."""
    if used + size <= quota:
        return None
    return (
        f"您已上传的文件共{megabytes(used)}MB，加上本文件将超过每人{megabytes(quota)}MB的"
        "存储上限。请先删除不再需要的附件，或联系管理员。"
    )


# --- dates as office files hold them (every import reads dates this way) -------------------------

DATE_FORMATS_TEXT = "1990-01-31、1990/1/31、1990.1.31、1990年1月31日或Excel日期单元格"
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Excel's 1900 date system counts 1900-01-01 as day 1 and (wrongly) has a 29 February 1900,
# so from day 61 on a serial number is the number of days since 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FIRST = 61  # 1900-03-01
_EXCEL_LAST = 2958465  # 9999-12-31


def office_date(value: object) -> tuple[date | None, str | None]:
    """A date cell of an uploaded sheet: a real date, an Excel serial number (a date cell saved
    as a plain number), or text as 1990-01-31, 1990/1/31, 1990.1.31 or 1990年1月31日 (leading
    zeros optional). Returns (date, None) or (None, a Chinese message naming the formats)."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = int(value) if value == value and value == int(value) else value
        if 1900 <= value <= 2100 and value == int(value):  # a year typed alone, not day 1900
            return None, f"“{shown}”只有年份，应填写{DATE_FORMATS_TEXT}"
        if value != value or not _EXCEL_FIRST <= value <= _EXCEL_LAST:  # NaN or out of range
            return None, f"“{shown}”不是有效的日期，应填写{DATE_FORMATS_TEXT}"
        return _EXCEL_EPOCH + timedelta(days=int(value)), None
    text = str(value or "").strip()
    match = _DATE_TEXT.match(text)
    if not match:
        return None, f"日期格式不正确，应填写{DATE_FORMATS_TEXT}"
    try:
        return date(*(int(part) for part in match.groups())), None
    except ValueError:
        return None, f"“{text}”不是有效的日期（没有这一天）"


def recorded_on_error(
    on: date, today: date, *, label: str, earliest: date | None = None, earliest_label: str = ""
) -> str | None:
    """A step recorded after the fact from a paper record carries the paper's date: never in
    the future, never before the step it answers (`earliest`, named by `earliest_label`)."""
    if on > today:
        return f"{label}不能晚于今天。"
    if earliest is not None and on < earliest:
        day = f"{earliest.year}年{earliest.month}月{earliest.day}日"
        return f"{label}不能早于{earliest_label}（{day}）。"
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


# --- personal data on screen ----------------------------------------------------------


def mask_id_number(value: str) -> str:
    """Show the region and the check digit only: 110105********123X → 1101**********123X."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
