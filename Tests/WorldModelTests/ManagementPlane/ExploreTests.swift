import DNSModel
import SimKernel
import Testing
@testable import WorldModel

@Test func explore() throws {
    for (seed, start) in [(UInt64(1), SimDuration.hours(1)), (1, .hours(3)), (2, .hours(1)), (2, .hours(3)), (3, .hours(1)), (3, .hours(3))] {
        var f = ManagementPlaneFixture()
        f.seed = seed
        f.duration = .hours(10)
        f.slowdown(at: start, extra: .seconds(30), probability: 0.98)
        let run = try f.run()
        print("seed \(seed) start \(start): emptied \(run.emptied.map(\.sinceStart.description))")
        for s in run.stateChanges { print("  ", s.time.sinceStart, s.kind, s.detail) }
        for s in run.recordChanges { print("  ", s.time.sinceStart, s.count, s.cause) }
        print("   applied \(run.plane.appliedGeneration) stored \(run.plane.storedGenerations.first ?? -1)...\(run.plane.storedGenerations.last ?? -1)")
    }
    for p in [0.3, 0.4, 0.5] {
      for seed: UInt64 in 1...6 {
        var f = ManagementPlaneFixture()
        f.seed = seed
        f.duration = .hours(12)
        f.slowdown(at: .hours(1), extra: .seconds(1), probability: p)
        let run = try f.run()
        print("small p \(p) seed \(seed): stale \(run.stateChanges.count) emptied \(run.emptied.count)")
      }
    }
}
