import ArgumentParser
import DNSCascade

/// The options `run` and `replay` share, and running one scenario file with them.
struct RunFlags: ParsableArguments {
    @Option(help: "Output format: text, json, ndjson or csv.")
    var format: ReportFormat = .text

    @Option(help: "Replace the scenario's seed.")
    var seed: UInt64?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Stop the run this long after its start (e.g. 30m).", valueName: "duration"))
    var until: String?

    @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: "Colour the text report: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorMode = .auto

    @Flag(help: "Under each timeline entry, say what caused it (text format).")
    var explain = false

    @Option(help: ArgumentHelp("Play the timeline back at N× virtual time in the terminal (text format).", valueName: "N"))
    var speed: Double?

    @OptionGroup var parallel: ParallelFlags

    @Flag(
        help: ArgumentHelp(
            "Full scale: every generated company runs its own simulated app instances (apps.population.instances, "
                + "default rule when the scenario has none; 143,259 instances in the US-EAST-1 replay)."))
    var fullScale = false

    @Option(help: ArgumentHelp("Stop a run after this many events (replaces the scenario's limits.events).", valueName: "N"))
    var maxEvents: Int?

    @Option(
        help: ArgumentHelp("Refuse a world estimated to need more memory (replaces limits.memoryMB).", valueName: "MiB"))
    var maxMemoryMb: Int?

    func validate() throws {
        if explain && (format != .text || parallel.runs > 1) {
            throw ValidationError("--explain needs the text format and one run")
        }
        if let speed {
            guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number, got \(speed)") }
            guard format == .text, parallel.runs == 1, output == nil, !explain else {
                throw ValidationError(
                    "--speed plays the text timeline to the terminal: no --format, --runs, --output or --explain")
            }
        }
        if let until, SimDuration(parsing: until) == nil {
            throw ValidationError("--until: '\(until)' is not a duration (examples: 90s, 5m, 1h30m)")
        }
    }

    /// Runs `file` (once, or `runs` times), writes the report, and ends with the exit status (0, 1 or 2) as an
    /// `ExitCode` error.
    func execute(file: String) throws {
        let options = RunOptions(
            seed: seed, overrides: overrides, until: until.flatMap(SimDuration.init(parsing:)), maxEvents: maxEvents,
            maxMemoryMB: maxMemoryMb, fullScale: fullScale)
        let useColor =
            format == .text
            && color.isEnabled(outputIsTerminal: output == nil && Console.stdoutIsTerminal, environment: Console.environment)
        if parallel.runs > 1 {
            let study: MonteCarloReport
            do {
                study = try MonteCarlo(
                    pipeline: ScenarioPipeline(options: options), runs: parallel.runs, workers: parallel.workers
                )
                .run(.file(path: file))
            } catch {
                Console.err(error.description + "\n")
                throw Console.code(.usageOrInputError)
            }
            try Console.emit(study.render(format, color: useColor), to: output)
            let failed = study.expectations.filter { !$0.passed }.count
            if failed > 0 {
                Console.err("\(file): \(failed) of \(study.expectations.count) expectations failed over \(parallel.runs) runs\n")
            }
            throw Console.code(ExitStatus(study))
        }
        let report: RunReport
        var pipeline = ScenarioPipeline(options: options)
        let bar = ProgressBar.forTerminal()
        if let bar { pipeline.progress = { @Sendable fraction in bar.update(fraction) } }
        do {
            report = try pipeline.run(.file(path: file))
            bar?.finish()
        } catch {
            bar?.finish()
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        let text = report.render(format, color: useColor, explain: explain)
        if let speed {
            TimelineAnimation(speed: speed).play(text, results: report.results, color: useColor)
        } else {
            try Console.emit(text, to: output)
        }
        let status = ExitStatus(report)
        if status != .ok {
            Console.err("\(file): \(report.failedExpectations.count) of \(report.expectations.count) expectations failed\n")
        }
        throw Console.code(status)
    }
}
