public import DNSModel
public import SimKernel

/// One assertion about a run's outcome, checked after the run.
///
/// A metric of one component, optionally narrowed by a ``LookupScope`` (one name, a time window), compared with a
/// bound; over several runs (Monte Carlo), ``runs`` says whether a percentile of the metric or the share of runs
/// that pass is checked.
public struct ExpectationSpec: Sendable, Hashable {
    /// A label for reports (defaults to a description of the check).
    public var label: String
    public var component: ComponentID
    public var metric: ExpectationMetric
    public var bound: ExpectationBound
    /// Which lookups count, for `lookups` and `fraction` (all of them by default).
    public var scope: LookupScope
    /// How the expectation reads over several runs (`nil`: it must hold in every run).
    public var runs: RunsQualifier?
    /// Where the expectation was written (`file:line:column`), for failure messages.
    public var source: String

    public init(
        label: String, component: ComponentID, metric: ExpectationMetric, bound: ExpectationBound,
        scope: LookupScope = .all, runs: RunsQualifier? = nil, source: String = ""
    ) {
        self.label = label
        self.component = component
        self.metric = metric
        self.bound = bound
        self.scope = scope
        self.runs = runs
        self.source = source
    }
}

/// What is measured.
public enum ExpectationMetric: Sendable, Hashable {
    /// Time of the component's first failed lookup (clients) or first failure answer (resolvers). Absent if none.
    case firstFailure
    /// Time from which the component's lookups succeed to the end of the run. Absent if it never fails or never recovers.
    case recovery
    /// The failure interval: from the first failure to the recovery (absent ends when it never failed or never recovered).
    case down
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
    /// The highest value of a series (see ``SeriesResults``) inside a window, absolute or as a multiple of the series'
    /// normal value (its mean before the first injected fault).
    case peak(series: String, window: ClosedRange<SimTime>?, timesNormal: Bool)
    /// How long, from `after`, a series stays below `below` without interruption.
    case stays(series: String, below: Double, after: SimTime)
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
    /// An interval whose start is within `within` of `from` and whose end is within `within` of `to`.
    case interval(from: SimTime, to: SimTime, within: SimDuration)

    /// The upper end of a duration window that has none (`atLeast: 60m`).
    public static let noLongest = SimDuration(nanoseconds: Int64.max)
}

/// Which lookups an expectation counts: those of one name, inside one window of time, or all.
public struct LookupScope: Sendable, Hashable {
    /// Only lookups (answers) of this name.
    public var name: DomainName?
    /// Only lookups that finished (answers given) inside this closed window.
    public var window: ClosedRange<SimTime>?

    public init(name: DomainName? = nil, window: ClosedRange<SimTime>? = nil) {
        self.name = name
        self.window = window
    }

    /// Every lookup of the run.
    public static let all = LookupScope()
    public var isAll: Bool { name == nil && window == nil }

    /// Whether a lookup of `name` that finished at `time` counts.
    public func contains(_ name: DomainName, at time: SimTime) -> Bool {
        (self.name.map { $0 == name } ?? true) && (window.map { $0.contains(time) } ?? true)
    }
}

/// How an expectation reads over several runs of one scenario (Monte Carlo, `--runs N`).
public enum RunsQualifier: Sendable, Hashable {
    /// The metric's nearest-rank percentile (0 < p ≤ 100) over the runs must satisfy the bound.
    case percentile(Double)
    /// The share of runs in which the expectation holds must lie in the closed range (either side open when nil).
    case fractionOfRuns(min: Double?, max: Double?)
}
