import SimKernel

/// Checks expectations against what a run observed. Pure: results in, verdicts out.
public enum ExpectationEvaluator {
    /// One verdict per expectation, in the order written.
    public static func evaluate(_ expectations: [ExpectationSpec], in results: RunResults) -> [ExpectationResult] {
        expectations.map { evaluate($0, in: results) }
    }

    /// The verdict on one expectation.
    public static func evaluate(_ expectation: ExpectationSpec, in results: RunResults) -> ExpectationResult {
        let expected = describe(expectation.bound, clock: results.clock)
        guard let value = measure(expectation.metric, of: expectation.component, in: results) else {
            return ExpectationResult(
                expectation: expectation, passed: false,
                measured: "no such metric for \(expectation.component)", expected: expected)
        }
        return ExpectationResult(
            expectation: expectation, passed: value.satisfies(expectation.bound),
            measured: value.describe(clock: results.clock), expected: expected)
    }

    /// A measured value; `nil` from `measure` means the component does not have the metric.
    enum Measured {
        case instant(SimTime?)
        case duration(SimDuration)
        case number(Double)

        func satisfies(_ bound: ExpectationBound) -> Bool {
            switch (self, bound) {
            case (.instant(nil), .absent): return true
            case (.instant(nil), _), (_, .absent): return false
            case (.instant(let t?), .timeBetween(let low, let high)): return low <= t && t <= high
            case (.duration(let d), .durationBetween(let low, let high)): return low <= d && d <= high
            case (.number(let n), .number(let low, let high)):
                return (low.map { n >= $0 } ?? true) && (high.map { n <= $0 } ?? true)
            default: return false
            }
        }

        func describe(clock: ScenarioClock) -> String {
            switch self {
            case .instant(nil): return "absent"
            case .instant(let t?): return clock.format(t)
            case .duration(let d): return d.description
            case .number(let n): return ExpectationEvaluator.number(n)
            }
        }
    }

    static func measure(_ metric: ExpectationMetric, of id: ComponentID, in results: RunResults) -> Measured? {
        if let client = results.clients.first(where: { $0.id == id }) {
            switch metric {
            case .firstFailure: return .instant(client.firstFailure)
            case .recovery: return .instant(client.recovery)
            case .lookups(nil): return .number(Double(client.lookups.total))
            case .lookups(let outcome?): return .number(Double(client.lookups.count(outcome)))
            case .fraction(let outcome):
                let total = client.lookups.total
                return .number(total == 0 ? 0 : Double(client.lookups.count(outcome)) / Double(total))
            case .downtime: return .duration(client.downtime)
            case .minAvailability: return .number(client.minAvailability)
            case .staleAnswers, .medianRecovery: return nil
            }
        }
        if let resolver = results.resolvers.first(where: { $0.id == id }) {
            switch metric {
            case .firstFailure: return .instant(resolver.firstFailure)
            case .recovery: return .instant(resolver.recovery)
            case .lookups(nil): return .number(Double(resolver.answers.total))
            case .lookups(let outcome?): return .number(Double(resolver.answers.count(outcome)))
            case .fraction(let outcome):
                let total = resolver.answers.total
                return .number(total == 0 ? 0 : Double(resolver.answers.count(outcome)) / Double(total))
            case .staleAnswers: return .number(Double(resolver.staleAnswers))
            case .downtime, .minAvailability, .medianRecovery: return nil
            }
        }
        if id == ComponentID(.service, "apps"), let population = results.impact?.population {
            guard case .medianRecovery(let strategy) = metric else { return nil }
            let median = population.byStrategy.first { $0.strategy.rawValue == strategy }?.medianTimeToRecover
            return median.map(Measured.duration) ?? .instant(nil)
        }
        if id.kind == .service, id.name.hasPrefix("app/"),
            let app = results.impact?.apps.first(where: { "app/\($0.name)" == id.name })
        {
            switch metric {
            case .firstFailure: return .instant(app.firstFailure)
            case .recovery: return .instant(app.downAtEnd ? nil : app.recovery)
            case .downtime: return .duration(app.timeDown)
            default: return nil
            }
        }
        if let service = results.services.first(where: { $0.id == id }) {
            switch metric {
            case .firstFailure: return .instant(service.firstFailure)
            case .recovery: return .instant(service.recovery)
            case .downtime: return .duration(service.downtime)
            case .minAvailability: return .number(service.minHealth)
            case .lookups, .fraction, .staleAnswers, .medianRecovery: return nil
            }
        }
        return nil
    }

    static func describe(_ bound: ExpectationBound, clock: ScenarioClock) -> String {
        switch bound {
        case .absent: return "absent"
        case .timeBetween(let low, let high): return "\(clock.format(low)) – \(clock.format(high))"
        case .durationBetween(let low, let high): return "\(low) – \(high)"
        case .number(let low?, let high?) where low == high: return "= \(number(low))"
        case .number(let low?, let high?): return "\(number(low)) – \(number(high))"
        case .number(let low?, nil): return "≥ \(number(low))"
        case .number(nil, let high?): return "≤ \(number(high))"
        case .number(nil, nil): return "any"
        }
    }

    /// Integers without a decimal point; fractions with up to four decimals.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let scaled = (value * 10_000).rounded() / 10_000
        return "\(scaled)"
    }
}
