public import SimKernel

/// What one run measured for one expectation.
public enum MeasuredValue: Sendable, Hashable {
    /// A moment, or absent (it never happened).
    case instant(SimTime?)
    case duration(SimDuration)
    case number(Double)
    /// A failure interval: its start and end, each absent when it did not happen.
    case interval(SimTime?, SimTime?)

    /// Whether the value lies inside the bound.
    public func satisfies(_ bound: ExpectationBound) -> Bool {
        switch (self, bound) {
        case (.instant(nil), .absent), (.interval(nil, _), .absent): return true
        case (.instant(nil), _), (_, .absent): return false
        case (.instant(let t?), .timeBetween(let low, let high)): return low <= t && t <= high
        case (.duration(let d), .durationBetween(let low, let high)): return low <= d && d <= high
        case (.number(let n), .number(let low, let high)):
            return !n.isNaN && (low.map { n >= $0 } ?? true) && (high.map { n <= $0 } ?? true)
        case (.interval(let start?, let end?), .interval(let from, let to, let within)):
            return Self.distance(start, from) <= within && Self.distance(end, to) <= within
        default: return false
        }
    }

    /// A key to order runs' values by, for percentiles: absent moments sort after every present one.
    public var orderKey: Double {
        switch self {
        case .instant(let t): return t.map { Double($0.nanoseconds) } ?? .infinity
        case .duration(let d): return Double(d.nanoseconds)
        case .number(let n): return n
        case .interval(let start, _): return start.map { Double($0.nanoseconds) } ?? .infinity
        }
    }

    /// Human-readable, with times on the scenario's clock.
    public func describe(clock: ScenarioClock) -> String {
        switch self {
        case .instant(nil), .interval(nil, _): return "absent"
        case .instant(let t?): return clock.format(t)
        case .duration(let d): return d.description
        case .number(let n): return ExpectationEvaluator.number(n)
        case .interval(let start?, let end):
            return "\(clock.format(start)) – \(end.map { clock.format($0) } ?? "not recovered")"
        }
    }

    private static func distance(_ a: SimTime, _ b: SimTime) -> SimDuration { a >= b ? a - b : b - a }
}
