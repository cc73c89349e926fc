import SimKernel
import Testing
import WorldModel

/// Arithmetic behind the defaults (100 000 hosts in 10 000 items of 10, 64 workers, establishCost 2.7 s/host,
/// workTimeout 2 min, lease 30 min, renewal every 5 min):
/// - one item's re-establishment takes 10 × 2.7 s = 27 s; the pool completes 64 / 27 s ≈ 2.37 items/s;
/// - after the outage every item comes due within 5 min (≈ 33 items/s), so the whole fleet is queued at once:
///   draining it takes 10 000 × 27 s / 64 ≈ 70 min, 35 times the 2-minute timeout;
/// - only the first ~240 items finish within their timeout (those whose wait `(i/64 + 1) × 27 s − i × 0.03 s` is
///   under 120 s); every later one completes after its timeout, is wasted and queued again behind ~9 700 others,
///   so it can never finish in time: goodput stays ~0 with ~2 % of leases held.
@Suite("Lease manager: congestive collapse after a key-value outage")
struct LeaseManagerCollapseTests {
    @Test("leases lapse during the outage, and re-establishment collapses for at least 6 h afterwards", arguments: [150, 156])
    func outageCollapses(outageMinutes: Int64) {
        let outageStart = SimDuration.hours(1)
        let outageEnd = outageStart + .minutes(outageMinutes)
        let run = LeaseRun(outage: SimTime.zero + outageStart..<SimTime.zero + outageEnd)
        run.run(until: outageEnd)
        #expect(run.manager.leasesHeld == 0)
        run.run(until: outageEnd + .hours(1))
        let establishedAfterOneHour = run.manager.establishedHosts
        let wastedAfterOneHour = run.manager.wastedHosts
        run.run(until: outageEnd + .hours(6))
        let late = run.samples(from: outageEnd + .hours(1), to: outageEnd + .hours(6))
        #expect(late.count == 5 * 60 + 1)
        #expect(late.allSatisfy { $0.heldFraction < 0.05 })
        #expect(late.allSatisfy { $0.goodputPerMinute < 0.05 * $0.demandPerMinute })
        #expect(late.allSatisfy { $0.queueLength > 9_000 })
        // No re-establishment at all in those five hours, while the pool keeps completing (and wasting) work.
        #expect(run.manager.establishedHosts == establishedAfterOneHour)
        #expect(run.manager.wastedHosts - wastedAfterOneHour > 5 * 60 * 60 * 64 / 27 * 10 * 9 / 10)
        // The published story: the key-value failure first, then the timeouts that outlive it.
        let goodput = run.events.filter { $0.kind == "goodput" }
        #expect(goodput.count == 2)
        #expect(goodput.first?.detail.contains("key-value") == true)
        #expect(goodput.first.map { $0.time > SimTime.zero + outageStart && $0.time < SimTime.zero + outageEnd } == true)
        #expect(goodput.last?.detail.contains("after its timeout") == true)
        #expect(goodput.last.map { $0.time > SimTime.zero + outageEnd } == true)
        #expect(run.events.contains { $0.kind == "lease" && $0.detail.hasPrefix("leases lapsing: 0%") })
        #expect(!run.events.contains { $0.detail.contains("recover") && $0.time > SimTime.zero + outageEnd + .hours(1) })
    }

    @Test("a fleet twenty times smaller recovers within minutes of the key-value service returning")
    func fewerHostsRecover() {
        // 5 000 hosts = 500 items come due over 5 min (1.7 items/s) while the pool completes 2.37 items/s:
        // no backlog builds up, every item is re-established within its renewal interval plus one job.
        var spec = LeaseManagerSpec()
        spec.hosts = 5_000
        let outageEnd = SimDuration.hours(1) + .minutes(156)
        let run = LeaseRun(spec: spec, outage: SimTime.zero + .hours(1)..<SimTime.zero + outageEnd)
        run.run(until: outageEnd)
        #expect(run.manager.leasesHeld == 0)
        let recovered = run.runUntilAllHeld(limit: outageEnd + .hours(6))
        #expect(recovered.map { $0 - (SimTime.zero + outageEnd) <= .minutes(6) } == true)
        #expect(run.manager.wastedHosts == 0)
        run.run(until: outageEnd + .hours(6))
        #expect(run.samples(from: outageEnd + .minutes(7), to: outageEnd + .hours(6)).allSatisfy { $0.leasesHeld == 5_000 })
    }

    @Test("a work timeout longer than the whole backlog (2 h > 70 min) recovers in about the backlog's time")
    func longTimeoutRecovers() {
        // The queue drains in 10 000 × 27 s / 64 ≈ 70.3 min, plus the renewals of the leases already back
        // (≤ 100 000 × 10 ms per 5 min ≈ 3.3 workers): ≈ 72 min. Nothing times out.
        var spec = LeaseManagerSpec()
        spec.workTimeout = .hours(2)
        let outageEnd = SimDuration.hours(1) + .minutes(156)
        let run = LeaseRun(spec: spec, outage: SimTime.zero + .hours(1)..<SimTime.zero + outageEnd)
        run.run(until: outageEnd)
        #expect(run.manager.leasesHeld == 0)
        let recovered = run.runUntilAllHeld(limit: outageEnd + .hours(6))
        let took = recovered.map { $0 - (SimTime.zero + outageEnd) }
        #expect(took.map { $0 >= .minutes(70) && $0 <= .minutes(80) } == true)
        #expect(run.manager.wastedHosts == 0)
        run.run(until: outageEnd + .hours(6))
        #expect(run.samples(from: outageEnd + .minutes(81), to: outageEnd + .hours(6)).allSatisfy { $0.leasesHeld == 100_000 })
        #expect(run.events.contains { $0.kind == "goodput" && $0.detail.hasPrefix("goodput recovered") })
    }
}
