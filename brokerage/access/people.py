"""Who a person is, where: broker, member, administrator, the volunteer themself.

Every rule takes the place it applies to (an organisation, a volunteer's business), so that when
a council's brokers broker only their council's market, the rule changes here and nowhere else.
Today a broker of any council brokers everywhere: `where` is accepted and not yet narrowed.
"""

from django.db.models import Q, QuerySet

from brokerage.models import Membership, Organisation, User, Volunteer

# A membership makes its user a broker when the organisation is (kind, verification status).
BROKER_ORGANISATION = (Organisation.Kind.COUNCIL, Organisation.Verification.VERIFIED)
# The same, as a filter on memberships and as SQL on an organisations row aliased `o`
# (`BROKER_ORGANISATION` are its parameters), for raw reads (`selectors.visibility`, token reads).
BROKER_MEMBERSHIP = Q(
    organisation__kind=BROKER_ORGANISATION[0],
    organisation__verification_status=BROKER_ORGANISATION[1],
)
BROKER_SQL = "o.kind = %s AND o.verification_status = %s"


def brokers(where: Organisation | None = None) -> QuerySet[User]:
    """The people who broker `where` (today: every council broker): the one query behind every
    "tell the brokers" recipient list."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(BROKER_MEMBERSHIP).values("user_id")
    )


def is_broker(user: User, where: Organisation | None = None) -> bool:
    """Brokers are members of a verified council organisation."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(BROKER_MEMBERSHIP, user=user).exists()


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
