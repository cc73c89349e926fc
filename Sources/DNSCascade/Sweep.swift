import Foundation
import Synchronization
import WorldModel

/// Runs a scenario over a parameter grid × seeds (`dnscascade sweep`), on every local core, optionally only one
/// shard of the tasks so a job array can spread a sweep over machines (`--shard i/N`, then `dnscascade merge`).
///
/// Task `t` is grid point `t / runs` with run `t % runs + 1`; its seed is `SeedSequence(base: seed).seed(forRun:)`
/// of that run, so every point sees the same seeds. Shard `i` of `N` holds the tasks with `t % N == i`. Output is in
/// task order whatever the number of workers or shards, so merged shards equal one unsharded sweep byte for byte.
///
/// With an output file, finished tasks are journalled to `<output>.partial` as they complete; a sweep that is
/// killed resumes from the journal (same command) without recomputing them, and the output appears only when
/// complete (written atomically).
///
/// ```swift
/// let sweep = try Sweep(scenario: "Scenarios/classroom/02-deleted-name.yaml",
///                       grid: SweepGrid(parsing: ["resolvers.r1.negativeTTL=1m,5m"]), runs: 3)
/// let (header, records) = try sweep.run()
/// print(SweepFormat.csv.render(header, records))
/// ```
public struct Sweep: Sendable {
    /// A slice of the tasks: shard `index` (0-based) of `count`.
    public struct Shard: Sendable, Hashable, CustomStringConvertible {
        public var index: Int
        public var count: Int

        /// Parses `i/N` with `0 ≤ i < N`.
        public init(parsing text: String) throws(DNSCascadeError) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
                throw .invalidOption("--shard '\(text)': expected i/N, e.g. 0/4 (shards are numbered from 0)")
            }
            guard count >= 1, index >= 0, index < count else {
                throw .invalidOption("--shard '\(text)': the index must be 0…\(max(0, count - 1)) for \(count) shards")
            }
            self.index = index
            self.count = count
        }

        public var description: String { "\(index)/\(count)" }
    }

    public var scenario: String
    public var grid: SweepGrid
    public var runs: Int
    /// Overrides applied before the grid's, and an optional seed in place of the scenario's.
    public var options: RunOptions
    public var shard: Shard?
    /// Threads (default: every core); the output does not depend on it.
    public var workers: Int

    public init(
        scenario: String, grid: SweepGrid, runs: Int = 1, options: RunOptions = RunOptions(), shard: Shard? = nil,
        workers: Int? = nil
    ) throws(DNSCascadeError) {
        guard runs >= 1 else { throw .invalidOption("--runs must be at least 1, got \(runs)") }
        guard !grid.axes.isEmpty else { throw .invalidOption("the grid is empty: give at least one --grid path=v1,v2,…") }
        self.scenario = scenario
        self.grid = grid
        self.runs = runs
        self.options = options
        self.shard = shard
        self.workers = workers ?? MonteCarlo.defaultWorkers
    }

    /// Checks every grid point loads and builds, and returns the header of this sweep's output.
    public func prepare() throws(DNSCascadeError) -> SweepHeader {
        var seed: UInt64?
        for point in grid.points {
            let pipeline = ScenarioPipeline(options: options(for: point, seed: nil))
            // A bad value's diagnostic names its `--set path=value`, so errors pass through as they are.
            let loaded = try pipeline.load(.file(path: scenario))
            _ = try pipeline.build(loaded)
            seed = seed ?? loaded.spec.seed
        }
        return SweepHeader(
            scenario: scenario, seed: seed ?? 0, grid: grid, overrides: options.overrides, runs: runs,
            tasks: grid.points.count * runs, shard: shard?.description)
    }

    /// This shard's task numbers (all tasks without a shard), ascending.
    public func tasks(of header: SweepHeader) -> [Int] {
        (0..<header.tasks).filter { task in shard.map { task % $0.count == $0.index } ?? true }
    }

    /// Runs the tasks not in `done`, calling `onRecord` (serialised) as each finishes; returns every record of the shard
    /// (`done` included) in task order.
    public func run(
        header: SweepHeader, done: [SweepRecord] = [], onRecord: (@Sendable (SweepRecord) -> Void)? = nil
    ) throws(DNSCascadeError) -> [SweepRecord] {
        let finished = Set(done.map(\.task))
        let todo = tasks(of: header).filter { !finished.contains($0) }
        let points = grid.points
        let seeds = SeedSequence(base: header.seed)
        let sweep = self
        let attempts = ParallelMap.map(count: todo.count, workers: workers) { index -> Result<SweepRecord, DNSCascadeError> in
            let task = todo[index]
            let point = points[task / sweep.runs]
            let run = task % sweep.runs + 1
            let pipeline = ScenarioPipeline(options: sweep.options(for: point, seed: seeds.seed(forRun: run)))
            return Result { () throws(DNSCascadeError) in try pipeline.run(.file(path: sweep.scenario)) }.map { report in
                SweepRecord(
                    task: task, point: point, run: run, summary: RunSummary(report.results, passed: report.passed),
                    expectations: report.expectations)
            }
        } onResult: { _, attempt in
            if case .success(let record) = attempt { onRecord?(record) }
        }
        let mine = Set(tasks(of: header))
        var records = done.filter { mine.contains($0.task) }
        for attempt in attempts {
            switch attempt {
            case .success(let record): records.append(record)
            case .failure(let error): throw error
            }
        }
        return records.sorted { $0.task < $1.task }
    }

    /// Prepares and runs the whole shard in memory.
    public func run() throws(DNSCascadeError) -> (SweepHeader, [SweepRecord]) {
        let header = try prepare()
        return (header, try run(header: header))
    }

    /// The sweep's options with the point's overrides after its own, and the run's seed.
    private func options(for point: [String], seed: UInt64?) -> RunOptions {
        var options = self.options
        options.overrides += point
        if let seed { options.seed = seed }
        return options
    }
}
