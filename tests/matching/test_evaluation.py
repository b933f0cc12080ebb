"""Suggestion quality on a hand-labelled set of 30 needs from the demo market.

precision@3: of the top three offers suggested, the share a broker would pick.
nDCG@5: the top five's order against the broker's (first pick gain 2, other picks 1).
The test fails if either drops below what the engine reaches today (printed with -s).
"""

import datetime as dt
import json
import math
from pathlib import Path

import pytest

import matching
from brokerage import matchmaking
from brokerage.datasets.demo import seed_demo
from brokerage.models import Need, Offer, Skill, User, Ward
from brokerage.services.listings import publish_listing
from brokerage.services.needs import create_need
from tests.reference import load_reference_data

PRECISION_AT_3_FLOOR = 0.31  # reached: 0.311 (at most 0.456 with 1–2 picks a need)
NDCG_AT_5_FLOOR = 0.77  # reached: 0.778
LABELS = json.loads((Path(__file__).parent / "evaluation.json").read_text())


def _dcg(gains: list[float]) -> float:
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


@pytest.fixture
def labelled(settings, db, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        load_reference_data()
        seed_demo(password="x")
        users = {u.username: u for u in User.objects.all()}
        labels = {Need.objects.get(title=t).pk: r for t, r in LABELS["demo_needs"].items()}
        for extra in LABELS["extra_needs"]:
            charity = users[extra["charity"]]
            need = create_need(
                organisation=charity.memberships.get().organisation,
                by=charity,
                title=extra["title"],
                ward=Ward.objects.get(name=extra["ward"]),
                days_needed=extra["days"],
                needed_by=dt.date.today() + dt.timedelta(days=60),
                skills={Skill.objects.get(slug=s): must for s, must in extra["skills"].items()},
                remote_ok=extra["remote"],
            )
            publish_listing(listing=need, by=charity)
            labels[need.pk] = extra["relevant"]
    return labels


@pytest.mark.django_db
def test_suggestions_agree_with_a_brokers_picks(labelled):
    titles = dict(Offer.objects.values_list("pk", "title"))
    market = matchmaking.current_market()
    precision, ndcg = [], []
    for need_id, relevant in labelled.items():
        ranked = [titles[s.id] for s in matching.suggest_offers(market, need_id, limit=5)]
        precision.append(len(set(ranked[:3]) & set(relevant)) / 3)
        gains = [2.0 if t == relevant[0] else 1.0 if t in relevant else 0.0 for t in ranked]
        ideal = _dcg([2.0] + [1.0] * (len(relevant) - 1))
        ndcg.append(_dcg(gains) / ideal)

    assert len(labelled) >= 30
    mean_precision, mean_ndcg = sum(precision) / len(precision), sum(ndcg) / len(ndcg)
    print(
        f"\nprecision@3 = {mean_precision:.3f}, nDCG@5 = {mean_ndcg:.3f} on {len(labelled)} needs"
    )
    assert mean_precision >= PRECISION_AT_3_FLOOR
    assert mean_ndcg >= NDCG_AT_5_FLOOR
