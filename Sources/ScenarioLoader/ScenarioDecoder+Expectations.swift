import DNSModel
import SimKernel
import WorldModel

/// The `expect:` language: one metric of one component per entry, with a bound, an optional scope and an optional
/// reading over several runs. See docs/scenario-format.md, "Expectations".
extension ScenarioDecoder {
    static let metricKeys = [
        "firstFailure", "recovery", "down", "lookups", "fraction", "staleAnswers", "downtime", "minAvailability",
        "medianRecovery", "peak", "stays",
    ]

    func decodeExpectation(_ node: YAMLNode, _ path: KeyPath) -> ExpectationSpec? {
        let f = Fields(node, path, context, allowed: ["component", "label", "runs"] + Self.metricKeys)
        let component = f.require("component").flatMap {
            componentRef($0, path.key("component"), kinds: [.client, .resolver, .service, .endpoint])
        }
        let label = f.take("label").flatMap { context.string($0, path.key("label")) }
        let runs = f.take("runs").flatMap { runsQualifier($0, path.key("runs")) }
        let runsInvalid = f.has("runs") && runs == nil
        guard let key = singleKind(f, Self.metricKeys, what: "metric"), let value = f.take(key, nullIsAbsent: false) else {
            return nil
        }
        let metricPath = path.key(key)
        var scope = LookupScope.all
        var result: (ExpectationMetric, ExpectationBound)?
        switch key {
        case "firstFailure", "recovery":
            let metric: ExpectationMetric = key == "firstFailure" ? .firstFailure : .recovery
            if value.plainText == "absent" {
                result = (metric, .absent)
            } else {
                let k = Fields(value, metricPath, context, allowed: ["between"], what: "{between: [from, to]} or 'absent'")
                if let w = k.require("between").flatMap({ window($0, metricPath.key("between")) { instant($0, $1) } }) {
                    result = (metric, .timeBetween(w.0, w.1))
                }
            }
        case "down":
            if value.plainText == "absent" {
                result = (.down, .absent)
            } else {
                result = downInterval(value, metricPath).map { (.down, $0) }
            }
        case "medianRecovery":
            result = medianRecovery(value, metricPath)
        case "downtime":
            let k = Fields(value, metricPath, context, allowed: ["between"], what: "{between: [shortest, longest]}")
            if let w = k.require("between").flatMap({
                window($0, metricPath.key("between")) { context.duration($0, $1, allowZero: true) }
            }) {
                result = (.downtime, .durationBetween(w.0, w.1))
            }
        case "peak":
            result = peak(value, metricPath, component)
        case "stays":
            result = stays(value, metricPath, component)
        default:
            (result, scope) = counted(key, value, metricPath)
        }
        guard let component, kindAllows(key, component, f, metricPath) else { return nil }
        guard let (metric, bound) = result, !runsInvalid else { return nil }
        if case .percentile = runs, key == "down" {
            context.error(f.keyMark("runs"), path.key("runs"), "a percentile needs a single value; 'down' is an interval")
            return nil
        }
        let source = "\(context.file):\(node.mark.line):\(node.mark.column)"
        return ExpectationSpec(
            label: label ?? Self.describe(metric, bound, scope: scope, runs: runs, time: timeText), component: component,
            metric: metric,
            bound: bound, scope: scope, runs: runs, source: source)
    }

    // MARK: - Metrics

    /// `{from: T, to: T, within: 5m}`.
    private func downInterval(_ value: YAMLNode, _ path: KeyPath) -> ExpectationBound? {
        let k = Fields(
            value, path, context, allowed: ["from", "to", "within"], what: "{from: time, to: time, within: duration} or 'absent'")
        let from = k.require("from").flatMap { instant($0, path.key("from")) }
        let to = k.require("to").flatMap { instant($0, path.key("to")) }
        let within = k.require("within").flatMap { context.duration($0, path.key("within"), allowZero: true) }
        guard let from, let to, let within else { return nil }
        if to < from {
            context.error(k.keyMark("to"), path.key("to"), "the interval ends before it starts")
            return nil
        }
        return .interval(from: from, to: to, within: within)
    }

