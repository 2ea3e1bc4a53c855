"""API parsers. Kept apart from core.api: DRF imports them while building its views."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a Chinese error (DRF's own message is not translated)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise ParseError("请求内容不是合法的 JSON") from exc
