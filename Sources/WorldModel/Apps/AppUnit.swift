import SimKernel

/// One simulated app: a named app, or a cohort of generated companies with identical parameters.
///
/// Everything a unit accumulates per user (error-seconds, the share of users still to report) is the same for each
/// member, and everything per app (first failure, time down) is the same for each member; so a cohort's totals are
/// exact sums over its companies.
final class AppUnit {
    /// Where the unit's strategy stands.
    enum Phase: Equatable {
        /// Not acting (no failure yet, or a failure that went away before anyone acted).
        case watching
        /// Automated: health checks have seen the app failing since `since`; they fire at `fireAt`.
        case detecting(since: SimTime, fireAt: SimTime)
        /// Automated: traffic is being switched away; serving elsewhere from `until`.
        case switching(until: SimTime)
        /// Manual: the on-call person will be paged at `pageAt`.
        case awaitingPage(pageAt: SimTime)
        /// Manual: people are deciding until `decideAt`.
        case deciding(decideAt: SimTime)
        /// Manual: DR is being executed; serving elsewhere from `until`.
        case executing(until: SimTime)
    }

    let name: String
    let spec: AppSpec
    /// The component named apps publish events for; `nil` for cohorts.
    let component: ComponentID?
    let strategyKind: StrategyKind
    /// Companies in the cohort (1 for a named app).
    @exclusivity(unchecked) var members: Int = 0
    @exclusivity(unchecked) var users: Double = 0
    /// Users per country, aligned with the fleet's country table.
    @exclusivity(unchecked) var usersByCountry: [Double]

    /// The fleet-wide dependency index of each of the unit's dependencies.
    let dependencies: [Int]
    /// Per dependency: first-attempt calls per user per second at normal load.
    let callsPerUser: [Double]
    /// Per path: the unit-local dependency indices it calls.
    let pathDependencies: [[Int]]
    /// Per path: its weight, normalised to sum 1.
    let pathWeights: [Double]

    // Retry state
    @exclusivity(unchecked) var tokens: [Double]
    @exclusivity(unchecked) var lastRates: [Double] = []
    @exclusivity(unchecked) var settled = false
    @exclusivity(unchecked) var outcomes: [CallOutcome]

    // Strategy state
    @exclusivity(unchecked) var phase: Phase = .watching
    @exclusivity(unchecked) var failedOverAt: SimTime?

    // Per-tick state (holds until the next tick)
    @exclusivity(unchecked) var errorRate = 0.0
    @exclusivity(unchecked) var isDown = false

    // Accumulated
    @exclusivity(unchecked) var firstFailure: SimTime?
    @exclusivity(unchecked) var downSince: SimTime?
    @exclusivity(unchecked) var lastRecovery: SimTime?
    @exclusivity(unchecked) var episodes = 0
    @exclusivity(unchecked) var peakErrorRate = 0.0
    @exclusivity(unchecked) var timeDown = SimDuration.zero
    /// ∫ error rate dt, in seconds.
    @exclusivity(unchecked) var errorSeconds = 0.0
    /// The share of users who will report and have not yet.
    @exclusivity(unchecked) var unreported: Double

    init(
        name: String, spec: AppSpec, component: ComponentID?, countries: [String],
        dependencyIndex: (String) -> Int
    ) {
        self.name = name
        self.spec = spec
        self.component = component
        self.strategyKind = spec.strategy.kind
        self.usersByCountry = Array(repeating: 0, count: countries.count)
        let local = spec.dependencies
        self.dependencies = local.map(dependencyIndex)
        let totalWeight = spec.paths.reduce(0) { $0 + $1.weight }
        self.pathWeights = spec.paths.map { $0.weight / totalWeight }
        self.pathDependencies = spec.paths.map { path in Set(path.dependencies).sorted().map { local.firstIndex(of: $0)! } }
        var perUser = Array(repeating: 0.0, count: local.count)
        for (path, weight) in zip(pathDependencies, pathWeights) {
            for dependency in path { perUser[dependency] += weight * spec.requestsPerUserPerMinute / 60 }
        }
        self.callsPerUser = perUser
        let capacity = spec.retryPolicy.quota?.capacity ?? 0
        self.tokens = Array(repeating: capacity, count: local.count)
        self.outcomes = Array(repeating: CallOutcome(success: 1, attempts: 1, tokens: capacity), count: local.count)
        self.unreported = spec.reporting.propensity
    }

