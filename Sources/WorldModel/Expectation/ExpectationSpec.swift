public import DNSModel
public import SimKernel

/// One assertion about a run's outcome, checked after the run.
///
/// The minimal expectation language: a metric of one component compared with a bound or a window.
public struct ExpectationSpec: Sendable, Hashable {
    /// A label for reports (defaults to a description of the check).
    public var label: String
    public var component: ComponentID
    public var metric: ExpectationMetric
    public var bound: ExpectationBound
    /// Where the expectation was written (`file:line:column`), for failure messages.
    public var source: String

    public init(label: String, component: ComponentID, metric: ExpectationMetric, bound: ExpectationBound, source: String = "") {
        self.label = label
        self.component = component
        self.metric = metric
        self.bound = bound
        self.source = source
    }
}

/// What is measured.
public enum ExpectationMetric: Sendable, Hashable {
    /// Time of the component's first failed lookup (clients) or first failure answer (resolvers). Absent if none.
    case firstFailure
    /// Time from which the component's lookups succeed to the end of the run. Absent if it never fails or never recovers.
    case recovery
    /// Number of lookups (clients) or answers (resolvers), optionally only those with one outcome.
    case lookups(LookupOutcome?)
    /// Fraction of lookups with the outcome (0…1).
    case fraction(LookupOutcome)
    /// Answers served from stale cache data (resolvers).
    case staleAnswers
    /// Total time the component had no working connection on at least one instance... (clients): time with any instance down.
    case downtime
    /// Lowest fraction of instances with a working connection at any moment (clients), or lowest health (services).
    case minAvailability
    /// Median time from first failure to recovery of the generated companies with one resilience strategy
    /// (`automated`, `manual`, `none`) — component `service/apps`.
    case medianRecovery(strategy: String)
}

/// The allowed values.
public enum ExpectationBound: Sendable, Hashable {
    /// The metric must be absent (e.g. no failure at all).
    case absent
    /// A time (instant) inside the closed window.
    case timeBetween(SimTime, SimTime)
    /// A duration inside the closed window.
    case durationBetween(SimDuration, SimDuration)
    /// A number inside the closed range (either side open when nil).
    case number(min: Double?, max: Double?)
}
