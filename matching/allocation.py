"""City-wide allocation: assign offer-days to need-days to maximise

    Σ days × fit × (1 + priority)

under each offer's and each need's remaining days, over pairs that pass the hard filters with
fit ≥ min_fit. Priority (in [0, 1]) raises a pair's value by up to double, so deprived wards,
council themes and long waits win ties without drowning fit.

It is a transportation problem, solved exactly as a min-cost flow (OR-Tools): each offer supplies
its days → need (candidate arcs, cost −value) → sink (the need's days), plus an offer → sink
bypass at zero value so days may stay unplaced when no placement is worth it. Integral
capacities give an integral optimum. The plan is a proposal for a broker, never a commit.
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.market import Market
from matching.scoring import score_pairs, skill_block, skill_credit

VALUE_SCALE = 10_000  # the solver wants integer costs: value to 4 decimal places


@dataclass(frozen=True)
class AllocationOptions:
    min_fit: float = 0.3
    wards: frozenset[int] | None = None  # only needs in these wards (ids)
    themes: frozenset[str] | None = None  # only needs with one of these themes
    exclude_needs: frozenset[int] = frozenset()  # leave these needs out (ids)
    # Pairs (offer id, need id) not to propose again, e.g. those with an open match.
    exclude_pairs: frozenset[tuple[int, int]] = frozenset()
    # At most this many offers per need: only its N best-fitting offers are candidates.
    max_offers_per_need: int | None = None
    # For scale: keep each offer's best N needs as candidates (None: all feasible pairs).
    candidates_per_offer: int | None = None
    block_size: int = 512
    workers: int = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class Line:
    offer_id: int
    need_id: int
    days: int
    fit: float
    priority: float
    value: float


@dataclass
class Plan:
    lines: list[Line]
    objective: float
    days_placed: int
    need_days: int
    needs_considered: int
    needs_served: int
    needs_fully_covered: int
    ward_coverage: dict[int, dict[str, int]] = field(default_factory=dict)
    arcs: int = 0
    seconds: float = 0.0

    @property
    def fill_rate(self) -> float:
        return self.days_placed / self.need_days if self.need_days else 0.0


@dataclass(frozen=True)
class Candidates:
    """Feasible pairs above the minimum fit, as parallel arrays of market indices."""

    offers: np.ndarray
    needs: np.ndarray
    fit: np.ndarray
    value: np.ndarray  # fit × (1 + priority) per day


def _eligible_needs(market: Market, options: AllocationOptions) -> np.ndarray:
    keep = np.array([n.id not in options.exclude_needs for n in market.needs], dtype=bool)
    if options.wards is not None:
        keep &= np.array([n.ward in options.wards for n in market.needs], dtype=bool)
    if options.themes is not None:
        keep &= np.array([bool(options.themes & set(n.themes)) for n in market.needs], dtype=bool)
    keep &= market.need_days > 0
    return np.nonzero(keep)[0]


def _keep_best(group: np.ndarray, fit: np.ndarray, limit: int) -> np.ndarray:
    """Mask keeping, within each group, the `limit` highest fits."""
    order = np.lexsort((-fit, group))
    ranked_group = group[order]
    starts = np.r_[0, np.nonzero(np.diff(ranked_group))[0] + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(order), dtype=bool)
    keep[order[rank < limit]] = True
    return keep


def _best_per_offer(rows, cols, fit, offers: int, needs: int, limit: int) -> tuple:
    """Keep each offer's `limit` best pairs (rows: need positions, cols: offer positions).
    Offers with few pairs keep them all; only the busy ones are partially sorted."""
    counts = np.bincount(cols, minlength=offers)
    busy = np.nonzero(counts > limit)[0]
    if not len(busy):
        return rows, cols, fit
    light = counts[cols] <= limit
    position = np.full(offers, -1)
    position[busy] = np.arange(len(busy))
    dense = np.full((len(busy), needs), -1.0, dtype=np.float32)
    heavy = ~light
    dense[position[cols[heavy]], rows[heavy]] = fit[heavy]
    top = np.argpartition(-dense, limit - 1, axis=1)[:, :limit]
    best = np.take_along_axis(dense, top, axis=1)
    kept = best >= 0
    return (
        np.concatenate([rows[light], top[kept]]),
        np.concatenate([cols[light], busy[np.nonzero(kept)[0]]]),
        np.concatenate([fit[light], best[kept]]),
    )


def candidates(market: Market, options: AllocationOptions) -> Candidates:
    """Score all eligible needs against blocks of offers and keep what may be allocated.

    Per block: skill fit for every pair by sparse products; the full score only for pairs
    that pass the skill filters; with `candidates_per_offer`, each offer's best needs by a
    partial sort down the block's columns (no global sort)."""
    needs = _eligible_needs(market, options)
    columns = np.arange(market.similarity.shape[0])
    credit = skill_credit(market, columns)
    weights, musts = market.need_weights[needs], market.need_musts[needs]
    weight_sum = market.need_weight_sum[needs]
    per_offer = options.candidates_per_offer

    def one_block(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        block = np.arange(start, min(start + options.block_size, len(market.offers)))
        skill, must_missing = skill_block(market, weights, musts, weight_sum, credit[block])
        rows, cols = np.nonzero((skill > 0) & ~must_missing)  # most pairs stop here
        scores = score_pairs(
            market,
            needs[rows],
            block[cols],
            skill=skill[rows, cols],
            must_missing=np.zeros(len(rows), dtype=bool),
        )
        ok = scores.feasible & (scores.fit >= options.min_fit)
        rows, cols, fit = rows[ok], cols[ok], scores.fit[ok]
        if per_offer:
            rows, cols, fit = _best_per_offer(rows, cols, fit, len(block), len(needs), per_offer)
        return needs[rows], block[cols], fit

    # NumPy and SciPy release the GIL in their kernels: blocks overlap on several cores.
    with ThreadPoolExecutor(max_workers=options.workers) as pool:
        done = list(pool.map(one_block, range(0, len(market.offers), options.block_size)))
    needs_out = [d[0] for d in done]
    offers_out = [d[1] for d in done]
    fit_out = [d[2] for d in done]
    if not needs_out:
        empty = np.empty(0, dtype=np.int64)
        return Candidates(empty, empty, np.empty(0, np.float32), np.empty(0, np.float32))
    offer_idx, need_idx = np.concatenate(offers_out), np.concatenate(needs_out)
    fit = np.concatenate(fit_out)
    keep = np.ones(len(fit), dtype=bool)
    if options.max_offers_per_need:
        keep &= _keep_best(need_idx, fit, options.max_offers_per_need)
    if options.exclude_pairs:
        pair_ids = zip(
            market.offer_ids[offer_idx].tolist(), market.need_ids[need_idx].tolist(), strict=True
        )
        keep &= np.array([pair not in options.exclude_pairs for pair in pair_ids], dtype=bool)
    offer_idx, need_idx, fit = offer_idx[keep], need_idx[keep], fit[keep]
    value = fit * (1 + market.need_priority[need_idx])
    return Candidates(offer_idx, need_idx, fit, value.astype(np.float32))


# Past this many candidate arcs, `solve` prices instead of solving on all of them at once.
PRICED_ABOVE = 1_000_000
# The first round's arcs: each need's and each offer's best few (by value).
FIRST_PER_NEED, FIRST_PER_OFFER = 2, 5
# Arcs each later round adds per need (and per offer): those whose reduced cost is most
# negative.
ADDED_PER_ROUND = 5
# Past this many rounds pricing stops paying: the rest is solved on every pair at once.
MOST_PRICING_ROUNDS = 12


@dataclass(frozen=True)
class _Network:
    """The flow network over some of the candidate pairs: arcs as parallel arrays (the
    chosen pairs first), node numbers: offers, then needs, then the sink."""

    tails: np.ndarray
    heads: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray
    nodes: int
    suppliers: np.ndarray  # the offers, each supplying its days


def _pair_costs(pairs: Candidates) -> np.ndarray:
    return -np.round(pairs.value.astype(np.float64) * VALUE_SCALE).astype(np.int64)


def _network(
    market: Market,
    pairs: Candidates,
    chosen: np.ndarray,
    costs: np.ndarray,
    used: tuple[np.ndarray, np.ndarray] | None = None,  # the offers and needs with pairs
) -> _Network:
    """Each offer supplies its days → need (the chosen pairs, cost −value) → sink (the need's
    days), plus an offer → sink bypass at zero cost so days may stay unplaced. Every offer
    and need with a candidate pair is a node, chosen or not, so prices exist for all."""
    n_offers, n_needs = len(market.offers), len(market.needs)
    sink = n_offers + n_needs
    offer_days = market.offer_days.astype(np.int64)
    need_days = market.need_days.astype(np.int64)
    offers_used, needs_used = used or (np.unique(pairs.offers), np.unique(pairs.needs))
    offers, needs = pairs.offers[chosen], pairs.needs[chosen]
    return _Network(
        tails=np.concatenate([offers, n_offers + needs_used, offers_used]),
        heads=np.concatenate(
            [n_offers + needs, np.full(len(needs_used), sink), np.full(len(offers_used), sink)]
        ),
        capacity=np.concatenate(
            [
                np.minimum(offer_days[offers], need_days[needs]),
                need_days[needs_used],
                offer_days[offers_used],
            ]
        ),
        cost=np.concatenate(
            [costs[chosen], np.zeros(len(needs_used) + len(offers_used), np.int64)]
        ),
        nodes=sink + 1,
        suppliers=offers_used,
    )


def _min_cost_flow(market: Market, network: _Network) -> np.ndarray:
    """The optimal flow on every arc of the network (OR-Tools' min-cost flow). Offers hold
    their days as supplies: no source node (its feasibility max-flow ran a quarter faster
    on 1M arcs without it)."""
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacity, network.cost
    )
    supply = market.offer_days.astype(np.int64)[network.suppliers]
    flow.set_nodes_supplies(
        np.concatenate([network.suppliers, [network.nodes - 1]]),  # the sink takes it all
        np.concatenate([supply, [-supply.sum()]]),
    )
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("The allocation solver did not reach an optimum.")
    return flow.flows(arcs) if len(arcs) else np.empty(0, dtype=np.int64)


