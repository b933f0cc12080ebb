"""When an answer is due, in the API as on the pages (`brokerage.response_times`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brokerage import response_times


@extend_schema_field(OpenApiTypes.DATETIME)
class AnswerByField(serializers.Field):
    """The moment an answer is due: `asked` names the attribute holding when it was asked,
    `waiting(obj)` says whether it still waits (null once answered, withdrawn or closed)."""

    def __init__(self, *, asked: str, waiting, **kwargs) -> None:
        kwargs.setdefault("help_text", "When an answer is due (null when nothing waits).")
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)
        self.asked, self.waiting = asked, waiting

    def to_representation(self, obj) -> str | None:
        if not self.waiting(obj):
            return None
        return serializers.DateTimeField().to_representation(
            response_times.answer_by(getattr(obj, self.asked))
        )
