public import SimKernel

/// Customer apps in virtual time: named apps and a generated population, each calling regional dependencies with
/// retries, failing when its users' paths fail, failing over when its strategy says so, and drawing reports.
///
/// ```swift
/// let fleet = try AppFleet(
///     named: AppSpec.namedApps, population: AppPopulationSpec(), health: services,
///     simulator: sim, trace: bus, rng: streams.stream("apps"))
/// fleet.start()
/// sim.run(until: end)
/// let impact = fleet.results()
/// ```
///
/// **Ticks.** Every ``Settings/tick`` (default 1 minute) the fleet asks ``DependencyHealth`` once per dependency and
/// evaluates each app; what it finds holds until the next tick, and strategy deadlines take effect at the first tick
/// at or after they fall due. An app is down at a tick when its error rate is at least ``Settings/downThreshold``.
///
/// **Cost.** Generated companies with the same template and strategy times form one cohort (exact: see
/// ``AppPopulationSpec/timeQuantum``), and an app whose dependencies' rates have not changed since the last tick and
/// whose retry quotas are steady reuses its last evaluation. With the defaults 3,900 companies become about 1,100
/// cohorts, and a 17-hour run is about a thousand ticks.
///
/// **Load.** ``offeredLoad(of:)`` is the calls per second the apps send to a dependency now, retries included; it
/// exceeds ``nominalLoad(of:)`` during a partial failure (a retry storm, capped by the retry quotas) and drops as apps
/// fail over. Feed it to the dependency's capacity model.
///
/// **Events.** Named apps publish `.stateChanged` on `service/app/<name>` with kinds `app-down`, `app-recovered`,
/// `failover-started`, `failover-complete`, `dr-paged`, `dr-invoked`, `dr-stood-down`, `dr-complete`. The population
/// publishes `companies-down` on `service/apps/<namePrefix>` when the number of companies down first rises above
/// zero, returns to zero, or has moved by at least ``Settings/populationEventStep`` of the population since the last
/// such event.
public final class AppFleet {
    /// How the fleet evaluates.
    public struct Settings: Sendable, Hashable {
        /// How often apps are evaluated. Default 1 minute.
        public var tick: SimDuration
        /// The error rate at or above which an app counts as down (and its failover health checks fail).
        /// Default 0.05: one request in twenty failing.
        public var downThreshold: Double
        /// The share of the population by which the number of companies down must move to publish an event.
        /// Default 0.01.
        public var populationEventStep: Double

        public init(tick: SimDuration = .minutes(1), downThreshold: Double = 0.05, populationEventStep: Double = 0.01) {
            self.tick = tick
            self.downThreshold = downThreshold
            self.populationEventStep = populationEventStep
        }
    }

    public let settings: Settings
    /// The generated companies, in index order (empty without a population).
    public let generated: [GeneratedApp]
    /// Every dependency some app calls, sorted.
    public let dependencies: [String]
    /// Every country some app has users in, sorted.
    public let countries: [String]

    let simulator: Simulator
    let trace: TraceBus<WorldEvent>
    let health: any DependencyHealth
    let named: [AppUnit]
    let cohorts: [AppUnit]
    let populationSpec: AppPopulationSpec?
    let populationComponent: ComponentID?
    /// For each cohort, the generated companies in it (indices into ``generated``).
    let cohortMembers: [[Int]]
    var lastTick: SimTime?
    var started = false
    var nextTick: EventHandle?
    var stoppedAt: SimTime?
    var series: [UsersAffectedSample] = []
    /// Calls per second per dependency with retries, as of the last tick; `nil` until asked for after a tick (the
    /// units change only at ticks, so it is summed when ``offeredLoad(of:)`` needs it, not at every tick).
    var offered: [Double]?
    let nominal: [Double]
    var lastPublishedDown = 0

