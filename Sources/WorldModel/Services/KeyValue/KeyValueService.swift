public import SimKernel

/// The request serving of a key-value service (DynamoDB-like), as a deterministic FIFO fluid server.
///
/// Requests are served in arrival order. Each occupies `cost / capacityPerSecond` seconds of the fleet's service
/// time, so a request's latency is its wait behind earlier requests, plus its own service time, plus
/// ``KeyValueServiceSpec/baseLatency``: latency rises with offered load. A request that would wait longer than
/// ``KeyValueServiceSpec/maxQueueDelay`` is rejected at once with `.throttled` (it takes no capacity), so beyond
/// capacity the service serves `capacityPerSecond` and throttles the rest.
///
/// ```swift
/// let sim = Simulator()
/// let kv = KeyValueService(spec: KeyValueServiceSpec(capacityPerSecond: 1_000), simulator: sim)
/// kv.handle { result in
///     if case .ok(let latency) = result { print("served in", latency) }
/// }
/// sim.runToCompletion()
/// ```
///
/// Results are always delivered by a scheduled event, never from inside ``handle(cost:completion:)``.
/// Counters are kept per second of arrival (``loadHistory``) and in total, for reports; they count requests (calls),
/// and ``servedUnits``/``throttledUnits`` count request units.
public final class KeyValueService {
    /// The capacity and latency parameters.
    public let spec: KeyValueServiceSpec
    private let simulator: Simulator
    // Stored state skips Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`): every access is short and none
    // is held across a call out (completions are scheduled, never called from here).

    /// When the fleet finishes the work already accepted.
    @exclusivity(unchecked) private var busyUntil: SimTime

    /// Requests served since the start.
    @exclusivity(unchecked) public private(set) var servedCount = 0
    /// Requests rejected with a throttling error since the start.
    @exclusivity(unchecked) public private(set) var throttledCount = 0
    /// Request units (the sum of the costs) served since the start.
    @exclusivity(unchecked) public private(set) var servedUnits: Double = 0
    /// Request units rejected with a throttling error since the start.
    @exclusivity(unchecked) public private(set) var throttledUnits: Double = 0
    /// The most requests (served plus throttled) that arrived within one second.
    @exclusivity(unchecked) public private(set) var peakRequestsPerSecond = 0
    /// The most served requests that arrived within one second.
    @exclusivity(unchecked) public private(set) var peakServedPerSecond = 0
    /// The longest latency of a served request.
    @exclusivity(unchecked) public private(set) var maxLatency = SimDuration.zero
    @exclusivity(unchecked) private var totalLatencyNanoseconds: Double = 0
    @exclusivity(unchecked) private var closedSeconds: [KeyValueLoadSample] = []
    @exclusivity(unchecked) private var currentSecond: KeyValueLoadSample?

    /// A service with an empty queue.
    public init(spec: KeyValueServiceSpec, simulator: Simulator) {
        precondition(spec.problems.isEmpty, "invalid KeyValueServiceSpec: \(spec.problems.joined(separator: "; "))")
        self.spec = spec
        self.simulator = simulator
        self.busyUntil = simulator.now
    }

    /// Offers one request of `cost` request units (a positive number; 1 is one ordinary request).
    ///
    /// `completion` runs later, at the virtual time the answer reaches the caller: after the latency for `.ok`,
    /// after ``KeyValueServiceSpec/baseLatency`` for `.throttled`. This service never answers `.unreachable`.
    public func handle(cost: Double = 1, completion: @escaping (KeyValueCallResult) -> Void) {
        precondition(cost > 0 && cost.isFinite, "request cost must be a positive number")
        let now = simulator.now
        let start = max(now, busyUntil)
        if start - now > spec.maxQueueDelay {
            count(at: now, served: false)
            throttledUnits += cost
            simulator.schedule(after: spec.baseLatency) { completion(.throttled) }
            return
        }
        busyUntil = start + .fractionalSeconds(cost / spec.capacityPerSecond)
        let answerAt = busyUntil + spec.baseLatency
        let latency = answerAt - now
        count(at: now, served: true)
        servedUnits += cost
        totalLatencyNanoseconds += Double(latency.nanoseconds)
        maxLatency = max(maxLatency, latency)
        simulator.schedule(at: answerAt) { completion(.ok(latency: latency)) }
    }

    /// How long a request arriving now would wait before its service starts.
    public var currentQueueDelay: SimDuration {
        max(.zero, busyUntil - simulator.now)
    }

    /// The mean latency of served requests, or `nil` before the first one.
    public var meanLatency: SimDuration? {
        servedCount == 0 ? nil : SimDuration(nanoseconds: Int64((totalLatencyNanoseconds / Double(servedCount)).rounded()))
    }

    /// Per-second counts, in time order, for every second in which at least one request arrived.
    public var loadHistory: [KeyValueLoadSample] {
        guard let currentSecond else { return closedSeconds }
        return closedSeconds + [currentSecond]
    }

    private func count(at time: SimTime, served: Bool) {
        let second = time.nanoseconds / 1_000_000_000
        if let open = currentSecond, open.second != second {
            closedSeconds.append(open)
            currentSecond = nil
        }
        var bucket = currentSecond ?? KeyValueLoadSample(second: second)
        if served {
            servedCount += 1
            bucket.served += 1
        } else {
            throttledCount += 1
            bucket.throttled += 1
        }
        currentSecond = bucket
        peakRequestsPerSecond = max(peakRequestsPerSecond, bucket.requests)
        peakServedPerSecond = max(peakServedPerSecond, bucket.served)
    }
}
