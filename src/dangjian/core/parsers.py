"""API parsers. Kept apart from core.api: DRF imports them while building its views."""

import io
import re

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

DEFAULT_JSON_MAX_DEPTH = 32
TOO_DEEP = "请求内容嵌套层数过多（最多{limit}层）。"
NOT_JSON = "请求内容不是合法的 JSON"

# A JSON string (with its escapes) or one bracket: brackets inside strings do not count.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPEN = frozenset(b"[{")


def json_max_depth() -> int:
    return int(settings.JSON_MAX_DEPTH)


def json_depth_error(body: bytes | str, limit: int | None = None) -> str | None:
    """Why `body` is refused for its nesting (in Chinese), or None. One linear scan, before
    json.loads: Python's parser recurses per level and a 100 KB `[[[[…` raises
    RecursionError (a 500 with a traceback) instead of a clean error."""
    limit = json_max_depth() if limit is None else limit
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if len(token) != 1:
            continue  # a string
        if token[0] in _OPEN:
            depth += 1
            if depth > limit:
                return TOO_DEEP.format(limit=limit)
        else:
            depth -= 1
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a nesting limit and a Chinese error (DRF's own message is not
    translated)."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        error = json_depth_error(body)
        if error:
            raise ParseError(error)
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except (ParseError, RecursionError) as exc:
            raise ParseError(NOT_JSON) from exc
