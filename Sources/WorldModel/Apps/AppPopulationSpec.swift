public import SimKernel

/// A generated population of companies running in the region, drawn deterministically from distributions.
///
/// ```swift
/// let population = AppPopulationSpec()                          // 3,900 companies, the defaults below
/// let companies = population.generate(rng: RandomStreams(seed: 7).stream("apps/population"))
/// ```
///
/// Every default is a parameter, chosen as follows:
/// - ``count`` 3,900: the press count of companies "knocked offline" (facts file, "Impact figures from the press").
/// - ``users``: log-normal, median 40,000, sigma 2.0 — calibrated [U]: a heavy tail (a few companies with tens of
///   millions of users, most with thousands) whose size, with the ``ReportingSpec`` defaults and the event's
///   timeline, puts the population's reports near what the press counted beyond the ten named services (17 M in all
///   minus their 8.9 M).
/// - ``strategyMix`` 10 % automated failover, 25 % manual DR, 65 % none — an assumption [U]; no public figure exists.
/// - Strategy times: calibration targets from one observer's estimate quoted in the facts file (automated failover
///   recovered in 5–15 minutes, well-tested manual DR in 20–90 minutes, others waited up to 8 hours). Automated
///   detection is log-normal with median 4 min and switching median 5 min (sum's median ≈ 9 min); manual detection
///   median 10 min, decision 15 min, execution 20 min (sum's median ≈ 48 min). These are targets, not laws.
/// - ``templates``: which paths a company has; every template touches the region somewhere — an assumption [U].
/// - ``countryMix``: the shares of the press's per-country report counts (US 6.3 M of 17 M, …), the rest as `other`;
///   this is a calibrated input, so simulated reports by country echo it by construction.
public struct AppPopulationSpec: Sendable, Hashable {
    /// How many companies.
    public var count: Int
    /// Company names are `<namePrefix>-<index>` (index from 1, zero-padded to four digits).
    public var namePrefix: String
    /// Users per company: log-normal, rounded, clamped.
    public var users: UserCountDistribution
    /// Which strategy a company has.
    public var strategyMix: StrategyMix
    /// Automated failover: time for health checks to declare the region failed.
    public var automatedDetection: DurationDistribution
    /// Automated failover: time to switch traffic away.
    public var automatedSwitch: DurationDistribution
    /// Manual DR: time until a person is paged and looks.
    public var manualDetection: DurationDistribution
    /// Manual DR: time to decide to invoke DR.
    public var manualDecision: DurationDistribution
    /// Manual DR: time to execute it.
    public var manualExecution: DurationDistribution
    /// Drawn strategy times are rounded to a multiple of this (at least one). Companies with the same template,
    /// strategy and times behave identically and are simulated as one cohort whose size and users are summed (exact:
    /// everything a cohort accumulates is proportional to its users). Default 1 minute, the fleet's default tick.
    public var timeQuantum: SimDuration
    /// The path sets companies have, each with the share of companies that has it.
    public var templates: [PathTemplate]
    /// Where the population's users are; each company draws a home country from these shares.
    public var countryMix: [CountryShare]
    /// The share of a company's users in its home country; the rest follow ``countryMix``. Default 0.6 [U].
    public var homeCountryShare: Double
    public var retryPolicy: RetryPolicySpec
    public var requestsPerUserPerMinute: Double
    public var callsPerClientPerSecond: Double
    public var reporting: ReportingSpec
    /// Full-scale mode: every company runs its own simulated app instances (``PopulationInstancesSpec``); `nil`
    /// (the default) = companies are evaluated from their dependencies' health only.
    public var instances: PopulationInstancesSpec?

    /// The id of the client fleet the companies' instances form in full-scale mode (`<namePrefix>-instances`), or
    /// `nil` when ``instances`` is.
    public var instancesFleetID: String? { instances == nil ? nil : "\(namePrefix)-instances" }

