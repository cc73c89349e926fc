import Foundation
import Reporting
public import WorldModel

/// The header of a sweep's NDJSON output: what was swept, so shards can be checked against each other and a partial
/// sweep against the command that resumes it.
public struct SweepHeader: Sendable, Hashable, Codable {
    /// The scenario file, as given.
    public var scenario: String
    /// The seed the runs' seeds derive from (``SeedSequence``).
    public var seed: UInt64
    public var grid: SweepGrid
    /// Overrides applied to every point before the grid's (`--set`).
    public var overrides: [String]
    public var runs: Int
    /// Grid points × runs.
    public var tasks: Int
    /// `i/N` when this output holds only shard `i` (0-based) of `N`.
    public var shard: String?

    public init(
        scenario: String, seed: UInt64, grid: SweepGrid, overrides: [String], runs: Int, tasks: Int, shard: String? = nil
    ) {
        self.scenario = scenario
        self.seed = seed
        self.grid = grid
        self.overrides = overrides
        self.runs = runs
        self.tasks = tasks
        self.shard = shard
    }
}

/// One task of a sweep — one grid point with one seed — and what it measured. Times are milliseconds from the start of
/// the run (absent: it did not happen); no floating point, so records are identical on every machine.
public struct SweepRecord: Sendable, Hashable, Codable {
    /// One expectation's verdict in this run.
    public struct Verdict: Sendable, Hashable, Codable {
        public var label: String
        public var component: String
        public var passed: Bool
        public var measured: String
    }

    /// One component's failure times in this run.
    public struct Times: Sendable, Hashable, Codable {
        public var id: String
        public var firstFailureMs: Int64?
        public var recoveryMs: Int64?
        public var downtimeMs: Int64?
    }

    /// 0-based task number: `point × runs + (run − 1)`.
    public var task: Int
    /// The grid point, as `path=value` overrides.
    public var point: [String]
    /// 1-based run number at this point, and its seed.
    public var run: Int
    public var seed: UInt64
    /// Whether every expectation held.
    public var passed: Bool
    public var events: Int
    public var lookups: Int
    public var expectations: [Verdict]
    public var components: [Times]

    public init(task: Int, point: [String], run: Int, summary: RunSummary, expectations: [ExpectationResult]) {
        func ms(_ d: SimDuration?) -> Int64? { d.map { $0.nanoseconds / 1_000_000 } }
        self.task = task
        self.point = point
        self.run = run
        self.seed = summary.seed
        self.passed = summary.passed
        self.events = summary.eventsProcessed
        self.lookups = summary.lookups
        self.expectations = expectations.map {
            Verdict(
                label: $0.expectation.label, component: $0.expectation.component.description, passed: $0.passed,
                measured: $0.measured)
        }
        self.components = summary.components.map {
            Times(
                id: $0.id.description, firstFailureMs: ms($0.firstFailure), recoveryMs: ms($0.recovery),
                downtimeMs: ms($0.downtime))
        }
    }
}

/// NDJSON and CSV text for sweep outputs, and reading NDJSON back (for `merge` and for resuming).
public enum SweepFormat: String, Sendable, CaseIterable {
    case ndjson, csv

    /// One line (with its newline) for the header: `{"sweep":{…}}`.
    public static func line(_ header: SweepHeader) -> String {
        encode(HeaderLine(sweep: header))
    }

    /// One line (with its newline) for a record.
    public static func line(_ record: SweepRecord) -> String { encode(record) }

    /// The whole output: header and records in task order.
    public func render(_ header: SweepHeader, _ records: [SweepRecord]) -> String {
        let sorted = records.sorted { $0.task < $1.task }
        switch self {
        case .ndjson: return Self.line(header) + sorted.map(Self.line).joined()
        case .csv: return Self.csv(header, sorted)
        }
    }

    /// The header of an NDJSON line, or nil if the line is not a header.
    public static func header(from line: Substring) -> SweepHeader? {
        try? JSONDecoder().decode(HeaderLine.self, from: Data(line.utf8)).sweep
    }

    /// A record from an NDJSON line, or nil if the line is not one.
    public static func record(from line: Substring) -> SweepRecord? {
        try? JSONDecoder().decode(SweepRecord.self, from: Data(line.utf8))
    }

    private struct HeaderLine: Codable { var sweep: SweepHeader }

    private static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, an integer, a Bool or an array of them: encoding cannot fail.
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: - CSV

    private static func csv(_ header: SweepHeader, _ records: [SweepRecord]) -> String {
        let axes = header.grid.axes.map(\.path)
        let labels = records.first?.expectations.map { "\($0.component) \($0.label)" } ?? []
        let components = records.first?.components.map(\.id) ?? []
        var columns = ["task", "run", "seed"] + axes + ["passed", "events", "lookups"]
        columns += labels.map { "expect: \($0)" }
        columns += components.flatMap { ["\($0) firstFailure s", "\($0) recovery s", "\($0) downtime s"] }
        var out = columns.map(CSVRenderer.field).joined(separator: ",") + "\n"
        for record in records {
            var cells = ["\(record.task)", "\(record.run)", "\(record.seed)"]
            cells += axes.map { axis in
                record.point.first { $0.hasPrefix(axis + "=") }.map { String($0.dropFirst(axis.count + 1)) } ?? ""
            }
            cells += ["\(record.passed)", "\(record.events)", "\(record.lookups)"]
            cells += labels.indices.map { record.expectations.indices.contains($0) ? "\(record.expectations[$0].passed)" : "" }
            for id in components {
                let times = record.components.first { $0.id == id }
                cells += [times?.firstFailureMs, times?.recoveryMs, times?.downtimeMs].map { $0.map(seconds) ?? "" }
            }
            out += cells.map(CSVRenderer.field).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Milliseconds as seconds with three decimals, without floating point.
    private static func seconds(_ ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let magnitude = ms.magnitude
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
