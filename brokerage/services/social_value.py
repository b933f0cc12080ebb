"""Valuing confirmed time: the measure it counts under, its £ social value, the contract it
counts towards (at most one) and the Social Value Credits it earns the business.

Time is valued when the VCS organisation confirms it, at the rate valid on the day it was
given, and the result is kept on the entry: a later rate change does not rewrite history.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from brokerage import access, selectors
from brokerage.errors import InvalidInput
from brokerage.models import (
    AuditEntry,
    Commitment,
    Contract,
    Contribution,
    Council,
    CreditEntry,
    Match,
    MeasureKind,
    Organisation,
    SocialValueMeasure,
    TimeEntry,
    User,
    Ward,
)
from brokerage.models.social_value import HOUR_KINDS, MONEY_KINDS
from brokerage.services import audit
from brokerage.services._common import require_broker, validate
from brokerage.wording import quantity

PENNY = Decimal("0.01")


def measure_kind(match: Match) -> str:
    """A broker's override, else expert advice when the need asks for professional skills."""
    if match.measure_kind:
        return match.measure_kind
    expert = match.need.skills.filter(is_expert_advice=True).exists()
    return MeasureKind.EXPERT if expert else MeasureKind.VOLUNTEERING


def measure_on(kind: str, day: dt.date, council: str | None = None) -> SocialValueMeasure | None:
    """The measure of `kind` whose rate applied on `day` (the latest starting on or before):
    the council's own rate when it has one for that day, else the national rate."""
    rates = SocialValueMeasure.objects.filter(kind=kind, valid_from__lte=day)
    if council:
        own = rates.filter(council_id=council).order_by("-valid_from", "code").first()
        if own is not None:
            return own
    return rates.filter(council__isnull=True).order_by("-valid_from", "code").first()


def council_counting(contract: Contract | None, match: Match | None = None) -> str | None:
    """The council a gift of time or goods counts for, so whose rates value it: the council
    that let the contract it counts towards; without one, where the help landed (the need's
    ward's council)."""
    if contract is not None:
        return contract.council_id
    return match.need.ward.council_id if match is not None else None


def deprivation_share(ward: Ward) -> Decimal:
    """The share of the ward's neighbourhoods (LSOAs) in England's most deprived tenth."""
    if not ward.imd_lsoa_count or ward.imd_lsoas_in_decile_1 is None:
        return Decimal(0)
    return Decimal(ward.imd_lsoas_in_decile_1) / Decimal(ward.imd_lsoa_count)


def contract_for(match: Match, day: dt.date) -> Contract | None:
    """The match's chosen contract if it runs on `day`; else the business's only contract
    running that day; else none (time is never split between contracts)."""
    running = Contract.objects.filter(
        organisation_id=match.offer.organisation_id, starts_on__lte=day, ends_on__gte=day
    )
    if match.contract_id:
        return running.filter(pk=match.contract_id).first()
    candidates = list(running[:2])
    return candidates[0] if len(candidates) == 1 else None


def value_entry(entry: TimeEntry) -> None:
    """Set the measure, £ value and contract of a confirmed entry (caller saves)."""
    match = entry.match
    entry.contract = contract_for(match, entry.date)
    council = council_counting(entry.contract, match)
    rules = selectors.social_value_policy(council)
    entry.measure = measure_on(measure_kind(match), entry.date, council)
    multiplier = Decimal(1)
    if rules.deprivation_multiplier_on:
        multiplier += rules.deprivation_weight * deprivation_share(match.need.ward)
    entry.value = (
        (entry.hours * entry.measure.rate * multiplier).quantize(PENNY, ROUND_HALF_UP)
        if entry.measure
        else None
    )


def credits_for(entry: TimeEntry) -> Decimal:
    """Social Value Credits for confirmed time, one formula:

        hours × credits_per_hour × (1 + priority_theme_weight [if the need serves a council
        priority] + deprivation_weight × share of the ward's neighbourhoods in England's most
        deprived tenth)

    The weights add (they are bonuses on one base), rounded to the penny at the end; the
    deprivation term applies whether or not the £ multiplier is switched on. The policy is
    that of the council the time counts for (its contract's, else the need's ward's)."""
    rules = selectors.social_value_policy(council_counting(entry.contract, entry.match))
    weight = Decimal(1) + rules.deprivation_weight * deprivation_share(entry.match.need.ward)
    if entry.match.need.themes.exists():
        weight += rules.priority_theme_weight
    return (entry.hours * rules.credits_per_hour * weight).quantize(PENNY, ROUND_HALF_UP)


def on_confirmed(entry: TimeEntry, *, by: User) -> None:
    """Value a just-confirmed (locked) entry and credit the business."""
    value_entry(entry)
    entry.save(update_fields=["measure", "value", "contract"])
    CreditEntry.objects.create(
        organisation_id=entry.match.offer.organisation_id,
        time_entry=entry,
        credits=credits_for(entry),
        reason=f"{quantity(entry.hours, 'hour')} confirmed on '{entry.match.need}'",
        by=by,
    )


