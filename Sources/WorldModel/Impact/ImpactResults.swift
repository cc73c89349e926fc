public import SimKernel

/// What the customer apps went through in one run, in a fixed order, ready for renderers and expectations.
///
/// ```swift
/// let impact = fleet.results()
/// for app in impact.apps { print(app.name, app.firstFailure as Any, app.reports) }
/// print(impact.totals.reports, "reports; published:", ImpactResults.published.totalReports)
/// ```
///
/// Report counts are expected values of the report model (``ReportingSpec``), rounded to whole reports at the end;
/// a total is the rounded sum of the unrounded parts, so it may differ by rounding from the sum of rounded parts.
public struct ImpactResults: Sendable, Hashable {
    /// When the results were taken.
    public var time: SimTime
    /// The named apps, in the order given to the fleet.
    public var apps: [AppImpact]
    /// The generated population, if there was one.
    public var population: PopulationImpact?
    /// Users for whom their app was failing, one sample per tick (named apps and population together).
    public var usersAffected: [UsersAffectedSample]
    /// Reports by country, most reports first (ties by country code).
    public var reportsByCountry: [CountryReports]
    public var totals: ImpactTotals

    public init(
        time: SimTime, apps: [AppImpact], population: PopulationImpact?, usersAffected: [UsersAffectedSample],
        reportsByCountry: [CountryReports], totals: ImpactTotals
    ) {
        self.time = time
        self.apps = apps
        self.population = population
        self.usersAffected = usersAffected
        self.reportsByCountry = reportsByCountry
        self.totals = totals
    }
}

/// One named app's impact.
public struct AppImpact: Sendable, Hashable {
    public var name: String
    public var strategy: StrategyKind
    public var users: Int
    /// The first tick at which its error rate reached the fleet's down threshold.
    public var firstFailure: SimTime?
    /// The tick at which its last down episode ended; `nil` if it never failed or is still down.
    public var recovery: SimTime?
    /// Whether it is down when the results were taken.
    public var downAtEnd: Bool
    /// How many separate down episodes it had.
    public var episodes: Int
    /// Total time at or above the down threshold.
    public var timeDown: SimDuration
    /// The highest error rate seen at a tick (0…1).
    public var peakErrorRate: Double
    /// When its failover or DR completed, if it did.
    public var failedOverAt: SimTime?
    /// Users × hours of failing requests (∫ users · error rate dt).
    public var userHours: Double
    /// Expected reports, rounded.
    public var reports: Int

    public init(
        name: String, strategy: StrategyKind, users: Int, firstFailure: SimTime?, recovery: SimTime?, downAtEnd: Bool,
        episodes: Int, timeDown: SimDuration, peakErrorRate: Double, failedOverAt: SimTime?, userHours: Double, reports: Int
    ) {
        self.name = name
        self.strategy = strategy
        self.users = users
        self.firstFailure = firstFailure
        self.recovery = recovery
        self.downAtEnd = downAtEnd
        self.episodes = episodes
        self.timeDown = timeDown
        self.peakErrorRate = peakErrorRate
        self.failedOverAt = failedOverAt
        self.userHours = userHours
        self.reports = reports
    }

    /// ``timeDown`` in minutes.
    public var minutesDown: Double { timeDown.seconds / 60 }

    /// From first failure to final recovery, if it recovered.
    public var timeToRecover: SimDuration? {
        guard let firstFailure, let recovery else { return nil }
        return recovery - firstFailure
    }
}

/// The generated population's impact.
public struct PopulationImpact: Sendable, Hashable {
    public var companies: Int
    /// Companies whose error rate reached the down threshold at least once.
    public var companiesAffected: Int
    /// Companies down when the results were taken.
    public var companiesDownAtEnd: Int
    public var users: Int
    public var reports: Int
    /// One entry per strategy kind, in ``StrategyKind`` order.
    public var byStrategy: [StrategyImpact]
    /// How many cohorts (groups of identical companies) were simulated.
    public var cohorts: Int

    public init(
        companies: Int, companiesAffected: Int, companiesDownAtEnd: Int, users: Int, reports: Int,
        byStrategy: [StrategyImpact], cohorts: Int
    ) {
        self.companies = companies
        self.companiesAffected = companiesAffected
        self.companiesDownAtEnd = companiesDownAtEnd
        self.users = users
        self.reports = reports
        self.byStrategy = byStrategy
        self.cohorts = cohorts
    }
}

/// The companies of one strategy kind.
///
/// Medians are lower medians over companies (each company counts once, whatever its size): the middle value, or the
/// lower of the two middle values, of the sorted list — always a value some company had.
public struct StrategyImpact: Sendable, Hashable {
    public var strategy: StrategyKind
    public var companies: Int
    public var affected: Int
    /// Affected companies that are up again at the end.
    public var recovered: Int
    /// Median of first failure → final recovery, over recovered companies.
    public var medianTimeToRecover: SimDuration?
    /// Median time down, over affected companies.
    public var medianTimeDown: SimDuration?
    public var reports: Int

    public init(
        strategy: StrategyKind, companies: Int, affected: Int, recovered: Int, medianTimeToRecover: SimDuration?,
        medianTimeDown: SimDuration?, reports: Int
    ) {
        self.strategy = strategy
        self.companies = companies
        self.affected = affected
        self.recovered = recovered
        self.medianTimeToRecover = medianTimeToRecover
        self.medianTimeDown = medianTimeDown
        self.reports = reports
    }
}

/// Users affected at one tick.
public struct UsersAffectedSample: Sendable, Hashable {
    public var time: SimTime
    /// Σ users × error rate over all apps, rounded.
    public var users: Int
    /// Named apps plus companies at or above the down threshold.
    public var appsDown: Int

    public init(time: SimTime, users: Int, appsDown: Int) {
        self.time = time
        self.users = users
        self.appsDown = appsDown
    }
}

/// Expected reports from one country, rounded.
public struct CountryReports: Sendable, Hashable {
    public var country: String
    public var reports: Int

    public init(country: String, reports: Int) {
        self.country = country
        self.reports = reports
    }
}

/// Totals over named apps and population.
public struct ImpactTotals: Sendable, Hashable {
    public var reports: Int
    /// The largest ``UsersAffectedSample/users``.
    public var peakUsersAffected: Int
    /// Σ users × peak error rate: a lower bound on the distinct users who met a failure (the users failing at an
    /// app's worst moment; others may have failed at other moments).
    public var usersEverAffected: Int
    /// Named apps plus companies that were down at least once.
    public var appsAffected: Int
    /// Σ users × hours of failing requests.
    public var userHours: Double

    public init(reports: Int, peakUsersAffected: Int, usersEverAffected: Int, appsAffected: Int, userHours: Double) {
        self.reports = reports
        self.peakUsersAffected = peakUsersAffected
        self.usersEverAffected = usersEverAffected
        self.appsAffected = appsAffected
        self.userHours = userHours
    }
}