    private func medianRecovery(_ value: YAMLNode, _ path: KeyPath) -> (ExpectationMetric, ExpectationBound)? {
        let k = Fields(value, path, context, allowed: ["strategy", "between"], what: "{strategy, between: [shortest, longest]}")
        let strategies = StrategyKind.allCases.map(\.rawValue)
        let strategy = k.require("strategy").flatMap { node -> String? in
            guard let text = context.string(node, path.key("strategy")) else { return nil }
            guard strategies.contains(text) else {
                context.error(
                    node.mark, path.key("strategy"), "expected one of \(strategies.joined(separator: ", ")), found '\(text)'",
                    suggestion: Suggestion.nearest(to: text, in: strategies))
                return nil
            }
            return text
        }
        guard
            let w = k.require("between").flatMap({
                window($0, path.key("between")) { context.duration($0, $1, allowZero: true) }
            }), let strategy
        else { return nil }
        return (.medianRecovery(strategy: strategy), .durationBetween(w.0, w.1))
    }

    /// `{series: requests, during: [from, to], timesNormal: true, atLeast: 3}`.
    private func peak(_ value: YAMLNode, _ path: KeyPath, _ component: ComponentID?) -> (ExpectationMetric, ExpectationBound)? {
        let k = Fields(value, path, context, allowed: ["series", "during", "timesNormal", "atLeast", "atMost", "equals"])
        let series = k.require("series").flatMap { seriesName($0, path.key("series"), component) }
        let during = k.take("during").flatMap { window($0, path.key("during")) { instant($0, $1) } }
        let timesNormal = k.read("timesNormal", false) { context.bool($0, $1) }
        let bound = numberBound(k, path, range: 0...1e15)
        guard let series, let bound, !k.has("during") || during != nil else { return nil }
        return (.peak(series: series, window: during.map { $0.0...$0.1 }, timesNormal: timesNormal), bound)
    }

    /// `{series: goodput, below: 0.05, after: T, atLeast: 60m, atMost: 3h}`.
    private func stays(_ value: YAMLNode, _ path: KeyPath, _ component: ComponentID?) -> (ExpectationMetric, ExpectationBound)? {
        let k = Fields(value, path, context, allowed: ["series", "below", "after", "atLeast", "atMost"])
        let series = k.require("series").flatMap { seriesName($0, path.key("series"), component) }
        let below = k.require("below").flatMap { context.double($0, path.key("below"), in: -1e15...1e15) }
        let after = k.require("after").flatMap { instant($0, path.key("after")) }
        let atLeast = k.take("atLeast").flatMap { context.duration($0, path.key("atLeast"), allowZero: true) }
        let atMost = k.take("atMost").flatMap { context.duration($0, path.key("atMost"), allowZero: true) }
        guard k.isMapping else { return nil }
        if !k.has("atLeast") && !k.has("atMost") {
            context.error(k.node.mark, path, "needs a bound: atLeast or atMost (a duration)")
            return nil
        }
        if let atLeast, let atMost, atMost < atLeast {
            context.error(k.keyMark("atMost"), path.key("atMost"), "atMost is shorter than atLeast")
            return nil
        }
        guard let series, let below, let after, k.has("atLeast") == (atLeast != nil), k.has("atMost") == (atMost != nil)
        else { return nil }
        return (
            .stays(series: series, below: below, after: after),
            .durationBetween(atLeast ?? .zero, atMost ?? ExpectationBound.noLongest)
        )
    }

    /// `lookups`, `fraction`, `staleAnswers`, `minAvailability`: a number bound; the first two may be scoped.
    private func counted(
        _ key: String, _ value: YAMLNode, _ path: KeyPath
    ) -> ((ExpectationMetric, ExpectationBound)?, LookupScope) {
        let isFraction = key == "fraction" || key == "minAvailability"
        let hasOutcome = key == "lookups" || key == "fraction"
        let k = Fields(
            value, path, context,
            allowed: (hasOutcome ? ["outcome", "name", "during"] : []) + ["atLeast", "atMost", "equals"])
        var outcome: LookupOutcome?
        if hasOutcome, let node = k.take("outcome") {
            outcome = lookupOutcome(node, path.key("outcome"))
        } else if key == "fraction" {
            _ = k.require("outcome")
        }
        let name = k.take("name").flatMap { context.domainName($0, path.key("name")) }
        let during = k.take("during").flatMap { window($0, path.key("during")) { instant($0, $1) } }
        let scope = LookupScope(name: name, window: during.map { $0.0...$0.1 })
        let bound = numberBound(k, path, range: isFraction ? 0...1 : 0...1e15)
        let scopeValid = (!k.has("name") || name != nil) && (!k.has("during") || during != nil)
        guard let bound, k.isMapping, scopeValid, !hasOutcome || k.take("outcome") == nil || outcome != nil else {
            return (nil, scope)
        }
        switch key {
        case "lookups": return ((.lookups(outcome), bound), scope)
        case "fraction": return (outcome.map { (.fraction($0), bound) }, scope)
        case "staleAnswers": return ((.staleAnswers, bound), scope)
        default: return ((.minAvailability, bound), scope)
        }
    }

