import DNSModel
import SimKernel
import Testing
@testable import WorldModel

@Test func explore() throws {
    let cases: [(SimDuration, Double)] = [(.zero, 0), (.seconds(1), 0.5), (.seconds(2), 0.8), (.seconds(10), 0.95), (.seconds(20), 0.97), (.seconds(30), 0.98)]
    for (extra, p) in cases {
        for seed: UInt64 in 1...4 {
            var f = ManagementPlaneFixture()
            f.seed = seed
            f.duration = .hours(8)
            f.slowdown(at: .hours(1), extra: extra, probability: p)
            let run = try f.run()
            let stale = run.stateChanges.filter { $0.kind == "staleApply" }.count
            print("extra \(extra) p \(p) seed \(seed): emptied \(run.emptied.map(\.description)) stale \(stale) stuck \(run.plane.isStuck) applied \(run.plane.appliedGeneration) latest \(run.plane.latestGeneration) events \(run.simulator.processedEvents) changes \(run.recordChanges.count)")
        }
    }
}
