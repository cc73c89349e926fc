import SimKernel
import Testing
import WorldModel

@Suite("Lease manager with a healthy key-value service")
struct LeaseManagerHealthyTests {
    @Test("every lease stays held for 17 hours, goodput meets demand, nothing is published")
    func healthyHoldsEveryLease() {
        let run = LeaseRun()
        run.run(until: .hours(17))
        let samples = run.manager.samples
        #expect(samples.count == 17 * 60)
        #expect(samples.allSatisfy { $0.leasesHeld == 100_000 })
        #expect(run.manager.wastedHosts == 0)
        #expect(run.manager.failedHosts == 0)
        #expect(run.manager.establishedHosts == 0)
        // Every host is renewed once per 5-minute interval: 20 000 hosts/min, measured over the last interval.
        for sample in samples.dropFirst(5) {
            #expect(abs(sample.goodputPerMinute - 20_000) <= 20_000 * 0.05)
        }
        #expect(run.events.isEmpty)
        #expect(run.simulator.processedEvents < 200_000)
    }

    @Test("an outage shorter than leasePeriod − renewalInterval lapses no lease")
    func shortOutageLapsesNothing() {
        // Every item was renewed at most one renewal interval (5 min) before the outage, so its lease lasts at least
        // 30 − 5 = 25 min into it; a 20-minute outage leaves every lease valid, and renewals resume when it ends.
        let run = LeaseRun(outage: SimTime.zero + .hours(1)..<SimTime.zero + .minutes(80))
        run.run(until: .hours(4))
        #expect(run.manager.samples.allSatisfy { $0.leasesHeld == 100_000 })
        #expect(run.manager.failedHosts > 0)
        #expect(run.manager.establishedHosts == 0)
        #expect(!run.events.contains { $0.kind == "lease" })
    }

    @Test("a fleet smaller than one renewal batch works (one item, one worker)")
    func tinyFleet() {
        let spec = LeaseManagerSpec(hosts: 3, hostsPerItem: 10, workers: 1)
        let run = LeaseRun(spec: spec, outage: SimTime.zero + .hours(1)..<SimTime.zero + .hours(2))
        run.run(until: .hours(3))
        #expect(run.samples(from: .minutes(1), to: .minutes(59)).allSatisfy { $0.leasesHeld == 3 })
        #expect(run.samples(from: .minutes(95), to: .minutes(120)).allSatisfy { $0.leasesHeld == 0 })
        // After the outage the single item is re-established at its next due time (≤ 5 min) in 3 × 2.7 s.
        #expect(run.samples(from: .minutes(126), to: .hours(3)).allSatisfy { $0.leasesHeld == 3 })
        #expect(run.manager.establishedHosts == 3)
    }
}
