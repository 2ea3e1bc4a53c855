"""The OpenAPI schema says what the API really answers, error responses included.

- `AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): times are written as DRF writes them,
  "14:30:00" with no UTC offset, which OpenAPI's `format: time` (RFC 3339 full-time) forbids;
  they are described by a pattern instead.
- `add_error_responses` (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): every operation may answer
  400, 401, 403, 404 and 429 with the body of `dangjian.core.api.exception_handler` (DRF's):
  `{"detail": "…"}`, or for a validation error the field errors (`{"field": ["…"]}`,
  `non_field_errors` for the whole payload, or a bare list of messages).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import append_meta
from rest_framework import serializers

TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
    "example": "14:30:00",
    "description": "时间 HH:MM[:SS]（北京时间，不带时区）",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "错误说明",
    "properties": {"detail": {"type": "string", "description": "中文错误说明"}},
    "required": ["detail"],
}

VALIDATION_ERROR_SCHEMA = {
    "description": (
        "请求有误：字段名 → 错误列表；non_field_errors 为整体错误；"
        "请求体无法解析时为 detail；少数操作只返回错误列表。"
    ),
    "anyOf": [
        {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "non_field_errors": {"type": "array", "items": {"type": "string"}},
            },
            "additionalProperties": {},
        },
        {"type": "array", "items": {}},
    ],
}

ERROR_RESPONSES = {
    "400": ("ValidationErrorResponse", "请求有误（字段错误或请求体无法解析）"),
    "401": ("ErrorResponse", "未登录或令牌无效"),
    "403": ("ErrorResponse", "无权进行此操作"),
    "404": ("ErrorResponse", "对象不存在或不在您的管理范围内"),
    "429": ("ErrorResponse", "请求过于频繁，请稍后再试（见 Retry-After）"),
}


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            meta = self._get_serializer_field_meta(field, direction)
            return append_meta(dict(TIME_SCHEMA), meta)
        return super()._map_serializer_field(field, direction, bypass_extensions)


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: declare the error answers of every operation once, as components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if {"ErrorResponse", "ValidationErrorResponse"} & set(schemas):
        raise RuntimeError("A serializer is named like the error components of the schema.")
    schemas["ErrorResponse"] = ERROR_SCHEMA
    schemas["ValidationErrorResponse"] = VALIDATION_ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, (component, description) in ERROR_RESPONSES.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{component}"}
                            }
                        },
                    },
                )
    return result
