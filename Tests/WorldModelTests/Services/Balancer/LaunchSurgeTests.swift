import SimKernel
import Testing
import WorldModel

/// The two mechanisms together, with default parameters, over 17 hours: launches stop (a lease manager is down),
/// then resume as a surge larger than the propagation throughput; the balancer's autoscaler launches through the
/// same queue and registers each instance after it boots, with or without connectivity.
private final class LaunchSurge {
    let simulator = Simulator()
    let trace = TraceBus<WorldEvent>()
    let queue: PropagationQueue
    let balancer: HealthCheckedBalancer
    private(set) var lines: [(time: SimTime, component: String, kind: String, detail: String)] = []
    private(set) var errorSeconds: [SimDuration: Double] = [:]
    private var nextInstance = 0

    static let surgeStart = SimDuration.hours(5)
    static let surgeEnd = SimDuration.hours(8)
    static let disableAt = SimDuration.minutes(510)
    static let enableAt = SimDuration.hours(12)
    static let end = SimDuration.hours(17)
    static let boot = SimDuration.seconds(90)

    init(seed: UInt64) {
        queue = PropagationQueue(
            id: ComponentID(.service, "network-manager"), spec: PropagationQueueSpec(), simulator: simulator, trace: trace)
        balancer = HealthCheckedBalancer(
            id: ComponentID(.service, "nlb"), spec: HealthCheckedBalancerSpec(), simulator: simulator, trace: trace,
            rng: RandomStreams(seed: seed).stream("service/nlb"))
        trace.subscribe { [unowned self] time, event in
            if case .stateChanged(let component, let kind, let detail) = event {
                self.lines.append((time, component.name, kind, detail))
            }
        }
    }

    /// Region-wide launches: 30 per second during the surge, 5 per second after it, none before.
    private func launches(at second: Int64) -> Int {
        let time = SimDuration.seconds(second)
        if time < Self.surgeStart { return 0 }
        return time < Self.surgeEnd ? 30 : 5
    }

    private func launchForBalancer() {
        var connected = false
        var target: Int?
        queue.submit(instance: nextInstance) { [unowned self] in
            connected = true
            if let target { self.balancer.setTargetConnectivity(target, true) }
        }
        nextInstance += 1
        simulator.schedule(after: Self.boot) { [unowned self] in target = self.balancer.addTarget(connected: connected) }
    }

    func run(marks: [SimDuration]) {
        balancer.start()
        for second in Self.surgeStart.wholeSeconds..<Self.end.wholeSeconds {
            simulator.schedule(at: .zero + .seconds(second)) { [unowned self] in
                for _ in 0..<self.launches(at: second) {
                    self.queue.submit(instance: self.nextInstance) {}
                    self.nextInstance += 1
                }
                if second % 120 == 0 { self.launchForBalancer() }
            }
        }
        simulator.schedule(at: .zero + Self.disableAt) { [unowned self] in self.balancer.disableAutomaticFailover() }
        simulator.schedule(at: .zero + Self.enableAt) { [unowned self] in self.balancer.enableAutomaticFailover() }
        for mark in marks {
            simulator.run(until: .zero + mark)
            errorSeconds[mark] = balancer.errorSeconds
        }
    }

    func lines(_ component: String, _ kind: String) -> [(time: SimTime, component: String, kind: String, detail: String)] {
        lines.filter { $0.component == component && $0.kind == kind }
    }
}

@Suite("Launch surge through propagation queue and balancer")
struct LaunchSurgeTests {
    static let marks: [SimDuration] = [.hours(5), .minutes(510), .hours(10), .hours(12), .hours(17)]

    @Test("a surge delays connectivity for hours, the balancer flaps and errs, and recovers when the backlog drains")
    func surgeStory() {
        let surge = LaunchSurge(seed: 1)
        surge.run(marks: Self.marks)
        // Nothing happens while launches are stopped.
        #expect(surge.errorSeconds[.hours(5)] == 0)
        // The queue's delay grew to more than an hour, then went back to normal.
        let backlog = surge.lines("network-manager", "backlog")
        #expect(backlog.contains { $0.detail.hasPrefix("propagation delay over 1h") })
        let normal = backlog.last { $0.detail.hasPrefix("propagation back to normal") }
        #expect(normal != nil)
        #expect(surge.queue.peakDelay > .hours(1))
        // The balancer flapped and its clients saw errors while instances joined without connectivity.
        #expect(surge.balancer.counters.flapEpisodes >= 1)
        let errors = surge.lines("nlb", "errors")
        #expect(errors.first?.detail.hasPrefix("connection errors began") == true)
        #expect(errors.first.map { $0.time > .zero + LaunchSurge.surgeStart } == true)
        let failingWithFailover = (surge.errorSeconds[.minutes(510)]! - surge.errorSeconds[.hours(5)]!)
        #expect(failingWithFailover > 0)
        // Once the backlog has drained, instances boot with connectivity: the errors end for good.
        #expect(errors.last?.detail.hasPrefix("connection errors ended") == true)
        if let normal, let ended = errors.last { #expect(ended.time < normal.time + .minutes(15)) }
        #expect(surge.errorSeconds[.hours(17)] == surge.errorSeconds[.hours(12)])
        #expect(surge.balancer.errorRate == 0)
        // Event budget: 17 hours with default parameters stays well under a million events.
        #expect(surge.simulator.processedEvents < 1_000_000)
    }

    @Test("the same seed gives the same lines")
    func determinism() {
        let marks: [SimDuration] = [.hours(5), .minutes(510), .hours(10)]
        let a = LaunchSurge(seed: 4)
        a.run(marks: marks)
        let b = LaunchSurge(seed: 4)
        b.run(marks: marks)
        let render = { (s: LaunchSurge) in s.lines.map { "\($0.time.nanoseconds) \($0.component) \($0.detail)" } }
        #expect(render(a) == render(b))
        #expect(a.simulator.processedEvents == b.simulator.processedEvents)
        #expect(a.lines.contains { $0.kind == "flap" })
    }
}