    /// Adds members (a named app, or companies joining a cohort).
    func add(users count: Int, shares: [CountryShare], countryIndex: (String) -> Int) {
        members += 1
        users += Double(count)
        for share in CountryShare.normalised(shares) {
            usersByCountry[countryIndex(share.country)] += Double(count) * share.share
        }
    }

    var failedOver: Bool { failedOverAt != nil }

    // MARK: Evaluation

    /// Completes a switch or DR that is due by `now`. Returns `true` if it completed now.
    func completeFailover(at now: SimTime) -> Bool {
        guard failedOverAt == nil else { return false }
        switch phase {
        case .switching(let until) where until <= now, .executing(let until) where until <= now:
            failedOverAt = now
            phase = .watching
            return true
        default:
            return false
        }
    }

    /// Computes the error rate for the tick starting now, from the dependencies' per-attempt success `rates`
    /// (fleet-indexed), running each SDK client's retry quota over one tick of `tick` seconds.
    func evaluate(rates: [Double], tick: Double) {
        if failedOver {
            errorRate = 0
            return
        }
        // Steady quotas and the same rates: the outcomes, and so the error rate, are those of the last evaluation.
        if settled && ratesUnchanged(rates) { return }
        let calls = spec.callsPerClientPerSecond * tick
        var unchanged = true
        for index in dependencies.indices {
            let rate = rates[dependencies[index]]
            let outcome = spec.retryPolicy.step(perAttempt: rate, calls: calls, tokens: tokens[index])
            if outcome.tokens != tokens[index] { unchanged = false }
            tokens[index] = outcome.tokens
            outcomes[index] = outcome
        }
        settled = unchanged
        lastRates = dependencies.map { rates[$0] }
        var failing = 0.0
        for (path, weight) in zip(pathDependencies, pathWeights) {
            failing += weight * (1 - pathSuccess(path))
        }
        errorRate = min(1, max(0, failing))
    }

    /// Whether the unit's dependencies' rates (fleet-indexed `rates`) are those of its last evaluation.
    private func ratesUnchanged(_ rates: [Double]) -> Bool {
        guard lastRates.count == dependencies.count else { return false }
        for index in dependencies.indices where rates[dependencies[index]] != lastRates[index] { return false }
        return true
    }

    /// The chance that a request on a path succeeds: every call on it must.
    func pathSuccess(_ path: [Int]) -> Double {
        path.reduce(1.0) { $0 * outcomes[$1].success }
    }

    /// The unit's first-attempt calls per second to its `index`-th dependency at normal load.
    func nominalLoad(_ index: Int) -> Double { users * callsPerUser[index] }

    /// The unit's calls per second to its `index`-th dependency now, retries included (0 once failed over).
    func offeredLoad(_ index: Int) -> Double {
        failedOver ? 0 : users * callsPerUser[index] * outcomes[index].attempts
    }

    // MARK: Accumulation

    /// What the accumulators hold after `interval` more at the current error rate (not stored).
    func accumulated(over interval: SimDuration) -> (timeDown: SimDuration, errorSeconds: Double, unreported: Double) {
        guard interval > .zero else { return (timeDown, errorSeconds, unreported) }
        let share = min(1, errorRate * interval.seconds / spec.reporting.meanDelay.seconds)
        return (
            isDown ? timeDown + interval : timeDown, errorSeconds + errorRate * interval.seconds,
            unreported * (1 - share)
        )
    }

    /// Stores the accumulation over `interval`.
    func accumulate(over interval: SimDuration) {
        (timeDown, errorSeconds, unreported) = accumulated(over: interval)
    }

    /// Expected reports per user so far (plus a pending `unreported` value).
    func reportsPerUser(unreported remaining: Double) -> Double { spec.reporting.propensity - remaining }
}