def _prices(network: _Network, flows: np.ndarray) -> np.ndarray:
    """Node prices proving the flow optimal: shortest distances in its residual graph from a
    root joined to every node at zero cost (Bellman–Ford, one vectorised sweep over the
    residual arcs at a time until nothing shortens; an optimal flow has no negative cycle).
    Every residual arc then has reduced cost cost + price[tail] − price[head] ≥ 0."""
    forward, backward = flows < network.capacity, flows > 0
    tails = np.concatenate([network.tails[forward], network.heads[backward]])
    heads = np.concatenate([network.heads[forward], network.tails[backward]])
    costs = np.concatenate([network.cost[forward], -network.cost[backward]])
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.r_[0, np.flatnonzero(np.diff(heads)) + 1] if len(heads) else np.zeros(0, int)
    into = heads[starts]
    price = np.zeros(network.nodes, dtype=np.int64)
    if not len(starts):  # no residual arc: nothing to shorten
        return price
    for _ in range(network.nodes + 1):
        best = np.minimum.reduceat(price[tails] + costs, starts)
        shorter = best < price[into]
        if not shorter.any():
            return price
        price[into[shorter]] = best[shorter]
    raise RuntimeError("The allocation's residual graph has a negative cycle.")


def _most_negative(group: np.ndarray, reduced: np.ndarray, candidates: np.ndarray, per: int):
    """Among `candidates` (arc indices), each group's `per` arcs of most negative reduced
    cost, by repeated minimum (no sort or unique: there may be millions of candidates). The
    candidates' groups and costs are gathered once and narrowed as arcs are taken."""
    picked = []
    size = int(group.max()) + 1 if len(group) else 0
    left, groups, costs = candidates, group[candidates], reduced[candidates]
    for _ in range(per):
        if not len(left):
            break
        lowest = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(lowest, groups, costs)
        holding = np.flatnonzero(costs == lowest[groups])
        one = np.full(size, -1, dtype=np.int64)  # one arc per group: the last holding it
        np.maximum.at(one, groups[holding], holding)
        taken = one[one >= 0]  # positions in `left`
        picked.append(left[taken])
        keep = np.ones(len(left), dtype=bool)
        keep[taken] = False
        left, groups, costs = left[keep], groups[keep], costs[keep]
    return np.concatenate(picked) if picked else np.empty(0, dtype=np.int64)


