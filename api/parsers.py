"""JSON input that PostgreSQL can store.

PostgreSQL text cannot hold the NUL character (U+0000): a NUL anywhere in a request body
(JSON or a form) — a value or a key, however deeply nested — would otherwise reach a query
and fail there with a 500. It is refused up front as a parse error, like any other malformed body.

A body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django's limit, 2.5 MB unless set) is refused with
413 before it is parsed: DRF reads the stream itself, past Django's own check.
"""

import io
from typing import Any

from django.conf import settings
from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework import parsers, status
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
    if hasattr(data, "lists"):  # a QueryDict: each key holds a list of values
        return any(_has_nul(key) or _has_nul(values) for key, values in data.lists())
    return False


def _refuse_nul(data: Any) -> None:
    if _has_nul(data):
        raise ParseError("The request may not contain the NUL character (\\u0000).")


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
        _refuse_nul(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _refuse_nul(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data)
        return parsed
