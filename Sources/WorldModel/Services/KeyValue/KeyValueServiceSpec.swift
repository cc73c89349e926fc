public import SimKernel

/// The request-serving capacity of a key-value service (DynamoDB-like) behind its load balancers.
///
/// The defaults are illustrative, not measurements of any real service; a scenario sets its own numbers.
///
/// ```swift
/// let spec = KeyValueServiceSpec(capacityPerSecond: 50_000, maxQueueDelay: .milliseconds(50))
/// ```
public struct KeyValueServiceSpec: Sendable, Hashable {
    /// Requests per second the whole fleet serves (a request of cost 1 is one request). Default 100 000.
    public var capacityPerSecond: Double
    /// Latency every served request pays on top of queueing and service (network round trip, storage). Default 5 ms.
    /// A throttling rejection also takes this long to reach the caller.
    public var baseLatency: SimDuration
    /// The longest a request may wait behind earlier ones; a request that would wait longer is rejected at once
    /// with a throttling error instead of being queued. Default 100 ms.
    public var maxQueueDelay: SimDuration

    /// A spec; every argument has a documented default.
    public init(
        capacityPerSecond: Double = 100_000, baseLatency: SimDuration = .milliseconds(5),
        maxQueueDelay: SimDuration = .milliseconds(100)
    ) {
        self.capacityPerSecond = capacityPerSecond
        self.baseLatency = baseLatency
        self.maxQueueDelay = maxQueueDelay
    }

    /// What is wrong with the spec, one sentence per problem; empty when it is usable.
    public var problems: [String] {
        var out: [String] = []
        if !(capacityPerSecond > 0) || !capacityPerSecond.isFinite {
            out.append("capacityPerSecond must be a positive number (got \(capacityPerSecond))")
        }
        if baseLatency < .zero { out.append("baseLatency must not be negative (got \(baseLatency))") }
        if maxQueueDelay < .zero { out.append("maxQueueDelay must not be negative (got \(maxQueueDelay))") }
        return out
    }
}
