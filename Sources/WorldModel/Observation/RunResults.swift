import AresShim
public import DNSModel
public import SimKernel

/// Everything observed in one run, in a fixed order, ready for renderers and expectations.
public struct RunResults: Sendable {
    public var scenarioName: String
    public var seed: UInt64
    public var clock: ScenarioClock
    public var duration: SimDuration
    public var timeline: [TimelineEntry]
    /// Clients in scenario order.
    public var clients: [ClientResults]
    /// Resolvers in scenario order.
    public var resolvers: [ResolverResults]
    /// Internal services (lease managers, …) in scenario order.
    public var services: [ServiceResults] = []
    /// Customer apps, users and reports (when the world has apps).
    public var impact: ImpactResults?
    /// Full-scale mode: the generated companies' own instances, company by company (nil otherwise).
    public var companyInstances: CompanyInstanceResults?
    /// Sampled quantities (endpoint load, lease-manager goodput), by component then name.
    public var series: [SeriesResults] = []
    /// Lookup counts narrowed by a scope, for the expectations that ask for one (see ``LookupScope``).
    public var scopedCounts: [ScopedCountKey: OutcomeCounts] = [:]
    /// Events the engine processed.
    public var eventsProcessed: Int

    public init(
        scenarioName: String, seed: UInt64, clock: ScenarioClock, duration: SimDuration, timeline: [TimelineEntry],
        clients: [ClientResults], resolvers: [ResolverResults], eventsProcessed: Int
    ) {
        self.scenarioName = scenarioName
        self.seed = seed
        self.clock = clock
        self.duration = duration
        self.timeline = timeline
        self.clients = clients
        self.resolvers = resolvers
        self.eventsProcessed = eventsProcessed
    }

    /// The series `name` of `component`, if the run recorded it.
    public func series(_ component: ComponentID, _ name: String) -> SeriesResults? {
        series.first { $0.component == component && $0.name == name }
    }

    /// Total lookups over all clients.
    public var totalLookups: Int { clients.reduce(0) { $0 + $1.totalLookups } }
}

/// A component's lookups (clients) or answers (resolvers) inside one scope.
public struct ScopedCountKey: Hashable, Sendable {
    public var component: ComponentID
    public var scope: LookupScope

    public init(component: ComponentID, scope: LookupScope) {
        self.component = component
        self.scope = scope
    }
}

/// One line of the timeline: a state change of one component.
public struct TimelineEntry: Hashable, Sendable {
    public var time: SimTime
    public var component: ComponentID
    /// A short machine-readable kind (`fault`, `records`, `cache`, `stale`, `lookups`, `availability`, `operator`).
    public var kind: String
    /// Human-readable detail.
    public var detail: String
    /// The earlier entries (indices into ``RunResults/timeline``) that caused this one; empty for injected faults and
    /// operator actions (see `CauseTracker` for the rules).
    public var causes: [Int]

    public init(time: SimTime, component: ComponentID, kind: String, detail: String, causes: [Int] = []) {
        self.time = time
        self.component = component
        self.kind = kind
        self.detail = detail
        self.causes = causes
    }
}

/// A count per lookup outcome and c-ares status, in a fixed order.
///
/// Counting is two increments of inline storage (it runs once or twice per lookup: no array's uniqueness check, no
/// allocation); the dictionaries are built when asked for.
public struct OutcomeCounts: Hashable, Sendable {
    /// Indexed by the outcome's position in ``LookupOutcome/allCases`` (``index(of:)``).
    private var outcomeCounts = InlineArray<11, Int>(repeating: 0)
    /// Indexed by status code for the codes c-ares 1.18 defines (0...25); others, if any, in `otherStatuses`.
    private var statusCounts = InlineArray<26, Int>(repeating: 0)
    private var otherStatuses: [AresStatus: Int] = [:]

    public init() {}

    public mutating func add(_ outcome: LookupOutcome, status: AresStatus?) {
        outcomeCounts[Self.index(of: outcome)] += 1
        guard let status else { return }
        if status.code >= 0 && status.code < statusCounts.count {
            statusCounts[Int(status.code)] += 1
        } else {
            otherStatuses[status, default: 0] += 1
        }
    }

