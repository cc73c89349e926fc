public import SimKernel

/// One company drawn from an ``AppPopulationSpec``.
public struct GeneratedApp: Sendable, Hashable {
    /// 0-based position in the population.
    public var index: Int
    public var name: String
    public var users: Int
    /// Index into the population's ``AppPopulationSpec/templates``.
    public var template: Int
    /// Its strategy, with times rounded to the population's ``AppPopulationSpec/timeQuantum``.
    public var strategy: ResilienceStrategy
    /// Where most of its users are.
    public var homeCountry: String

    public init(index: Int, name: String, users: Int, template: Int, strategy: ResilienceStrategy, homeCountry: String) {
        self.index = index
        self.name = name
        self.users = users
        self.template = template
        self.strategy = strategy
        self.homeCountry = homeCountry
    }
}

extension AppPopulationSpec {
    /// Draws the companies. Company `i` draws from its own stream, `rng.split("company/<i>")`, in a fixed order
    /// (users, template, strategy kind, strategy times, home country), so changing the count never changes the
    /// companies that were already there. Same stream ⇒ same population.
    public func generate(rng: RandomStream) -> [GeneratedApp] {
        let templateWeights = templates.map(\.share)
        let strategyWeights = [strategyMix.automated, strategyMix.manual, strategyMix.none]
        let countryWeights = countryMix.map(\.share)
        let width = max(4, String(count).count)
        return (0..<max(0, count)).map { index in
            var stream = rng.split("company/\(index)")
            let users = users.draw(&stream)
            let template = AppPopulationSpec.pick(templateWeights, &stream)
            let strategy: ResilienceStrategy
            switch AppPopulationSpec.pick(strategyWeights, &stream) {
            case 0:
                strategy = .automatedFailover(
                    detectionDelay: quantised(automatedDetection.draw(&stream)),
                    switchTime: quantised(automatedSwitch.draw(&stream)))
            case 1:
                strategy = .manualDisasterRecovery(
                    detection: quantised(manualDetection.draw(&stream)), decision: quantised(manualDecision.draw(&stream)),
                    execution: quantised(manualExecution.draw(&stream)))
            default:
                strategy = .none
            }
            let home = countryMix[AppPopulationSpec.pick(countryWeights, &stream)].country
            let number = String(index + 1)
            let name = "\(namePrefix)-\(String(repeating: "0", count: max(0, width - number.count)))\(number)"
            return GeneratedApp(index: index, name: name, users: users, template: template, strategy: strategy, homeCountry: home)
        }
    }

    /// The company as an app: its template's paths, its strategy, its users spread over its home country
    /// (``homeCountryShare``) and the population's ``countryMix``, and the population's retry, load and report settings.
    public func appSpec(for company: GeneratedApp) -> AppSpec {
        var shares = CountryShare.normalised(countryMix).map { CountryShare($0.country, $0.share * (1 - homeCountryShare)) }
        shares.append(CountryShare(company.homeCountry, homeCountryShare))
        return AppSpec(
            name: company.name, users: company.users, usersByCountry: CountryShare.normalised(shares),
            paths: templates[company.template].paths, strategy: company.strategy, retryPolicy: retryPolicy,
            requestsPerUserPerMinute: requestsPerUserPerMinute, callsPerClientPerSecond: callsPerClientPerSecond,
            reporting: reporting)
    }

    /// A duration rounded to the nearest multiple of ``timeQuantum``, at least one quantum.
    func quantised(_ duration: SimDuration) -> SimDuration {
        let quantum = timeQuantum.nanoseconds
        let multiples = (duration.nanoseconds + quantum / 2) / quantum
        return SimDuration(nanoseconds: max(1, multiples) * quantum)
    }

    /// An index drawn with probability proportional to its weight (one uniform draw).
    static func pick(_ weights: [Double], _ rng: inout RandomStream) -> Int {
        let total = weights.reduce(0, +)
        var target = rng.nextUnit() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }
}
