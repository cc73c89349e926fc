import SimKernel
import WorldModel

/// A scripted ``DependencyHealth``: every dependency succeeds fully except inside its windows, where the last window
/// covering the time gives the rate. Only tests script dependencies; the world derives them from its services.
final class ScriptedHealth: DependencyHealth {
    struct Window {
        var dependency: String
        var from: SimTime
        var until: SimTime
        var rate: Double
    }

    var windows: [Window]
    private(set) var queries = 0

    init(_ windows: [Window] = []) { self.windows = windows }

    /// `dependency` answers with `rate` from `from` (after start) until `until`.
    static func outage(_ dependency: String, from: SimDuration, until: SimDuration, rate: Double = 0) -> ScriptedHealth {
        ScriptedHealth([Window(dependency: dependency, from: .zero + from, until: .zero + until, rate: rate)])
    }

    func successRate(of dependency: String, at time: SimTime) -> Double {
        queries += 1
        return windows.last { $0.dependency == dependency && $0.from <= time && time < $0.until }?.rate ?? 1
    }
}

/// Builds a fleet on a fresh simulator, records the events it publishes, and runs it.
struct AppFleetFixture {
    var named: [AppSpec] = []
    var population: AppPopulationSpec?
    var health = ScriptedHealth()
    var seed: UInt64 = 1
    var settings = AppFleet.Settings()

    /// A one-country app; `paths` as (name, dependencies, weight).
    static func app(
        _ name: String, users: Int = 1_000_000, paths: [(String, [String], Double)] = [("login", ["dynamodb"], 1)],
        strategy: ResilienceStrategy = .none, retry: RetryPolicySpec = .standard, reporting: ReportingSpec = ReportingSpec()
    ) -> AppSpec {
        AppSpec(
            name: name, users: users, usersByCountry: [CountryShare("US", 0.75), CountryShare("GB", 0.25)],
            paths: paths.map { AppPath($0.0, $0.1, weight: $0.2) }, strategy: strategy, retryPolicy: retry,
            reporting: reporting)
    }

    struct Run {
        var fleet: AppFleet
        var simulator: Simulator
        var events: [String]
        var results: ImpactResults

        func app(_ name: String) -> AppImpact { results.apps.first { $0.name == name }! }

        /// The times and kinds of one component's state changes, as `T+… kind`.
        func kinds(of component: String) -> [String] {
            events.filter { $0.contains(" \(component) ") }.map { line in
                let parts = line.split(separator: " ")
                return "\(parts[0]) \(parts[2])"
            }
        }
    }

    /// Builds the fleet; for tests that drive the simulator themselves.
    func build() throws -> (AppFleet, Simulator, EventLog) {
        let simulator = Simulator()
        let trace = TraceBus<WorldEvent>()
        let log = EventLog()
        trace.subscribe { time, event in
            if case .stateChanged(let component, let kind, let detail) = event {
                log.lines.append("\(time) \(component) \(kind) \(detail)")
            }
        }
        let fleet = try AppFleet(
            named: named, population: population, health: health, simulator: simulator, trace: trace,
            rng: RandomStreams(seed: seed).stream("apps"), settings: settings)
        return (fleet, simulator, log)
    }

    /// Runs for `duration` from time zero.
    func run(for duration: SimDuration) throws -> Run {
        let (fleet, simulator, log) = try build()
        fleet.start()
        simulator.run(until: .zero + duration)
        return Run(fleet: fleet, simulator: simulator, events: log.lines, results: fleet.results())
    }
}

/// The `.stateChanged` events a fleet published, one line each.
final class EventLog {
    var lines: [String] = []
}

/// The lower median (the value at ⌊(n − 1) / 2⌋ of the sorted list), as the fleet defines it.
func lowerMedian(_ values: [SimDuration]) -> SimDuration? {
    let sorted = values.sorted()
    return sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2]
}
