"""An independent optimum for checking the allocation solver (tests and benchmarks).

NetworkX's network simplex on the same flow network: slower by far, but a different
implementation reaching the same objective is the evidence that ours is optimal.
NetworkX is a development dependency, imported only here.
"""

import numpy as np

from matching.allocation import VALUE_SCALE, Candidates
from matching.market import Market


def networkx_objective(market: Market, pairs: Candidates) -> float:
    import networkx as nx  # a development dependency: only tests and benchmarks call this

    graph = nx.DiGraph()
    offers, needs = np.unique(pairs.offers), np.unique(pairs.needs)
    total = int(market.offer_days[offers].sum())
    graph.add_node("source", demand=-total)
    graph.add_node("sink", demand=total)
    for o in offers:
        graph.add_edge("source", ("o", o), capacity=int(market.offer_days[o]), weight=0)
        graph.add_edge(("o", o), "sink", capacity=int(market.offer_days[o]), weight=0)
    for n in needs:
        graph.add_edge(("n", n), "sink", capacity=int(market.need_days[n]), weight=0)
    for o, n, value in zip(pairs.offers, pairs.needs, pairs.value, strict=True):
        capacity = int(min(market.offer_days[o], market.need_days[n]))
        weight = -round(float(value) * VALUE_SCALE)
        graph.add_edge(("o", o), ("n", n), capacity=capacity, weight=weight)
    return -nx.cost_of_flow(graph, nx.min_cost_flow(graph)) / VALUE_SCALE
