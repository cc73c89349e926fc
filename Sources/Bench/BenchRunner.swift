import Foundation

/// What to run and where to find the programs it needs.
public struct BenchOptions: Sendable {
    /// Smaller sizes (a CI smoke run); Monte Carlo extrapolated from a few runs.
    public var quick: Bool
    /// The benchmarks to run, in ``BenchmarkID`` order whatever the order given.
    public var only: [BenchmarkID]
    /// This executable, re-run as `executable benchArguments --child …` for fresh-process measurements.
    public var executable: String?
    /// The arguments that reach the bench subcommand (`["bench"]`).
    public var benchArguments: [String]
    /// The replay scenario (default: the bundled US-EAST-1 replay).
    public var scenarioPath: String?
    /// `benchmarks/simpy/hold.py` (default: found in the working directory or above the scenarios directory).
    public var simpyScript: String?
    public var python: String
    /// Monte Carlo threads (default: every active processor).
    public var workers: Int
    /// Sizes to use instead of those of the mode (tests use tiny ones).
    public var sizes: BenchSizes?

    public init(
        quick: Bool = false, only: [BenchmarkID] = BenchmarkID.allCases, executable: String? = nil,
        benchArguments: [String] = ["bench"], scenarioPath: String? = nil, simpyScript: String? = nil,
        python: String = "python3", workers: Int? = nil, sizes: BenchSizes? = nil
    ) {
        self.quick = quick
        self.only = only
        self.executable = executable
        self.benchArguments = benchArguments
        self.scenarioPath = scenarioPath
        self.simpyScript = simpyScript
        self.python = python
        self.workers = workers ?? ProcessInfo.processInfo.activeProcessorCount
        self.sizes = sizes
    }

    /// The running executable's path (`/proc/self/exe` on Linux).
    public static var currentExecutable: String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath
    }
}

/// How big each benchmark is.
public struct BenchSizes: Sendable, Hashable {
    /// Hold-model events per run (each of Simulator and Heap), and runs of each (the fastest is kept).
    public var holdEvents: Int
    public var holdRepetitions: Int
    /// Hold-model events for the SimPy program.
    public var simpyEvents: Int
    /// Client instances and virtual seconds of the lookup benchmark, and its runs (the fastest is kept; each a fresh
    /// process when the executable is known, as the scaling points are).
    public var lookupInstances: Int
    public var lookupSeconds: Int64
    public var lookupRepetitions: Int
    /// Scaling populations, one fresh process each.
    public var populations: [Int]
    /// Runs of each population, back to back; each point keeps its fastest run (as the hold model keeps its fastest
    /// of ``holdRepetitions``), so that a slow stretch of a shared machine does not bend the curve.
    public var scalingRounds: Int
    /// Further runs: a point that has taken less than ``scalingBudgetSeconds`` of CPU over its runs runs again, up
    /// to ``scalingMaxRounds`` in all. A point of a few milliseconds is otherwise the fastest of five samples of a few
    /// milliseconds each, one slow stretch away from bending a ratio; and the 1 M point, whose runs on a shared machine
    /// spread by 10 % (1.34–1.49 s), is then the fastest of eight instead of five.
    public var scalingMaxRounds: Int
    public var scalingBudgetSeconds: Double
    /// Monte Carlo runs (100 = measured; fewer = extrapolated to 100).
    public var monteCarloRuns: Int

    public init(
        holdEvents: Int, holdRepetitions: Int, simpyEvents: Int, lookupInstances: Int, lookupSeconds: Int64,
        lookupRepetitions: Int = 1, populations: [Int], scalingRounds: Int = 1, scalingMaxRounds: Int = 1,
        scalingBudgetSeconds: Double = 0, monteCarloRuns: Int
    ) {
        self.holdEvents = holdEvents
        self.holdRepetitions = holdRepetitions
        self.simpyEvents = simpyEvents
        self.lookupInstances = lookupInstances
        self.lookupSeconds = lookupSeconds
        self.lookupRepetitions = lookupRepetitions
        self.populations = populations
        self.scalingRounds = scalingRounds
        self.scalingMaxRounds = scalingMaxRounds
        self.scalingBudgetSeconds = scalingBudgetSeconds
        self.monteCarloRuns = monteCarloRuns
    }

