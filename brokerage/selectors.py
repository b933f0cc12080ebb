"""Reusable reads: who may act (one named predicate per rule), what is live, ledgers and
statements. Aggregates for reports live in `brokerage.reports`; writes in `brokerage.services`."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from brokerage import access
from brokerage.models import (
    Assignment,
    AuditEntry,
    CreditEntry,
    InboxSequence,
    Interest,
    LeaveBalance,
    LeavePolicy,
    ListingStatus,
    Match,
    Membership,
    Need,
    Notification,
    Offer,
    Organisation,
    Skill,
    SocialValuePolicy,
    TimeEntry,
    User,
    Volunteer,
    Ward,
)
from brokerage.models.volunteering import LEAVE_WITH_ALLOWANCE, day_hours


def current_wards(lad_code: str | None = None, *, on: dt.date | None = None) -> QuerySet[Ward]:
    """Wards of the ward sets in force today (or `on`), for new offers and needs."""
    on = on or timezone.localdate()
    wards = Ward.objects.filter(
        Q(ward_set__valid_until__isnull=True) | Q(ward_set__valid_until__gte=on),
        ward_set__valid_from__lte=on,
    )
    if lad_code:
        wards = wards.filter(lad_code=lad_code)
    return wards


def needs_in_most_deprived_wards(limit: int) -> list[Need]:
    """Open needs in the most deprived wards first (IMD 2019 score, highest first; the longest
    waiting first within a score). Only the needs of the top wards are read, widening until the
    list is full: sorting every open need by its ward's score took 35 ms at 20,000 needs."""
    scores = list(
        Ward.objects.filter(imd_score__isnull=False)
        .order_by("-imd_score")
        .values_list("imd_score", flat=True)
    )
    needs = (
        Need.objects.filter(status=ListingStatus.OPEN, ward__imd_score__isnull=False)
        .select_related("organisation", "ward")
        .order_by("-ward__imd_score", "published_at", "id")
    )
    wards = limit
    while scores:
        # Every ward scoring at least the `wards`-th highest: ties are never split.
        floor = scores[min(wards, len(scores)) - 1]
        found = list(needs.filter(ward__imd_score__gte=floor)[:limit])
        if len(found) == limit or wards >= len(scores):
            return found
        wards *= 4
    return []


def market_figures() -> dict[str, int]:
    """The headline numbers: open needs, volunteer-days offered and matched, organisations."""
    live = Q(status__in=[ListingStatus.OPEN, ListingStatus.FULLY_MATCHED])
    offers = Offer.objects.filter(live).aggregate(offered=Sum("days_offered"))
    matched = Need.objects.aggregate(matched=Sum("days_reserved"))
    return {
        "open_needs": Need.objects.filter(status=ListingStatus.OPEN).count(),
        "days_offered": offers["offered"] or 0,
        "days_matched": matched["matched"] or 0,
        "organisations": Organisation.objects.filter(
            verification_status=Organisation.Verification.VERIFIED
        )
        .exclude(kind=Organisation.Kind.COUNCIL)
        .count(),
    }


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


def last_notification_seq(user: User) -> int:
    """The last place given in the user's inbox (0 before the first notification)."""
    found = InboxSequence.objects.filter(user=user).values_list("last_seq", flat=True)
    return found.first() or 0


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the badge)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def leave_policy(organisation: Organisation) -> LeavePolicy:
    """The business's leave policy: its own once set, else the default (2 paid + 5 unpaid
    days, the year from 1 January), read without being saved."""
    return LeavePolicy.objects.filter(organisation=organisation).first() or LeavePolicy(
        organisation=organisation
    )


def leave_ledger(volunteer: Volunteer, *, on: dt.date | None = None) -> list[dict]:
    """The volunteer's paid and unpaid leave in the leave year of `on` (today by default):
    allowance, booked, used and remaining, in hours and days."""
    return leave_ledgers([volunteer], on=on)[volunteer.pk]


