import SimKernel
import WorldModel

/// A balancer on its own simulator, with every `.stateChanged` line it publishes recorded.
final class BalancerRig {
    let simulator = Simulator()
    let trace = TraceBus<WorldEvent>()
    let balancer: HealthCheckedBalancer
    private(set) var lines: [(time: SimTime, kind: String, detail: String)] = []

    init(spec: HealthCheckedBalancerSpec = HealthCheckedBalancerSpec(), seed: UInt64 = 1) {
        balancer = HealthCheckedBalancer(
            id: ComponentID(.service, "nlb"), spec: spec, simulator: simulator, trace: trace,
            rng: RandomStreams(seed: seed).stream("service/nlb"))
        trace.subscribe { [unowned self] time, event in
            if case .stateChanged(_, let kind, let detail) = event { self.lines.append((time, kind, detail)) }
        }
    }

    func at(_ offset: SimDuration, _ action: @escaping () -> Void) {
        simulator.schedule(at: .zero + offset, action)
    }

    func run(until offset: SimDuration) { simulator.run(until: .zero + offset) }

    func lines(_ kind: String) -> [(time: SimTime, kind: String, detail: String)] { lines.filter { $0.kind == kind } }

    /// Every recorded line, one per row, for comparing runs.
    var rendered: String { lines.map { "\($0.time.nanoseconds) \($0.kind) \($0.detail)" }.joined(separator: "\n") }
}

/// The outage story the balancer tests share, driven by a test double for network propagation:
/// - from 10 min on, a new target joins every 2 min (an autoscaler replacing capacity);
/// - until `drainAt`, propagation is stuck, so targets join without connectivity; at `drainAt` the backlog drains
///   (one stuck target gets connectivity every 10 s), and targets joining later already have it;
/// - an operator disables automatic failover at `disableAt` (if given) and enables it again at `enableAt`.
struct OutageStory {
    var seed: UInt64 = 1
    var spec = HealthCheckedBalancerSpec()
    var disableAt: SimDuration? = .hours(2)
    var enableAt: SimDuration? = .minutes(270)
    var drainAt = SimDuration.minutes(210)
    var end = SimDuration.hours(6)
    /// `false`: the stream's targets join with connectivity from the start (a control run).
    var stuckPropagation = true

    /// When ``Result/errorSeconds`` and ``Result/counters`` are sampled.
    static let marks: [SimDuration] = [.minutes(10), .hours(1), .hours(2), .hours(3), .hours(4), .hours(6)]

    struct Result {
        var rig: BalancerRig
        var errorSeconds: [SimDuration: Double] = [:]
        var counters: [SimDuration: HealthCheckedBalancerCounters] = [:]
        var allNodesInDNS: [SimDuration: Bool] = [:]

        /// The mean error rate between two marks.
        func meanErrorRate(_ from: SimDuration, _ to: SimDuration) -> Double {
            (errorSeconds[to]! - errorSeconds[from]!) / (to - from).seconds
        }
    }

    func run() -> Result {
        let rig = BalancerRig(spec: spec, seed: seed)
        let lb = rig.balancer
        lb.start()
        var stuck: [Int] = []
        var drained = false
        var joinAt = SimDuration.minutes(10)
        while joinAt < end {
            rig.at(joinAt) {
                let target = lb.addTarget(connected: drained || !stuckPropagation)
                if !drained && stuckPropagation { stuck.append(target) }
            }
            joinAt = joinAt + .minutes(2)
        }
        rig.at(drainAt) {
            drained = true
            for (i, target) in stuck.enumerated() {
                rig.simulator.schedule(after: .seconds(Int64(10 * i))) { lb.setTargetConnectivity(target, true) }
            }
        }
        if let disableAt { rig.at(disableAt) { lb.disableAutomaticFailover() } }
        if let enableAt { rig.at(enableAt) { lb.enableAutomaticFailover() } }
        var result = Result(rig: rig)
        for mark in Self.marks {
            rig.run(until: mark)
            result.errorSeconds[mark] = lb.errorSeconds
            result.counters[mark] = lb.counters
            result.allNodesInDNS[mark] = (0..<spec.nodes).allSatisfy { lb.isNodeInDNS($0) }
        }
        return result
    }
}
