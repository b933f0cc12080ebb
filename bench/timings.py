"""What each benchmark reports of a list of timings."""

import statistics


def summary(timings_ms: list[float]) -> dict:
    """Median and 95th percentile, in milliseconds to two places."""
    ordered = sorted(timings_ms)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
    }