    public init(
        count: Int = 3_900, namePrefix: String = "company", users: UserCountDistribution = UserCountDistribution(),
        strategyMix: StrategyMix = StrategyMix(),
        automatedDetection: DurationDistribution = .logNormal(
            median: .minutes(4), sigma: 0.45, min: .minutes(1), max: .minutes(30)),
        automatedSwitch: DurationDistribution = .logNormal(median: .minutes(5), sigma: 0.45, min: .minutes(1), max: .minutes(30)),
        manualDetection: DurationDistribution = .logNormal(median: .minutes(10), sigma: 0.5, min: .minutes(2), max: .hours(2)),
        manualDecision: DurationDistribution = .logNormal(median: .minutes(15), sigma: 0.5, min: .minutes(2), max: .hours(3)),
        manualExecution: DurationDistribution = .logNormal(median: .minutes(20), sigma: 0.5, min: .minutes(5), max: .hours(4)),
        timeQuantum: SimDuration = .minutes(1), templates: [PathTemplate] = PathTemplate.defaults,
        countryMix: [CountryShare] = AppPopulationSpec.publishedCountryMix, homeCountryShare: Double = 0.6,
        retryPolicy: RetryPolicySpec = .standard, requestsPerUserPerMinute: Double = 1, callsPerClientPerSecond: Double = 50,
        reporting: ReportingSpec = ReportingSpec()
    ) {
        self.count = count
        self.namePrefix = namePrefix
        self.users = users
        self.strategyMix = strategyMix
        self.automatedDetection = automatedDetection
        self.automatedSwitch = automatedSwitch
        self.manualDetection = manualDetection
        self.manualDecision = manualDecision
        self.manualExecution = manualExecution
        self.timeQuantum = timeQuantum
        self.templates = templates
        self.countryMix = countryMix
        self.homeCountryShare = homeCountryShare
        self.retryPolicy = retryPolicy
        self.requestsPerUserPerMinute = requestsPerUserPerMinute
        self.callsPerClientPerSecond = callsPerClientPerSecond
        self.reporting = reporting
    }

    /// The press's per-country report counts (facts file) as shares of the 17 M total; the remainder is `other`.
    public static let publishedCountryMix: [CountryShare] = {
        let total = Double(ImpactResults.published.totalReports)
        var shares = ImpactResults.published.reportsByCountry.map { CountryShare($0.key, Double($0.value) / total) }
        shares.append(CountryShare("other", 1 - shares.reduce(0) { $0 + $1.share }))
        return shares
    }()

    /// Everything wrong with the spec, one sentence each, in a fixed order; empty when it can be generated.
    public func validationErrors() -> [String] {
        var problems: [String] = []
        let prefix = "population '\(namePrefix)'"
        if count < 0 { problems.append("\(prefix): count must not be negative") }
        if namePrefix.isEmpty { problems.append("population: namePrefix must not be empty") }
        problems += users.validationErrors(prefix: prefix)
        problems += strategyMix.validationErrors(prefix: prefix)
        problems += automatedDetection.validationErrors(prefix: "\(prefix): automatedDetection")
        problems += automatedSwitch.validationErrors(prefix: "\(prefix): automatedSwitch")
        problems += manualDetection.validationErrors(prefix: "\(prefix): manualDetection")
        problems += manualDecision.validationErrors(prefix: "\(prefix): manualDecision")
        problems += manualExecution.validationErrors(prefix: "\(prefix): manualExecution")
        if timeQuantum <= .zero { problems.append("\(prefix): timeQuantum must be positive") }
        if templates.isEmpty { problems.append("\(prefix): needs at least one template") }
        for template in templates {
            if !(template.share >= 0) || !template.share.isFinite {
                problems.append("\(prefix): template '\(template.name)' share must be ≥ 0")
            }
            problems += AppPath.validationErrors(template.paths, prefix: "\(prefix) template '\(template.name)'")
        }
        if !templates.isEmpty, !(templates.reduce(0) { $0 + $1.share } > 0) {
            problems.append("\(prefix): template shares must not all be zero")
        }
        problems += CountryShare.validationErrors(countryMix, prefix: prefix)
        if !(homeCountryShare >= 0 && homeCountryShare <= 1) { problems.append("\(prefix): homeCountryShare must be in 0…1") }
        problems += AppSpec.clientBehaviourErrors(
            retryPolicy: retryPolicy, requestsPerUserPerMinute: requestsPerUserPerMinute,
            callsPerClientPerSecond: callsPerClientPerSecond, reporting: reporting, prefix: prefix)
        if let instances { problems += instances.validationErrors(prefix: "\(prefix): instances") }
        return problems
    }
}

