import DNSCascade
public import SimKernel
import WorldModel

/// End-to-end simulated lookups per second: stub (c-ares 1.18 retry model) → resolver cache → wire response →
/// c-ares classification, on one core.
///
/// ```swift
/// let result = try LookupBenchmark.run(instances: 1_000, duration: .seconds(20))
/// print(result.lookupsPerSecond)
/// ```
public enum LookupBenchmark {
    /// One run of ``BenchWorlds/lookupStorm(instances:interval:duration:)``.
    public struct Result: Sendable, Codable, Hashable {
        public var lookups: Int
        public var events: Int
        /// Wall time of the run itself (building the world is not counted).
        public var seconds: Double
        /// The thread's CPU time for the run (the same as `seconds` on an idle machine).
        public var cpuSeconds: Double
        public var virtualSeconds: Double

        /// Lookups per CPU second.
        public var lookupsPerSecond: Double { cpuSeconds > 0 ? Double(lookups) / cpuSeconds : 0 }
    }

    /// Builds the world with the production pipeline (c-ares classifier) and times its run.
    public static func run(instances: Int, duration: SimDuration, interval: SimDuration = .milliseconds(10)) throws -> Result {
        let spec = try BenchWorlds.lookupStorm(instances: instances, interval: interval, duration: duration)
        let pipeline = ScenarioPipeline()
        let world = try pipeline.build(try pipeline.load(.spec(spec)))
        let watch = Stopwatch()
        let results = try pipeline.run(world)
        let (seconds, cpu) = (watch.elapsedSeconds, watch.elapsedThreadCPUSeconds)
        return Result(
            lookups: results.totalLookups, events: results.eventsProcessed, seconds: seconds, cpuSeconds: cpu,
            virtualSeconds: duration.seconds)
    }
}
