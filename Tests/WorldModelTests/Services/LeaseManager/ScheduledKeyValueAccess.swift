import SimKernel
import WorldModel

/// A test double for ``KeyValueAccess``: unreachable during scheduled virtual-time windows, otherwise forwards to a
/// real ``KeyValueService``.
final class ScheduledKeyValueAccess: KeyValueAccess {
    let service: KeyValueService
    let simulator: Simulator
    /// Windows during which every call fails with `.unreachable`.
    var outages: [Range<SimTime>]
    /// When `true`, `.unreachable` is answered from inside `call` (allowed by the protocol); otherwise after `failureLatency`.
    let synchronousFailures: Bool
    let failureLatency: SimDuration
    private(set) var calls = 0
    private(set) var unreachableCalls = 0

    init(
        service: KeyValueService, simulator: Simulator, outages: [Range<SimTime>] = [], synchronousFailures: Bool = false,
        failureLatency: SimDuration = .milliseconds(1)
    ) {
        self.service = service
        self.simulator = simulator
        self.outages = outages
        self.synchronousFailures = synchronousFailures
        self.failureLatency = failureLatency
    }

    func call(from caller: Int, cost: Double, completion: @escaping (KeyValueCallResult) -> Void) {
        calls += 1
        let now = simulator.now
        guard outages.contains(where: { $0.contains(now) }) else {
            service.handle(cost: cost, completion: completion)
            return
        }
        unreachableCalls += 1
        if synchronousFailures {
            completion(.unreachable)
        } else {
            simulator.schedule(after: failureLatency) { completion(.unreachable) }
        }
    }
}
