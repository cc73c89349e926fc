import SimKernel
import WorldModel

/// One lease manager wired to a key-value service through a ``ScheduledKeyValueAccess``, with its trace recorded.
final class LeaseRun {
    let simulator = Simulator()
    let trace = TraceBus<WorldEvent>()
    let service: KeyValueService
    let access: ScheduledKeyValueAccess
    let manager: LeaseManager
    /// `(time, kind, detail)` of every `.stateChanged` event, in publication order.
    private(set) var events: [(time: SimTime, kind: String, detail: String)] = []

    init(
        spec: LeaseManagerSpec = LeaseManagerSpec(), outage: Range<SimTime>? = nil, seed: UInt64 = 7,
        synchronousFailures: Bool = false
    ) {
        service = KeyValueService(spec: KeyValueServiceSpec(), simulator: simulator)
        access = ScheduledKeyValueAccess(
            service: service, simulator: simulator, outages: outage.map { [$0] } ?? [], synchronousFailures: synchronousFailures)
        manager = LeaseManager(
            id: "droplets", spec: spec, kv: access, simulator: simulator, trace: trace,
            rng: RandomStreams(seed: seed).stream("service/droplets"))
        trace.subscribe { [unowned self] time, event in
            if case .stateChanged(_, let kind, let detail) = event { self.events.append((time, kind, detail)) }
        }
        manager.start()
    }

    /// Runs until the given offset from the start.
    func run(until offset: SimDuration) {
        simulator.run(until: SimTime.zero + offset)
    }

    /// Runs in steps of `step` until every host holds a lease or `limit` is reached; returns the time it happened.
    func runUntilAllHeld(step: SimDuration = .seconds(10), limit: SimDuration) -> SimTime? {
        while simulator.now < SimTime.zero + limit {
            if manager.leasesHeld == manager.spec.hosts { return simulator.now }
            simulator.run(until: simulator.now + step)
        }
        return manager.leasesHeld == manager.spec.hosts ? simulator.now : nil
    }

    /// The per-minute samples taken in `[from, to]` (offsets from the start).
    func samples(from: SimDuration, to: SimDuration) -> [LeaseManagerStatus] {
        manager.samples.filter { $0.time >= SimTime.zero + from && $0.time <= SimTime.zero + to }
    }

    /// The trace as text, for byte-for-byte comparison.
    var transcript: String {
        events.map { "\($0.time) \($0.kind) \($0.detail)" }.joined(separator: "\n")
    }
}
