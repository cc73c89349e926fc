public import SimKernel

/// What a caller can change about a run without editing the scenario file.
public struct RunOptions: Sendable {
    /// Replaces the scenario's seed (`--seed`).
    public var seed: UInt64?
    /// `path=value` overrides applied while loading (`--set`), in order.
    public var overrides: [String]
    /// Stops the run this long after its start, if earlier than the scenario's end (`--until`).
    public var until: SimDuration?
    /// Replaces the scenario's event budget, `limits.events` (`--max-events`).
    public var maxEvents: Int?
    /// Replaces the scenario's memory budget in MiB, `limits.memoryMB` (`--max-memory-mb`).
    public var maxMemoryMB: Int?

    public init(
        seed: UInt64? = nil, overrides: [String] = [], until: SimDuration? = nil, maxEvents: Int? = nil,
        maxMemoryMB: Int? = nil
    ) {
        self.seed = seed
        self.overrides = overrides
        self.until = until
        self.maxEvents = maxEvents
        self.maxMemoryMB = maxMemoryMB
    }
}
