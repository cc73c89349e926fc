import SimKernel
import Testing
import WorldModel

@Suite("Health-checked load balancer")
struct HealthCheckedBalancerTests {
    @Test("all targets healthy: no errors, no failover, no flaps, no timeline lines")
    func allHealthy() {
        let rig = BalancerRig()
        rig.balancer.start()
        rig.run(until: .hours(6))
        let lb = rig.balancer
        #expect(lb.errorRate == 0)
        #expect(lb.errorSeconds == 0)
        #expect(lb.counters.nodeRemovals == 0)
        #expect(lb.counters.flapEpisodes == 0)
        #expect(lb.counters.failedTargetChecks == 0)
        #expect(lb.counters.targetsTakenOutOfService == 0)
        #expect(lb.nodesInDNS == 3)
        #expect(rig.lines.isEmpty)
        // Every target is checked once per interval: 30 targets × 2,160 rounds (±1 round per node for the phase).
        #expect(abs(lb.counters.targetChecks - 30 * 2_160) <= 30)
    }

    @Test("the same stream of targets joining with connectivity causes no errors and no flaps (control)")
    func connectedJoinersAreHarmless() {
        var story = OutageStory()
        story.stuckPropagation = false
        let result = story.run()
        let lb = result.rig.balancer
        #expect(lb.targetCount == 30 + 175)
        #expect(lb.errorSeconds == 0)
        #expect(lb.counters.nodeRemovals == 0)
        #expect(result.rig.lines("errors").isEmpty)
        #expect(result.rig.lines("flap").isEmpty)
    }

    @Test("targets joining without connectivity make nodes flap in DNS and clients see connection errors")
    func stuckPropagationMakesNodesFlap() {
        let result = OutageStory().run()
        let before = result.counters[.hours(2)]!
        #expect(before.nodeRemovals >= 3)
        #expect(before.nodeReturns >= 2)
        #expect(before.flapEpisodes >= 1)
        #expect(before.targetsTakenOutOfService >= 40)
        #expect(result.meanErrorRate(.minutes(10), .hours(2)) > 0.01)
        #expect(result.counters[.minutes(10)]!.nodeRemovals == 0)
        let flaps = result.rig.lines("flap")
        #expect(flaps.first?.detail.contains("flapping in and out of DNS") == true)
        let errors = result.rig.lines("errors")
        #expect(errors.first?.detail.hasPrefix("connection errors began") == true)
        #expect(errors.first.map { $0.time >= .zero + .minutes(10) } == true)
        // Capacity was cut: at some point the error rate exceeded what the joiners alone cause.
        #expect(before.peakErrorRate > 0.1)
    }

    @Test("disabling automatic failover while flapping cuts errors, but joiners without connectivity still fail some")
    func disablingFailoverRestoresCapacity() {
        let result = OutageStory().run()
        let flapping = result.meanErrorRate(.hours(1), .hours(2))
        let disabled = result.meanErrorRate(.hours(2), .hours(3))
        #expect(disabled < flapping / 5)
        #expect(disabled > 0)
        #expect(result.allNodesInDNS[.hours(3)] == true)
        #expect(result.counters[.hours(3)]!.nodeRemovals == result.counters[.hours(2)]!.nodeRemovals)
        let operatorLine = result.rig.lines("failover").first { $0.detail.hasPrefix("automatic failover disabled") }
        #expect(operatorLine?.time == .zero + .hours(2))
    }

    @Test("without automatic failover the same story never removes a node, and errors stay low")
    func failoverOffFromTheStart() {
        var story = OutageStory()
        story.spec.failoverEnabled = false
        story.disableAt = nil
        story.enableAt = nil
        let result = story.run()
        let withFailover = OutageStory().run()
        #expect(result.counters[.hours(6)]!.nodeRemovals == 0)
        #expect(result.rig.lines("flap").isEmpty)
        #expect(result.meanErrorRate(.minutes(10), .hours(2)) > 0)
        #expect(result.meanErrorRate(.minutes(10), .hours(2)) < withFailover.meanErrorRate(.minutes(10), .hours(2)) / 5)
    }

    @Test("once connectivity arrives the errors end, even with automatic failover enabled again")
    func connectivityEndsErrors() {
        let result = OutageStory().run()
        let lb = result.rig.balancer
        #expect(result.errorSeconds[.hours(6)] == result.errorSeconds[.hours(4)])
        #expect(lb.errorRate == 0)
        #expect(lb.targetsWithConnectivity == lb.targetCount)
        #expect(lb.targetsInService == lb.targetCount)
        #expect(result.counters[.hours(6)]!.nodeRemovals == result.counters[.hours(4)]!.nodeRemovals)
        let ended = result.rig.lines("errors").last
        #expect(ended?.detail.hasPrefix("connection errors ended") == true)
        #expect(ended.map { $0.time > .zero + .minutes(210) } == true)
        #expect(result.rig.lines("failover").last?.detail.hasPrefix("automatic failover enabled") == true)
    }

