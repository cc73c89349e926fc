import SimKernel

/// Checks expectations against what runs observed. Pure: results in, verdicts out.
///
/// One run: ``evaluate(_:in:)``. Several runs of one scenario (Monte Carlo): measure each run with
/// ``measure(_:in:)``, keep only the measurements, and judge them together with ``evaluate(_:measurements:clock:)``.
public enum ExpectationEvaluator {
    /// One verdict per expectation, in the order written, for a single run.
    public static func evaluate(_ expectations: [ExpectationSpec], in results: RunResults) -> [ExpectationResult] {
        let measured = expectations.map { measure($0, in: results) }
        return zip(expectations, measured).map { evaluate($0, measurements: [$1], clock: results.clock) }
    }

    /// The verdict on one expectation, given its measurement in each run (`nil`: the component lacks the metric).
    ///
    /// Without a ``RunsQualifier`` the expectation must hold in every run; with `percentile(p)` the nearest-rank p-th
    /// percentile of the values must satisfy the bound; with `fractionOfRuns` the share of runs that satisfy it must lie
    /// in the range.
    public static func evaluate(
        _ expectation: ExpectationSpec, measurements: [MeasuredValue?], clock: ScenarioClock
    ) -> ExpectationResult {
        let expected = describe(expectation.bound, clock: clock)
        let values = measurements.compactMap { $0 }
        guard !measurements.isEmpty, values.count == measurements.count else {
            return ExpectationResult(
                expectation: expectation, passed: false, measured: "no such metric for \(expectation.component)",
                expected: expected)
        }
        let passing = values.map { $0.satisfies(expectation.bound) }
        let passCount = passing.filter { $0 }.count
        switch expectation.runs {
        case nil:
            if values.count == 1 {
                return ExpectationResult(
                    expectation: expectation, passed: passing[0], measured: values[0].describe(clock: clock),
                    expected: expected)
            }
            var measured = "\(passCount) of \(values.count) runs"
            if let failed = passing.firstIndex(of: false) {
                measured += "; run \(failed + 1): \(values[failed].describe(clock: clock))"
            } else {
                let low = percentile(1e-9, of: values).describe(clock: clock)
                let high = percentile(100, of: values).describe(clock: clock)
                measured += low == high ? " (\(low))" : " (\(low) … \(high))"
            }
            return ExpectationResult(
                expectation: expectation, passed: passCount == values.count, measured: measured,
                expected: "\(expected) in every run")
        case .percentile(let p):
            let value = percentile(p, of: values)
            return ExpectationResult(
                expectation: expectation, passed: value.satisfies(expectation.bound),
                measured: "p\(number(p)) \(value.describe(clock: clock)) (\(values.count) run\(values.count == 1 ? "" : "s"))",
                expected: expected)
        case .fractionOfRuns(let low, let high):
            let share = Double(passCount) / Double(values.count)
            let passed = (low.map { share >= $0 } ?? true) && (high.map { share <= $0 } ?? true)
            return ExpectationResult(
                expectation: expectation, passed: passed,
                measured: "\(number(share)) (\(passCount) of \(values.count) runs)",
                expected: "\(describe(.number(min: low, max: high), clock: clock)) of runs with \(expected)")
        }
    }

    /// The nearest-rank percentile (0 < p ≤ 100) of values ordered by ``MeasuredValue/orderKey`` (ties keep run order).
    public static func percentile(_ p: Double, of values: [MeasuredValue]) -> MeasuredValue {
        precondition(!values.isEmpty && p > 0 && p <= 100, "a percentile needs values and 0 < p ≤ 100")
        let ordered = values.enumerated().sorted { ($0.element.orderKey, $0.offset) < ($1.element.orderKey, $1.offset) }
        let rank = Int((p / 100 * Double(values.count)).rounded(.up))
        return ordered[min(max(rank, 1), values.count) - 1].element
    }

    /// What one run measured for the expectation; `nil` if the component does not have the metric.
    public static func measure(_ expectation: ExpectationSpec, in results: RunResults) -> MeasuredValue? {
        let id = expectation.component
        switch expectation.metric {
        case .peak(let name, let window, let timesNormal):
            guard let series = results.series(id, name) else { return nil }
            guard let peak = series.peak(in: window) else { return .number(0) }
            guard timesNormal else { return .number(peak.value) }
            return .number(series.normal > 0 ? peak.value / series.normal : peak.value > 0 ? .infinity : 0)
        case .stays(let name, let below, let after):
            return results.series(id, name).map { .duration($0.timeBelow(below, after: after)) }
        case .lookups(let outcome) where !expectation.scope.isAll:
            guard let counts = results.scopedCounts[ScopedCountKey(component: id, scope: expectation.scope)] else { return nil }
            return .number(Double(outcome.map(counts.count) ?? counts.total))
        case .fraction(let outcome) where !expectation.scope.isAll:
            guard let counts = results.scopedCounts[ScopedCountKey(component: id, scope: expectation.scope)] else { return nil }
            return .number(counts.total == 0 ? 0 : Double(counts.count(outcome)) / Double(counts.total))
        default:
            return measure(expectation.metric, of: id, in: results)
        }
    }