    // MARK: - Parts

    /// Whether the metric is measured for the component's kind (reports it otherwise).
    private func kindAllows(_ key: String, _ component: ComponentID, _ f: Fields, _ path: KeyPath) -> Bool {
        let needs: [ComponentID.Kind] =
            switch key {
            case "staleAnswers": [.resolver]
            case "downtime", "minAvailability": [.client, .service]
            case "lookups", "fraction": [.client, .resolver]
            case "medianRecovery": [.service]
            case "peak", "stays": [.endpoint, .service]
            default: [.client, .resolver, .service]
            }
        if !needs.contains(component.kind) {
            let kinds = needs.map { "\($0.rawValue)s" }.joined(separator: " and ")
            context.error(f.keyMark(key), path, "'\(key)' is measured for \(kinds), not \(component.kind.rawValue)s")
            return false
        }
        if key == "medianRecovery", component != ComponentID(.service, "apps") {
            context.error(f.keyMark(key), path, "'medianRecovery' is measured for service/apps (the generated companies)")
            return false
        }
        return true
    }

    /// The series a component records: request counts at key-value endpoints that serve a lease manager, goodput and
    /// leases of lease managers.
    private func seriesName(_ node: YAMLNode, _ path: KeyPath, _ component: ComponentID?) -> String? {
        guard let text = context.string(node, path, what: "a series name") else { return nil }
        guard let component else { return nil }
        let available: [String]
        switch component.kind {
        case .endpoint:
            let served = leaseManagers.compactMap { binding in clients.first { $0.id == binding.client }?.endpoint }
            available = served.contains(component.name) ? ["requests", "throttled"] : []
        case .service:
            available = leaseManagers.contains { $0.id == component.name } ? ["goodput", "leases"] : []
        default:
            available = []
        }
        guard !available.isEmpty else {
            context.error(
                node.mark, path,
                "\(component) records no series (series exist for key-value endpoints that serve a lease manager, "
                    + "and for lease managers)")
            return nil
        }
        guard available.contains(text) else {
            context.error(
                node.mark, path, "unknown series '\(text)' for \(component) (\(available.joined(separator: ", ")))",
                suggestion: Suggestion.nearest(to: text, in: available))
            return nil
        }
        return text
    }

    /// `{percentile: 90}` or `{fraction: {atLeast: 0.9}}`.
    private func runsQualifier(_ node: YAMLNode, _ path: KeyPath) -> RunsQualifier? {
        let k = Fields(
            node, path, context, allowed: ["percentile", "fraction"], what: "{percentile: P} or {fraction: {atLeast: F}}")
        guard let key = singleKind(k, ["percentile", "fraction"], what: "reading over runs"), let value = k.take(key) else {
            return nil
        }
        if key == "percentile" {
            guard let p = context.double(value, path.key("percentile"), in: 0...100) else { return nil }
            guard p > 0 else {
                context.error(value.mark, path.key("percentile"), "a percentile must be above 0 (at most 100), found 0")
                return nil
            }
            return .percentile(p)
        }
        let bounds = Fields(value, path.key("fraction"), context, allowed: ["atLeast", "atMost", "equals"])
        guard case .number(let low, let high)? = numberBound(bounds, path.key("fraction"), range: 0...1) else { return nil }
        return .fractionOfRuns(min: low, max: high)
    }

