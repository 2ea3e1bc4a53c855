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
