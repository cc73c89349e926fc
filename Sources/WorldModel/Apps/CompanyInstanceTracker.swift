import SimKernel

/// Full-scale mode: reads the population fleet's connections company by company once per `interval`, to say which
/// companies lost every connection and when (``CompanyInstanceResults``).
///
/// It only observes (``ClientFleet/hasConnection(_:)``); the instances' fates come from their own lookups and
/// connections. While the whole fleet is connected and no company was degraded at the last sample, a sample costs
/// nothing; otherwise it reads every instance once.
final class CompanyInstanceTracker {
    private let fleet: ClientFleet
    private let rule: PopulationInstancesSpec
    private let simulator: Simulator
    private let interval: SimDuration
    private var companies: [CompanyInstanceResults.Company]
    private var series: [CompanyInstanceResults.Sample] = []
    /// Whether each company had some instance without a connection at the last sample.
    private var degraded: [Bool]
    private var anyDegraded = false

    init(
        fleet: ClientFleet, layout: PopulationInstanceLayout, rule: PopulationInstancesSpec, simulator: Simulator,
        interval: SimDuration = .minutes(1)
    ) {
        self.fleet = fleet
        self.rule = rule
        self.simulator = simulator
        self.interval = interval
        self.companies = layout.names.indices.map {
            CompanyInstanceResults.Company(
                name: layout.names[$0], firstInstance: layout.firstInstance[$0], instances: layout.instances[$0])
        }
        self.degraded = Array(repeating: false, count: layout.names.count)
    }

    /// Samples now (after the fleet has started) and every `interval` after.
    func start() {
        series.append(CompanyInstanceResults.Sample(time: simulator.now, withoutConnection: 0, degraded: 0))
        sample()
    }

    private func sample() {
        let now = simulator.now
        if anyDegraded || fleet.availability < 1 { scan(at: now) }
        simulator.schedule(after: interval) { [weak self] in self?.sample() }
    }

    private func scan(at now: SimTime) {
        var lostCount = 0
        var degradedCount = 0
        for index in companies.indices {
            let first = companies[index].firstInstance
            var serving = 0
            for instance in first..<(first + companies[index].instances) where fleet.hasConnection(instance) { serving += 1 }
            let isLost = serving == 0
            let isDegraded = serving < companies[index].instances
            if isDegraded {
                if companies[index].firstDegraded == nil { companies[index].firstDegraded = now }
                companies[index].restored = nil
            } else if degraded[index] {
                companies[index].restored = now
            }
            if isLost {
                if companies[index].lostAll == nil { companies[index].lostAll = now }
                companies[index].withoutConnection = companies[index].withoutConnection + interval
                lostCount += 1
            } else if isDegraded {
                degradedCount += 1
            }
            degraded[index] = isDegraded
        }
        anyDegraded = lostCount + degradedCount > 0
        if let last = series.last, last.withoutConnection != lostCount || last.degraded != degradedCount {
            series.append(CompanyInstanceResults.Sample(time: now, withoutConnection: lostCount, degraded: degradedCount))
        }
    }

    func results() -> CompanyInstanceResults {
        CompanyInstanceResults(
            fleet: fleet.id, rule: rule, sampleInterval: interval, companies: companies, series: series)
    }
}
