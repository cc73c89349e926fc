public import SimKernel

/// The key facts of one run — its seed, whether its expectations held, and each component's failure times — small
/// enough to keep for thousands of runs (Monte Carlo studies, sweeps) after the run's full results are gone.
public struct RunSummary: Sendable, Hashable {
    /// One component's failure, in virtual time from the start of the run (absent: it did not happen).
    public struct Component: Sendable, Hashable {
        public var id: ComponentID
        public var firstFailure: SimDuration?
        public var recovery: SimDuration?
        /// Time failing (clients: with an instance down; services and apps: below their healthy level).
        public var downtime: SimDuration?

        public init(id: ComponentID, firstFailure: SimDuration?, recovery: SimDuration?, downtime: SimDuration?) {
            self.id = id
            self.firstFailure = firstFailure
            self.recovery = recovery
            self.downtime = downtime
        }
    }

    public var seed: UInt64
    /// Whether every expectation held in this run.
    public var passed: Bool
    /// Clients, then resolvers, then services (scenario order), then named apps.
    public var components: [Component]
    public var eventsProcessed: Int
    public var lookups: Int

    public init(_ results: RunResults, passed: Bool) {
        func since(_ time: SimTime?) -> SimDuration? { time.map { $0 - .zero } }
        var components = results.clients.map {
            Component(id: $0.id, firstFailure: since($0.firstFailure), recovery: since($0.recovery), downtime: $0.downtime)
        }
        components += results.resolvers.map {
            Component(id: $0.id, firstFailure: since($0.firstFailure), recovery: since($0.recovery), downtime: nil)
        }
        components += results.services.map {
            Component(id: $0.id, firstFailure: since($0.firstFailure), recovery: since($0.recovery), downtime: $0.downtime)
        }
        components += (results.impact?.apps ?? []).map {
            Component(
                id: ComponentID(.service, "app/\($0.name)"), firstFailure: since($0.firstFailure),
                recovery: $0.downAtEnd ? nil : since($0.recovery), downtime: $0.timeDown)
        }
        self.seed = results.seed
        self.passed = passed
        self.components = components
        self.eventsProcessed = results.eventsProcessed
        self.lookups = results.totalLookups
    }
}
