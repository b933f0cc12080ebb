from rest_framework import serializers

from api.serializers.deadlines import AnswerByField
from brokerage import selectors
from brokerage.models import (
    DeclineReason,
    Match,
    MatchEvent,
    MatchMessage,
    Need,
    Offer,
    Side,
    User,
)


class ProposerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="proposed_by_id", allow_null=True)
    name = serializers.SerializerMethodField()
    side = serializers.ChoiceField(source="proposed_by_side", choices=Side.choices)

    def get_name(self, match: Match) -> str:
        user = match.proposed_by
        return (user.get_full_name() or user.username) if user else ""


class MatchSerializer(serializers.ModelSerializer):
    proposed_by = ProposerSerializer(source="*", read_only=True)
    offer_title = serializers.CharField(source="offer.title", read_only=True)
    need_title = serializers.CharField(source="need.title", read_only=True)
    extension_asked_by_side = serializers.ChoiceField(
        choices=[(Side.BUSINESS, "Business"), (Side.VCS, "VCS organisation")],
        allow_blank=True,
        read_only=True,
        help_text="The side that asked for more days (blank: no ask waiting).",
    )
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Why it was declined (blank: not declined, or no reason given).",
    )
    answer_by = AnswerByField(
        asked="created_at",
        waiting=lambda match: match.is_proposed,
        help_text="While proposed: when the answer is due (the side owing it is reminded "
        "then; brokers are told later). Null otherwise.",
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "offer",
            "offer_title",
            "need",
            "need_title",
            "days",
            "extra_days",
            "extension_asked_days",
            "extension_asked_by_side",
            "status",
            "accepted_by_business",
            "accepted_by_vcs",
            "answer_by",
            "proposed_by",
            "note",
            "preferred_from",
            "preferred_until",
            "decline_reason",
            "score",
            "score_parts",
            "accepted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProposalSerializer(serializers.Serializer):
    """The offer and the need are looked up among those the proposer may name
    (`selectors.proposable_offers`/`_needs`): another organisation's draft reads exactly
    like an id that does not exist."""

    offer = serializers.PrimaryKeyRelatedField(queryset=Offer.objects.none())
    need = serializers.PrimaryKeyRelatedField(queryset=Need.objects.none())
    days = serializers.IntegerField(
        min_value=1,
        max_value=100_000,
        required=False,
        help_text="Volunteer-days; left out, what the need still needs, as far as the offer has "
        "them (`brokerage.access.days_to_propose`), the same as the web page proposes.",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    preferred_from = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text="The first day the proposer would like the work done (optional).",
    )  # fmt: skip
    preferred_until = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text="The last day the proposer would like the work done (optional).",
    )  # fmt: skip

    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # None: the schema generator describing the shape
            self.fields["offer"].queryset = selectors.proposable_offers(user)
            self.fields["need"].queryset = selectors.proposable_needs(user)


class AcceptSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=[(Side.BUSINESS, "Business"), (Side.VCS, "VCS organisation")],
        required=False,
        help_text="Brokers accepting on a side's behalf name the side.",
    )


class ExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1, max_value=60, help_text="More volunteer-days for the match."
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DeclineSerializer(NoteSerializer):
    reason = serializers.ChoiceField(
        choices=DeclineReason.choices, required=False, allow_blank=True, default="",
        help_text="Why (shown to the other side, counted in reports); 'other' needs a note.",
    )  # fmt: skip


class MatchEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = MatchEvent
        fields = ["id", "action", "actor", "actor_side", "from_status", "to_status", "note", "at"]

    def get_actor(self, event: MatchEvent) -> str:
        user = event.actor
        return (user.get_full_name() or user.username) if user else ""


class MatchMessageSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    text = serializers.CharField(max_length=2000)

    class Meta:
        model = MatchMessage
        fields = ["id", "author", "author_side", "text", "at"]
        read_only_fields = ["id", "author", "author_side", "at"]

    def get_author(self, message: MatchMessage) -> str:
        user = message.author
        return (user.get_full_name() or user.username) if user else ""