    private func lookupOutcome(_ node: YAMLNode, _ path: KeyPath) -> LookupOutcome? {
        guard let text = context.string(node, path, what: "an outcome") else { return nil }
        guard let outcome = LookupOutcome(rfcName: text) else {
            let names = LookupOutcome.allCases.map(\.rfcName)
            context.error(
                node.mark, path, "unknown outcome '\(text)' (\(names.joined(separator: ", ")))",
                suggestion: Suggestion.nearest(to: text.uppercased(), in: names))
            return nil
        }
        return outcome
    }

    private func numberBound(_ k: Fields, _ path: KeyPath, range: ClosedRange<Double>) -> ExpectationBound? {
        guard k.isMapping else { return nil }
        let atLeast = k.take("atLeast").flatMap { context.double($0, path.key("atLeast"), in: range) }
        let atMost = k.take("atMost").flatMap { context.double($0, path.key("atMost"), in: range) }
        let equals = k.take("equals").flatMap { context.double($0, path.key("equals"), in: range) }
        if k.has("equals") && (k.has("atLeast") || k.has("atMost")) {
            context.error(k.keyMark("equals"), path, "'equals' cannot be combined with 'atLeast' or 'atMost'")
            return nil
        }
        if !k.has("equals") && !k.has("atLeast") && !k.has("atMost") {
            context.error(k.node.mark, path, "needs a bound: atLeast, atMost or equals")
            return nil
        }
        if let atLeast, let atMost, atLeast > atMost {
            context.error(k.keyMark("atMost"), path.key("atMost"), "atMost is smaller than atLeast")
            return nil
        }
        if let equals { return .number(min: equals, max: equals) }
        if (k.has("atLeast") && atLeast == nil) || (k.has("atMost") && atMost == nil) { return nil }
        return .number(min: atLeast, max: atMost)
    }

    // MARK: - Labels

    /// Times in default labels: the clock time when the scenario has a `start:`, otherwise the offset from the start.
    private func timeText(_ time: SimTime) -> String {
        clock == .utc ? time.sinceStart.description : clock.format(time)
    }

    /// A default label: `firstFailure between 10m and 12m`.
    static func describe(
        _ metric: ExpectationMetric, _ bound: ExpectationBound, scope: LookupScope = .all, runs: RunsQualifier? = nil,
        time: (SimTime) -> String = { $0.sinceStart.description }
    ) -> String {
        var name: String
        switch metric {
        case .firstFailure: name = "firstFailure"
        case .recovery: name = "recovery"
        case .down: name = "down"
        case .lookups(let outcome): name = outcome.map { "lookups \($0.rfcName)" } ?? "lookups"
        case .fraction(let outcome): name = "fraction \(outcome.rfcName)"
        case .staleAnswers: name = "staleAnswers"
        case .downtime: name = "downtime"
        case .minAvailability: name = "minAvailability"
        case .medianRecovery(let strategy): name = "median recovery (\(strategy))"
        case .peak(let series, let window, let timesNormal):
            name = "peak \(series)\(timesNormal ? " × normal" : "")"
            if let window { name += " during \(time(window.lowerBound))–\(time(window.upperBound))" }
        case .stays(let series, let below, let after):
            name = "time \(series) stays below \(number(below)) after \(time(after))"
        }
        if let scoped = scope.name { name += " of \(scoped)" }
        if let window = scope.window { name += " during \(time(window.lowerBound))–\(time(window.upperBound))" }
        switch runs {
        case .percentile(let p)?: name = "p\(number(p)) \(name)"
        case .fractionOfRuns?: name += " (share of runs)"
        case nil: break
        }
        switch bound {
        case .absent: return "\(name) absent"
        case .timeBetween(let a, let b): return "\(name) between \(time(a)) and \(time(b))"
        case .durationBetween(let a, let b) where b == ExpectationBound.noLongest: return "\(name) at least \(a)"
        case .durationBetween(let a, let b): return "\(name) between \(a) and \(b)"
        case .number(let low?, let high?) where low == high: return "\(name) = \(number(low))"
        case .number(let low?, let high?): return "\(name) in \(number(low))...\(number(high))"
        case .number(let low?, nil): return "\(name) ≥ \(number(low))"
        case .number(nil, let high?): return "\(name) ≤ \(number(high))"
        case .number(nil, nil): return name
        case .interval(let from, let to, let within):
            return "\(name) from \(time(from)) to \(time(to)) within \(within)"
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
