import SimKernel

extension AppFleet {
    /// The impact so far, up to the simulator's current time (the interval since the last tick included) or the
    /// ``stop()``, whichever is first. Calling it changes nothing; it can be called during the run and again at the end.
    public func results() -> ImpactResults {
        let now = min(simulator.now, stoppedAt ?? simulator.now)
        let interval = lastTick.map { now - $0 } ?? .zero
        var countryReports = Array(repeating: 0.0, count: countries.count)
        var totalReports = 0.0
        var userHours = 0.0
        var everAffected = 0.0
        var appsAffected = 0

        func account(_ unit: AppUnit) -> (timeDown: SimDuration, userHours: Double, reports: Double) {
            let (timeDown, errorSeconds, unreported) = unit.accumulated(over: interval)
            let perUser = unit.reportsPerUser(unreported: unreported)
            for index in countries.indices { countryReports[index] += unit.usersByCountry[index] * perUser }
            let reports = unit.users * perUser
            let hours = unit.users * errorSeconds / 3_600
            totalReports += reports
            userHours += hours
            everAffected += unit.users * unit.peakErrorRate
            if unit.firstFailure != nil { appsAffected += unit.members }
            return (timeDown, hours, reports)
        }

        let apps = named.map { unit in
            let (timeDown, hours, reports) = account(unit)
            return AppImpact(
                name: unit.name, strategy: unit.strategyKind, users: Int(unit.users), firstFailure: unit.firstFailure,
                recovery: unit.isDown ? nil : unit.lastRecovery, downAtEnd: unit.isDown, episodes: unit.episodes,
                timeDown: timeDown, peakErrorRate: unit.peakErrorRate, failedOverAt: unit.failedOverAt,
                userHours: hours, reports: Int(reports.rounded()))
        }

        var population: PopulationImpact?
        if let spec = populationSpec {
            var strategyReports = Array(repeating: 0.0, count: StrategyKind.allCases.count)
            var recoveries = Array(repeating: [(SimDuration, Int)](), count: StrategyKind.allCases.count)
            var downTimes = Array(repeating: [(SimDuration, Int)](), count: StrategyKind.allCases.count)
            var companies = Array(repeating: 0, count: StrategyKind.allCases.count)
            var affected = Array(repeating: 0, count: StrategyKind.allCases.count)
            var recovered = Array(repeating: 0, count: StrategyKind.allCases.count)
            var downAtEnd = 0
            var users = 0.0
            var reports = 0.0
            for unit in cohorts {
                let (timeDown, _, unitReports) = account(unit)
                let kind = StrategyKind.allCases.firstIndex(of: unit.strategyKind)!
                companies[kind] += unit.members
                strategyReports[kind] += unitReports
                reports += unitReports
                users += unit.users
                if unit.isDown { downAtEnd += unit.members }
                guard let first = unit.firstFailure else { continue }
                affected[kind] += unit.members
                downTimes[kind].append((timeDown, unit.members))
                if !unit.isDown, let recovery = unit.lastRecovery {
                    recovered[kind] += unit.members
                    recoveries[kind].append((recovery - first, unit.members))
                }
            }
            let byStrategy = StrategyKind.allCases.enumerated().map { index, kind in
                StrategyImpact(
                    strategy: kind, companies: companies[index], affected: affected[index], recovered: recovered[index],
                    medianTimeToRecover: AppFleet.lowerMedian(recoveries[index]),
                    medianTimeDown: AppFleet.lowerMedian(downTimes[index]), reports: Int(strategyReports[index].rounded()))
            }
            population = PopulationImpact(
                companies: spec.count, companiesAffected: affected.reduce(0, +), companiesDownAtEnd: downAtEnd,
                users: Int(users), reports: Int(reports.rounded()), byStrategy: byStrategy, cohorts: cohorts.count)
        }

        let byCountry = countries.indices
            .map { CountryReports(country: countries[$0], reports: Int(countryReports[$0].rounded())) }
            .sorted { ($0.reports, $1.country) > ($1.reports, $0.country) }
        let totals = ImpactTotals(
            reports: Int(totalReports.rounded()), peakUsersAffected: series.map(\.users).max() ?? 0,
            usersEverAffected: Int(everAffected.rounded()), appsAffected: appsAffected, userHours: userHours)
        return ImpactResults(
            time: now, apps: apps, population: population, usersAffected: series, reportsByCountry: byCountry,
            totals: totals)
    }

    /// The lower median of values given with multiplicities: the value at position ⌊(n − 1) / 2⌋ of the sorted list.
    static func lowerMedian(_ values: [(SimDuration, Int)]) -> SimDuration? {
        let total = values.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        let target = (total - 1) / 2
        var seen = 0
        for (value, count) in values.sorted(by: { $0.0 < $1.0 }) {
            seen += count
            if seen > target { return value }
        }
        return nil
    }
}
