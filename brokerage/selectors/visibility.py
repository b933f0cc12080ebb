"""Who sees what: the `Viewer` (whether someone brokers and their organisations, in one query)
and the listings, matches, organisations, volunteers, bookings and time each person may see or
name in a proposal. Who may *act* is `brokerage.access`."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from brokerage import access
from brokerage.models import (
    AllocationPlan,
    Assignment,
    Contract,
    Contribution,
    GapCase,
    Interest,
    Invitation,
    ListingStatus,
    Match,
    Membership,
    Need,
    Offer,
    Organisation,
    TimeEntry,
    User,
    Volunteer,
)


def organisation_ids_of(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


@dataclass(frozen=True)
class Viewer:
    """What decides which listings a user may see, read in one query: the areas they broker
    (none for most people) and the organisations they belong to."""

    broker_areas: frozenset[str]
    organisation_ids: tuple[int, ...]

    @classmethod
    def of_memberships(cls, rows: Iterable[tuple[int | None, str | None]]) -> "Viewer":
        """From (organisation id, the council it brokers or None) pairs, one per membership
        (a LEFT JOIN's empty row, (None, None), stands for none)."""
        rows = [(org_id, brokers) for org_id, brokers in rows if org_id is not None]
        return cls(
            broker_areas=access.places.with_constituents(area for _, area in rows),
            organisation_ids=tuple(sorted(org_id for org_id, _ in rows)),
        )

    @property
    def is_broker(self) -> bool:
        return bool(self.broker_areas)

    @property
    def scope(self) -> str:
        """A name for the set of listings this viewer sees: two viewers with the same scope see
        exactly the same (a signed-out reader and a member of no organisation share "public";
        brokers of the same areas share one, whatever their own organisation)."""
        if self.is_broker:
            own = ".".join(map(str, self.organisation_ids))
            return "broker:" + ".".join(sorted(self.broker_areas)) + ":" + own
        if not self.organisation_ids:
            return "public"
        return "orgs:" + ".".join(map(str, self.organisation_ids))

    def sees(self, model: type) -> Q:
        """What a broker sees beyond the public and their own: their areas' `model` rows."""
        return access.in_areas(model, self.broker_areas)


# What a session-signed-in listing read asks (token reads get it with the token, in
# `api.authentication`). Raw SQL: the ORM spent 0.9 ms compiling this join and PostgreSQL 0.2 ms
# running it (bench/api_bench.py).

_VIEWER_SQL = f"""
    SELECT m.organisation_id, {access.BROKER_SQL}
    FROM {Membership._meta.db_table} m
    JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id
    WHERE m.user_id = %s
"""  # table names from the models; values are parameters


def viewer_of(user: User) -> Viewer:
    if not user.is_authenticated:
        return Viewer(broker_areas=frozenset(), organisation_ids=())
    with connection.cursor() as cursor:
        cursor.execute(_VIEWER_SQL, [*access.BROKER_ORGANISATION, user.pk])
        return Viewer.of_memberships(cursor.fetchall())


def visible_needs(user: User, viewer: Viewer | None = None) -> QuerySet[Need]:
    """Open needs are public; an organisation's members see all its needs, and a business
    sees a need once a match links it to one of its offers (also once it is fully matched or
    done); brokers see all their areas' needs. `viewer` saves the query when the caller has
    read it already."""
    viewer = viewer or viewer_of(user)
    public = Q(status=ListingStatus.OPEN)
    if not viewer.organisation_ids:
        return Need.objects.filter(public | viewer.sees(Need) if viewer.is_broker else public)
    org_ids = viewer.organisation_ids
    matched = Match.objects.filter(offer__organisation_id__in=org_ids).values("need_id")
    seen = public | Q(organisation_id__in=org_ids) | Q(pk__in=matched)
    return Need.objects.filter(seen | viewer.sees(Need) if viewer.is_broker else seen)


def open_needs() -> QuerySet[Need]:
    """Open needs: public, so every reader sees the same ones (`visible_needs` for anyone
    narrowed to open), read without asking who the reader is."""
    return Need.objects.filter(status=ListingStatus.OPEN)


def visible_offers(user: User, viewer: Viewer | None = None) -> QuerySet[Offer]:
    """A business's members see its offers; a VCS organisation sees an offer only once a match
    links it to one of its needs (otherwise through suggestions); brokers see their areas'
    offers (of businesses based there or serving a ward there)."""
    viewer = viewer or viewer_of(user)
    if not viewer.organisation_ids:
        return (
            Offer.objects.filter(viewer.sees(Offer)) if viewer.is_broker else Offer.objects.none()
        )
    org_ids = viewer.organisation_ids
    matched = Match.objects.filter(need__organisation_id__in=org_ids).values("offer_id")
    seen = Q(organisation_id__in=org_ids) | Q(pk__in=matched)
    return Offer.objects.filter(seen | viewer.sees(Offer) if viewer.is_broker else seen)


def _own_or_areas(user: User, model: type, own: Callable[[Viewer], Q]) -> QuerySet:
    """The `model` rows `own(viewer)` selects, and for a broker every row of their areas (one
    query reads both, `viewer_of`)."""
    viewer = viewer_of(user)
    seen = own(viewer)
    return model.objects.filter(seen | viewer.sees(model) if viewer.is_broker else seen)


def _open_or_theirs(viewer: Viewer) -> Q:
    return Q(status=ListingStatus.OPEN) | Q(organisation_id__in=viewer.organisation_ids)


def proposable_offers(user: User) -> QuerySet[Offer]:
    """Offers the user may name in a proposal: any open offer (the engine suggests them to
    charities), their own organisations' offers, and every offer of a broker's areas. Any
    other reads as one that does not exist."""
    return _own_or_areas(
        user,
        Offer,
        lambda v: Q(status=ListingStatus.OPEN) | Q(organisation_id__in=v.organisation_ids),
    )


def proposable_needs(user: User) -> QuerySet[Need]:
    """Needs the user may name in a proposal: any open need, their own, and every need of a
    broker's areas."""
    return _own_or_areas(
        user,
        Need,
        lambda v: Q(status=ListingStatus.OPEN) | Q(organisation_id__in=v.organisation_ids),
    )


def visible_matches(user: User) -> QuerySet[Match]:
    """Matches are seen by the two sides and by the brokers of the need's area."""

    def own(viewer: Viewer) -> Q:
        org_ids = viewer.organisation_ids
        return Q(offer__organisation_id__in=org_ids) | Q(need__organisation_id__in=org_ids)

    return _own_or_areas(user, Match, own)


def visible_organisations(user: User) -> QuerySet[Organisation]:
    """Verified organisations are public; members see their own; brokers see every one based
    in their areas (pending and rejected ones included)."""
    verified = Q(verification_status=Organisation.Verification.VERIFIED)
    return _own_or_areas(user, Organisation, lambda v: verified | Q(pk__in=v.organisation_ids))


def _of_their_organisations(viewer: Viewer) -> Q:
    return Q(organisation_id__in=viewer.organisation_ids)


def visible_volunteers(user: User) -> QuerySet[Volunteer]:
    """A business's members see its volunteers; brokers those of their areas' businesses."""
    return _own_or_areas(user, Volunteer, _of_their_organisations)


def visible_assignments(user: User) -> QuerySet[Assignment]:
    """Bookings are seen by both sides of their match (the charity sees who is coming) and by
    the brokers of the match's area."""
    return Assignment.objects.filter(match__in=visible_matches(user))


def visible_time(user: User) -> QuerySet[TimeEntry]:
    """Time entries: both sides of the match and its area's brokers."""
    return TimeEntry.objects.filter(match__in=visible_matches(user))


def visible_contracts(user: User) -> QuerySet[Contract]:
    """A business's contracts: its members and the brokers of its area."""
    return _own_or_areas(user, Contract, _of_their_organisations)


def visible_contributions(user: User) -> QuerySet[Contribution]:
    """Equipment and money a business gave: its members and the brokers of its area."""
    return _own_or_areas(user, Contribution, _of_their_organisations)


def _administered(user: User) -> QuerySet:
    return Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organisation_id"
    )


