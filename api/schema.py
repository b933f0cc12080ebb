"""OpenAPI: every operation documents the shared error shape for the statuses it can give."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class TokenScheme(KnoxTokenScheme):
    """Our token authentication is knox's on the wire (`api.authentication`): same scheme."""

    target_class = "api.authentication.TokenAuthentication"


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. capacity_exceeded.")
    detail = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per offending field (nested input dotted: skills.0.skill).",
    )

    class Meta:
        ref_name = "Error"


class BrokerageAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        statuses = ["401", "403", "429"]
        if "{" in self.path:
            statuses.append("404")
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            statuses += ["400", "409"]
        elif self._is_list_view():
            statuses += ["400", "404"]  # bad filter values; a page past the end
        for code in statuses:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
        return responses
