/// The seeds of a Monte Carlo study or a sweep, derived from one scenario seed.
///
/// Run 1 uses the scenario's seed itself (so `--runs 1` is the ordinary run); run `k > 1` uses the SplitMix64 output
/// for the state `seed + k · 0x9E3779B97F4A7C15`. The mapping is fixed and documented, so a seed printed in a report
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
        var z = base &+ UInt64(run) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seeds of runs 1…count.
    public func seeds(count: Int) -> [UInt64] { (0..<max(0, count)).map { seed(forRun: $0 + 1) } }
}
