public import SimKernel

/// A customer app that runs in the region: its users, the paths they use and what those paths call, how its SDK
/// clients retry, and what it does when the region fails.
///
/// ```swift
/// let app = AppSpec(
///     name: "photo-share", users: 2_000_000,
///     usersByCountry: [CountryShare("US", 0.6), CountryShare("GB", 0.4)],
///     paths: [AppPath("login", ["dynamodb"], weight: 0.4), AppPath("feed", ["dynamodb", "nlb"], weight: 0.6)],
///     strategy: .automatedFailover(detectionDelay: .minutes(3), switchTime: .minutes(5)))
/// assert(app.validationErrors().isEmpty)
/// ```
///
/// The spec holds parameters only. When the app fails, for how long and how many people report it emerge in the run
/// from the health of its dependencies, its retries and its strategy.
///
/// **Paths.** A path is one thing users do (log in, load the feed, deploy); its weight is the share of users (and of
/// requests) on it. Every request on a path calls each of the path's dependencies once (fan-out), each call with the
/// app's retry policy, and fails if any call fails. The app's error rate is the weighted share of failing requests;
/// for a user it is "down" when the path they use fails, so the users affected at a moment are `users × error rate`.
public struct AppSpec: Sendable, Hashable {
    /// A unique name; events use the component `service/app/<name>`.
    public var name: String
    /// Users who would use the app during the event. For the named apps this is calibrated (see ``namedApps``).
    public var users: Int
    /// Where the users are, as shares (normalised when used); ISO 3166 alpha-2 codes plus `other`.
    public var usersByCountry: [CountryShare]
    /// What users do and what it calls.
    public var paths: [AppPath]
    /// Default ``ResilienceStrategy/none``.
    public var strategy: ResilienceStrategy
    /// Default ``RetryPolicySpec/standard``.
    public var retryPolicy: RetryPolicySpec
    /// Requests one user makes per minute on average; scales the offered load only. Default 1.
    public var requestsPerUserPerMinute: Double
    /// Calls per second one SDK client (one retry quota) makes to one dependency at normal load. Sets how fast a
    /// quota empties; it does not change the load. Default 50.
    public var callsPerClientPerSecond: Double
    /// The Downdetector-style report model. Default ``ReportingSpec/init(propensity:meanDelay:)`` defaults.
    public var reporting: ReportingSpec

    public init(
        name: String, users: Int, usersByCountry: [CountryShare], paths: [AppPath], strategy: ResilienceStrategy = .none,
        retryPolicy: RetryPolicySpec = .standard, requestsPerUserPerMinute: Double = 1, callsPerClientPerSecond: Double = 50,
        reporting: ReportingSpec = ReportingSpec()
    ) {
        self.name = name
        self.users = users
        self.usersByCountry = usersByCountry
        self.paths = paths
        self.strategy = strategy
        self.retryPolicy = retryPolicy
        self.requestsPerUserPerMinute = requestsPerUserPerMinute
        self.callsPerClientPerSecond = callsPerClientPerSecond
        self.reporting = reporting
    }

    /// The component the app's events name: `service/app/<name>`.
    public var component: ComponentID { ComponentID(.service, "app/\(name)") }

    /// The dependencies its paths call, sorted, without duplicates.
    public var dependencies: [String] { Set(paths.flatMap(\.dependencies)).sorted() }

    /// Everything wrong with the spec, one sentence each, in a fixed order; empty when the app can be run.
    public func validationErrors() -> [String] {
        var problems: [String] = []
        let prefix = "app '\(name)'"
        if name.isEmpty { problems.append("app: name must not be empty") }
        if users < 0 { problems.append("\(prefix): users must not be negative") }
        problems += CountryShare.validationErrors(usersByCountry, prefix: prefix)
        problems += AppPath.validationErrors(paths, prefix: prefix)
        problems += strategy.validationErrors(prefix: prefix)
        problems += AppSpec.clientBehaviourErrors(
            retryPolicy: retryPolicy, requestsPerUserPerMinute: requestsPerUserPerMinute,
            callsPerClientPerSecond: callsPerClientPerSecond, reporting: reporting, prefix: prefix)
        return problems
    }

    /// Problems with the client-side behaviour an app (or a generated company) shares: retries, request rates,
    /// reporting.
    static func clientBehaviourErrors(
        retryPolicy: RetryPolicySpec, requestsPerUserPerMinute: Double, callsPerClientPerSecond: Double,
        reporting: ReportingSpec, prefix: String
    ) -> [String] {
        var problems = retryPolicy.validationErrors(prefix: prefix)
        if !(requestsPerUserPerMinute > 0) || !requestsPerUserPerMinute.isFinite {
            problems.append("\(prefix): requestsPerUserPerMinute must be positive")
        }
        if !(callsPerClientPerSecond > 0) || !callsPerClientPerSecond.isFinite {
            problems.append("\(prefix): callsPerClientPerSecond must be positive")
        }
        problems += reporting.validationErrors(prefix: prefix)
        return problems
    }
}

/// One thing users of an app do, the regional dependencies it calls, and its share of users.
public struct AppPath: Sendable, Hashable {
    public var name: String
    /// Dependency names as ``DependencyHealth`` knows them (`"dynamodb"`, `"nlb"`, `"ec2-launch"`).
    public var dependencies: [String]
    /// The share of users (and requests) on this path, relative to the app's other paths.
    public var weight: Double