    /// A full run: 20 M hold events, 2 M lookups (five runs), scaling 1 k … 1 M (five runs each, up to 25 for points
    /// that take under 10 s of CPU in all), 100 Monte Carlo runs.
    public static let full = BenchSizes(
        holdEvents: 20_000_000, holdRepetitions: 5, simpyEvents: 2_000_000, lookupInstances: 1_000, lookupSeconds: 20,
        lookupRepetitions: 5, populations: ScalingBenchmark.populations, scalingRounds: 5, scalingMaxRounds: 25,
        scalingBudgetSeconds: 10, monteCarloRuns: 100)

    /// `--quick`: about a minute for engine and lookups.
    public static let quick = BenchSizes(
        holdEvents: 2_000_000, holdRepetitions: 3, simpyEvents: 200_000, lookupInstances: 1_000, lookupSeconds: 2,
        lookupRepetitions: 3, populations: ScalingBenchmark.quickPopulations, monteCarloRuns: 2)
}

/// Runs the selected benchmarks and collects the table.
///
/// ```swift
/// let report = BenchRunner(options: BenchOptions(quick: true, only: [.engine, .lookups])).run { print($0) }
/// print(report.render(.text))
/// ```
public struct BenchRunner: Sendable {
    public var options: BenchOptions

    public init(options: BenchOptions) { self.options = options }

    var sizes: BenchSizes { options.sizes ?? (options.quick ? .quick : .full) }

    /// Runs every selected benchmark; `log` receives a line as each starts (for stderr).
    public func run(log: (String) -> Void = { _ in }) -> BenchReport {
        let start = ResourceUsage.loadAverage()
        var rows: [BenchRow] = []
        var problems: [String] = []
        var scaling: [Measurement] = []
        var replay: Measurement?
        var fullScale: Measurement?
        for benchmark in BenchmarkID.allCases where options.only.contains(benchmark) {
            log("bench: \(benchmark.rawValue) …")
            do {
                switch benchmark {
                case .engine: rows += engine(&problems)
                case .lookups: rows += try lookups()
                case .replay:
                    let (newRows, measurement) = try replayRows()
                    rows += newRows
                    replay = measurement
                case .fullscale:
                    let (newRows, measurement) = try fullScaleRows()
                    rows += newRows
                    fullScale = measurement
                case .scaling:
                    let (newRows, points) = try scalingRows(log: log)
                    rows += newRows
                    scaling = points
                case .montecarlo: rows += try monteCarlo()
                }
            } catch {
                problems.append("\(benchmark.rawValue): \(error)")
            }
        }
        return BenchReport(
            quick: options.quick, processors: ProcessInfo.processInfo.activeProcessorCount, loadAverageStart: start,
            loadAverageEnd: ResourceUsage.loadAverage(), rows: rows, scaling: scaling, replay: replay, fullScale: fullScale,
            problems: problems)
    }

    // MARK: - Engine

