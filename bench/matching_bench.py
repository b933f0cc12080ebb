"""Matching engine speed and quality at national scale, on synthetic markets drawn like the
demo data. Prints one JSON object.

    .venv/bin/python bench/matching_bench.py            # about four minutes; 1M offers
    .venv/bin/python bench/matching_bench.py --quick    # smaller, for a smoke run

Targets (issue 16): suggestions among 100k offers median <= 2 ms and p95 <= 5 ms, among 1M
p95 <= 20 ms, >= 100x the per-pair loop; allocation of 10k x 10k at about 1M arcs optimal in
<= 3 s, and >= 50x NetworkX's min-cost flow on the largest market NetworkX solves in a minute.
"""

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import AllocationOptions, synthetic
from matching.allocation import candidates, greedy, solve
from matching.suggestions import suggest_offers
from matching.verify import networkx_objective


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _suggestion_timings(market, queries: int) -> list[float]:
    rng = random.Random(7)
    need_ids = [need.id for need in rng.sample(list(market.needs), queries)]
    suggest_offers(market, need_ids[0])  # warm caches
    timings = []
    for need_id in need_ids:
        start = time.perf_counter()
        suggest_offers(market, need_id, limit=10)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _naive_ms(market, need_index: int) -> float:
    """The obvious loop: one Python score per (need, offer) pair, then a full sort."""
    s, need = market.settings, market.needs[need_index]
    similarity = market.similarity
    needed = [(market.skill_index[k], must) for k, must in need.skills]
    total_weight = sum(s.must_have_weight if m else s.nice_to_have_weight for _, m in needed)
    ward = market.ward_index[need.ward]
    start = time.perf_counter()
    scored = []
    for index, offer in enumerate(market.offers):
        offered = [market.skill_index[k] for k in offer.skills]
        credit, ok = 0.0, True
        for column, must in needed:
            best = max(similarity[t, column] for t in offered)
            if must and best < s.must_have_min_credit:
                ok = False
            credit += best * (s.must_have_weight if must else s.nice_to_have_weight)
        if not ok or credit == 0:
            continue
        if (
            offer.wards
            and need.ward not in offer.wards
            and not (offer.remote_ok and need.remote_ok)
        ):
            continue
        place = 1.0 if offer.wards else s.anywhere_fit
        if not offer.wards and offer.home_ward:
            place = max(place, float(market.proximity[ward, market.ward_index[offer.home_ward]]))
        first = max(offer.available_from, market.today)
        last = min(offer.available_until, need.needed_by)
        overlap = (last - first).days + 1
        if overlap <= 0:
            continue
        window = min((need.needed_by - market.today).days + 1, s.comfortable_window_days)
        fit = (
            s.skill_weight * credit / total_weight
            + s.place_weight * place
            + s.time_weight * min(1, overlap / max(window, 1))
            + s.capacity_weight
            * min(offer.days_remaining, need.days_remaining)
            / need.days_remaining
        )
        scored.append((-fit, offer.id, index))
    scored.sort()
    return (time.perf_counter() - start) * 1000


def _networkx_seconds(size: int, results) -> None:
    """In a child process (so a slow run can be stopped): NetworkX on a size x size market."""
    market = synthetic.market(offers=size, needs=size, wards=100, seed=3)
    pairs = candidates(market, AllocationOptions())
    start = time.perf_counter()
    objective = networkx_objective(market, pairs)
    results.put((time.perf_counter() - start, objective))