def leave_ledgers(volunteers: list[Volunteer], *, on: dt.date | None = None) -> dict:
    """`leave_ledger` of many volunteers at once, by volunteer id, in two queries whatever
    their number (the policies of their organisations, then their balances)."""
    day = on or timezone.localdate()
    org_ids = {v.organisation_id for v in volunteers}
    saved = {p.organisation_id: p for p in LeavePolicy.objects.filter(organisation_id__in=org_ids)}
    policies = {o: saved.get(o) or LeavePolicy(organisation_id=o) for o in org_ids}
    year_starts = {o: policy.year_start(day) for o, policy in policies.items()}
    found: dict[tuple[int, str], LeaveBalance] = {}
    for balance in LeaveBalance.objects.filter(
        volunteer__in=[v.pk for v in volunteers], year_start__in=set(year_starts.values())
    ).select_related("volunteer"):
        if balance.year_start == year_starts[balance.volunteer.organisation_id]:
            found[balance.volunteer_id, balance.leave_type] = balance
    ledgers = {}
    for volunteer in volunteers:
        policy = policies[volunteer.organisation_id]
        year_start = year_starts[volunteer.organisation_id]
        rows = []
        for leave_type in LEAVE_WITH_ALLOWANCE:
            balance = found.get((volunteer.pk, leave_type))
            allowance = (
                balance.allowance_hours
                if balance
                else policy.allowance_days(leave_type) * day_hours()
            )
            booked = balance.booked_hours if balance else Decimal(0)
            used = balance.used_hours if balance else Decimal(0)
            rows.append(
                {
                    "leave_type": leave_type,
                    "year_start": year_start,
                    "allowance_hours": allowance,
                    "booked_hours": booked,
                    "used_hours": used,
                    "remaining_hours": allowance - booked - used,
                    "remaining_days": ((allowance - booked - used) / day_hours()).quantize(
                        Decimal("0.01")
                    ),
                }
            )
        ledgers[volunteer.pk] = rows
    return ledgers


def credit_statement(organisation: Organisation) -> dict:
    """A business's Social Value Credits ledger with its total."""
    entries = list(
        CreditEntry.objects.filter(organisation=organisation)
        .select_related("time_entry")
        .order_by("at", "id")
    )
    return {"entries": entries, "total": sum((e.credits for e in entries), Decimal(0))}


def social_value_policy() -> SocialValuePolicy:
    """The council's valuation rules: the saved ones, else the defaults (read, not saved)."""
    return SocialValuePolicy.objects.filter(pk=1).first() or SocialValuePolicy(pk=1)


def audit_log() -> QuerySet[AuditEntry]:
    """Every administrative act, newest first, with who did it and to which organisation
    (brokers read it; `brokerage.filters.AuditFilter` narrows it)."""
    return AuditEntry.objects.select_related("actor", "organisation").order_by("-at", "-id")


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


def broker_headlines(*, today: dt.date | None = None) -> dict:
    """The broker's headline panel: open needs, volunteer-days offered, matches agreed this
    month, hours confirmed and £ of social value delivered this (calendar) year."""
    today = today or timezone.localdate()
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    confirmed = TimeEntry.objects.filter(
        status=TimeEntry.Status.CONFIRMED, date__gte=year_start, date__lte=today
    ).aggregate(hours=Sum("hours"), value=Sum("value"))
    figures = market_figures()
    return {
        "open_needs": figures["open_needs"],
        "days_offered": figures["days_offered"],
        "matches_this_month": Match.objects.filter(accepted_at__date__gte=month_start).count(),
        "hours_this_year": confirmed["hours"] or Decimal(0),
        "value_this_year": confirmed["value"] or Decimal(0),
        "year": today.year,
    }


def needs_fitting(volunteer: Volunteer, *, limit: int = 20) -> list[dict]:
    """Open needs that ask for a skill this volunteer has, most shared skills first, with
    the plain reasons (which of their skills it needs; essential or nice to have)."""
    mine = set(volunteer.skills.values_list("pk", flat=True))
    if not mine:
        return []
    # The count and the top `limit` in SQL: the join is filtered to the volunteer's skills, so
    # counting its rows counts the shared ones (a market of 10k needs loaded them all before).
    needs = (
        Need.objects.filter(status=ListingStatus.OPEN, need_skills__skill__in=mine)
        .annotate(shared=Count("need_skills"))
        .select_related("organisation", "ward")
        .prefetch_related("need_skills__skill")
        .order_by("-shared", "needed_by", "id")[:limit]
    )
    found = []
    for need in needs:
        shared = [row for row in need.need_skills.all() if row.skill_id in mine]
        found.append(
            {
                "need": need,
                "shared": need.shared,
                "reasons": [
                    f"needs {row.skill.name}, which you have"
                    + ("" if row.must_have else " (nice to have)")
                    for row in shared
                ],
            }
        )
    return found


def open_interests(organisation: Organisation) -> QuerySet[Interest]:
    """What the business's volunteers would like to help with, newest first (for its admins)."""
    return (
        Interest.objects.filter(
            volunteer__organisation=organisation,
            withdrawn_at__isnull=True,
            need__status=ListingStatus.OPEN,
        )
        .select_related("volunteer__user", "need__organisation")
        .order_by("-created_at")
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
