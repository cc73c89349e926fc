import SimKernel
import Testing
import WorldModel

@Suite("Lease manager spec")
struct LeaseManagerSpecTests {
    @Test("defaults are valid and give 10 000 items and a 70-minute fleet re-establishment")
    func defaults() {
        let spec = LeaseManagerSpec()
        #expect(spec.problems.isEmpty)
        #expect(spec.items == 10_000)
        #expect(spec.fleetReestablishmentTime == .milliseconds(4_218_750))
    }

    @Test("a partial last item is counted, and its hosts are simulated")
    func partialItem() {
        #expect(LeaseManagerSpec(hosts: 25, hostsPerItem: 10).items == 3)
        let run = LeaseRun(spec: LeaseManagerSpec(hosts: 25, hostsPerItem: 10))
        #expect(run.manager.leasesHeld == 25)
    }

    @Test("inconsistent numbers are reported, one sentence each")
    func problems() {
        #expect(LeaseManagerSpec(leasePeriod: .minutes(5), renewalInterval: .minutes(5)).problems.count == 1)
        #expect(LeaseManagerSpec(hosts: 0, hostsPerItem: 0, workers: 0).problems.count == 3)
        #expect(
            LeaseManagerSpec(workTimeout: .zero, kvCallsPerItem: -1, renewalBatchItems: 0, sweepInterval: .zero).problems.count
                == 4)
    }
}