def visible_interests(user: User) -> QuerySet[Interest]:
    """A volunteer's "I would like to help": the volunteer, their business's admins, and the
    brokers of the need's area."""
    own = Q(volunteer__user_id=user.pk) | Q(volunteer__organisation_id__in=_administered(user))
    return _own_or_areas(user, Interest, lambda v: own)


def visible_invitations(user: User) -> QuerySet[Invitation]:
    """An organisation's invitations: its admins and the brokers of its area."""
    return _own_or_areas(user, Invitation, lambda v: Q(organisation_id__in=_administered(user)))


def visible_allocation_plans(user: User) -> QuerySet[AllocationPlan]:
    """Allocation plans: the brokers of the plan's area (a region-wide plan, the combined
    authority's brokers)."""
    return AllocationPlan.objects.filter(council_id__in=viewer_of(user).broker_areas)


def visible_gap_cases(user: User) -> QuerySet[GapCase]:
    """Unmet-need cases: the brokers of the need's area only."""
    return GapCase.objects.filter(viewer_of(user).sees(GapCase))


def offers_to_help_from(user: User) -> QuerySet[Offer]:
    """The open offers a person may offer help from on a need's page: those of the businesses
    they administer (`access.can_post_for`; its volunteers say they would like to help
    instead), by title."""
    businesses = Membership.objects.filter(
        user=user, role=Membership.Role.ADMIN, organisation__kind=Organisation.Kind.BUSINESS
    ).values("organisation_id")
    return Offer.objects.filter(organisation__in=businesses, status=ListingStatus.OPEN).order_by(
        "title"
    )
