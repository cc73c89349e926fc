import SimKernel
import Testing
import WorldModel

/// The operator's way out of the collapse, with the default spec (see ``LeaseManagerCollapseTests`` for the numbers).
///
/// Throttle: at most 128 = 2 × 64 units of work in the pool, so an admitted item waits behind at most 127 others
/// served by 64 workers: it completes within 2 × 27 s = 54 s of admission, under the 2-minute timeout. Restart: the
/// stale queue (all of it past its timeout) is dropped, and the items come back when next due with fresh timeouts.
///
/// Expected time from the throttle to every lease held: the lapsed hosts' work spread over the workers,
/// `H × establishCost / workers` (≈ 100 000 × 2.7 s / 64 ≈ 70.3 min when H ≈ all hosts) — a lower bound, as no
/// schedule does that work faster; the pool also renews the leases already back, at most 100 000 × 10 ms per 5 min
/// = 3.3 workers, so at least 60.7 workers re-establish: an upper bound of `H × 2.7 s / 60.7` plus one sweep
/// interval (15 s) before the first item is admitted and one item (27 s) at the end.
@Suite("Lease manager: operator throttle and restart")
struct LeaseManagerOperatorTests {
    static let outageEnd = SimDuration.hours(1) + .minutes(156)
    static let actionTime = outageEnd + .hours(2)

    func collapsedRun() -> LeaseRun {
        let run = LeaseRun(outage: SimTime.zero + .hours(1)..<SimTime.zero + Self.outageEnd)
        run.run(until: Self.actionTime)
        #expect(run.manager.heldFraction < 0.05)
        #expect(run.manager.goodputPerMinute < 0.05 * run.manager.demandPerMinute)
        return run
    }

    @Test("throttle + restart during the collapse recovers every lease in about hosts × establishCost / workers")
    func throttleAndRestartRecover() throws {
        let run = collapsedRun()
        let spec = run.manager.spec
        let lapsedHosts = spec.hosts - run.manager.leasesHeld
        run.manager.throttle(maxQueued: 2 * spec.workers)
        run.manager.restartHosts()
        #expect(run.manager.queueLength == 0)
        #expect(run.manager.busyWorkers == 0)
        let recovered = try #require(run.runUntilAllHeld(limit: Self.actionTime + .hours(3)))
        let took = recovered - (SimTime.zero + Self.actionTime)

        let reference = spec.fleetReestablishmentTime  // 100 000 × 2.7 s / 64 = 4 218.75 s
        #expect(reference == .milliseconds(4_218_750))
        let establishSeconds = Double(lapsedHosts) * spec.establishCost.seconds
        let renewalWorkers = Double(spec.hosts) * spec.renewCost.seconds / spec.renewalInterval.seconds
        let lower = establishSeconds / Double(spec.workers)
        let upper =
            establishSeconds / (Double(spec.workers) - renewalWorkers) + spec.sweepInterval.seconds
            + Double(spec.hostsPerItem) * spec.establishCost.seconds + 10  // + the 10 s polling step
        #expect(took.seconds >= lower)
        #expect(took.seconds <= upper)
        // The brief's window for the replay: 60–90 virtual minutes.
        #expect(took >= .minutes(60) && took <= .minutes(90))
        #expect(abs(took.seconds / reference.seconds - 1) < 0.08)

        // Once back, the leases stay: the throttled pool keeps up with renewals, nothing times out.
        let wasted = run.manager.wastedHosts
        run.run(until: Self.actionTime + .hours(6))
        #expect(
            run.samples(from: recovered.sinceStart + .minutes(1), to: Self.actionTime + .hours(6)).allSatisfy {
                $0.leasesHeld == spec.hosts
            })
        #expect(run.manager.wastedHosts == wasted)
        #expect(run.events.contains { $0.kind == "goodput" && $0.detail.hasPrefix("goodput recovered") })
        #expect(run.events.contains { $0.kind == "lease" && $0.detail.hasPrefix("leases recovering: 100%") })
        #expect(run.events.contains { $0.kind == "throttle" })
        #expect(run.events.contains { $0.kind == "restart" })
    }

    @Test("restart without throttle collapses again: the fresh queue is as long as the old one")
    func restartAloneDoesNotHelp() {
        // The restart's fresh timeouts let one more first pass (~2.5 % of the hosts) through, then the same collapse.
        let run = collapsedRun()
        let heldBefore = run.manager.leasesHeld
        let establishedBefore = run.manager.establishedHosts
        run.manager.restartHosts()
        run.run(until: Self.actionTime + .hours(1))
        let heldAfterOneHour = run.manager.leasesHeld
        #expect(heldAfterOneHour > heldBefore)
        #expect(heldAfterOneHour - heldBefore < 5_000)
        let establishedAfterOneHour = run.manager.establishedHosts
        run.run(until: Self.actionTime + .hours(3))
        let late = run.samples(from: Self.actionTime + .hours(1), to: Self.actionTime + .hours(3))
        #expect(late.allSatisfy { $0.leasesHeld == heldAfterOneHour })
        #expect(late.allSatisfy { $0.goodputPerMinute < 0.1 * $0.demandPerMinute })
        #expect(run.manager.establishedHosts == establishedAfterOneHour)
        #expect(establishedAfterOneHour > establishedBefore)
    }

    @Test("throttle without restart recovers too, but only after the stale queue has been worked off")
    func throttleAloneIsSlower() throws {
        // The ~9 800 stale items still in the pool are all past their timeout; they drain at 64 / 27 s (≈ 69 min)
        // before fresh, throttled work can be admitted, and then recovery takes the same ≈ 70 min again.
        let run = collapsedRun()
        run.manager.throttle(maxQueued: 2 * run.manager.spec.workers)
        let recovered = try #require(run.runUntilAllHeld(limit: Self.actionTime + .hours(4)))
        let took = recovered - (SimTime.zero + Self.actionTime)
        #expect(took >= .minutes(120) && took <= .minutes(160))
    }

    @Test("lifting the throttle after recovery keeps every lease")
    func clearThrottleAfterRecovery() throws {
        let run = collapsedRun()
        run.manager.throttle(maxQueued: 128)
        run.manager.restartHosts()
        let recovered = try #require(run.runUntilAllHeld(limit: Self.actionTime + .hours(3)))
        run.manager.clearThrottle()
        #expect(run.manager.admissionLimit == nil)
        run.run(until: recovered.sinceStart + .hours(2))
        #expect(
            run.samples(from: recovered.sinceStart + .minutes(1), to: recovered.sinceStart + .hours(2)).allSatisfy {
                $0.leasesHeld == 100_000
            })
    }
}
