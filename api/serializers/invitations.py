from django.utils import timezone
from rest_framework import serializers

from brokerage.models import Invitation, Membership, Organisation


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as its organisation's admins see it. The link's token is never shown:
    it goes to the invitee by e-mail only."""

    invited_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    state = serializers.SerializerMethodField(help_text="open, expired, accepted or withdrawn")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organisation",
            "email",
            "role",
            "state",
            "invited_by",
            "sent_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]

    def get_state(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return "accepted"
        if invitation.revoked_at:
            return "withdrawn"
        return "expired" if invitation.expires_at <= timezone.now() else "open"


class InvitationWriteSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)


class AcceptInvitationSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500, help_text="The token in the e-mailed link.")


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["organisation", "role", "created_at"]
