"""Tiny timing helpers: medians and percentiles of repeated calls, printed as a table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(call: Callable[[], object], *, runs: int, warmup: int = 20) -> list[float]:
    """Milliseconds taken by each of `runs` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(timings: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def print_table(rows: list[tuple[str, list[float]]], *, baseline: str) -> None:
    base_median = summary(dict(rows)[baseline])[0]
    print(f"{'case':<44} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11}")
    for name, timings in rows:
        median, p95 = summary(timings)
        print(f"{name:<44} {median:>10.2f} {p95:>8.2f} {median / base_median:>11.1f}")