    public init(_ name: String, _ dependencies: [String], weight: Double) {
        self.name = name
        self.dependencies = dependencies
        self.weight = weight
    }

    static func validationErrors(_ paths: [AppPath], prefix: String) -> [String] {
        var problems: [String] = []
        if paths.isEmpty { problems.append("\(prefix): needs at least one path") }
        var seen = Set<String>()
        for path in paths {
            if path.name.isEmpty { problems.append("\(prefix): a path name must not be empty") }
            if !seen.insert(path.name).inserted { problems.append("\(prefix): duplicate path '\(path.name)'") }
            if !(path.weight >= 0) || !path.weight.isFinite {
                problems.append("\(prefix): path '\(path.name)' weight must be ≥ 0")
            }
            if path.dependencies.contains(where: \.isEmpty) {
                problems.append("\(prefix): path '\(path.name)' has an empty dependency name")
            }
        }
        if !paths.isEmpty, !(paths.reduce(0) { $0 + $1.weight } > 0) {
            problems.append("\(prefix): path weights must not all be zero")
        }
        return problems
    }
}

/// A country and a share of users in it.
public struct CountryShare: Sendable, Hashable {
    /// ISO 3166 alpha-2 code (`US`, `GB`, `DK`), or `other`.
    public var country: String
    public var share: Double

    public init(_ country: String, _ share: Double) {
        self.country = country
        self.share = share
    }

    /// The shares merged by country, normalised to sum to 1, sorted by country.
    static func normalised(_ shares: [CountryShare]) -> [CountryShare] {
        let total = shares.reduce(0) { $0 + $1.share }
        guard total > 0 else { return [] }
        // Input already sorted by country without repeats (as normalised shares are) has nothing to merge.
        let merged =
            zip(shares, shares.dropFirst()).allSatisfy({ $0.country < $1.country }) ? shares : mergedByCountry(shares)
        return merged.map { CountryShare($0.country, (0 + $0.share) / total) }
    }

    /// The shares summed by country, sorted by country. A stable sort keeps each country's shares in input order, so
    /// the sums are those of adding them up in input order (without hashing every country into a dictionary, which
    /// cost more than the rest of building the world).
    private static func mergedByCountry(_ shares: [CountryShare]) -> [CountryShare] {
        let sorted = shares.enumerated().sorted { ($0.element.country, $0.offset) < ($1.element.country, $1.offset) }
        var merged: [CountryShare] = []
        merged.reserveCapacity(sorted.count)
        for (_, entry) in sorted {
            if let last = merged.last, last.country == entry.country {
                merged[merged.count - 1].share += entry.share
            } else {
                merged.append(CountryShare(entry.country, 0 + entry.share))
            }
        }
        return merged
    }

    static func validationErrors(_ shares: [CountryShare], prefix: String) -> [String] {
        var problems: [String] = []
        if shares.isEmpty { problems.append("\(prefix): usersByCountry must not be empty") }
        for entry in shares {
            if entry.country.isEmpty { problems.append("\(prefix): a country code must not be empty") }
            if !(entry.share >= 0) || !entry.share.isFinite {
                problems.append("\(prefix): share of '\(entry.country)' must be ≥ 0")
            }
        }
        if !shares.isEmpty, !(shares.reduce(0) { $0 + $1.share } > 0) {
            problems.append("\(prefix): country shares must not all be zero")
        }
        return problems
    }
}

/// How an app's affected users file Downdetector-style reports.
///
/// Each user reports at most once per run. A share ``propensity`` of the app's users are reporters; while the app
/// fails a reporter on a failing path reports after a delay with mean ``meanDelay``. Over a tick of length `Δ`
/// with error rate `e`, a share `min(1, e · Δ / meanDelay)` of the reporters who have not reported yet do (the
/// discrete form of an exponential delay). So reports = `propensity × users × (1 − Π(1 − eᵢΔ/meanDelay))`:
/// proportional to users and to propensity, growing with the depth and length of the impact, and saturating at
/// `propensity × users` for an outage much longer than `meanDelay`.
public struct ReportingSpec: Sendable, Hashable {
    /// The share of users who report when the app fails for them long enough. Default 0.01 — an assumption [U]:
    /// Downdetector does not publish it; 1 % puts the calibrated user counts of ``AppSpec/namedApps`` at
    /// plausible magnitudes (Snapchat 300 M).
    public var propensity: Double
    /// The mean time from failing to reporting. Default 30 minutes — an assumption [U]: nothing public measures it
    /// (the press says only that error pages appeared within two minutes).
    public var meanDelay: SimDuration

    public init(propensity: Double = 0.01, meanDelay: SimDuration = .minutes(30)) {
        self.propensity = propensity
        self.meanDelay = meanDelay
    }

    /// Everything wrong with the model, one sentence each.
    public func validationErrors(prefix: String) -> [String] {
        var problems: [String] = []
        if !(propensity >= 0 && propensity <= 1) { problems.append("\(prefix): report propensity must be in 0…1") }
        if meanDelay <= .zero { problems.append("\(prefix): report meanDelay must be positive") }
        return problems
    }
}