    /// Builds the fleet. The population, if any, is generated from `rng.split("population")`.
    /// Throws ``AppFleetError`` listing every problem with the specs or settings.
    public init(
        named specs: [AppSpec], population: AppPopulationSpec?, health: any DependencyHealth, simulator: Simulator,
        trace: TraceBus<WorldEvent>, rng: RandomStream, settings: Settings = Settings()
    ) throws(AppFleetError) {
        var problems = specs.flatMap { $0.validationErrors() }
        var seen = Set<String>()
        for spec in specs where !seen.insert(spec.name).inserted { problems.append("app '\(spec.name)': duplicate name") }
        if let population { problems += population.validationErrors() }
        if settings.tick <= .zero { problems.append("apps: tick must be positive") }
        if !(settings.downThreshold > 0 && settings.downThreshold <= 1) {
            problems.append("apps: downThreshold must be in (0, 1]")
        }
        if !(settings.populationEventStep > 0) { problems.append("apps: populationEventStep must be positive") }
        guard problems.isEmpty else { throw AppFleetError(problems: problems) }

        self.settings = settings
        self.simulator = simulator
        self.trace = trace
        self.health = health
        self.populationSpec = population
        let companies = population?.generate(rng: rng.split("population")) ?? []
        self.generated = companies
        let companySpecs = companies.map { population!.appSpec(for: $0) }

        var dependencySet = Set(specs.flatMap(\.dependencies))
        var countrySet = Set(specs.flatMap { $0.usersByCountry.map(\.country) })
        if let population {
            for template in population.templates { dependencySet.formUnion(template.paths.flatMap(\.dependencies)) }
            countrySet.formUnion(population.countryMix.map(\.country))
        }
        let dependencies = dependencySet.sorted()
        let countries = countrySet.sorted()
        self.dependencies = dependencies
        self.countries = countries
        let dependencyIndex = Dictionary(uniqueKeysWithValues: dependencies.enumerated().map { ($1, $0) })
        let countryIndex = Dictionary(uniqueKeysWithValues: countries.enumerated().map { ($1, $0) })

        self.named = specs.map { spec in
            let unit = AppUnit(
                name: spec.name, spec: spec, component: spec.component, countries: countries,
                dependencyIndex: { dependencyIndex[$0]! })
            unit.add(users: spec.users, shares: spec.usersByCountry, countryIndex: { countryIndex[$0]! })
            return unit
        }

        struct CohortKey: Hashable {
            var template: Int
            var strategy: ResilienceStrategy
        }
        var cohortIndex: [CohortKey: Int] = [:]
        var cohorts: [AppUnit] = []
        var members: [[Int]] = []
        for (company, spec) in zip(companies, companySpecs) {
            let key = CohortKey(template: company.template, strategy: company.strategy)
            let index: Int
            if let existing = cohortIndex[key] {
                index = existing
            } else {
                index = cohorts.count
                cohortIndex[key] = index
                cohorts.append(
                    AppUnit(
                        name: "cohort-\(index + 1)", spec: spec, component: nil, countries: countries,
                        dependencyIndex: { dependencyIndex[$0]! }))
                members.append([])
            }
            cohorts[index].add(users: spec.users, shares: spec.usersByCountry, countryIndex: { countryIndex[$0]! })
            members[index].append(company.index)
        }
        self.cohorts = cohorts
        self.cohortMembers = members
        self.populationComponent = population.map { ComponentID(.service, "apps/\($0.namePrefix)") }
        self.nominal = Self.sumLoads(named: named, cohorts: cohorts, dependencies: dependencies.count) {
            $0.nominalLoad($1)
        }
    }

    /// Starts ticking at the simulator's current time. Call once.
    public func start() {
        precondition(!started, "an AppFleet starts once")
        started = true
        tick()
    }

    /// Stops ticking. Later ``results()`` cover the time up to the stop, not beyond.
    public func stop() {
        if let nextTick { simulator.cancel(nextTick) }
        nextTick = nil
        if started, stoppedAt == nil { stoppedAt = simulator.now }
    }

    /// Calls per second the apps send to `dependency` now, retries included (0 for an unknown dependency).
    public func offeredLoad(of dependency: String) -> Double {
        guard let index = dependencies.firstIndex(of: dependency) else { return 0 }
        if offered == nil {
            offered = Self.sumLoads(named: named, cohorts: cohorts, dependencies: dependencies.count) {
                $0.offeredLoad($1)
            }
        }
        return offered![index]
    }

    /// Calls per second the apps would send to `dependency` with every dependency healthy and nobody failed over.
    public func nominalLoad(of dependency: String) -> Double {
        dependencies.firstIndex(of: dependency).map { nominal[$0] } ?? 0
    }

    /// How many units are simulated: named apps plus population cohorts.
    public var simulatedUnits: Int { named.count + cohorts.count }

    // MARK: Ticking

    private func tick() {
        let now = simulator.now
        if let lastTick {
            let interval = now - lastTick
            for unit in named { unit.accumulate(over: interval) }
            for unit in cohorts { unit.accumulate(over: interval) }
        }
        lastTick = now
        let rates = dependencies.map { RetryPolicySpec.clamp(health.successRate(of: $0, at: now)) }
        let tickSeconds = settings.tick.seconds
        var usersAffected = 0.0
        var appsDown = 0
        for unit in named {
            step(unit, now: now, rates: rates, tickSeconds: tickSeconds)
            usersAffected += unit.users * unit.errorRate
            if unit.isDown { appsDown += 1 }
        }
        var companiesDown = 0
        for unit in cohorts {
            step(unit, now: now, rates: rates, tickSeconds: tickSeconds)
            usersAffected += unit.users * unit.errorRate
            if unit.isDown { companiesDown += unit.members }
        }
        offered = nil
        series.append(
            UsersAffectedSample(time: now, users: Int(usersAffected.rounded()), appsDown: appsDown + companiesDown))
        publishPopulation(companiesDown, at: now)
        nextTick = simulator.schedule(after: settings.tick) { [weak self] in self?.tick() }
    }

    /// A load per dependency: `load(unit, local index)` summed over the named apps, then the cohorts.
    private static func sumLoads(
        named: [AppUnit], cohorts: [AppUnit], dependencies: Int, _ load: (AppUnit, Int) -> Double
    ) -> [Double] {
        var sums = Array(repeating: 0.0, count: dependencies)
        for units in [named, cohorts] {
            for unit in units {
                for (local, global) in unit.dependencies.enumerated() { sums[global] += load(unit, local) }
            }
        }
        return sums
    }
}

/// Everything wrong with the specs given to an ``AppFleet``, one sentence each.
public struct AppFleetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) { self.problems = problems }

    public var description: String { problems.joined(separator: "\n") }
}
