import SimKernel
import Testing
import WorldModel

/// Background target failures: hidden by health checks while automatic failover is on; with
/// `failoverCoversTargets`, exposed to clients while it is off, and hidden again once it is back on.
@Suite("Health-checked load balancer: background failures")
struct BackgroundFailureTests {
    /// 3,000 targets (as in the US-EAST-1 replay), each failing 0.15 times an hour for 10 min on average: about
    /// 2.5 % failing at any moment.
    static func spec(coversTargets: Bool = true) -> HealthCheckedBalancerSpec {
        HealthCheckedBalancerSpec(
            targets: 3_000, offeredLoad: 0.6, newTargetsInService: false, targetFailureRate: 0.15,
            targetRepairTime: .minutes(10), failoverCoversTargets: coversTargets, errorFloor: 0.005)
    }

    /// Failover off from 1 h to 3 h; the mean error rate per hour and the recorded lines.
    static func run(
        spec: HealthCheckedBalancerSpec, seed: UInt64 = 1, enableAt: SimDuration? = .hours(3)
    )
        -> (hourly: [Double], rig: BalancerRig)
    {
        let rig = BalancerRig(spec: spec, seed: seed)
        let lb = rig.balancer
        lb.start()
        rig.at(.hours(1)) { lb.disableAutomaticFailover() }
        if let enableAt { rig.at(enableAt) { lb.enableAutomaticFailover() } }
        var hourly: [Double] = []
        var previous = 0.0
        for hour in 1...5 {
            rig.run(until: .hours(Int64(hour)))
            hourly.append(lb.errorSeconds - previous)
            previous = lb.errorSeconds
        }
        return (hourly.map { $0 / 3_600 }, rig)
    }

    @Test("failing targets are taken out within two rounds: clients hardly notice", arguments: [UInt64(1), 7])
    func hiddenByHealthChecks(seed: UInt64) {
        let rig = BalancerRig(spec: Self.spec(), seed: seed)
        rig.balancer.start()
        rig.run(until: .hours(4))
        let lb = rig.balancer
        // About 3,000 × 0.15 × 4 = 1,800 failures.
        #expect(lb.counters.targetFailures > 1_500 && lb.counters.targetFailures < 2_100)
        #expect(lb.counters.targetsTakenOutOfService >= lb.counters.targetFailures * 9 / 10)
        #expect(lb.errorSeconds / (4 * 3_600) < 0.002)
        #expect(lb.counters.nodeRemovals == 0)
        #expect(rig.lines("errors").isEmpty)
    }

    @Test("with failover off, failing targets stay in service: about their share of connections fails")
    func exposedWhileFailoverIsOff() {
        let (hourly, rig) = Self.run(spec: Self.spec())
        #expect(hourly[0] < 0.002)
        // Hours 2 and 3 (failover off): about 2.5 % of targets failing.
        for rate in hourly[1...2] { #expect(rate > 0.01 && rate < 0.05, "error rate \(rate)") }
        // Back on at 3 h: the failing targets leave service at their next checks.
        #expect(hourly[3] < 0.002 && hourly[4] < 0.002)
        let errors = rig.lines("errors")
        #expect(errors.first?.detail.hasPrefix("connection errors began") == true)
        #expect(errors.first.map { $0.time >= .zero + .hours(1) } == true)
        let ended = errors.last { $0.detail.hasPrefix("connection errors ended") }
        #expect(ended.map { $0.time > .zero + .hours(3) && $0.time < .zero + .hours(3) + .minutes(7) } == true)
        #expect(rig.lines("failover").last?.detail.contains("failing target(s) in service") == true)
    }

    @Test("never switched back on: the exposure lasts")
    func neverReEnabled() {
        let (hourly, rig) = Self.run(spec: Self.spec(), enableAt: nil)
        for rate in hourly[1...4] { #expect(rate > 0.01, "error rate \(rate)") }
        #expect(!rig.lines("errors").contains { $0.detail.hasPrefix("connection errors ended") })
    }

    @Test("when switching failover off covers only nodes, target checks keep hiding the failures")
    func nodesOnly() {
        let (hourly, _) = Self.run(spec: Self.spec(coversTargets: false))
        for rate in hourly { #expect(rate < 0.002, "error rate \(rate)") }
    }

    @Test("same seed, same lines and counters")
    func deterministic() {
        let a = Self.run(spec: Self.spec(), seed: 3)
        let b = Self.run(spec: Self.spec(), seed: 3)
        #expect(a.rig.rendered == b.rig.rendered)
        #expect(a.rig.balancer.counters == b.rig.balancer.counters)
        #expect(a.hourly == b.hourly)
    }
}
