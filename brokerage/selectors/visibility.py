"""Who sees what: the `Viewer` (whether someone brokers and their organisations, in one query)
and the listings, matches, organisations, volunteers, bookings and time each person may see or
name in a proposal. Who may *act* is `brokerage.access`."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from brokerage import access
from brokerage.models import (
    Assignment,
    Contract,
    Contribution,
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
    """What decides which listings a user may see, read in one query: whether they broker,
    and the organisations they belong to."""

    is_broker: bool
    organisation_ids: tuple[int, ...]

    @classmethod
    def of_memberships(cls, rows: Iterable[tuple[int | None, bool | None]]) -> "Viewer":
        """From (organisation id, whether it is a verified council) pairs, one per membership
        (a LEFT JOIN's empty row, (None, None), stands for none)."""
        rows = [(org_id, brokers) for org_id, brokers in rows if org_id is not None]
        return cls(
            is_broker=any(brokers for _, brokers in rows),
            organisation_ids=tuple(sorted(org_id for org_id, _ in rows)),
        )

    @property
    def scope(self) -> str:
        """A name for the set of listings this viewer sees: two viewers with the same scope see
        exactly the same (a signed-out reader and a member of no organisation share "public")."""
        if self.is_broker:
            return "broker"
        if not self.organisation_ids:
            return "public"
        return "orgs:" + ".".join(map(str, self.organisation_ids))


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
        return Viewer(is_broker=False, organisation_ids=())
    with connection.cursor() as cursor:
        cursor.execute(_VIEWER_SQL, [*access.BROKER_ORGANISATION, user.pk])
        return Viewer.of_memberships(cursor.fetchall())


def visible_needs(user: User, viewer: Viewer | None = None) -> QuerySet[Need]:
    """Open needs are public; an organisation's members see all its needs, and a business
    sees a need once a match links it to one of its offers (also once it is fully matched or
    done); brokers see all. `viewer` saves the query when the caller has read it already."""
    viewer = viewer or viewer_of(user)
    if viewer.is_broker:
        return Need.objects.all()
    if not viewer.organisation_ids:
        return Need.objects.filter(status=ListingStatus.OPEN)
    org_ids = viewer.organisation_ids
    matched = Match.objects.filter(offer__organisation_id__in=org_ids).values("need_id")
    return Need.objects.filter(
        Q(status=ListingStatus.OPEN) | Q(organisation_id__in=org_ids) | Q(pk__in=matched)
    )


def visible_offers(user: User, viewer: Viewer | None = None) -> QuerySet[Offer]:
    """A business's members see its offers; a VCS organisation sees an offer only once a match
    links it to one of its needs (otherwise through suggestions); brokers see all."""
    viewer = viewer or viewer_of(user)
    if viewer.is_broker:
        return Offer.objects.all()
    if not viewer.organisation_ids:
        return Offer.objects.none()
    org_ids = viewer.organisation_ids
    matched = Match.objects.filter(need__organisation_id__in=org_ids).values("offer_id")
    return Offer.objects.filter(Q(organisation_id__in=org_ids) | Q(pk__in=matched))


def proposable_offers(user: User) -> QuerySet[Offer]:
    """Offers the user may name in a proposal: any open offer (the engine suggests them to
    charities), their own organisations' offers, and every offer for a broker. Any other
    reads as one that does not exist."""
    if access.is_broker(user):
        return Offer.objects.all()
    own = Q(organisation_id__in=organisation_ids_of(user))
    return Offer.objects.filter(Q(status=ListingStatus.OPEN) | own)


def proposable_needs(user: User) -> QuerySet[Need]:
    """Needs the user may name in a proposal: any open need, their own, all for a broker."""
    if access.is_broker(user):
        return Need.objects.all()
    own = Q(organisation_id__in=organisation_ids_of(user))
    return Need.objects.filter(Q(status=ListingStatus.OPEN) | own)


def visible_matches(user: User) -> QuerySet[Match]:
    """Matches are seen by the two sides and by brokers."""
    if access.is_broker(user):
        return Match.objects.all()
    org_ids = organisation_ids_of(user)
    return Match.objects.filter(
        Q(offer__organisation_id__in=org_ids) | Q(need__organisation_id__in=org_ids)
    )


def visible_organisations(user: User) -> QuerySet[Organisation]:
    """Verified organisations are public; members see their own; brokers see every one."""
    if access.is_broker(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(verification_status=Organisation.Verification.VERIFIED)
        | Q(pk__in=organisation_ids_of(user))
    )


def visible_volunteers(user: User) -> QuerySet[Volunteer]:
    """A business's members see its volunteers; brokers see all."""
    if access.is_broker(user):
        return Volunteer.objects.all()
    return Volunteer.objects.filter(organisation_id__in=organisation_ids_of(user))


def visible_assignments(user: User) -> QuerySet[Assignment]:
    """Bookings are seen by both sides of their match (the charity sees who is coming) and by
    brokers."""
    if access.is_broker(user):
        return Assignment.objects.all()
    return Assignment.objects.filter(match__in=visible_matches(user))


def visible_time(user: User) -> QuerySet[TimeEntry]:
    """Time entries: both sides of the match and brokers."""
    if access.is_broker(user):
        return TimeEntry.objects.all()
    return TimeEntry.objects.filter(match__in=visible_matches(user))


def visible_contracts(user: User) -> QuerySet[Contract]:
    """A business's contracts: its members and brokers."""
    if access.is_broker(user):
        return Contract.objects.all()
    return Contract.objects.filter(organisation_id__in=organisation_ids_of(user))


def visible_contributions(user: User) -> QuerySet[Contribution]:
    """Equipment and money a business gave: its members and brokers."""
    if access.is_broker(user):
        return Contribution.objects.all()
    return Contribution.objects.filter(organisation_id__in=organisation_ids_of(user))


def _administered(user: User) -> QuerySet:
    return Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organisation_id"
    )


def visible_interests(user: User) -> QuerySet[Interest]:
    """A volunteer's "I would like to help": the volunteer, their business's admins, brokers."""
    if access.is_broker(user):
        return Interest.objects.all()
    return Interest.objects.filter(
        Q(volunteer__user_id=user.pk) | Q(volunteer__organisation_id__in=_administered(user))
    )


def visible_invitations(user: User) -> QuerySet[Invitation]:
    """An organisation's invitations: its admins and brokers."""
    if access.is_broker(user):
        return Invitation.objects.all()
    return Invitation.objects.filter(organisation_id__in=_administered(user))


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
