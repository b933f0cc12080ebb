"""Where: the council areas a thing belongs to, and the areas a person brokers.

A council's brokers broker their council's area; a combined authority's brokers broker every
constituent council's area as well as their own. Things belong to areas as follows (the one
table of it, `AREA_LOOKUP`, is what every broker's list filters by):

- an organisation: the council it is based in (`Organisation.council`);
- a need, and a match, message, booking, time entry or gap case about one: the council of the need's
  ward, where the help lands;
- an offer: its business's council and the councils of the wards it serves;
- a contract: the council that let it, and a contribution its contract's (its business's
  without one);
- a volunteer or invitation: its organisation's council.
"""

from collections.abc import Iterable

from django.db.models import Model, Q

from brokerage.models import (
    Assignment,
    AuditEntry,
    Contract,
    Contribution,
    Council,
    Feedback,
    GapCase,
    Interest,
    Invitation,
    Match,
    MatchEvent,
    MatchMessage,
    Need,
    Offer,
    Organisation,
    TimeEntry,
    Volunteer,
    Ward,
)

# ONS entity code of combined authorities: their brokers broker their constituents too.
COMBINED_AUTHORITY_PREFIX = "E47"

# The lookup from each kind of thing to the council whose brokers see it (offers: see
# `offer_area_filter`, they can be in several).
AREA_LOOKUP: dict[type[Model], str] = {
    Organisation: "council_id",
    Need: "ward__council_id",
    Match: "need__ward__council_id",
    MatchEvent: "match__need__ward__council_id",
    MatchMessage: "match__need__ward__council_id",
    Feedback: "match__need__ward__council_id",
    Assignment: "match__need__ward__council_id",
    TimeEntry: "match__need__ward__council_id",
    GapCase: "need__ward__council_id",
    Interest: "need__ward__council_id",
    Volunteer: "organisation__council_id",
    Contract: "council_id",
    Invitation: "organisation__council_id",
    AuditEntry: "organisation__council_id",
    Ward: "council_id",
}


def with_constituents(codes: Iterable[str]) -> frozenset[str]:
    """The councils brokered from `codes`: each, and a combined authority's constituents."""
    codes = frozenset(code for code in codes if code)
    combined = [code for code in codes if code.startswith(COMBINED_AUTHORITY_PREFIX)]
    if not combined:
        return codes
    constituents = Council.objects.filter(combined_authority_id__in=combined)
    return codes | frozenset(constituents.values_list("gss_code", flat=True))


def councils_of(where: object) -> frozenset[str]:
    """The council areas `where` belongs to (see the module's table)."""
    match where:
        case Council():
            return frozenset({where.gss_code})
        case str():
            return frozenset({where})
        case Contract():
            return frozenset({where.council_id})
        case Contribution() if where.contract_id:
            return frozenset({where.contract.council_id})
        case Organisation() | Volunteer() | Contribution() | Invitation():
            organisation = where if isinstance(where, Organisation) else where.organisation
            return frozenset({organisation.council_id})
        case Ward():
            return frozenset({where.council_id})
        case Need():
            return frozenset({where.ward.council_id})
        case Match() | GapCase():
            return frozenset({where.need.ward.council_id})
        case Offer():
            served = where.wards.values_list("council_id", flat=True)
            return frozenset({where.organisation.council_id, *served})
    raise TypeError(f"No area is defined for {type(where).__name__}.")


def in_areas(model: type[Model], areas: Iterable[str]) -> Q:
    """A filter for the `model` rows that belong to one of `areas`."""
    areas = list(areas)
    if model is Contribution:  # its contract's council, or its business's without one
        return Q(contract__council_id__in=areas) | Q(
            contract__isnull=True, organisation__council_id__in=areas
        )
    if model is Offer:
        return Q(organisation__council_id__in=areas) | Q(
            pk__in=Offer.wards.through.objects.filter(ward__council_id__in=areas).values("offer_id")
        )
    return Q(**{f"{AREA_LOOKUP[model]}__in": areas})
