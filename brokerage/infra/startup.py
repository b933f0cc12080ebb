"""What a serving process does once its application is loaded, before its first request."""

import gc


def settle() -> None:
    """Put everything loaded so far out of the garbage collector's reach.

    A serving process holds about 150,000 objects from start-up (modules, settings, URL
    patterns, compiled templates) that live as long as it does. Python's full collection
    walks every tracked object: about 100 ms each on this service's 2-core machine, every
    few dozen requests, which was most of the pages' p95 (`bench/pages_bench.py`). Frozen,
    they are never walked again; the garbage already there is collected first, so none of it
    is kept for good."""
    gc.collect()
    gc.freeze()
