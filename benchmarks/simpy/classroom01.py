#!/usr/bin/env python3
"""Classroom scenario 01 (the empty record) written the way a SimPy user would write it.

The same world and mechanisms as Scenarios/classroom/01-empty-record.yaml, with simplified DNS (Python objects
instead of wire bytes and c-ares): one authority whose A record for kv.example. is emptied at 10 min and restored
at 15 min; one caching resolver (positive TTL from the record, 60 s; negative TTL from the SOA, min(900, 600) =
600 s; SERVFAIL not needed here); 50 client instances, each with an app-level cache (30 s positive, 10 s negative)
and a pool of 4 connections aged out after 5 min +-20 %. An aged connection is replaced make-before-break: look
the name up, connect (2 ms), then close the old one; a failed lookup closes the old connection and retries after
an exponential backoff with full jitter (1 s doubling to 30 s). Every lookup, connection and timer is a SimPy
event, as in the Swift model, so the event counts are comparable (the Swift model also runs c-ares' retry timers).

    python3 benchmarks/simpy/classroom01.py            # one run, prints what happened and how long it took
    python3 benchmarks/simpy/classroom01.py --json
"""

import argparse
import json
import random
import sys
import time

import simpy

MINUTE = 60.0
RECORD_TTL = 60.0          # kv.example. 60 IN A ...
NEGATIVE_TTL = 600.0       # min(SOA TTL 900, SOA MINIMUM 600), RFC 2308 section 5
ADDRESSES = ("192.0.2.10", "192.0.2.11")


class Authority:
    """ns1: answers from its zone; the fault empties the A record set of kv.example."""

    def __init__(self):
        self.records = {"kv.example.": list(ADDRESSES)}

    def answer(self, name):
        addresses = self.records.get(name)
        if addresses is None:
            return "NXDOMAIN", [], NEGATIVE_TTL
        if not addresses:
            return "NODATA", [], NEGATIVE_TTL
        return "NOERROR", addresses, RECORD_TTL


class Resolver:
    """r1: a caching resolver, 20 ms from the authority."""

    def __init__(self, env, authority, stats):
        self.env = env
        self.authority = authority
        self.cache = {}  # name -> (expires, rcode, addresses)
        self.stats = stats

    def resolve(self, name):
        entry = self.cache.get(name)
        if entry and entry[0] > self.env.now:
            rcode, addresses = entry[1], entry[2]
        else:
            yield self.env.timeout(0.020)  # upstream round trip
            rcode, addresses, ttl = self.authority.answer(name)
            self.cache[name] = (self.env.now + ttl, rcode, addresses)
        self.stats["resolver"][rcode] = self.stats["resolver"].get(rcode, 0) + 1
        return rcode, addresses


class Instance:
    """One client instance: app cache, stub (1 ms to the resolver), pool of connections."""

    def __init__(self, env, index, resolver, rng, fleet):
        self.env = env
        self.index = index
        self.resolver = resolver
        self.rng = rng
        self.fleet = fleet
        self.app_cache = None  # (expires, rcode, addresses)
        self.open = 0

    def lookup(self, name):
        now = self.env.now
        if self.app_cache and self.app_cache[0] > now:
            rcode, addresses = self.app_cache[1], self.app_cache[2]
        else:
            yield self.env.timeout(0.0005)  # query to the resolver
            rcode, addresses = yield self.env.process(self.resolver.resolve(name))
            yield self.env.timeout(0.0005)  # reply
            ttl = 30.0 if rcode == "NOERROR" and addresses else 10.0
            self.app_cache = (self.env.now + ttl, rcode, addresses)
        self.fleet.lookup_finished(rcode, addresses)
        return rcode, addresses

    def age(self):
        return 5 * MINUTE * self.rng.uniform(0.8, 1.2)

    def connection(self, lifetime):
        """A pooled connection: lives its age, then is replaced (make-before-break)."""
        self.opened()
        while True:
            yield self.env.timeout(lifetime)
            failures = 0
            retiring = True
            while True:
                rcode, addresses = yield self.env.process(self.lookup("kv.example."))
                if addresses:
                    yield self.env.timeout(0.002)  # connect
                    if retiring:
                        self.closed()  # the old one closes as the new one opens
                    self.opened()
                    break
                if retiring:
                    self.closed()
                    retiring = False
                failures += 1
                ceiling = min(30.0, 1.0 * 2 ** min(failures - 1, 30))
                yield self.env.timeout(self.rng.uniform(0, ceiling))
            lifetime = self.age()

    def opened(self):
        self.open += 1
        if self.open == 1:
            self.fleet.serving_changed(+1)

    def closed(self):
        self.open -= 1
        if self.open == 0:
            self.fleet.serving_changed(-1)


class Fleet:
    """The 50 instances: availability and lookup outcomes."""

    def __init__(self, env, size):
        self.env = env
        self.size = size
        self.serving = 0
        self.min_availability = 1.0
        self.lookups = {}
        self.first_failure = None
        self.recovery = None

    def serving_changed(self, delta):
        self.serving += delta
        if self.env.now > 0:
            self.min_availability = min(self.min_availability, self.serving / self.size)

    def lookup_finished(self, rcode, addresses):
        outcome = "NOERROR" if addresses else rcode
        self.lookups[outcome] = self.lookups.get(outcome, 0) + 1
        if outcome == "NOERROR":
            if self.first_failure is not None and self.recovery is None:
                self.recovery = self.env.now
        else:
            if self.first_failure is None:
                self.first_failure = self.env.now
            self.recovery = None


def fault(env, authority):
    """At 10 min the automation empties the record; at 15 min the operator restores it."""
    yield env.timeout(10 * MINUTE)
    authority.records["kv.example."] = []
    yield env.timeout(5 * MINUTE)
    authority.records["kv.example."] = list(ADDRESSES)


def run(seed, instances, pool, duration):
    rng = random.Random(seed)
    env = simpy.Environment()
    stats = {"resolver": {}}
    authority = Authority()
    resolver = Resolver(env, authority, stats)
    fleet = Fleet(env, instances)
    for index in range(instances):
        instance = Instance(env, index, resolver, random.Random(rng.getrandbits(64)), fleet)
        for _ in range(pool):
            # steady state at time zero: connections of every age
            env.process(instance.connection(lifetime=instance.rng.uniform(0, instance.age())))
    env.process(fault(env, authority))
    events = 0
    start = time.perf_counter()
    while env.peek() <= duration:
        env.step()
        events += 1
    seconds = time.perf_counter() - start
    return {
        "events": events,
        "seconds": seconds,
        "lookups": fleet.lookups,
        "resolverAnswers": stats["resolver"],
        "firstFailureMinutes": fleet.first_failure / MINUTE if fleet.first_failure is not None else None,
        "recoveryMinutes": fleet.recovery / MINUTE if fleet.recovery is not None else None,
        "minAvailability": fleet.min_availability,
        "simpy": simpy.__version__,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--instances", type=int, default=50)
    parser.add_argument("--pool", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.seed, args.instances, args.pool, args.minutes * MINUTE)
    if args.json:
        print(json.dumps(result, sort_keys=True))
        return 0
    print(f"SimPy {result['simpy']}: {result['events']:,} events in {result['seconds'] * 1000:.0f} ms")
    print(f"lookups: {result['lookups']}; resolver answers: {result['resolverAnswers']}")
    print(f"first failure at {result['firstFailureMinutes']:.2f} min, recovery at {result['recoveryMinutes']:.2f} min, "
          f"minimum availability {result['minAvailability']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
