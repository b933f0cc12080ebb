"""Who a person is, where: broker, member, administrator, the volunteer themself.

Every rule takes the place it applies to (an organisation, a listing, a match, a council), and
a broker brokers only their area (`broker_areas`; `brokerage.access.places` says what belongs
to which area). Where a rule is asked without a place, it asks "anywhere".
"""

from django.db.models import Q, QuerySet

from brokerage.access.places import councils_of, with_constituents
from brokerage.models import Membership, Organisation, User, Volunteer

# A membership makes its user a broker when the organisation is (kind, verification status).
BROKER_ORGANISATION = (Organisation.Kind.COUNCIL, Organisation.Verification.VERIFIED)
# The same, as a filter on memberships and as SQL on an organisations row aliased `o`
# (`BROKER_ORGANISATION` are its parameters), for raw reads (`selectors.visibility`, token
# reads): the SQL gives the council brokered, or NULL.
BROKER_MEMBERSHIP = Q(
    organisation__kind=BROKER_ORGANISATION[0],
    organisation__verification_status=BROKER_ORGANISATION[1],
)
BROKER_SQL = "CASE WHEN o.kind = %s AND o.verification_status = %s THEN o.council_id END"


def broker_areas(user: User) -> frozenset[str]:
    """The councils (GSS codes) the user brokers: those of their verified council
    organisations, and a combined authority's constituents; empty for a non-broker."""
    if not user.is_authenticated:
        return frozenset()
    codes = Membership.objects.filter(BROKER_MEMBERSHIP, user=user).values_list(
        "organisation__council_id", flat=True
    )
    return with_constituents(codes)


def broker_home_councils(user: User) -> list[str]:
    """The councils the user brokers *from* (their verified council organisations' own, a
    combined authority not expanded), by code."""
    if not user.is_authenticated:
        return []
    return sorted(
        set(
            Membership.objects.filter(BROKER_MEMBERSHIP, user=user).values_list(
                "organisation__council_id", flat=True
            )
        )
    )


def brokers(where: object = None) -> QuerySet[User]:
    """The people who broker `where` (anywhere, without it): the one query behind every "tell
    the brokers" recipient list. The brokers of a combined authority broker its constituents."""
    memberships = Membership.objects.filter(BROKER_MEMBERSHIP)
    if where is not None:
        areas = councils_of(where)
        memberships = memberships.filter(
            Q(organisation__council_id__in=areas)
            | Q(organisation__council__constituents__gss_code__in=areas)
        )
    return User.objects.filter(pk__in=memberships.values("user_id"))


def is_broker(user: User, where: object = None) -> bool:
    """Brokers are members of a verified council organisation; with `where`, of one whose
    area `where` is in (`brokerage.access.places.councils_of`)."""
    areas = broker_areas(user)
    if where is None or not areas:
        return bool(areas)
    return not areas.isdisjoint(councils_of(where))


def is_member(user: User, organisation: Organisation) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation=organisation).exists()
    )


def is_admin_of(user: User, organisation: Organisation) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.ADMIN
        ).exists()
    )


def can_act_for(user: User, organisation: Organisation) -> bool:
    """A member of the organisation, or a broker: may post, change and close its needs, see its
    private details, reports, credits and leave policy."""
    return is_member(user, organisation) or is_broker(user, organisation)


def can_administer(user: User, organisation: Organisation) -> bool:
    """An admin of the organisation, or a broker: may edit it, invite people, set its leave
    policy, post its offers and book its volunteers."""
    return is_admin_of(user, organisation) or is_broker(user, organisation)


def can_act_for_volunteer(user: User, volunteer: Volunteer) -> bool:
    """The volunteer themself, or whoever administers their business: may log their time and
    see their leave."""
    return user == volunteer.user or can_administer(user, volunteer.organisation)


def can_post_for(user: User, organisation: Organisation) -> bool:
    """Who posts an organisation's listings: a charity's members (or a broker) its needs; a
    business's administrators (or a broker) its offers, because an offer commits the staff's
    time — its volunteers say they would like to help instead."""
    if organisation.kind == Organisation.Kind.BUSINESS:
        return can_administer(user, organisation)
    return can_act_for(user, organisation)


def can_check_registration(user: User, organisation: Organisation) -> bool:
    """A broker checks a pending registration on its page, to verify or reject it (the
    services also let a broker verify a rejected organisation after all, through the API)."""
    return organisation.is_pending and is_broker(user, organisation)


def can_book(user: User, volunteer: Volunteer, *, volunteers_sign_up: bool) -> bool:
    """Who books a volunteer onto a match: whoever administers their business, or the volunteer
    themself where the business's leave policy lets volunteers sign up."""
    if can_administer(user, volunteer.organisation):
        return True
    return user == volunteer.user and volunteers_sign_up
