/// The benchmarks `dnscascade bench` can run, in the order it runs them.
public enum BenchmarkID: String, CaseIterable, Sendable, Codable {
    case engine, lookups, replay
    /// The replay in full-scale mode (every generated company's own instances, ``DNSCascade/RunOptions/fullScale``).
    case fullscale
    case scaling, montecarlo
}

/// Output format of `dnscascade bench`.
public enum BenchFormat: String, CaseIterable, Sendable {
    case text, json
}

/// One line of the benchmark table: what was measured, against what, the target and whether it was met.
public struct BenchRow: Sendable, Codable, Hashable {
    public var benchmark: BenchmarkID
    /// What this row measures (`hold model, 1k pending, vs Heap`).
    public var name: String
    public var measured: Double
    public var unit: String
    /// The value compared with (a reference implementation's measurement, or the target value itself).
    public var reference: Double?
    /// What the reference is (`swift-collections Heap`, `SimPy 4.1.2`, `target`).
    public var referenceLabel: String?
    /// `measured / reference` for rates, `reference / measured` never: ratios are always measured over reference.
    public var ratio: Double?
    /// The target as text (`≥ 0.7× Heap`), empty when the row is informational.
    public var target: String
    /// Whether the target is met; `nil` when there is none or it could not be measured.
    public var met: Bool?
    /// How it was measured, extrapolations, what is missing.
    public var note: String

    public init(
        benchmark: BenchmarkID, name: String, measured: Double, unit: String, reference: Double? = nil,
        referenceLabel: String? = nil, ratio: Double? = nil, target: String = "", met: Bool? = nil, note: String = ""
    ) {
        self.benchmark = benchmark
        self.name = name
        self.measured = measured
        self.unit = unit
        self.reference = reference
        self.referenceLabel = referenceLabel
        self.ratio = ratio
        self.target = target
        self.met = met
        self.note = note
    }
}

/// Everything one `dnscascade bench` run measured.
///
/// ```swift
/// let report = BenchRunner(options: BenchOptions(quick: true, only: [.engine])).run()
/// print(report.render(.text))
/// ```
public struct BenchReport: Sendable, Codable {
    /// Whether this was a `--quick` run (smaller sizes; Monte Carlo extrapolated).
    public var quick: Bool
    /// Online processors (`nproc`).
    public var processors: Int
    /// 1-minute load average when the run started and when it ended.
    public var loadAverageStart: Double?
    public var loadAverageEnd: Double?
    public var rows: [BenchRow]
    /// Scaling points, in population order (empty unless the scaling benchmark ran).
    public var scaling: [Measurement]
    /// The replay measurement (if it ran).
    public var replay: Measurement?
    /// The full-scale replay measurement (if it ran).
    public var fullScale: Measurement?
    /// Benchmarks that could not run, and why.
    public var problems: [String]

    public init(
        quick: Bool, processors: Int, loadAverageStart: Double?, loadAverageEnd: Double?, rows: [BenchRow],
        scaling: [Measurement], replay: Measurement?, fullScale: Measurement? = nil, problems: [String]
    ) {
        self.quick = quick
        self.processors = processors
        self.loadAverageStart = loadAverageStart
        self.loadAverageEnd = loadAverageEnd
        self.rows = rows
        self.scaling = scaling
        self.replay = replay
        self.fullScale = fullScale
        self.problems = problems
    }
}
