from rest_framework import serializers


class PartsSerializer(serializers.Serializer):
    skill = serializers.FloatField()
    place = serializers.FloatField()
    time = serializers.FloatField()
    capacity = serializers.FloatField()


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")


class SuggestionSerializer(serializers.Serializer):
    """One ranked candidate: fit `score` in [0, 1] with its parts, the need's `priority`
    (deprivation, council themes, waiting; shown beside fit, not mixed in) and reasons."""

    candidate = CandidateSerializer(source="listing")
    score = serializers.FloatField(source="suggestion.score")
    parts = PartsSerializer(source="suggestion.parts")
    priority = serializers.FloatField(source="suggestion.priority")
    reasons = serializers.ListField(child=serializers.CharField(), source="suggestion.reasons")


class HeldBackSerializer(serializers.Serializer):
    """A pair left out of suggestions and plans because one side turned it down recently."""

    match = serializers.IntegerField(source="match.pk")
    offer = serializers.IntegerField(source="match.offer_id")
    need = serializers.IntegerField(source="match.need_id")
    action = serializers.CharField(source="match.turned_down.action")
    side = serializers.CharField(source="match.turned_down.actor_side")
    at = serializers.DateTimeField(source="match.turned_down.at")
    until = serializers.DateField()
    reason = serializers.CharField()


class SuggestionQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)
    min_score = serializers.FloatField(min_value=0, max_value=1, required=False)


class UnmetNeedSerializer(serializers.Serializer):
    need = serializers.IntegerField(source="need.pk")
    title = serializers.CharField(source="need.title")
    organisation_name = serializers.CharField(source="need.organisation.name")
    ward = serializers.CharField(source="need.ward.gss_code")
    ward_name = serializers.CharField(source="need.ward.name")
    days_remaining = serializers.IntegerField(source="need.days_remaining")
    needed_by = serializers.DateField(source="need.needed_by")
    reasons = serializers.ListField(child=serializers.CharField())
    missing_skills = serializers.SerializerMethodField(
        help_text="Slugs of skills no open offer holds (itself or a synonym)."
    )

    offered_by = serializers.SerializerMethodField(
        help_text="When each skill is offered, but only by different businesses: each skill's "
        "slug with the names of the businesses offering it (two matches could meet the need)."
    )

    def get_missing_skills(self, gap) -> list[str]:
        return [skill.slug for skill in gap.missing_skills]

    def get_offered_by(self, gap) -> dict[str, list[str]]:
        return {skill.slug: [b.name for b in businesses] for skill, businesses in gap.offered_by}
