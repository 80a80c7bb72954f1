"""What every benchmark measures the same way."""

import os
import statistics
import time

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))


def median_ms(action, rounds=ROUNDS):
    """The median time of an action, in milliseconds, after one untimed warm-up run."""
    action()
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)
