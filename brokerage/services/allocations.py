"""Allocation plans: computed by the engine over one council's area (or a combined
authority's, region-wide), reviewed and applied by that area's brokers."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

import matching
from brokerage import access, matchmaking
from brokerage.errors import DomainError, InvalidInput, InvalidTransition, NotAllowed
from brokerage.models import AllocationLine, AllocationPlan, Council, Match, User, Ward
from brokerage.services._common import require_broker
from brokerage.services.matches import propose_match


def plan_area(by: User, council: Council | None) -> Council:
    """The area a plan covers: the council asked for, else the one the broker brokers from
    (their council, or their combined authority for the whole region)."""
    if council is not None:
        return council
    own = access.broker_home_councils(by)
    if not own:
        raise NotAllowed("Only a broker can run an allocation.")
    if len(own) > 1:
        message = "Say which council's area to allocate."
        raise InvalidInput(message, fields={"council": [message]})
    return Council.objects.get(pk=own[0])


@transaction.atomic
def create_allocation(
    *,
    by: User,
    min_fit: float = 0.3,
    wards: Iterable[int] | None = None,
    themes: Iterable[str] | None = None,
    exclude_needs: Iterable[int] = (),
    max_offers_per_need: int | None = None,
    council: Council | None = None,
) -> AllocationPlan:
    """Compute the optimal plan for the open market of one area (`plan_area`: a council, or
    a combined authority for the whole region) and keep it as a draft."""
    council = plan_area(by, council)
    require_broker(by, "run an allocation", council)
    in_area = set(
        Ward.objects.filter(
            council_id__in=access.places.with_constituents([council.pk])
        ).values_list("pk", flat=True)
    )
    options = matching.AllocationOptions(
        min_fit=min_fit,
        wards=frozenset(in_area & set(wards) if wards is not None else in_area),
        themes=frozenset(themes) if themes is not None else None,
        exclude_needs=frozenset(exclude_needs),
        max_offers_per_need=max_offers_per_need,
        exclude_pairs=matchmaking.excluded_pairs(),  # open matches and held-back pairs
    )
    plan = matching.allocate(matchmaking.current_market(), options)
    wards = Ward.objects.in_bulk(plan.ward_coverage)
    stored = AllocationPlan.objects.create(
        created_by=by,
        council=council,
        options={
            "min_fit": min_fit,
            "wards": sorted(options.wards) if options.wards is not None else None,
            "themes": sorted(options.themes) if options.themes is not None else None,
            "exclude_needs": sorted(options.exclude_needs),
            "max_offers_per_need": max_offers_per_need,
        },
        objective=plan.objective,
        days_placed=plan.days_placed,
        need_days=plan.need_days,
        needs_considered=plan.needs_considered,
        needs_served=plan.needs_served,
        needs_fully_covered=plan.needs_fully_covered,
        ward_coverage={  # by GSS code, the key other systems know a ward by
            wards[ward].gss_code: {"ward": wards[ward].name, **cover}
            for ward, cover in plan.ward_coverage.items()
        },
        seconds=plan.seconds,
    )
    AllocationLine.objects.bulk_create(
        AllocationLine(
            plan=stored,
            offer_id=line.offer_id,
            need_id=line.need_id,
            days=line.days,
            fit=line.fit,
            priority=line.priority,
            value=line.value,
        )
        for line in plan.lines
    )
    return stored


@dataclass(frozen=True)
class Applied:
    plan: AllocationPlan
    matches: list[Match]
    skipped: list[AllocationLine]  # with `outcome` saying why


@transaction.atomic
def apply_allocation(
    *, plan: AllocationPlan, by: User, line_ids: Iterable[int] | None = None
) -> Applied:
    """Turn the chosen lines (all by default) into proposed matches, in one transaction.

    Each line goes through `propose_match`, so every rule holds; a line no longer valid (the
    market moved on) is reported with the reason and skipped, the others still apply.
    """
    plan = AllocationPlan.objects.select_for_update().get(pk=plan.pk)
    require_broker(by, "apply an allocation", plan.council_id)
    if plan.status != AllocationPlan.Status.DRAFT:
        raise InvalidTransition("This plan has already been applied.")
    lines = plan.lines.select_related("offer", "need")
    if line_ids is not None:
        wanted = set(line_ids)
        unknown = wanted - set(lines.values_list("pk", flat=True))
        if unknown:
            raise InvalidInput(
                f"Lines {sorted(unknown)} are not in this plan.", fields={"lines": ["Unknown."]}
            )
        lines = lines.filter(pk__in=wanted)
    matches, skipped = [], []
    for line in lines:
        try:
            with transaction.atomic():
                match = propose_match(
                    offer=line.offer,
                    need=line.need,
                    days=line.days,
                    by=by,
                    note=f"Proposed by the city-wide allocation (plan {plan.pk}).",
                )
        except DomainError as error:
            line.outcome = error.message
            line.save(update_fields=["outcome"])
            skipped.append(line)
            continue
        line.match = match
        line.save(update_fields=["match"])
        matches.append(match)
    plan.status = AllocationPlan.Status.APPLIED
    plan.applied_at = timezone.now()
    plan.save(update_fields=["status", "applied_at"])
    return Applied(plan, matches, skipped)