@transaction.atomic
def set_match_valuation(
    *, match: Match, by: User, measure_kind: str | None = None, contract: Contract | None = None
) -> Match:
    """A broker overrides which measure a match counts under, or names the contract its time
    counts towards; time already confirmed is valued again (credits are unchanged)."""
    require_broker(by, "change how a match is valued", match)
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("offer", "need__ward")
        .get(pk=match.pk)
    )
    before = {"measure_kind": match.measure_kind, "contract": match.contract_id}
    if measure_kind is not None:
        if measure_kind not in ("", *HOUR_KINDS):
            raise InvalidInput(
                "Time counts under an hours measure.",
                fields={"measure_kind": [f"Choose from {', '.join(HOUR_KINDS)}."]},
            )
        match.measure_kind = measure_kind
    if contract is not None:
        if contract.organisation_id != match.offer.organisation_id:
            raise InvalidInput(
                "The contract is another business's.",
                fields={"contract": [f"Not a contract of {match.offer.organisation}."]},
            )
        match.contract = contract
    match.save(update_fields=["measure_kind", "contract", "updated_at"])
    changed = audit.changes_between(
        before, {"measure_kind": match.measure_kind, "contract": match.contract_id}
    )
    if changed:
        audit.record(
            actor=by,
            action=AuditEntry.Action.MATCH_VALUED,
            subject=match,
            organisation=match.offer.organisation,
            changes=changed,
        )
    for entry in match.time.select_for_update().filter(status=TimeEntry.Status.CONFIRMED):
        entry.match = match
        value_entry(entry)
        entry.save(update_fields=["measure", "value", "contract"])
    return match


def _home_council(by: User) -> Council | None:
    """The council a broker brokers from, when there is exactly one (else they must say)."""
    own = access.broker_home_councils(by)
    if len(own) > 1:
        message = "Say which council let the contract."
        raise InvalidInput(message, fields={"council": [message]})
    return Council.objects.filter(pk=own[0]).first() if own else None


@transaction.atomic
def create_contract(
    *, organisation: Organisation, by: User, council: Council | None = None, **fields
) -> Contract:
    """Record a business's contract with a council and its yearly commitment: a broker of the
    council that let it (by default the council they broker from). The business may be based
    anywhere."""
    council = council or _home_council(by)
    require_broker(by, "record contracts", council)
    if organisation.kind != Organisation.Kind.BUSINESS:
        raise InvalidInput("Contracts are with businesses.")
    contract = Contract(organisation=organisation, council=council, **fields)
    validate(contract)  # the model's constraints say what is wrong
    contract.save()
    return contract


@transaction.atomic
def record_contribution(
    *,
    organisation: Organisation,
    kind: str,
    amount: Decimal,
    date: dt.date,
    description: str,
    by: User,
    contract: Contract | None = None,
) -> Contribution:
    """A broker records equipment or money a business gave (NT16, NT28), valued at the
    measure's rate on its day, counting towards the named contract or the business's only
    one running that day."""
    require_broker(by, "record contributions", organisation)
    if organisation.kind != Organisation.Kind.BUSINESS:
        raise InvalidInput("Contributions are from businesses.")
    if kind not in MONEY_KINDS:
        raise InvalidInput(
            "Contributions are equipment or donations; time is logged on a match.",
            fields={"kind": [f"Choose from {', '.join(MONEY_KINDS)}."]},
        )
    running = Contract.objects.filter(
        organisation=organisation, starts_on__lte=date, ends_on__gte=date
    )
    if contract is not None and not running.filter(pk=contract.pk).exists():
        raise InvalidInput(
            "That contract is another business's or not running on that day.",
            fields={"contract": [f"A contract of {organisation} running on {date}."]},
        )
    if contract is None:
        candidates = list(running[:2])
        contract = candidates[0] if len(candidates) == 1 else None
    measure = measure_on(kind, date, contract.council_id if contract else organisation.council_id)
    if measure is None:
        raise InvalidInput(
            "No rate applies on that day.", fields={"date": ["Before the measure's first rate."]}
        )
    amount = Decimal(str(amount))
    if amount <= 0:
        raise InvalidInput("Say what it is worth.", fields={"amount": ["More than £0."]})
    contribution = Contribution(
        organisation=organisation,
        measure=measure,
        amount=amount,
        value=(amount * measure.rate).quantize(PENNY, ROUND_HALF_UP),
        date=date,
        description=description.strip(),
        contract=contract,
        recorded_by=by,
    )
    validate(contribution)
    contribution.save()
    return contribution


@transaction.atomic
def set_commitment(*, contract: Contract, kind: str, quantity: Decimal, by: User) -> Commitment:
    """A broker sets what a contract commits to a year under one measure (0 keeps the
    measure on the statement with nothing committed)."""
    require_broker(by, "set commitments", contract)
    if kind not in MeasureKind.values:
        raise InvalidInput("Unknown measure.", fields={"kind": ["Choose a measure."]})
    commitment = Commitment.objects.filter(contract=contract, kind=kind).first() or Commitment(
        contract=contract, kind=kind
    )
    commitment.quantity = Decimal(str(quantity))
    validate(commitment, exclude=["contract"])
    commitment.save()
    return commitment
