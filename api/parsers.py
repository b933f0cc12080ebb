"""JSON input that PostgreSQL can store.

PostgreSQL text cannot hold the NUL character (U+0000): a NUL anywhere in a request body —
a value or a key, however deeply nested — would otherwise reach a query and fail there with
a 500. It is refused up front as a parse error, like any other malformed body.

A body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django's limit, 2.5 MB unless set) is refused with
413 before it is parsed: DRF reads the stream itself, past Django's own check.
"""

import io
from typing import Any

from django.conf import settings
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "The request body is larger than this API accepts."


def _has_nul(data: Any) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_has_nul(key) or _has_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_has_nul(item) for item in data)
    return False


class JSONParser(ORJSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit:,} bytes.")
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:  # sent without a length (chunked), and too long
            raise PayloadTooLarge(f"The request body is larger than {limit:,} bytes.")
        data = super().parse(io.BytesIO(body), media_type, parser_context)
        if _has_nul(data):
            raise ParseError("JSON text may not contain the NUL character (\\u0000).")
        return data