    public static func == (a: OutcomeCounts, b: OutcomeCounts) -> Bool {
        a.outcomeCounts.indices.allSatisfy { a.outcomeCounts[$0] == b.outcomeCounts[$0] }
            && a.statusCounts.indices.allSatisfy { a.statusCounts[$0] == b.statusCounts[$0] }
            && a.otherStatuses == b.otherStatuses
    }

    public func hash(into hasher: inout Hasher) {
        for index in outcomeCounts.indices { hasher.combine(outcomeCounts[index]) }
        for index in statusCounts.indices { hasher.combine(statusCounts[index]) }
        hasher.combine(otherStatuses)
    }

    /// The outcomes counted at least once.
    public var byOutcome: [LookupOutcome: Int] { Dictionary(uniqueKeysWithValues: outcomes) }
    /// The statuses counted at least once.
    public var byStatus: [AresStatus: Int] { Dictionary(uniqueKeysWithValues: statuses) }

    public var total: Int { outcomeCounts.indices.reduce(0) { $0 + outcomeCounts[$1] } }
    public func count(_ outcome: LookupOutcome) -> Int { outcomeCounts[Self.index(of: outcome)] }
    /// Outcomes with a non-zero count, in vocabulary order.
    public var outcomes: [(LookupOutcome, Int)] {
        LookupOutcome.allCases.map { ($0, count($0)) }.filter { $0.1 > 0 }
    }
    /// Statuses with a non-zero count, by status code.
    public var statuses: [(AresStatus, Int)] {
        let known = statusCounts.indices.filter { statusCounts[$0] > 0 }.map {
            (AresStatus(code: Int32($0)), statusCounts[$0])
        }
        return (known + otherStatuses.map { ($0.key, $0.value) }).sorted { $0.0 < $1.0 }
    }

    /// The outcome's position in ``LookupOutcome/allCases`` (declaration order), without hashing.
    private static func index(of outcome: LookupOutcome) -> Int {
        switch outcome {
        case .noError: 0
        case .noData: 1
        case .nxDomain: 2
        case .servFail: 3
        case .refused: 4
        case .notImp: 5
        case .formErr: 6
        case .truncated: 7
        case .malformed: 8
        case .timeout: 9
        case .connectionRefused: 10
        }
    }
}

/// What one client fleet saw.
public struct ClientResults: Sendable {
    public var id: ComponentID
    public var instances: Int
    public var lookups: OutcomeCounts
    public var firstFailure: SimTime?
    public var lastFailure: SimTime?
    /// First successful lookup after the last failed one (absent if it never failed, or never recovered).
    public var recovery: SimTime?
    /// Time during which at least one instance had no working connection.
    public var downtime: SimDuration
    /// Lowest fraction of instances with a working connection.
    public var minAvailability: Double
    /// Connection attempts that failed, and connections opened.
    public var connectionsOpened: Int
    public var connectionsFailed: Int
    /// Lookups per resolver that ended them, in resolver order.
    public var lookupsByResolver: [(ComponentID, OutcomeCounts)]
    /// Availability (fraction of instances serving), time-weighted, one value per bucket.
    public var availabilitySeries: [Double]
    public var bucket: SimDuration

    public init(
        id: ComponentID, instances: Int, lookups: OutcomeCounts, firstFailure: SimTime?, lastFailure: SimTime?,
        recovery: SimTime?,
        downtime: SimDuration, minAvailability: Double, connectionsOpened: Int, connectionsFailed: Int,
        lookupsByResolver: [(ComponentID, OutcomeCounts)], availabilitySeries: [Double], bucket: SimDuration
    ) {
        self.id = id
        self.instances = instances
        self.lookups = lookups
        self.firstFailure = firstFailure
        self.lastFailure = lastFailure
        self.recovery = recovery
        self.downtime = downtime
        self.minAvailability = minAvailability
        self.connectionsOpened = connectionsOpened
        self.connectionsFailed = connectionsFailed
        self.lookupsByResolver = lookupsByResolver
        self.availabilitySeries = availabilitySeries
        self.bucket = bucket
    }