    @Test("with failover left on, connectivity alone ends the flapping and the errors", arguments: [UInt64(3), 11])
    func connectivityEndsFlapping(seed: UInt64) {
        var story = OutageStory()
        story.seed = seed
        story.disableAt = nil
        story.enableAt = nil
        let result = story.run()
        #expect(result.counters[.hours(2)]!.flapEpisodes >= 1)
        #expect(result.errorSeconds[.hours(6)] == result.errorSeconds[.hours(4)])
        #expect(result.allNodesInDNS[.hours(4)] == true)
        #expect(result.counters[.hours(6)]!.nodeRemovals == result.counters[.hours(4)]!.nodeRemovals)
        let lastFlap = result.rig.lines("flap").last
        #expect(lastFlap?.detail.contains("stopped flapping") == true)
    }

    @Test("a node whose targets all lose connectivity: failover trades its failures for overload on the others")
    func deadZoneFailover() {
        let rig = BalancerRig()
        let lb = rig.balancer
        lb.start()
        rig.run(until: .minutes(1))
        // Targets are spread round-robin: node 1 holds targets 0, 3, 6, …
        for target in stride(from: 0, to: 30, by: 3) { lb.setTargetConnectivity(target, false) }
        // Every connection to node 1 fails at once: a third of all connections.
        #expect(abs(lb.errorRate - 1.0 / 3) < 1e-12)
        rig.run(until: .minutes(2))
        // Failover removed node 1; the other two carry 0.75 × 30 / 2 = 11.25 units on 10 targets each.
        #expect(!lb.isNodeInDNS(0))
        #expect(lb.nodesInDNS == 2)
        #expect(abs(lb.errorRate - (1 - 10 / 11.25)) < 1e-12)
        #expect(rig.lines("failover").count == 1)
        #expect(rig.lines("failover").first?.detail.contains("node 1 removed from DNS") == true)
        lb.disableAutomaticFailover()
        #expect(abs(lb.errorRate - 1.0 / 3) < 1e-12)
        for target in stride(from: 0, to: 30, by: 3) { lb.setTargetConnectivity(target, true) }
        rig.run(until: .minutes(10))
        #expect(lb.errorRate == 0)
        #expect(lb.targetsInService == 30)
        #expect(rig.lines("errors").last?.detail.hasPrefix("connection errors ended") == true)
    }

    @Test("when every node is removed, DNS answers with all of them (fail open)")
    func failOpen() {
        var spec = HealthCheckedBalancerSpec()
        spec.offeredLoad = 0.3
        let rig = BalancerRig(spec: spec)
        let lb = rig.balancer
        lb.start()
        for target in 0..<30 { lb.setTargetConnectivity(target, false) }
        rig.run(until: .minutes(5))
        #expect((0..<3).allSatisfy { !lb.isNodeInDNS($0) })
        #expect(lb.nodesInDNS == 3)
        #expect(lb.errorRate == 1)
        #expect(rig.lines("failover").contains { $0.detail.contains("fail open") })
    }

    @Test("removed targets stop counting; a node left without targets fails its checks")
    func removingTargets() {
        var spec = HealthCheckedBalancerSpec(targets: 6)
        spec.offeredLoad = 0.5
        let rig = BalancerRig(spec: spec)
        let lb = rig.balancer
        lb.start()
        lb.removeTarget(0)
        lb.removeTarget(3)
        #expect(lb.targetCount == 4)
        #expect(lb.targetsInService == 4)
        // Node 1 has no targets: its share of connections (a third) fails until failover removes it.
        #expect(abs(lb.errorRate - 1.0 / 3) < 1e-12)
        rig.run(until: .minutes(2))
        #expect(!lb.isNodeInDNS(0))
        // The other two nodes now carry 0.5 × 6 / 2 = 1.5 units on 2 targets each: no overload.
        #expect(lb.errorRate == 0)
    }

    @Test("a changed offered load is felt at once")
    func offeredLoadChange() {
        let rig = BalancerRig()
        let lb = rig.balancer
        lb.start()
        lb.offeredLoad = 1.5
        // Each node gets 15 units on 10 targets: a third of the connections overflow.
        #expect(abs(lb.errorRate - 1.0 / 3) < 1e-12)
        lb.offeredLoad = 1
        #expect(lb.errorRate == 0)
    }

    @Test("the same seed gives identical traces; another seed flaps differently")
    func determinism() {
        let a = OutageStory(seed: 7).run()
        let b = OutageStory(seed: 7).run()
        #expect(a.rig.rendered == b.rig.rendered)
        #expect(a.counters[.hours(6)] == b.counters[.hours(6)])
        #expect(a.errorSeconds[.hours(6)] == b.errorSeconds[.hours(6)])
        #expect(!a.rig.rendered.isEmpty)
        let c = OutageStory(seed: 8).run()
        #expect(a.rig.rendered != c.rig.rendered)
    }

    @Test("invalid parameters are reported, one sentence each")
    func validation() {
        #expect(HealthCheckedBalancerSpec().validationProblems.isEmpty)
        var spec = HealthCheckedBalancerSpec()
        spec.nodes = 0
        spec.failoverThreshold = 1
        spec.checkInterval = .zero
        #expect(spec.validationProblems.count == 3)
    }
}
