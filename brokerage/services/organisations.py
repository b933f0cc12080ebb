from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.messaging import outbox
from brokerage.models import (
    AuditEntry,
    Council,
    Membership,
    Notification,
    Organisation,
    User,
    Ward,
)
from brokerage.services import audit
from brokerage.services._common import require_broker, require_can_administer, validate
from brokerage.services.accounts import sign_up

Verification = Organisation.Verification


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, suffix = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def based_in(home_ward: Ward | None, council: Council | None = None) -> Council:
    """Where an organisation is based, so whose brokers verify it: its home ward's council;
    else the council it names (one this service brokers); else the service's first council
    (`settings.COUNCILS[0]`)."""
    if home_ward is not None:
        if council is not None and council.gss_code != home_ward.council_id:
            message = f"{home_ward} is in {home_ward.council}, not {council}."
            raise InvalidInput(message, fields={"council": [message]})
        return home_ward.council
    if council is not None:
        if council.gss_code not in settings.COUNCILS:
            message = f"{council} is not a council this service brokers."
            raise InvalidInput(message, fields={"council": [message]})
        return council
    first = Council.objects.filter(gss_code=settings.COUNCILS[0]).first()
    if first is None:
        raise InvalidInput(
            f"Council {settings.COUNCILS[0]} is not loaded: run manage.py load_reference_data."
        )
    return first


def working_in(based: Council, councils: Iterable[Council]) -> list[Council]:
    """The councils an organisation works in: those it names, each one this service brokers
    (a local council, not a combined authority), and always the one it is based in."""
    chosen = {council.gss_code: council for council in councils}
    refused = [c for c in chosen.values() if c.is_combined or c.gss_code not in settings.COUNCILS]
    if refused:
        names = ", ".join(str(c) for c in refused)
        message = f"{names}: not a council this service brokers. Choose from the councils listed."
        raise InvalidInput(message, fields={"works_in": [message]})
    chosen.setdefault(based.gss_code, based)
    return sorted(chosen.values(), key=lambda council: council.name)


@transaction.atomic
def register_organisation(
    *,
    by: User,
    kind: str,
    name: str,
    contact_email: str,
    company_number: str = "",
    charity_number: str = "",
    home_ward: Ward | None = None,
    council: Council | None = None,
    wards_served: Iterable[Ward] = (),
    works_in: Iterable[Council] = (),
    website: str = "",
    description: str = "",
) -> Organisation:
    """Register a business or VCS organisation, awaiting a broker's verification.

    The user who registers it becomes its first admin. Councils are not registered this way:
    an administrator sets them up, because their members are brokers.
    """
    if not by.is_authenticated:
        raise NotAllowed("Sign in to register an organisation.")
    if kind not in (Organisation.Kind.BUSINESS, Organisation.Kind.VCS):
        raise InvalidInput(
            "An organisation registers as a business or a VCS organisation.",
            fields={"kind": ["Choose business or vcs."]},
        )
    organisation = Organisation(
        kind=kind,
        name=name.strip(),
        slug=_unique_slug(name),
        contact_email=contact_email,
        company_number=company_number.strip().upper(),
        charity_number=charity_number.strip().upper(),
        home_ward=home_ward,
        council=based_in(home_ward, council),
        website=website,
        description=description,
    )
    validate(organisation)
    areas = working_in(organisation.council, works_in)
    organisation.save()
    organisation.wards_served.set(wards_served)
    organisation.works_in.set(areas)
    Membership.objects.create(user=by, organisation=organisation, role=Membership.Role.ADMIN)
    outbox.notify(
        recipients=outbox.brokers(organisation),
        kind=Notification.Kind.ORGANISATION_PENDING,
        text=f"{organisation} ({organisation.get_kind_display()}) registered and awaits "
        "verification.",
        subject=organisation,
    )
    return organisation


ORGANISATION_EDITABLE = {
    "name",
    "description",
    "website",
    "contact_email",
    "company_number",
    "charity_number",
    "home_ward",
}


@transaction.atomic
def sign_up_and_register(*, account: dict, **organisation) -> Organisation:
    """A newcomer creates an account and registers their organisation in one step."""
    user = sign_up(**account)
    return register_organisation(by=user, **organisation)