    static func measure(_ metric: ExpectationMetric, of id: ComponentID, in results: RunResults) -> MeasuredValue? {
        if let client = results.clients.first(where: { $0.id == id }) {
            switch metric {
            case .firstFailure: return .instant(client.firstFailure)
            case .recovery: return .instant(client.recovery)
            case .down: return .interval(client.firstFailure, client.recovery)
            case .lookups(nil): return .number(Double(client.lookups.total))
            case .lookups(let outcome?): return .number(Double(client.lookups.count(outcome)))
            case .fraction(let outcome):
                let total = client.lookups.total
                return .number(total == 0 ? 0 : Double(client.lookups.count(outcome)) / Double(total))
            case .downtime: return .duration(client.downtime)
            case .minAvailability: return .number(client.minAvailability)
            case .staleAnswers, .medianRecovery, .peak, .stays: return nil
            }
        }
        if let resolver = results.resolvers.first(where: { $0.id == id }) {
            switch metric {
            case .firstFailure: return .instant(resolver.firstFailure)
            case .recovery: return .instant(resolver.recovery)
            case .down: return .interval(resolver.firstFailure, resolver.recovery)
            case .lookups(nil): return .number(Double(resolver.answers.total))
            case .lookups(let outcome?): return .number(Double(resolver.answers.count(outcome)))
            case .fraction(let outcome):
                let total = resolver.answers.total
                return .number(total == 0 ? 0 : Double(resolver.answers.count(outcome)) / Double(total))
            case .staleAnswers: return .number(Double(resolver.staleAnswers))
            case .downtime, .minAvailability, .medianRecovery, .peak, .stays: return nil
            }
        }
        if id == ComponentID(.service, "apps"), let population = results.impact?.population {
            guard case .medianRecovery(let strategy) = metric else { return nil }
            let median = population.byStrategy.first { $0.strategy.rawValue == strategy }?.medianTimeToRecover
            return median.map(MeasuredValue.duration) ?? .instant(nil)
        }
        if id.kind == .service, id.name.hasPrefix("app/"),
            let app = results.impact?.apps.first(where: { "app/\($0.name)" == id.name })
        {
            let recovery = app.downAtEnd ? nil : app.recovery
            switch metric {
            case .firstFailure: return .instant(app.firstFailure)
            case .recovery: return .instant(recovery)
            case .down: return .interval(app.firstFailure, recovery)
            case .downtime: return .duration(app.timeDown)
            default: return nil
            }
        }
        if let service = results.services.first(where: { $0.id == id }) {
            switch metric {
            case .firstFailure: return .instant(service.firstFailure)
            case .recovery: return .instant(service.recovery)
            case .down: return .interval(service.firstFailure, service.recovery)
            case .downtime: return .duration(service.downtime)
            case .minAvailability: return .number(service.minHealth)
            case .lookups, .fraction, .staleAnswers, .medianRecovery, .peak, .stays: return nil
            }
        }
        return nil
    }

    static func describe(_ bound: ExpectationBound, clock: ScenarioClock) -> String {
        switch bound {
        case .absent: return "absent"
        case .timeBetween(let low, let high): return "\(clock.format(low)) – \(clock.format(high))"
        case .durationBetween(let low, let high) where high == ExpectationBound.noLongest: return "≥ \(low)"
        case .durationBetween(let low, let high): return "\(low) – \(high)"
        case .number(let low?, let high?) where low == high: return "= \(number(low))"
        case .number(let low?, let high?): return "\(number(low)) – \(number(high))"
        case .number(let low?, nil): return "≥ \(number(low))"
        case .number(nil, let high?): return "≤ \(number(high))"
        case .number(nil, nil): return "any"
        case .interval(let from, let to, let within):
            return "\(clock.format(from)) – \(clock.format(to)) (± \(within))"
        }
    }

    /// Integers without a decimal point; fractions with up to four decimals.
    static func number(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "∞" : "-∞" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let scaled = (value * 10_000).rounded() / 10_000
        return "\(scaled)"
    }
}
