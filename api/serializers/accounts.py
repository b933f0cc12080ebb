from django.contrib.auth import authenticate
from rest_framework import serializers

from brokerage.models import Membership, Organisation, User


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})

    def validate(self, attrs: dict) -> dict:
        # Django's own request: the sign-in lockout (django-axes) reads its address and
        # marks it when the account or address is locked out.
        user = authenticate(self.context["request"]._request, **attrs)
        if user is None:
            raise serializers.ValidationError("Wrong username or password.", code="authorization")
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expires_at = serializers.DateTimeField(allow_null=True)


class AccountSerializer(serializers.Serializer):
    """A new person's account, created with their organisation's registration."""

    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, write_only=True)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class MyMembershipSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="organisation.id")
    name = serializers.CharField(source="organisation.name")
    kind = serializers.ChoiceField(source="organisation.kind", choices=Organisation.Kind.choices)
    verification_status = serializers.ChoiceField(
        source="organisation.verification_status", choices=Organisation.Verification.choices
    )

    class Meta:
        model = Membership
        fields = ["id", "name", "kind", "verification_status", "role"]


class MeSerializer(serializers.ModelSerializer):
    organisations = MyMembershipSerializer(source="memberships", many=True)
    is_broker = serializers.BooleanField()
    broker_areas = serializers.ListField(
        child=serializers.CharField(),
        help_text="GSS codes of the councils this person brokers (a combined authority's "
        "broker: it and every constituent council); empty for everyone else.",
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_broker",
            "broker_areas",
            "organisations",
        ]