@transaction.atomic
def update_organisation(
    *,
    organisation: Organisation,
    by: User,
    wards_served: Iterable[Ward] | None = None,
    works_in: Iterable[Council] | None = None,
    **changes,
) -> Organisation:
    """An organisation's admins (or a broker) edit its details; verification is unchanged.
    `works_in` replaces the councils it works in (where it is based is always one)."""
    require_can_administer(by, organisation, "change it")
    unknown = changes.keys() - ORGANISATION_EDITABLE
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}.")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = audit.snapshot(organisation, list(changes))
    before_council = organisation.council_id
    for name, value in changes.items():
        setattr(organisation, name, value.strip().upper() if name.endswith("_number") else value)
    if changes.get("home_ward") is not None and organisation.kind != Organisation.Kind.COUNCIL:
        organisation.council = based_in(changes["home_ward"])  # a move moves its verifiers
    validate(organisation)
    was_working_in = sorted(organisation.works_in.values_list("gss_code", flat=True))
    moved = organisation.council_id != before_council
    areas = (
        working_in(organisation.council, works_in)
        if works_in is not None
        else working_in(organisation.council, organisation.works_in.all())  # adds a new base
        if moved
        else None
    )
    organisation.save()
    changed = audit.changes_between(before, audit.snapshot(organisation, list(changes)))
    if areas is not None and was_working_in != sorted(council.gss_code for council in areas):
        organisation.works_in.set(areas)
        changed["works_in"] = [was_working_in, sorted(council.gss_code for council in areas)]
    if wards_served is not None:
        was = sorted(organisation.wards_served.values_list("gss_code", flat=True))
        organisation.wards_served.set(wards_served)
        now = sorted(ward.gss_code for ward in wards_served)
        if was != now:
            changed["wards_served"] = [was, now]
    if changed:
        audit.record(
            actor=by,
            action=AuditEntry.Action.ORGANISATION_EDITED,
            subject=organisation,
            organisation=organisation,
            changes=changed,
        )
    return organisation


@transaction.atomic
def verify_organisation(*, organisation: Organisation, by: User) -> Organisation:
    """A broker confirms the organisation is genuine; from then on it can publish."""
    require_broker(by, "verify an organisation", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification_status == Verification.VERIFIED:
        raise InvalidTransition(f"{organisation} is already verified.")
    was = organisation.verification_status
    organisation.verification_status = Verification.VERIFIED
    organisation.verified_by = by
    organisation.verified_at = timezone.now()
    organisation.rejection_reason = ""
    organisation.save()
    audit.record(
        actor=by,
        action=AuditEntry.Action.ORGANISATION_VERIFIED,
        subject=organisation,
        organisation=organisation,
        changes={"verification_status": [was, organisation.verification_status]},
    )
    _tell_members(
        organisation,
        Notification.Kind.ORGANISATION_VERIFIED,
        f"{organisation} is verified: you can now publish offers and requests for help.",
    )
    return organisation


@transaction.atomic
def reject_organisation(*, organisation: Organisation, by: User, reason: str) -> Organisation:
    """A broker turns down a pending registration, saying why (the applicant is told)."""
    require_broker(by, "reject an organisation", organisation)
    if not reason.strip():
        raise InvalidInput(
            "Say why the organisation is rejected.", fields={"reason": ["This field is required."]}
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification_status != Verification.PENDING:
        raise InvalidTransition(
            f"{organisation} is {organisation.get_verification_status_display().lower()}; "
            "only a pending registration can be rejected."
        )
    organisation.verification_status = Verification.REJECTED
    organisation.verified_by = by
    organisation.verified_at = timezone.now()
    organisation.rejection_reason = reason.strip()
    organisation.save()
    audit.record(
        actor=by,
        action=AuditEntry.Action.ORGANISATION_REJECTED,
        subject=organisation,
        organisation=organisation,
        changes={"verification_status": [Verification.PENDING, organisation.verification_status]},
        reason=organisation.rejection_reason,
    )
    _tell_members(
        organisation,
        Notification.Kind.ORGANISATION_REJECTED,
        f"{organisation} was not verified: {organisation.rejection_reason}",
    )
    return organisation


def _tell_members(organisation: Organisation, kind: str, text: str) -> None:
    outbox.notify(
        recipients=outbox.members(organisation),
        kind=kind,
        text=text,
        subject=organisation,
    )
