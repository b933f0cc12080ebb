"""About organisations: whom the other side of a match talks to, what a pending organisation
is told, and the audit log of administrative acts."""

from django.db.models import QuerySet

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


def verification_help() -> dict:
    """What a pending organisation is told: who checks it, how long it usually takes and
    whom to ask (the council's own contact address)."""
    kind, status = access.BROKER_ORGANISATION
    council = (
        Organisation.objects.filter(kind=kind, verification_status=status).order_by("id").first()
    )
    return {
        "council": council.name if council else "The council",
        "takes": VERIFICATION_USUALLY_TAKES,
        "contact": council.contact_email if council else "",
    }


def audit_log() -> QuerySet[AuditEntry]:
    """Every administrative act, newest first, with who did it and to which organisation
    (brokers read it; `brokerage.filters.AuditFilter` narrows it)."""
    return AuditEntry.objects.select_related("actor", "organisation").order_by("-at", "-id")