def _first_choice(pairs: Candidates, costs: np.ndarray) -> np.ndarray:
    """The first round's arcs: each need's and each offer's best few."""
    everything = np.arange(len(costs))
    return np.union1d(
        _most_negative(pairs.needs, costs, everything, FIRST_PER_NEED),
        _most_negative(pairs.offers, costs, everything, FIRST_PER_OFFER),
    )


def _priced_flows(market: Market, pairs: Candidates) -> np.ndarray:
    """The optimal days per pair without putting every pair into the solver (column
    generation). Solve on each need's few best pairs and each offer's; price the optimum's
    nodes (`_prices`); any pair left out whose reduced cost is negative would improve it, so
    add each need's and each offer's most negative few and solve again; when none is
    negative the flow is optimal on all the pairs (LP duality: the prices are feasible for
    every arc). At the region's 6M arcs: about seven solves of 0.2–0.35M arcs instead of
    one of 6M."""
    costs = _pair_costs(pairs)
    n_offers = len(market.offers)
    used = (np.unique(pairs.offers), np.unique(pairs.needs))
    chosen = _first_choice(pairs, costs)
    held = np.zeros(len(costs), dtype=bool)
    for _ in range(MOST_PRICING_ROUNDS):
        held[chosen] = True
        network = _network(market, pairs, chosen, costs, used)
        flows = _min_cost_flow(market, network)
        price = _prices(network, flows)
        reduced = costs + price[pairs.offers] - price[n_offers + pairs.needs]
        negative = np.flatnonzero((reduced < 0) & ~held)
        if not len(negative):
            days = np.zeros(len(pairs.offers), dtype=np.int64)
            days[chosen] = flows[: len(chosen)]
            return days
        added = np.union1d(
            _most_negative(pairs.needs, reduced, negative, ADDED_PER_ROUND),
            _most_negative(pairs.offers, reduced, negative, ADDED_PER_ROUND),
        )
        chosen = np.concatenate([chosen, added])
    everything = np.arange(len(costs))
    return _min_cost_flow(market, _network(market, pairs, everything, costs, used))[: len(costs)]


