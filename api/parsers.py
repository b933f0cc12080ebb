"""JSON input that PostgreSQL can store.

PostgreSQL text cannot hold the NUL character (U+0000): a NUL anywhere in a request body —
a value or a key, however deeply nested — would otherwise reach a query and fail there with
a 500. It is refused up front as a parse error, like any other malformed body.
"""

from typing import Any

from drf_orjson_renderer.parsers import ORJSONParser
from rest_framework.exceptions import ParseError


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
        data = super().parse(stream, media_type, parser_context)
        if _has_nul(data):
            raise ParseError("JSON text may not contain the NUL character (\\u0000).")
        return data