    func engine(_ problems: inout [String]) -> [BenchRow] {
        let sizes = self.sizes
        let simpyAvailable = SimPyReference.isAvailable(python: options.python)
        let script = simpyScript()
        var rows: [BenchRow] = []
        for pending in [1_000, 100_000] {
            let label = pending >= 1_000 ? "\(pending / 1_000)k" : "\(pending)"
            let comparison = EngineBenchmark.compare(
                pending: pending, events: sizes.holdEvents, repetitions: sizes.holdRepetitions)
            let simulator = comparison.newClosure
            let heap = comparison.heap
            let gated = pending == 1_000
            for (result, style) in [(comparison.storedAction, "stored action"), (simulator, "new closure")] {
                let ratio = result.eventsPerSecond / heap.eventsPerSecond
                let same = result.checksum == heap.checksum ? "same event sequence as the Heap" : "CHECKSUMS DIFFER"
                rows.append(
                    BenchRow(
                        benchmark: .engine, name: "engine hold \(label), \(style)",
                        measured: result.eventsPerSecond, unit: "events/s", reference: heap.eventsPerSecond,
                        referenceLabel: "Heap",
                        ratio: ratio, target: gated ? "≥ 0.7×" : "", met: gated ? ratio >= 0.7 : nil,
                        note: gated
                            ? "fastest of \(sizes.holdRepetitions) runs of \(result.events) events each, per CPU second "
                                + "(wall: \(BenchReport.decimal(Double(result.events) / result.seconds / 1e6, places: 2)) M/s vs "
                                + "\(BenchReport.decimal(Double(heap.events) / heap.seconds / 1e6, places: 2)) M/s); \(same)"
                            : ""))
            }
            guard simpyAvailable, let script else {
                if pending == 1_000 {
                    let missing =
                        simpyAvailable ? "benchmarks/simpy/hold.py not found (give --simpy)" : SimPyReference.installHint
                    problems.append("SimPy reference: " + missing)
                    rows.append(
                        BenchRow(
                            benchmark: .engine, name: "engine hold \(label), new closure vs SimPy",
                            measured: simulator.eventsPerSecond, unit: "events/s",
                            referenceLabel: simpyAvailable ? "hold.py not found" : "SimPy not installed", target: "≥ 10×",
                            note: missing))
                }
                continue
            }
            let simpy = (0..<sizes.holdRepetitions).compactMap { _ in
                SimPyReference.hold(script: script, pending: pending, events: sizes.simpyEvents, python: options.python)
            }.max { $0.eventsPerSecond < $1.eventsPerSecond }
            if let simpy {
                let simpyRatio = simulator.eventsPerSecond / simpy.eventsPerSecond
                rows.append(
                    BenchRow(
                        benchmark: .engine, name: "engine hold \(label), new closure vs SimPy",
                        measured: simulator.eventsPerSecond,
                        unit: "events/s", reference: simpy.eventsPerSecond, referenceLabel: "SimPy \(simpy.simpy)",
                        ratio: simpyRatio, target: gated ? "≥ 10×" : "", met: gated ? simpyRatio >= 10 : nil,
                        note: gated
                            ? "SimPy \(simpy.simpy) on Python \(simpy.python): fastest of \(sizes.holdRepetitions) runs of "
                                + "\(simpy.events) events, per CPU second" : ""))
            } else {
                problems.append("SimPy reference: \(script) failed")
            }
        }
        return rows
    }

