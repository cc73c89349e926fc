import DNSCascade
public import SimKernel
import WorldModel

/// Cost against population: ``BenchWorlds/population(clients:duration:)`` at 1 k … 1 M client instances.
///
/// Each point should run in a fresh process (``BenchChild``, `dnscascade bench --child scaling:N`) so its peak memory
/// is its own; ``measure(clients:duration:)`` is that process's work.
///
/// ```swift
/// let point = try ScalingBenchmark.measure(clients: 10_000)
/// print(point.wallSeconds, point.maxResidentBytes)
/// ```
public enum ScalingBenchmark {
    /// The populations of a full run (half-decades, so the plot has more than four points).
    public static let populations = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
    /// The populations of a `--quick` run.
    public static let quickPopulations = [1_000, 10_000, 100_000]

    /// Builds and runs the population world in this process. Wall and CPU time count the build and the run only (not
    /// the process's start-up); peak memory is the whole process's.
    public static func measure(clients: Int, duration: SimDuration = .minutes(20)) throws -> Measurement {
        let before = ResourceUsage.cpuTime()
        let watch = Stopwatch()
        let spec = try BenchWorlds.population(clients: clients, duration: duration)
        let pipeline = ScenarioPipeline()
        let world = try pipeline.build(try pipeline.load(.spec(spec)))
        let results = try pipeline.run(world)
        let wall = watch.elapsedSeconds
        let used = ResourceUsage.cpuTime() - before
        return Measurement(
            label: "\(clients)", clients: clients, wallSeconds: wall, cpuSeconds: used.total, systemSeconds: used.system,
            maxResidentBytes: ResourceUsage.maxResidentBytes(), events: results.eventsProcessed,
            lookups: results.totalLookups, virtualSeconds: duration.seconds)
    }

    /// The largest ratio of CPU time between two points ten times apart in population (1 k → 10 k, …).
    public static func worstTenfoldRatio(_ points: [Measurement]) -> (ratio: Double, from: Int)? {
        var worst: (ratio: Double, from: Int)?
        for low in points {
            guard let high = points.first(where: { $0.clients == low.clients * 10 }), low.cpuSeconds > 0 else { continue }
            let ratio = high.cpuSeconds / low.cpuSeconds
            if worst.map({ ratio > $0.ratio }) ?? true { worst = (ratio, low.clients) }
        }
        return worst
    }

    /// Peak memory per client: the slope of peak RSS between the two largest populations.
    public static func bytesPerClient(_ points: [Measurement]) -> Double? {
        let sorted = points.sorted { $0.clients < $1.clients }
        guard sorted.count >= 2 else { return nil }
        let high = sorted[sorted.count - 1]
        let low = sorted[sorted.count - 2]
        guard high.clients > low.clients else { return nil }
        return Double(high.maxResidentBytes - low.maxResidentBytes) / Double(high.clients - low.clients)
    }
}
