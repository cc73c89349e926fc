import SimKernel
public import WorldModel

/// Renders a Monte Carlo study — the verdicts over all runs, and per component the share of runs in which it failed and
/// percentiles of its failure and recovery times — as text or JSON. A pure function of its input.
///
/// ```swift
/// let text = MonteCarloRenderer(format: .text).render(
///     scenarioName: "tiny", clock: clock, runs: summaries, expectations: verdicts)
/// ```
public struct MonteCarloRenderer: Sendable {
    public var format: ReportFormat
    public var color: Bool

    public init(format: ReportFormat = .text, color: Bool = false) {
        self.format = format
        self.color = color
    }

    /// The percentiles shown per component.
    public static let percentiles: [Double] = [5, 50, 95]

    /// The study; every line ends in a newline. `csv` gives one row per run, `ndjson` one object per run.
    public func render(
        scenarioName: String, clock: ScenarioClock, runs: [RunSummary], expectations: [ExpectationResult]
    ) -> String {
        switch format {
        case .text: return text(scenarioName, clock, runs, expectations)
        case .json: return document(scenarioName, clock, runs, expectations).serialized(pretty: true) + "\n"
        case .ndjson: return runs.enumerated().map { run($1, number: $0 + 1).serialized(pretty: false) + "\n" }.joined()
        case .csv:
            var out = "run,seed,passed,events,lookups\n"
            for (index, summary) in runs.enumerated() {
                out += "\(index + 1),\(summary.seed),\(summary.passed),\(summary.eventsProcessed),\(summary.lookups)\n"
            }
            return out
        }
    }

    // MARK: - Distributions

    /// One component over all runs.
    struct Distribution {
        var id: ComponentID
        var failed: Int
        var recovered: Int
        var firstFailure: [SimDuration]
        var recovery: [SimDuration]
        var downtime: [SimDuration]
    }

    static func distributions(_ runs: [RunSummary]) -> [Distribution] {
        guard let first = runs.first else { return [] }
        return first.components.indices.map { index in
            let all = runs.compactMap { $0.components.indices.contains(index) ? $0.components[index] : nil }
            let failedRuns = all.filter { $0.firstFailure != nil }
            return Distribution(
                id: first.components[index].id, failed: failedRuns.count,
                recovered: failedRuns.filter { $0.recovery != nil }.count,
                firstFailure: failedRuns.compactMap(\.firstFailure).sorted(),
                recovery: failedRuns.compactMap(\.recovery).sorted(), downtime: all.compactMap(\.downtime).sorted())
        }
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ p: Double, _ sorted: [SimDuration]) -> SimDuration? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    // MARK: - Text

    private func text(_ name: String, _ clock: ScenarioClock, _ runs: [RunSummary], _ expectations: [ExpectationResult]) -> String
    {
        let passedRuns = runs.filter(\.passed).count
        var out = "\(name): \(runs.count) run\(runs.count == 1 ? "" : "s") (seeds \(seedList(runs))); "
        out += "every expectation held in \(passedRuns) of \(runs.count)\n\n"
        let distributions = Self.distributions(runs).filter { $0.failed > 0 }
        if !distributions.isEmpty {
            out += "Components over runs (times: p5 / p50 / p95 of the runs in which it happened)\n"
            var table = TextTable([
                .init(title: "component", alignment: .left), .init(title: "failed in", alignment: .right),
                .init(title: "first failure", alignment: .left), .init(title: "recovered in", alignment: .right),
                .init(title: "recovery", alignment: .left), .init(title: "downtime p50 (all runs)", alignment: .right),
            ])
            for d in distributions {
                table.append([
                    .init(d.id.description), .init("\(d.failed) of \(runs.count)"),
                    .init(times(d.firstFailure, clock)), .init("\(d.recovered) of \(d.failed)"),
                    .init(times(d.recovery, clock)),
                    .init(Self.percentile(50, d.downtime).map(ReportFormatting.duration) ?? "–"),
                ])
            }
            out += table.render(color: color) + "\n"
        }
        out += SummaryRenderer(color: color).renderExpectations(expectations)
        out += "\n" + ReportFormatting.verdict(expectations, color: color) + "\n"
        return out
    }

    private func times(_ sorted: [SimDuration], _ clock: ScenarioClock) -> String {
        let values = Self.percentiles.compactMap { Self.percentile($0, sorted) }
        guard !values.isEmpty else { return "–" }
        return values.map { clock.format(SimTime.zero + $0) }.joined(separator: " / ")
    }

    private func seedList(_ runs: [RunSummary]) -> String {
        let shown = runs.prefix(3).map { String($0.seed) }
        return shown.joined(separator: ", ") + (runs.count > 3 ? ", …" : "")
    }

    // MARK: - JSON

    private func document(
        _ name: String, _ clock: ScenarioClock, _ runs: [RunSummary], _ expectations: [ExpectationResult]
    ) -> JSONValue {
        .object([
            ("schemaVersion", .int(1)),
            ("scenario", .string(name)),
            ("runs", .int(Int64(runs.count))),
            ("passed", .bool(expectations.allSatisfy(\.passed))),
            ("runsPassed", .int(Int64(runs.filter(\.passed).count))),
            ("expectations", .array(expectations.map(JSONRenderer.expectation))),
            ("components", .array(Self.distributions(runs).map { component($0, clock: clock) })),
            ("perRun", .array(runs.enumerated().map { run($1, number: $0 + 1) })),
        ])
    }

    private func component(_ d: Distribution, clock: ScenarioClock) -> JSONValue {
        func percentiles(_ sorted: [SimDuration], asTime: Bool) -> JSONValue {
            .object(
                Self.percentiles.map { p in
                    let value = Self.percentile(p, sorted)
                    let json: JSONValue =
                        value.map { asTime ? JSONRenderer.time(SimTime.zero + $0, clock: clock) : JSONRenderer.duration($0) }
                        ?? .null
                    return ("p\(Int(p))", json)
                })
        }
        return .object([
            ("id", .string(d.id.description)),
            ("failedRuns", .int(Int64(d.failed))),
            ("recoveredRuns", .int(Int64(d.recovered))),
            ("firstFailure", percentiles(d.firstFailure, asTime: true)),
            ("recovery", percentiles(d.recovery, asTime: true)),
            ("downtime", percentiles(d.downtime, asTime: false)),
        ])
    }

    private func run(_ summary: RunSummary, number: Int) -> JSONValue {
        .object([
            ("run", .int(Int64(number))),
            ("seed", .uint(summary.seed)),
            ("passed", .bool(summary.passed)),
            ("events", .int(Int64(summary.eventsProcessed))),
            ("lookups", .int(Int64(summary.lookups))),
        ])
    }
}
