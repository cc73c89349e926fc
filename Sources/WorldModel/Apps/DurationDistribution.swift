public import SimKernel

/// A distribution of durations to draw parameters from (people's reaction times, failover switch times).
///
/// ```swift
/// var rng = RandomStream(seed: 1, label: "example")
/// let detection = DurationDistribution.logNormal(median: .minutes(4), sigma: 0.45, min: .minutes(1), max: .minutes(20))
/// let drawn = detection.draw(&rng)   // about 4 minutes, clamped to [1 min, 20 min]
/// ```
public enum DurationDistribution: Sendable, Hashable {
    /// Always the same value.
    case fixed(SimDuration)
    /// Uniform in the closed range.
    case uniform(SimDuration, SimDuration)
    /// Log-normal with the given median and shape, clamped to [min, max]. Clamping keeps the median.
    case logNormal(median: SimDuration, sigma: Double, min: SimDuration, max: SimDuration)

    /// One draw.
    public func draw(_ rng: inout RandomStream) -> SimDuration {
        switch self {
        case .fixed(let value):
            return value
        case .uniform(let lower, let upper):
            return rng.duration(lower, upper)
        case .logNormal(let median, let sigma, let low, let high):
            let seconds = rng.logNormal(median: median.seconds, sigma: sigma)
            let drawn = SimDuration.fractionalSeconds(Swift.min(seconds, high.seconds * 2))
            return Swift.min(Swift.max(drawn, low), high)
        }
    }

    /// The distribution's median (of the clamped distribution).
    public var median: SimDuration {
        switch self {
        case .fixed(let value): value
        case .uniform(let lower, let upper): SimDuration(nanoseconds: lower.nanoseconds + (upper - lower).nanoseconds / 2)
        case .logNormal(let median, _, let low, let high): Swift.min(Swift.max(median, low), high)
        }
    }

    /// Everything wrong with the distribution, one sentence each.
    public func validationErrors(prefix: String) -> [String] {
        switch self {
        case .fixed(let value):
            return value < .zero ? ["\(prefix) must not be negative"] : []
        case .uniform(let lower, let upper):
            if lower < .zero { return ["\(prefix): lower bound must not be negative"] }
            return upper < lower ? ["\(prefix): upper bound must be at least the lower bound"] : []
        case .logNormal(let median, let sigma, let low, let high):
            var problems: [String] = []
            if median <= .zero { problems.append("\(prefix): median must be positive") }
            if !(sigma >= 0) || !sigma.isFinite { problems.append("\(prefix): sigma must be ≥ 0") }
            if low < .zero { problems.append("\(prefix): min must not be negative") }
            if high < low { problems.append("\(prefix): max must be at least min") }
            return problems
        }
    }
}
