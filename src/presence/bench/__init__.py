"""Benchmarks run by `make bench`: each module here defines `run() -> list[str]` of result lines.

Figures are medians of repeated runs, reported with ratios where a baseline exists; the
machines are noisy, so tests never assert timings.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], *, repeat: int = 15, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
