import SimKernel

/// The seeds of a Monte Carlo study or a sweep, derived from one scenario seed.
///
/// Run 1 uses the scenario's seed itself (so `--runs 1` is the ordinary run); run `k > 1` uses one SplitMix64 step
/// (`RandomStream.splitMix`) from the state `seed + (k − 1) · 0x9E3779B97F4A7C15`. The mapping is fixed, so a seed in a report
/// can be replayed alone with `--seed`.
///
/// ```swift
/// SeedSequence(base: 42).seed(forRun: 1)   // 42
/// SeedSequence(base: 42).seeds(count: 3)   // [42, …, …]
/// ```
public struct SeedSequence: Sendable, Hashable {
    public var base: UInt64

    public init(base: UInt64) { self.base = base }

    /// The seed of run `run` (1-based).
    public func seed(forRun run: Int) -> UInt64 {
        precondition(run >= 1, "runs are numbered from 1")
        if run == 1 { return base }
        var state = base &+ UInt64(run - 1) &* 0x9E37_79B9_7F4A_7C15
        return RandomStream.splitMix(&state)
    }

    /// The seeds of runs 1…count.
    public func seeds(count: Int) -> [UInt64] { (0..<max(0, count)).map { seed(forRun: $0 + 1) } }
}
