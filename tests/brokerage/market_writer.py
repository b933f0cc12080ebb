"""One of the two processes of `test_market_log`'s two-process test: publishes, edits and
closes listings while reading the engine's market between writes (so it
applies the other process's changes as they commit), then, when told, pickles its market.

    python -m tests.brokerage.market_writer CHARITY BUSINESS WARD SKILL COUNT SEED OUT
"""

import os
import pickle
import random
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.config.settings")
django.setup()

from brokerage import matchmaking  # noqa: E402
from brokerage.models import ListingStatus, Need, Offer, Organisation, Skill, Ward  # noqa: E402
from tests import factories  # noqa: E402


def main() -> None:
    charity_id, business_id, ward_id, skill_id, count, seed, out = sys.argv[1:]
    rng = random.Random(int(seed))
    charity, business = (
        Organisation.objects.get(pk=charity_id),
        Organisation.objects.get(pk=business_id),
    )
    ward, skill = Ward.objects.get(pk=ward_id), Skill.objects.get(pk=skill_id)
    mine: list[Need | Offer] = []
    for _ in range(int(count)):
        step = rng.random()
        if step < 0.5 or not mine:
            listing = (
                factories.NeedFactory(organisation=charity, ward=ward, skills=[skill])
                if rng.random() < 0.6
                else factories.OfferFactory(organisation=business, skills=[skill])
            )
            mine.append(listing)
        elif step < 0.8:
            listing = rng.choice(mine)
            field = "days_needed" if isinstance(listing, Need) else "days_offered"
            setattr(listing, field, rng.randint(1, 9))
            listing.save(update_fields=[field])
        else:
            listing = mine.pop(rng.randrange(len(mine)))
            listing.status = ListingStatus.CLOSED
            listing.save(update_fields=["status"])
        matchmaking.current_market()  # applies whatever both processes changed so far
    print("written", flush=True)
    sys.stdin.readline()  # the other process has written too
    with open(out, "wb") as file:
        pickle.dump(matchmaking.current_market(), file)


if __name__ == "__main__":
    main()