    public var totalLookups: Int { lookups.total }
    public var failedLookups: Int { lookups.total - lookups.count(.noError) }
}

/// What one resolver answered.
public struct ResolverResults: Sendable {
    public var id: ComponentID
    public var fleet: String
    public var answers: OutcomeCounts
    public var bySource: [AnswerSource: Int]
    public var upstreamFailures: Int
    public var firstFailure: SimTime?
    public var recovery: SimTime?

    public init(
        id: ComponentID, fleet: String, answers: OutcomeCounts, bySource: [AnswerSource: Int], upstreamFailures: Int,
        firstFailure: SimTime?, recovery: SimTime?
    ) {
        self.id = id
        self.fleet = fleet
        self.answers = answers
        self.bySource = bySource
        self.upstreamFailures = upstreamFailures
        self.firstFailure = firstFailure
        self.recovery = recovery
    }

    public var staleAnswers: Int { bySource[.stale] ?? 0 }
}

/// What one internal service went through: its health (a fraction, 1 = all well) over the run.
public struct ServiceResults: Sendable {
    public var id: ComponentID
    /// The mechanism (`leaseManager`).
    public var kind: String
    /// What health measures (`fraction of hosts holding a lease`).
    public var healthMeaning: String
    /// The health below which the service counts as failing.
    public var healthyThreshold: Double
    /// First moment health fell below the threshold.
    public var firstFailure: SimTime?
    /// First moment health was back at or above the threshold after its last fall (nil if never failed or not back).
    public var recovery: SimTime?
    /// Total time below the threshold.
    public var downtime: SimDuration
    /// Lowest health seen.
    public var minHealth: Double
    /// Health samples, each holding until the next (see ``healthTimes``).
    public var healthSeries: [Double]
    /// When each health sample was taken (same length as ``healthSeries``).
    public var healthTimes: [SimTime] = []

    public init(
        id: ComponentID, kind: String, healthMeaning: String, healthyThreshold: Double, firstFailure: SimTime?,
        recovery: SimTime?, downtime: SimDuration, minHealth: Double, healthSeries: [Double]
    ) {
        self.id = id
        self.kind = kind
        self.healthMeaning = healthMeaning
        self.healthyThreshold = healthyThreshold
        self.firstFailure = firstFailure
        self.recovery = recovery
        self.downtime = downtime
        self.minHealth = minHealth
        self.healthSeries = healthSeries
    }

    /// Summarises health samples (in time order) taken until `end`; each sample holds until the next.
    public static func from(
        id: ComponentID, kind: String, healthMeaning: String, threshold: Double, samples: [(time: SimTime, health: Double)],
        end: SimTime
    ) -> ServiceResults {
        var first: SimTime?
        var recovery: SimTime?
        var down = SimDuration.zero
        var failing = false
        for (index, sample) in samples.enumerated() {
            let until = index + 1 < samples.count ? samples[index + 1].time : end
            if sample.health < threshold {
                if first == nil { first = sample.time }
                failing = true
                recovery = nil
                down = down + (until - sample.time)
            } else if failing {
                failing = false
                recovery = sample.time
            }
        }
        var results = ServiceResults(
            id: id, kind: kind, healthMeaning: healthMeaning, healthyThreshold: threshold, firstFailure: first,
            recovery: failing ? nil : recovery, downtime: down, minHealth: samples.map(\.health).min() ?? 1,
            healthSeries: samples.map(\.health))
        results.healthTimes = samples.map(\.time)
        return results
    }
}

/// The verdict on one expectation.
public struct ExpectationResult: Sendable {
    public var expectation: ExpectationSpec
    public var passed: Bool
    /// The measured value, human-readable (`00:14:47`, `12`, `absent`).
    public var measured: String
    /// The expected value, human-readable.
    public var expected: String

    public init(expectation: ExpectationSpec, passed: Bool, measured: String, expected: String) {
        self.expectation = expectation
        self.passed = passed
        self.measured = measured
        self.expected = expected
    }
}
