public import SimKernel

/// How a propagation queue (Network-Manager-like) turns launched instances into instances with connectivity.
///
/// `workers` take waiting instances in FIFO order, each up to `batchSize` at a time; together, when all are busy,
/// they propagate `throughputPerSecond` instances per second (one worker: `throughputPerSecond / workers`).
/// A processed batch's configuration then takes `normalDelay` to reach its hosts. An idle queue therefore gives a
/// new instance connectivity after `normalDelay` plus one item's processing time; a backlog of `B` instances adds
/// about `B / throughputPerSecond`.
///
/// ```swift
/// let spec = PropagationQueueSpec(throughputPerSecond: 5, normalDelay: .seconds(3))
/// ```
///
/// The defaults are illustrative parameters, not published figures.
public struct PropagationQueueSpec: Sendable, Hashable {
    /// Parallel workers (default 4).
    public var workers: Int
    /// Instances propagated per second when every worker is busy (default 20).
    public var throughputPerSecond: Double
    /// The most instances one worker takes at a time (default 50). Larger batches mean fewer events, not more speed.
    public var batchSize: Int
    /// Time from a batch's processing to connectivity on its hosts: the baseline delay (default 2 s).
    public var normalDelay: SimDuration
    /// Delays whose crossing is worth a timeline line (`backlog`), ascending (default 1 min, 10 min, 1 h).
    /// A level is left again only when the delay falls to half its threshold, so a delay hovering at a
    /// threshold does not produce a line per batch.
    public var delayThresholds: [SimDuration]

    public init(
        workers: Int = 4, throughputPerSecond: Double = 20, batchSize: Int = 50, normalDelay: SimDuration = .seconds(2),
        delayThresholds: [SimDuration] = [.minutes(1), .minutes(10), .hours(1)]
    ) {
        self.workers = workers
        self.throughputPerSecond = throughputPerSecond
        self.batchSize = batchSize
        self.normalDelay = normalDelay
        self.delayThresholds = delayThresholds
    }

    /// The time one worker takes to process a batch of `count` instances.
    public func processingTime(batch count: Int) -> SimDuration {
        .fractionalSeconds(Double(count) * Double(workers) / throughputPerSecond)
    }

    /// What is wrong with these values, one sentence each; empty when the spec can be used.
    public var validationProblems: [String] {
        var problems: [String] = []
        if workers < 1 { problems.append("workers must be at least 1") }
        if !(throughputPerSecond > 0) || !throughputPerSecond.isFinite {
            problems.append("throughputPerSecond must be a positive number")
        }
        if batchSize < 1 { problems.append("batchSize must be at least 1") }
        if normalDelay < .zero { problems.append("normalDelay must not be negative") }
        if delayThresholds.contains(where: { $0 <= .zero }) { problems.append("delayThresholds must be positive") }
        return problems
    }
}
