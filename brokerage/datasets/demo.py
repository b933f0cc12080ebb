"""Demo data for the embedded mode: organisations, people, offers, needs and matches.

Everything goes through the services, so the demo obeys the same rules as real use. The
content lives in data/demo.json; day numbers there are offsets from the seeding day, so the
demo is always live and always the same.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from brokerage.datasets.reference_data import DATA_DIR
from brokerage.errors import DomainError
from brokerage.infra import market_log
from brokerage.models import (
    Match,
    Membership,
    Need,
    Offer,
    Organisation,
    Skill,
    Theme,
    User,
    Ward,
)
from brokerage.selectors import current_wards
from brokerage.services import gap_cases
from brokerage.services.assignments import book
from brokerage.services.conversations import post_message
from brokerage.services.hours import confirm_time, log_time
from brokerage.services.leave import set_leave_policy
from brokerage.services.listings import publish_listing
from brokerage.services.matches import accept_match, decline_match, propose_match
from brokerage.services.needs import create_need
from brokerage.services.offers import create_offer
from brokerage.services.organisations import register_organisation, verify_organisation
from brokerage.services.safeguarding import record_check
from brokerage.services.social_value import (
    create_contract,
    record_contribution,
    set_commitment,
)
from brokerage.services.volunteers import add_volunteer

DEMO_JSON = DATA_DIR / "demo.json"
COUNCIL_SLUG = "coventry-city-council"


class DemoRefused(DomainError):
    code = "demo_refused"


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    users: int
    offers: int
    needs: int
    matches: int


def _user(data: dict, password_hash: str) -> User:
    user = User(
        username=data["username"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=f"{data['username']}@demo.coventry.example",
    )
    user.password = password_hash
    user.save()
    return user


@transaction.atomic
def seed_demo(*, password: str, today: dt.date | None = None) -> DemoSummary | None:
    """Create the demo market; returns None (and changes nothing) if it is already there.

    Refused outside the embedded mode (DEBUG off means production).
    """
    if not settings.DEBUG:
        raise DemoRefused("Demo data is only for the embedded mode (DEBUG on), never production.")
    if not Ward.objects.exists() or not Skill.objects.exists():
        raise DemoRefused("Load the reference data first: manage.py load_reference_data")
    if Organisation.objects.filter(slug=COUNCIL_SLUG).exists():
        return None
    today = today or timezone.localdate()
    data = json.loads(DEMO_JSON.read_text(encoding="utf-8"))
    wards = {ward.name: ward for ward in current_wards()}
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    # Hashing is slow on purpose; one hash serves every demo login.
    password_hash = make_password(password)
    day = lambda offset: today + dt.timedelta(days=offset)  # noqa: E731

    users: dict[str, User] = {}
    organisations: dict[str, Organisation] = {}
    admins: dict[str, User] = {}
    teams = [org for org in data["organisations"] if org["kind"] == Organisation.Kind.COUNCIL]
    others = [org for org in data["organisations"] if org["kind"] != Organisation.Kind.COUNCIL]
    # Each council's broker team, by the council it brokers (the first is Coventry's).
    brokers_of: dict[str, User] = {}
    for team in teams:
        home = wards.get(team.get("home_ward"))
        council = Organisation.objects.create(
            kind=Organisation.Kind.COUNCIL,
            slug=COUNCIL_SLUG if team["key"] == COUNCIL_SLUG else team["key"],
            name=team["name"],
            contact_email=team["contact_email"],
            home_ward=home,
            council_id=team.get("council") or home.council_id,
            description=team["description"],
            verification_status=Organisation.Verification.VERIFIED,
            verified_at=timezone.now(),
        )
        person = _user(team["users"][0], password_hash)
        Membership.objects.create(user=person, organisation=council, role=Membership.Role.ADMIN)
        users[person.username] = person
        brokers_of[council.council_id] = person
    broker = users["broker"]
    broker.is_staff = broker.is_superuser = True  # the demo broker also runs the admin
    broker.save()

    for org in others:
        people = [_user(person, password_hash) for person in org["users"]]
        users.update((person.username, person) for person in people)
        organisation = register_organisation(
            by=people[0],
            kind=org["kind"],
            name=org["name"],
            contact_email=org["contact_email"],
            company_number=org.get("company_number", ""),
            charity_number=org.get("charity_number", ""),
            home_ward=wards[org["home_ward"]],
            website=org.get("website", ""),
            description=org["description"],
        )
        for person, person_data in zip(people[1:], org["users"][1:], strict=True):
            Membership.objects.create(
                user=person, organisation=organisation, role=person_data["role"]
            )
        if not org.get("pending"):  # by a broker of where it is based
            verify_organisation(organisation=organisation, by=brokers_of[organisation.council_id])
        organisations[org["key"]] = organisation
        admins[org["key"]] = people[0]

    offers = {}
    for item in data["offers"]:
        by = admins[item["organisation"]]
        offer = create_offer(
            organisation=organisations[item["organisation"]],
            by=by,
            title=item["title"],
            description=item["description"],
            skills={skills[slug]: level for slug, level in item["skills"].items()},
            volunteers=item["volunteers"],
            days_offered=item["days_offered"],
            leave_type=item["leave_type"],
            available_from=day(item["available_from"]),
            available_until=day(item["available_until"]),
            wards=[wards[name] for name in item["wards"]],
            remote_ok=item["remote_ok"],
        )
        offers[item["key"]] = offer if item.get("draft") else publish_listing(listing=offer, by=by)

    needs = {}
    for item in data["needs"]:
        by = admins[item["organisation"]]
        need = create_need(
            organisation=organisations[item["organisation"]],
            by=by,
            title=item["title"],
            description=item["description"],
            ward=wards[item["ward"]],
            skills={skills[slug]: must for slug, must in item["skills"].items()},
            days_needed=item["days_needed"],
            needed_by=day(item["needed_by"]),
            themes=[themes[slug] for slug in item["themes"]],
            remote_ok=item["remote_ok"],
            dbs_required=item.get("dbs_required", ""),
            dbs_barred_lists=item.get("dbs_barred_lists", False),
        )
        needs[item["key"]] = need if item.get("draft") else publish_listing(listing=need, by=by)

    # A market with a history: listings published over the last three weeks, a few today, so
    # the broker's "waiting longest" and "new today" say something (demo data only).
    for index, listing in enumerate([*offers.values(), *needs.values()]):
        if listing.published_at is not None:
            days_ago = (index * 5) % 19
            type(listing).objects.filter(pk=listing.pk).update(
                published_at=listing.published_at - dt.timedelta(days=days_ago, hours=index % 7)
            )
    market_log.everything_changed()  # the dates moved past the signals

    for item in data["matches"]:
        match = propose_match(
            offer=offers[item["offer"]],
            need=needs[item["need"]],
            days=item["days"],
            by=users[item["proposed_by"]],
            score=item.get("score"),
            note=item.get("note", ""),
        )
        for message in item.get("messages", []):
            post_message(match=match, by=users[message["by"]], text=message["text"])
        if "accepted_by" in item:
            accept_match(match=match, by=users[item["accepted_by"]])
        if "declined_by" in item:
            decline_match(
                match=match,
                by=users[item["declined_by"]],
                note=item["decline_note"],
                reason=item.get("decline_reason", ""),
            )

    # Agreed a week before "today", so the demo's bookings and time fall inside the matches'
    # lives whatever day the demo is seeded for.
    agreed = timezone.make_aware(dt.datetime.combine(day(-7), dt.time(10)))
    Match.objects.filter(accepted_at__isnull=False).update(accepted_at=agreed)
    # A match is agreed after both listings were published (a proposal needs them open): the
    # history above must not put a publication after the agreement (reports measure the
    # days from one to the other).
    for model in (Need, Offer):
        model.objects.filter(matches__accepted_at__isnull=False, published_at__gt=agreed).update(
            published_at=agreed - dt.timedelta(days=2)
        )
    market_log.everything_changed()
    _seed_delivery(data["delivery"], organisations, offers, needs, users, broker, day)
    gap_cases.sweep()  # the needs nothing fits become the brokers' cases

    return DemoSummary(
        organisations=len(organisations) + 1,
        users=len(users),
        offers=len(offers),
        needs=len(needs),
        matches=len(data["matches"]),
    )


def _seed_delivery(data, organisations, offers, needs, users, broker, day) -> None:
    """Volunteers, a leave policy, a contract, a booking and time (one entry confirmed, one
    waiting for the charity), all through the services."""
    by_username = {}
    for item in data["volunteers"]:
        organisation = organisations[item["organisation"]]
        admin = organisation.memberships.get(role=Membership.Role.ADMIN).user
        by_username[item["username"]] = add_volunteer(
            organisation=organisation,
            user=users[item["username"]],
            skills=list(Skill.objects.filter(slug__in=item["skills"])),
            by=admin,
        )
        if "dbs" in item:
            check = item["dbs"]
            record_check(
                volunteer=by_username[item["username"]],
                by=admin,
                level=check["level"],
                barred_lists=check["barred_lists"],
                issued_on=day(check["issued_on"]),
                update_service=check["update_service"],
            )
    for item in data["leave_policies"]:
        organisation = organisations[item["organisation"]]
        set_leave_policy(
            organisation=organisation,
            by=broker,
            paid_days=Decimal(item["paid_days"]),
            unpaid_days=Decimal(item["unpaid_days"]),
            volunteers_sign_up=item["volunteers_sign_up"],
        )
    for item in data["contracts"]:
        contract = create_contract(
            organisation=organisations[item["organisation"]],
            by=broker,
            title=item["title"],
            reference=item["reference"],
            starts_on=day(item["starts_on"]),
            ends_on=day(item["ends_on"]),
            committed_hours=Decimal(item["committed_hours"]),
        )
        for kind, quantity in item["commitments"].items():
            set_commitment(contract=contract, kind=kind, quantity=Decimal(quantity), by=broker)
    for item in data["contributions"]:
        record_contribution(
            organisation=organisations[item["organisation"]],
            kind=item["kind"],
            amount=Decimal(item["amount"]),
            date=day(item["date"]),
            description=item["description"],
            by=broker,
        )

    def match_of(item):
        return Match.objects.get(offer=offers[item["offer"]], need=needs[item["need"]])

    for item in data["bookings"]:
        volunteer = by_username[item["username"]]
        book(
            match=match_of(item),
            volunteer=volunteer,
            first_day=day(item["first_day"]),
            last_day=day(item["last_day"]),
            days=Decimal(item["days"]),
            leave_type=item["leave_type"],
            by=volunteer.organisation.memberships.get(role=Membership.Role.ADMIN).user,
        )
    for item in data["time"]:
        volunteer = by_username[item["username"]]
        entry = log_time(
            match=match_of(item),
            volunteer=volunteer,
            date=day(0),
            hours=Decimal(item["hours"]),
            leave_type=item["leave_type"],
            description=item["description"],
            by=volunteer.user,
        )
        if "confirmed_by" in item:
            confirm_time(entry=entry, by=users[item["confirmed_by"]])
