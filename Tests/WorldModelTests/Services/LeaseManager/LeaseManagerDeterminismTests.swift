import SimKernel
import Testing
import WorldModel

@Suite("Lease manager: determinism and cost")
struct LeaseManagerDeterminismTests {
    static let outage = SimTime.zero + .hours(1)..<SimTime.zero + .hours(1) + .minutes(156)

    func recoveryRun(seed: UInt64) -> LeaseRun {
        let run = LeaseRun(outage: Self.outage, seed: seed)
        run.simulator.schedule(at: Self.outage.upperBound + .hours(2)) {
            run.manager.throttle(maxQueued: 128)
            run.manager.restartHosts()
        }
        run.run(until: .hours(8))
        return run
    }

    @Test("the same seed gives the same trace and samples; another seed gives other renewal phases")
    func sameSeedSameTrace() {
        let first = recoveryRun(seed: 11)
        let second = recoveryRun(seed: 11)
        #expect(!first.events.isEmpty)
        #expect(first.transcript == second.transcript)
        #expect(first.manager.samples == second.manager.samples)
        #expect(first.simulator.processedEvents == second.simulator.processedEvents)
        let other = recoveryRun(seed: 12)
        #expect(other.manager.samples != first.manager.samples)
    }

    @Test("a 17-hour run through outage, collapse and recovery stays under 2 million engine events")
    func eventBudget() {
        let collapsed = LeaseRun(outage: Self.outage)
        collapsed.run(until: .hours(17))
        #expect(collapsed.manager.heldFraction < 0.05)
        #expect(collapsed.simulator.processedEvents < 2_000_000)

        let recovered = LeaseRun(outage: Self.outage)
        recovered.simulator.schedule(at: Self.outage.upperBound + .hours(2)) {
            recovered.manager.throttle(maxQueued: 128)
            recovered.manager.restartHosts()
        }
        recovered.run(until: .hours(17))
        #expect(recovered.manager.leasesHeld == 100_000)
        #expect(recovered.simulator.processedEvents < 2_000_000)
    }

    @Test("key-value failures answered synchronously give the same lease history")
    func synchronousFailures() {
        let asynchronous = LeaseRun(outage: Self.outage)
        let synchronous = LeaseRun(outage: Self.outage, synchronousFailures: true)
        asynchronous.run(until: .hours(6))
        synchronous.run(until: .hours(6))
        #expect(synchronous.manager.samples.map(\.leasesHeld) == asynchronous.manager.samples.map(\.leasesHeld))
        #expect(synchronous.manager.heldFraction < 0.05)
    }
}
