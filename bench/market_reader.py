"""The second process of `bench/region_bench.py`: a web process that did not make the change.
For each need id read on stdin it times the first suggestions for that need (bringing its
market up to date first, as a request would) and prints the milliseconds."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.config.settings")

import django

django.setup()

from brokerage import matchmaking  # noqa: E402
from brokerage.models import Need  # noqa: E402


def main() -> None:
    matchmaking.current_market()  # built once, as at a worker's first request
    print("ready", flush=True)
    for line in sys.stdin:
        need = Need.objects.get(pk=int(line))
        start = time.perf_counter()
        matchmaking.suggestions_for_need(need)
        print(round((time.perf_counter() - start) * 1000, 3), flush=True)


if __name__ == "__main__":
    main()
