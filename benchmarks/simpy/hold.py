#!/usr/bin/env python3
"""The hold model in SimPy 4.1.2: the engine benchmark of `dnscascade bench`.

`--pending` processes each loop forever on `yield env.timeout(delay)`, so that many timeouts are always pending:
every step pops one event and schedules one, as in the classic hold model. Delays are uniform with mean 1 (the
Swift side draws 1..2048 ns, mean about 1 us; the time unit does not matter to the queue). The run stops when
`--events` timeouts have fired in total.

    python3 benchmarks/simpy/hold.py --events 1000000 --pending 1000
"""

import argparse
import json
import platform
import random
import sys
import time

import simpy


def holder(env, rng, counter, done):
    """One process: hold for a random time, again and again."""
    while True:
        yield env.timeout(rng.random() * 2.0)
        counter[0] += 1
        if counter[0] == counter[1]:
            done.succeed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="timeouts to process (default 1,000,000)")
    parser.add_argument("--pending", type=int, default=1_000, help="processes, i.e. pending events (default 1,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object (what dnscascade bench reads)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    env = simpy.Environment()
    done = env.event()
    counter = [0, args.events]  # fired so far, target
    for _ in range(args.pending):
        env.process(holder(env, rng, counter, done))

    start, cpu_start = time.perf_counter(), time.process_time()
    env.run(until=done)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start

    result = {
        "events": counter[0],
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "eventsPerSecond": counter[0] / cpu_seconds,  # per CPU second, as dnscascade bench reports its own rates
        "pending": args.pending,
        "simpy": simpy.__version__,
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(f"SimPy {result['simpy']} on Python {result['python']}: {counter[0]:,} timeouts with "
              f"{args.pending:,} pending in {cpu_seconds:.2f} s CPU ({seconds:.2f} s wall) = "
              f"{result['eventsPerSecond'] / 1e6:.2f} M events per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
