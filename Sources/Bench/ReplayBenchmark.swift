import DNSCascade
public import SimKernel
import WorldModel

/// The bundled US-EAST-1 replay (or any scenario file): wall time, CPU time, events, peak memory.
///
/// ```swift
/// let m = try ReplayBenchmark.measure(path: "Scenarios/us-east-1-2025-10-20.yaml")
/// print(m.virtualSeconds / m.wallSeconds)  // virtual time per wall time
/// ```
public enum ReplayBenchmark {
    /// The flagship scenario's file name in the bundled scenarios directory.
    public static let defaultScenario = "us-east-1-2025-10-20.yaml"

    /// The default scenario's path, found as `dnscascade replay` finds it.
    public static func defaultScenarioPath() -> String? {
        ScenarioCatalog().locate(explicit: nil).map { $0 + "/" + defaultScenario }
    }

    /// Loads, builds and runs the scenario (to `until` if given) in this process, as `dnscascade replay` does
    /// (without rendering the report); `fullScale` as `dnscascade replay --full-scale`.
    public static func measure(path: String, until: SimDuration? = nil, fullScale: Bool = false) throws -> Measurement {
        let watch = Stopwatch()
        let pipeline = ScenarioPipeline(options: RunOptions(until: until, fullScale: fullScale))
        let scenario = try pipeline.load(.file(path: path))
        let world = try pipeline.build(scenario)
        // The world's spec: in full-scale mode it includes the population's instance fleet.
        let clients = world.spec.clients.reduce(0) { $0 + $1.instances }
        let results = try pipeline.run(world)
        let wall = watch.elapsedSeconds
        let end = min(until ?? scenario.spec.duration, scenario.spec.duration)
        let used = ResourceUsage.cpuTime()
        return Measurement(
            label: fullScale ? "replay-full" : "replay", clients: clients, wallSeconds: wall,
            cpuSeconds: used.total, systemSeconds: used.system,
            maxResidentBytes: ResourceUsage.maxResidentBytes(),
            events: results.eventsProcessed, lookups: results.totalLookups, virtualSeconds: end.seconds)
    }
}

/// Many seeds of one scenario on every core (``DNSCascade/MonteCarlo``), timed.
public enum MonteCarloBenchmark {
    /// Wall time of `runs` seeds on `workers` threads.
    public static func measure(path: String, runs: Int, workers: Int, until: SimDuration? = nil) throws -> Double {
        let watch = Stopwatch()
        _ = try MonteCarlo(pipeline: ScenarioPipeline(options: RunOptions(until: until)), runs: runs, workers: workers)
            .run(.file(path: path))
        return watch.elapsedSeconds
    }
}