    /// hold.py: as given, else under the working directory, else beside the scenarios directory.
    func simpyScript() -> String? {
        if let given = options.simpyScript { return FileManager.default.fileExists(atPath: given) ? given : nil }
        var candidates = ["benchmarks/simpy/hold.py"]
        if let scenarios = ScenarioCatalogLocator.scenariosDirectory() {
            candidates.append(URL(fileURLWithPath: scenarios).deletingLastPathComponent().path + "/benchmarks/simpy/hold.py")
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    // MARK: - Lookups

    func lookups() throws -> [BenchRow] {
        let sizes = self.sizes
        let runs = max(1, sizes.lookupRepetitions)
        var fastest: LookupBenchmark.Result?
        for _ in 1...runs {
            let result = try measure("lookups:\(sizes.lookupInstances):\(sizes.lookupSeconds)") {
                try LookupBenchmark.run(instances: sizes.lookupInstances, duration: .seconds(sizes.lookupSeconds))
            }
            if fastest.map({ result.cpuSeconds < $0.cpuSeconds }) ?? true { fastest = result }
        }
        guard let result = fastest else { preconditionFailure("no lookup run") }
        let how =
            (runs > 1 ? "fastest of \(runs) runs" : "one run") + (options.executable != nil ? ", each a fresh process" : "")
        let target = 2_000_000.0
        return [
            BenchRow(
                benchmark: .lookups, name: "lookups end to end, one core", measured: result.lookupsPerSecond, unit: "lookups/s",
                reference: target, referenceLabel: "target", ratio: result.lookupsPerSecond / target, target: "≥ 2 M/s",
                met: result.lookupsPerSecond >= target,
                note:
                    "\(result.lookups) lookups (\(result.events) events) by \(sizes.lookupInstances) instances every 10 ms "
                    + "for \(sizes.lookupSeconds) s virtual, in \(BenchReport.decimal(result.cpuSeconds, places: 2)) s CPU "
                    + "(\(BenchReport.decimal(result.seconds, places: 2)) s wall); \(how)")
        ]
    }

    // MARK: - Replay

    func scenario() throws -> String {
        if let path = options.scenarioPath ?? ReplayBenchmark.defaultScenarioPath() { return path }
        throw BenchError.badRequest("replay: no bundled scenarios directory found; give --scenario")
    }

    /// Measures in a fresh process (`--child request`) when the executable is known, else in this one.
    func measure<Result: Decodable>(_ request: String, inProcess: () throws -> Result) throws -> Result {
        if let executable = options.executable {
            return try BenchChild.spawn(
                executable: executable, prefix: options.benchArguments, request: request, as: Result.self)
        }
        return try inProcess()
    }

    func replayRows() throws -> ([BenchRow], Measurement) {
        let path = try scenario()
        let m = try measure("replay:" + path) { try ReplayBenchmark.measure(path: path) }
        let speed = m.virtualSeconds / m.wallSeconds
        let cpuSpeed = m.virtualSeconds / m.cpuSeconds
        let rows = [
            BenchRow(
                benchmark: .replay, name: "US-EAST-1 replay, wall time", measured: m.wallSeconds, unit: "s", reference: 6,
                referenceLabel: "target", ratio: m.wallSeconds / 6, target: "≤ 6 s", met: m.wallSeconds <= 6,
                note: "\(m.events) events, \(m.lookups) lookups, CPU \(BenchReport.decimal(m.cpuSeconds, places: 2)) s; one run"),
            BenchRow(
                benchmark: .replay, name: "US-EAST-1 replay, virtual/real", measured: speed, unit: "×", reference: 10_000,
                referenceLabel: "target", ratio: speed / 10_000, target: "≥ 10,000×", met: speed >= 10_000,
                note: "\(BenchReport.decimal(m.virtualSeconds / 3_600, places: 1)) h virtual; "
                    + "by CPU time \(BenchReport.decimal(cpuSpeed, places: 0))×"),
            BenchRow(
                benchmark: .replay, name: "US-EAST-1 replay, peak memory", measured: Double(m.maxResidentBytes), unit: "bytes",
                reference: 500e6, referenceLabel: "target", ratio: Double(m.maxResidentBytes) / 500e6, target: "≤ 500 MB",
                met: m.maxResidentBytes <= 500_000_000, note: "peak RSS (VmHWM) of a fresh process"),
        ]
        return (rows, m)
    }

    /// The full-scale replay (every generated company's own instances), one run in a fresh process: the issue's
    /// "≥ 100 k app instances, every re-resolution simulated, ≥ 1,000× real time" (17 h in ≤ 61.2 s).
    func fullScaleRows() throws -> ([BenchRow], Measurement) {
        let path = try scenario()
        let m = try measure("replay-full:" + path) { try ReplayBenchmark.measure(path: path, fullScale: true) }
        let speed = m.virtualSeconds / m.wallSeconds
        let cpuSpeed = m.virtualSeconds / m.cpuSeconds
        let rows = [
            BenchRow(
                benchmark: .fullscale, name: "US-EAST-1 full scale, virtual/real", measured: speed, unit: "×",
                reference: 1_000, referenceLabel: "target", ratio: speed / 1_000, target: "≥ 1,000×", met: speed >= 1_000,
                note: "\(m.clients) client instances, \(m.events) events, \(m.lookups) lookups; wall "
                    + "\(BenchReport.decimal(m.wallSeconds, places: 1)) s, CPU \(BenchReport.decimal(m.cpuSeconds, places: 1)) s "
                    + "(by CPU time \(BenchReport.decimal(cpuSpeed, places: 0))×); one run"),
            BenchRow(
                benchmark: .fullscale, name: "US-EAST-1 full scale, app instances", measured: Double(m.clients),
                unit: "instances",
                reference: 100_000, referenceLabel: "target", ratio: Double(m.clients) / 100_000, target: "≥ 100,000",
                met: m.clients >= 100_000, note: "every client instance of the run, the population's fleet included"),
            BenchRow(
                benchmark: .fullscale, name: "US-EAST-1 full scale, peak memory", measured: Double(m.maxResidentBytes),
                unit: "bytes", note: "peak RSS (VmHWM) of a fresh process"),
        ]
        return (rows, m)
    }

    // MARK: - Scaling

    func scalingRows(log: (String) -> Void) throws -> ([BenchRow], [Measurement]) {
        let rounds = max(1, sizes.scalingRounds)
        let maxRounds = max(rounds, sizes.scalingMaxRounds)
        var fastest: [Int: Measurement] = [:]
        var runs: [Int: Int] = [:]
        var spent: [Int: Double] = [:]
        // A point's runs back to back, so that every run but the first follows a run of its own size. This virtual
        // machine's host takes back the memory a process frees within seconds, and a process that then touches more
        // memory than the one before it freed waits for the host to back it: up to 0.15 s of system time for the 1 M
        // point after a 300 k run, 0.004–0.016 s after a 1 M run. That is the machine's history, not the population's
        // cost; the 100 k point, which fits in the memory every process starts with, never pays it.
        for clients in sizes.populations {
            for round in 1...maxRounds where round <= rounds || spent[clients, default: 0] < sizes.scalingBudgetSeconds {
                log("bench: scaling \(clients) clients" + (maxRounds > 1 ? " (run \(round))" : "") + " …")
                let point = try measure("scaling:\(clients)") { try ScalingBenchmark.measure(clients: clients) }
                if fastest[clients].map({ point.cpuSeconds < $0.cpuSeconds }) ?? true { fastest[clients] = point }
                runs[clients, default: 0] += 1
                spent[clients, default: 0] += point.cpuSeconds
            }
        }
        let points = sizes.populations.compactMap { fastest[$0] }
        let counts = Set(sizes.populations.map { runs[$0, default: 0] })
        let roundsNote =
            maxRounds == 1
            ? ""
            : counts.count == 1
                ? "; each point the fastest of \(rounds) runs back to back"
                : "; each point the fastest of its runs, back to back ("
                    + sizes.populations.map { "\($0): \(runs[$0, default: 0])" }.joined(separator: ", ") + ")"
        var rows: [BenchRow] = []
        if let worst = ScalingBenchmark.worstTenfoldRatio(points) {
            let steps = points.compactMap { low -> String? in
                guard let high = points.first(where: { $0.clients == low.clients * 10 }), low.cpuSeconds > 0 else { return nil }
                return "\(low.clients) → \(high.clients) \(BenchReport.decimal(high.cpuSeconds / low.cpuSeconds, places: 2))×"
            }
            let kernel = points.filter { $0.clients == worst.from || $0.clients == worst.from * 10 }.map {
                "\(BenchReport.decimal($0.systemSeconds, places: 3)) s of \(BenchReport.decimal($0.cpuSeconds, places: 3)) s"
            }
            rows.append(
                BenchRow(
                    benchmark: .scaling, name: "scaling, 10× clients ⇒ time", measured: worst.ratio, unit: "×", reference: 11,
                    referenceLabel: "target", ratio: worst.ratio / 11, target: "≤ 11×", met: worst.ratio <= 11,
                    note: "worst CPU-time ratio over the 10× steps (\(worst.from) → \(worst.from * 10) clients); every step: "
                        + steps.joined(separator: ", ") + "; system time of those two points " + kernel.joined(separator: " and ")
                        + roundsNote))
        }
        if let perClient = ScalingBenchmark.bytesPerClient(points) {
            let sorted = points.sorted { $0.clients < $1.clients }
            let (low, high) = (sorted[sorted.count - 2], sorted[sorted.count - 1])
            rows.append(
                BenchRow(
                    benchmark: .scaling, name: "scaling, memory per client", measured: perClient, unit: "bytes", reference: 200,
                    referenceLabel: "target", ratio: perClient / 200, target: "≤ 200 B", met: perClient <= 200,
                    note: "peak-RSS slope between \(low.clients) and \(high.clients) clients (each instance simulated "
                        + "individually; a fleet is one cohort: shared configuration, each instance a 48-byte value in a "
                        + "64-byte cache line)"))
        }
        return (rows, points)
    }

    // MARK: - Monte Carlo

    func monteCarlo() throws -> [BenchRow] {
        let path = try scenario()
        let runs = sizes.monteCarloRuns
        let seconds = try MonteCarloBenchmark.measure(path: path, runs: runs, workers: options.workers)
        let estimate = seconds * 100 / Double(runs)
        return [
            BenchRow(
                benchmark: .montecarlo, name: "Monte Carlo, 100 seeds of the replay", measured: estimate, unit: "s",
                reference: 60,
                referenceLabel: "target", ratio: estimate / 60, target: "≤ 60 s", met: estimate <= 60,
                note: runs == 100
                    ? "measured: 100 runs on \(options.workers) threads"
                    : "EXTRAPOLATED ×\(100 / runs) from \(runs) runs on \(options.workers) threads "
                        + "(\(BenchReport.decimal(seconds, places: 2)) s)")
        ]
    }
}

/// Where the bundled scenarios are (as `dnscascade list` finds them).
enum ScenarioCatalogLocator {
    static func scenariosDirectory() -> String? {
        ReplayBenchmark.defaultScenarioPath().map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }
}