def solve(market: Market, pairs: Candidates, *, needs_considered: np.ndarray) -> Plan:
    """The optimal plan over the candidate pairs (min-cost flow; priced past `PRICED_ABOVE`
    arcs, with the same optimum)."""
    started = time.perf_counter()
    if len(pairs.offers) > PRICED_ABOVE:
        days = _priced_flows(market, pairs)
    else:
        everything = np.arange(len(pairs.offers))
        network = _network(market, pairs, everything, _pair_costs(pairs))
        days = _min_cost_flow(market, network)[: len(everything)]
    return _plan(market, pairs, days, needs_considered, time.perf_counter() - started)


def greedy(market: Market, pairs: Candidates, *, needs_considered: np.ndarray) -> Plan:
    """Baseline: take pairs by value per day, best first, as many days as both have left."""
    started = time.perf_counter()
    offer_left = market.offer_days.astype(np.int64).copy()
    need_left = market.need_days.astype(np.int64).copy()
    days = np.zeros(len(pairs.offers), dtype=np.int64)
    for index in np.lexsort((market.need_ids[pairs.needs], -pairs.value)):
        o, n = pairs.offers[index], pairs.needs[index]
        placed = min(offer_left[o], need_left[n])
        if placed > 0:
            days[index] = placed
            offer_left[o] -= placed
            need_left[n] -= placed
    return _plan(market, pairs, days, needs_considered, time.perf_counter() - started)


def _plan(
    market: Market, pairs: Candidates, days: np.ndarray, needs_considered: np.ndarray, seconds
) -> Plan:
    used = np.nonzero(days > 0)[0]
    lines = [
        Line(
            offer_id=int(market.offer_ids[pairs.offers[i]]),
            need_id=int(market.need_ids[pairs.needs[i]]),
            days=int(days[i]),
            fit=round(float(pairs.fit[i]), 4),
            priority=round(float(market.need_priority[pairs.needs[i]]), 4),
            value=round(float(days[i] * pairs.value[i]), 4),
        )
        for i in used
    ]
    placed_per_need = np.bincount(
        pairs.needs[used], weights=days[used], minlength=len(market.needs)
    )
    considered_days = market.need_days[needs_considered]
    coverage: dict[int, dict[str, int]] = {}
    for need in needs_considered:
        ward = market.needs[need].ward
        entry = coverage.setdefault(ward, {"needed": 0, "placed": 0})
        entry["needed"] += int(market.need_days[need])
        entry["placed"] += int(placed_per_need[need])
    return Plan(
        lines=sorted(lines, key=lambda line: (-line.value, line.need_id, line.offer_id)),
        objective=round(float((days * pairs.value).sum()), 4),
        days_placed=int(days.sum()),
        need_days=int(considered_days.sum()),
        needs_considered=len(needs_considered),
        needs_served=int((placed_per_need[needs_considered] > 0).sum()),
        needs_fully_covered=int(
            (placed_per_need[needs_considered] >= market.need_days[needs_considered]).sum()
        ),
        ward_coverage=coverage,
        arcs=len(pairs.offers),
        seconds=round(seconds, 4),
    )


def allocate(market: Market, options: AllocationOptions | None = None) -> Plan:
    """The optimal city-wide plan for the market under the broker's options."""
    options = options or AllocationOptions()
    started = time.perf_counter()
    pairs = candidates(market, options)
    plan = solve(market, pairs, needs_considered=_eligible_needs(market, options))
    plan.seconds = round(time.perf_counter() - started, 4)
    return plan


def allocate_greedy(market: Market, options: AllocationOptions | None = None) -> Plan:
    options = options or AllocationOptions()
    pairs = candidates(market, options)
    return greedy(market, pairs, needs_considered=_eligible_needs(market, options))
