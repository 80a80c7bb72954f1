"""What every benchmark measures the same way."""

import gc
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


def interleaved_medians_ms(*actions, rounds=ROUNDS):
    """The median time of each action, in milliseconds, timed in turn round by round, so a
    noisy moment on a shared machine falls on all of them rather than on one. Each run starts
    from a collected heap, so none pays for the garbage another left behind."""
    for action in actions:
        action()
    timings = [[] for _ in actions]
    for _ in range(rounds):
        for action, times in zip(actions, timings, strict=True):
            gc.collect()
            action()
            start = time.perf_counter()
            action()
            times.append((time.perf_counter() - start) * 1000)
    return [statistics.median(times) for times in timings]