def _against_networkx(sizes: tuple[int, ...], limit_s: float) -> dict:
    """Our solver and NetworkX's on the same candidate pairs, growing the market until
    NetworkX needs more than `limit_s`; the ratio is read on the largest it finished."""
    context = multiprocessing.get_context("fork")
    found: dict = {}
    for size in sizes:
        market = synthetic.market(offers=size, needs=size, wards=100, seed=3)
        pairs = candidates(market, AllocationOptions())
        start = time.perf_counter()
        ours = solve(market, pairs, needs_considered=np.arange(size))
        ours_s = time.perf_counter() - start
        results = context.Queue()
        child = context.Process(target=_networkx_seconds, args=(size, results))
        child.start()
        child.join(limit_s)
        if child.is_alive():
            child.terminate()
            child.join()
            found["networkx_gave_up_at"] = f"{size} x {size} ({len(pairs.offers)} arcs)"
            break
        networkx_s, objective = results.get()
        found.update(
            networkx_largest=f"{size} x {size}",
            networkx_arcs=len(pairs.offers),
            networkx_s=round(networkx_s, 2),
            ours_s=round(ours_s, 4),
            ratio_vs_networkx=round(networkx_s / ours_s, 1),
            same_objective=abs(ours.objective - objective) < 0.05,
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    big, huge, queries = (20_000, 100_000, 50) if quick else (100_000, 1_000_000, 200)
    report: dict = {}

    market = synthetic.market(offers=big, needs=2_000, wards=300, seed=1)
    timings = _suggestion_timings(market, queries)
    report["suggest_100k_median_ms"] = round(statistics.median(timings), 3)
    report["suggest_100k_p95_ms"] = round(_percentile(timings, 0.95), 3)
    naive = statistics.median(_naive_ms(market, i) for i in range(3))
    report["naive_100k_ms"] = round(naive, 1)
    report["naive_ratio"] = round(naive / statistics.median(timings), 1)

    market = synthetic.market(offers=huge, needs=2_000, wards=3_000, seed=2)
    timings = _suggestion_timings(market, queries)
    report["suggest_1m_median_ms"] = round(statistics.median(timings), 3)
    report["suggest_1m_p95_ms"] = round(_percentile(timings, 0.95), 3)
    del market

    dense = synthetic.market(offers=1_000, needs=1_000, seed=3)
    start = time.perf_counter()
    pairs = candidates(dense, AllocationOptions())
    plan = solve(dense, pairs, needs_considered=np.arange(1_000))
    report["alloc_1k_dense_s"] = round(time.perf_counter() - start, 3)
    report["alloc_1k_arcs"] = len(pairs.offers)

    scale = 2_000 if quick else 10_000
    market = synthetic.market(offers=scale, needs=scale, wards=300, seed=4)
    start = time.perf_counter()
    # Each offer's best 135 needs: about 1M arcs at 10k x 10k (some offers have fewer).
    options = AllocationOptions(candidates_per_offer=135)
    pairs = candidates(market, options)
    scored = time.perf_counter()
    considered = np.arange(scale)
    plan = solve(market, pairs, needs_considered=considered)
    report["alloc_10k_s"] = round(time.perf_counter() - start, 3)
    report["alloc_10k_candidates_s"] = round(scored - start, 3)
    report["alloc_10k_solve_s"] = round(time.perf_counter() - scored, 3)
    report["alloc_10k_arcs"] = len(pairs.offers)
    baseline = greedy(market, pairs, needs_considered=considered)
    report["alloc_vs_greedy"] = round(plan.objective / baseline.objective, 4)
    report["alloc_fill_rate"] = round(plan.fill_rate, 4)
    report["greedy_fill_rate"] = round(baseline.fill_rate, 4)
    report["alloc_needs_served_share"] = round(plan.needs_served / plan.needs_considered, 4)
    report["greedy_needs_served_share"] = round(
        baseline.needs_served / baseline.needs_considered, 4
    )
    report["alloc_needs_fully_covered_share"] = round(
        plan.needs_fully_covered / plan.needs_considered, 4
    )

    checks = []
    for seed in range(5):
        small = synthetic.market(offers=60, needs=60, wards=9, seed=100 + seed)
        small_pairs = candidates(small, AllocationOptions())
        ours = solve(small, small_pairs, needs_considered=np.arange(60)).objective
        checks.append(abs(ours - networkx_objective(small, small_pairs)) < 1e-2)
    report["alloc_optimal"] = all(checks)
    sizes = (500, 1_000) if quick else (1_000, 2_000, 3_000, 4_000)
    report["vs_networkx"] = _against_networkx(sizes, limit_s=10.0 if quick else 60.0)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
