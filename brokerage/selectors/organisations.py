"""About organisations: whom the other side of a match talks to, what a pending organisation
is told, and the audit log of administrative acts."""

from collections.abc import Collection

from django.db.models import Q, QuerySet

from brokerage import access
from brokerage.models import (
    AuditEntry,
    Membership,
    Organisation,
)


def contact_for(organisation: Organisation) -> dict:
    """Whom the other side of a match talks to: the organisation's contact address and its
    first administrator (name and e-mail)."""
    admin = (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("created_at", "id")
        .first()
    )
    person = admin.user if admin else None
    return {
        "organisation": organisation,
        "email": organisation.contact_email,
        "person": (person.get_full_name() or person.username) if person else "",
        "person_email": person.email if person else "",
    }


# How long a broker usually takes to check a new organisation (said to the organisation).

VERIFICATION_USUALLY_TAKES = "two working days"


def verification_help(organisation: Organisation | None = None) -> dict:
    """What a pending organisation is told: who checks it, how long it usually takes and
    whom to ask (the contact address of the council where `organisation` is based)."""
    kind, status = access.BROKER_ORGANISATION
    teams = Organisation.objects.filter(kind=kind, verification_status=status).order_by("id")
    council = (
        organisation and teams.filter(council_id=organisation.council_id).first()
    ) or teams.first()
    return {
        "council": council.name if council else "The council",
        "takes": VERIFICATION_USUALLY_TAKES,
        "contact": council.contact_email if council else "",
    }


def audit_log(areas: Collection[str]) -> QuerySet[AuditEntry]:
    """The administrative acts of `areas` (a broker's), newest first, with who did it and to
    which organisation: acts on the areas' organisations, and acts on none (exports, closed
    accounts) by the areas' brokers. `brokerage.filters.AuditFilter` narrows it."""
    areas = list(areas)
    their_brokers = Membership.objects.filter(
        access.BROKER_MEMBERSHIP, organisation__council_id__in=areas
    ).values("user_id")
    return (
        AuditEntry.objects.filter(
            access.in_areas(AuditEntry, areas)
            | Q(organisation__isnull=True, actor_id__in=their_brokers)
        )
        .select_related("actor", "organisation")
        .order_by("-at", "-id")
    )