/// A log-normal distribution of users per company, rounded to whole users and clamped.
public struct UserCountDistribution: Sendable, Hashable {
    public var median: Double
    public var sigma: Double
    public var min: Int
    public var max: Int

    public init(median: Double = 40_000, sigma: Double = 2.0, min: Int = 100, max: Int = 100_000_000) {
        self.median = median
        self.sigma = sigma
        self.min = min
        self.max = max
    }

    /// One draw.
    public func draw(_ rng: inout RandomStream) -> Int {
        let value = rng.logNormal(median: median, sigma: sigma)
        guard value < Double(max) else { return max }
        return Swift.max(min, Int(value.rounded()))
    }

    func validationErrors(prefix: String) -> [String] {
        var problems: [String] = []
        if !(median > 0) || !median.isFinite { problems.append("\(prefix): users median must be positive") }
        if !(sigma >= 0) || !sigma.isFinite { problems.append("\(prefix): users sigma must be ≥ 0") }
        if min < 0 { problems.append("\(prefix): users min must not be negative") }
        if max < min { problems.append("\(prefix): users max must be at least min") }
        return problems
    }
}

/// The shares of companies with each strategy kind (normalised when drawn).
public struct StrategyMix: Sendable, Hashable {
    public var automated: Double
    public var manual: Double
    public var none: Double

    public init(automated: Double = 0.10, manual: Double = 0.25, none: Double = 0.65) {
        self.automated = automated
        self.manual = manual
        self.none = none
    }

    func validationErrors(prefix: String) -> [String] {
        let values = [automated, manual, none]
        if values.contains(where: { !($0 >= 0) || !$0.isFinite }) {
            return ["\(prefix): strategy mix shares must be ≥ 0"]
        }
        return values.reduce(0, +) > 0 ? [] : ["\(prefix): strategy mix shares must not all be zero"]
    }
}

/// A set of paths that a share of generated companies has.
public struct PathTemplate: Sendable, Hashable {
    public var name: String
    /// The share of companies with this template (relative to the other templates).
    public var share: Double
    public var paths: [AppPath]

    public init(name: String, share: Double, paths: [AppPath]) {
        self.name = name
        self.share = share
        self.paths = paths
    }

    /// Three shapes [U]: state in the key-value store behind login and every request; a load-balanced app whose login
    /// state is in the key-value store; an elastic app behind load balancers that launches instances for batch work.
    public static let defaults: [PathTemplate] = [
        PathTemplate(
            name: "kv-backed", share: 0.6,
            paths: [AppPath("login", ["dynamodb"], weight: 0.5), AppPath("use", ["dynamodb", "nlb"], weight: 0.5)]),
        PathTemplate(
            name: "lb-fronted", share: 0.25,
            paths: [AppPath("login", ["dynamodb"], weight: 0.3), AppPath("use", ["nlb"], weight: 0.7)]),
        PathTemplate(
            name: "elastic", share: 0.15,
            paths: [AppPath("use", ["nlb"], weight: 0.7), AppPath("batch", ["ec2-launch"], weight: 0.3)]),
    ]
}
