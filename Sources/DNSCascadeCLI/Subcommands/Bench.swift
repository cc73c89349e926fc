public import ArgumentParser
import Bench

/// `dnscascade bench`: measures the engine, lookups, replay, scaling and Monte Carlo against their targets.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine, lookups, replay, scaling and Monte Carlo against the performance targets.",
        discussion: """
            Prints one row per measurement: the value, the reference it is compared with, the ratio, the target and \
            whether it is met. Wall-clock numbers are only meaningful on an idle machine: the load average is printed.
            """
    )

    @Flag(help: "Smaller sizes (about a minute for engine and lookups); Monte Carlo extrapolated from 2 runs.")
    var quick = false

    @Option(help: "Output format: text or json.")
    var format: BenchFormat = .text

    @Option(
        help: ArgumentHelp(
            "Run only these benchmarks (comma-separated: engine, lookups, replay, fullscale, scaling, montecarlo).",
            valueName: "list"))
    var only: String?

    @Option(help: ArgumentHelp("The replay scenario (default: the bundled US-EAST-1 replay).", valueName: "file"))
    var scenario: String?

    @Option(help: ArgumentHelp("The SimPy hold-model program (default: benchmarks/simpy/hold.py).", valueName: "file"))
    var simpy: String?

    @Option(help: "Threads for the Monte Carlo benchmark (default: every core).")
    var workers: Int?

    @Option(help: .hidden)
    var child: String?

    func validate() throws {
        _ = try selection()
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    func run() throws {
        if let child {
            do {
                Console.out(try BenchChild.run(child) + "\n")
            } catch {
                Console.err("bench --child \(child): \(error)\n")
                throw Console.code(.usageOrInputError)
            }
            return
        }
        let options = BenchOptions(
            quick: quick, only: try selection(), executable: BenchOptions.currentExecutable, benchArguments: ["bench"],
            scenarioPath: scenario, simpyScript: simpy, workers: workers)
        let report = BenchRunner(options: options).run { Console.err($0 + "\n") }
        Console.out(report.render(format))
    }

    private func selection() throws -> [BenchmarkID] {
        guard let only else { return BenchmarkID.allCases }
        return try only.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let id = BenchmarkID(rawValue: trimmed) else {
                throw ValidationError(
                    "--only: unknown benchmark '\(trimmed)' (known: "
                        + BenchmarkID.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            return id
        }
    }
}

/// `--format text|json`.
extension BenchFormat: ExpressibleByArgument {}
