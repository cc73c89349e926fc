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

    @Option(help: "Run this many seeds (Monte Carlo; run 1 uses the scenario's seed) and judge expectations over all runs.")
    var runs: Int = 1

    @Option(help: "Threads for --runs (default: every core). The report does not depend on it.")
    var workers: Int?

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1, got \(runs)") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
        if explain && (format != .text || runs > 1) { throw ValidationError("--explain needs the text format and one run") }
        if let until, SimDuration(parsing: until) == nil {
            throw ValidationError("--until: '\(until)' is not a duration (examples: 90s, 5m, 1h30m)")
        }
    }

    /// Runs `file` (once, or `runs` times), writes the report, and ends with the exit status (0, 1 or 2) as an
    /// `ExitCode` error.
    func execute(file: String) throws {
        let options = RunOptions(seed: seed, overrides: overrides, until: until.flatMap(SimDuration.init(parsing:)))
        let useColor =
            format == .text
            && color.isEnabled(outputIsTerminal: output == nil && Console.stdoutIsTerminal, environment: Console.environment)
        if runs > 1 {
            let study: MonteCarloReport
            do {
                study = try MonteCarlo(pipeline: ScenarioPipeline(options: options), runs: runs, workers: workers)
                    .run(.file(path: file))
            } catch {
                Console.err(error.description + "\n")
                throw Console.code(.usageOrInputError)
            }
            try emit(study.render(format, color: useColor))
            let failed = study.expectations.filter { !$0.passed }.count
            if failed > 0 {
                Console.err("\(file): \(failed) of \(study.expectations.count) expectations failed over \(runs) runs\n")
            }
            throw Console.code(ExitStatus(study))
        }
        let report: RunReport
        do {
            report = try ScenarioPipeline(options: options).run(.file(path: file))
        } catch {
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        try emit(report.render(format, color: useColor, explain: explain))
        let status = ExitStatus(report)
        if status != .ok {
            Console.err("\(file): \(report.failedExpectations.count) of \(report.expectations.count) expectations failed\n")
        }
        throw Console.code(status)
    }

    /// Writes the report to `--output` (atomically) or stdout.
    private func emit(_ text: String) throws {
        if let output {
            do {
                try AtomicFileWriter.write(text, to: output)
            } catch {
                Console.err(error.description + "\n")
                throw Console.code(.usageOrInputError)
            }
        } else {
            Console.out(text)
        }
    }
}
