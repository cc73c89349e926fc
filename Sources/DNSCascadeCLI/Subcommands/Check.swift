import ArgumentParser
import DNSCascade

/// `dnscascade check [PATHS…]`: runs every scenario under the paths and reports each expectation.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every scenario under the paths and report each expectation (exit 1 if any fails).",
        discussion: "Directories are searched recursively for .yaml files. Default path: the bundled scenarios."
    )

    @Argument(help: "Scenario files or directories.")
    var paths: [String] = []

    @Option(help: "Output format: text or json.")
    var format: CheckFormat = .text

    @Option(help: ArgumentHelp("Also write JUnit XML (one testcase per expectation) to this file.", valueName: "file"))
    var junit: String?

    @Flag(help: "Record each scenario's golden timeline (scenarios with a `golden:` key) instead of comparing.")
    var record = false

    @Option(help: "Replace every scenario's seed.")
    var seed: UInt64?

    @Option(
        name: .customLong("set"), help: ArgumentHelp("Override a value in every scenario (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @OptionGroup var parallel: ParallelFlags

    enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        var roots = paths
        if roots.isEmpty {
            guard let directory = ScenarioCatalog().locate(explicit: nil) else {
                Console.err("check: no paths given and no bundled scenarios directory found\n")
                throw Console.code(.usageOrInputError)
            }
            roots = [directory]
        }
        let results: [ScenarioCheckResult]
        do {
            let check = ScenarioCheck(
                options: RunOptions(seed: seed, overrides: overrides), record: record, runs: parallel.runs,
                workers: parallel.workers)
            results = try check.run(paths: roots)
        } catch {
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        if let junit {
            do {
                try AtomicFileWriter.write(CheckRenderer.junit(results), to: junit)
            } catch {
                Console.err(error.description + "\n")
                throw Console.code(.usageOrInputError)
            }
        }
        Console.out(format == .json ? CheckRenderer.json(results) : CheckRenderer.text(results))
        for result in results where result.error != nil { Console.err(result.error! + "\n") }
        if results.contains(where: { $0.error != nil }) { throw Console.code(.usageOrInputError) }
        throw Console.code(results.allSatisfy(\.passed) ? .ok : .expectationFailed)
    }
}
