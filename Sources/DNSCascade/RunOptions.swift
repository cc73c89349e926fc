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
    /// Full-scale mode (`--full-scale`): every generated company runs its own simulated app instances — the
    /// scenario's `apps.population.instances`, or its defaults when the file has none (``PopulationInstancesSpec``).
    public var fullScale: Bool

    public init(
        seed: UInt64? = nil, overrides: [String] = [], until: SimDuration? = nil, maxEvents: Int? = nil,
        maxMemoryMB: Int? = nil, fullScale: Bool = false
    ) {
        self.fullScale = fullScale
        self.seed = seed
        self.overrides = overrides
        self.until = until
        self.maxEvents = maxEvents
        self.maxMemoryMB = maxMemoryMB
    }
}
