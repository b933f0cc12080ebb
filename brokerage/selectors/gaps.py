"""Unmet needs as brokers read them: what is missing and who holds which skill."""

from brokerage.models import (
    Offer,
    Skill,
)


def explain_gap_cases(cases) -> None:
    """Put on each case its `missing_skills` (Skills) and `offered_by` ([(Skill, [business])]
    for a need whose skills are offered only by different businesses), in three queries
    whatever the number of cases."""
    cases = list(cases)
    skill_ids = {int(s) for c in cases for s in c.detail.get("missing_skills", [])}
    skill_ids |= {int(s) for c in cases for s in c.detail.get("holders", {})}
    offer_ids = {
        o for c in cases for offers in c.detail.get("holders", {}).values() for o in offers
    }
    skills = Skill.objects.in_bulk(skill_ids)
    business = {
        offer.pk: offer.organisation
        for offer in Offer.objects.filter(pk__in=offer_ids).select_related("organisation")
    }
    for case in cases:
        case.missing_skills = [
            skills[int(s)] for s in case.detail.get("missing_skills", []) if int(s) in skills
        ]
        case.offered_by = [
            (
                skills[int(s)],
                sorted({business[o] for o in offers if o in business}, key=lambda b: b.name),
            )
            for s, offers in case.detail.get("holders", {}).items()
            if int(s) in skills
        ]
