import ArgumentParser
import DNSCascade
import Foundation

/// `dnscascade sweep FILE --grid path=v1,v2 … --runs N`: a scenario over a parameter grid × seeds, on every core.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario over a parameter grid × seeds, using every core; NDJSON or CSV out.",
        discussion: """
            Each --grid is an axis: a scenario path (as for --set) and its values; axes are crossed, the first varying \
            slowest. Every grid point runs with the same --runs seeds. --shard i/N runs only the tasks with \
            task % N == i (shards from 0), for job arrays; `dnscascade merge` joins the shards' NDJSON outputs into \
            exactly what one unsharded sweep prints. With --output, finished tasks are kept in OUTPUT.partial: run the \
            same command again after an interruption to resume. Exit 0 when every task ran (whatever its \
            expectations), 2 on bad input. See docs/scale-out.md.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(help: ArgumentHelp("A grid axis (repeatable).", valueName: "path=v1,v2,…"))
    var grid: [String] = []

    @Option(help: "Replace the scenario's seed (the runs' seeds derive from it).")
    var seed: UInt64?

    @Option(
        name: .customLong("set"), help: ArgumentHelp("Override a value at every point (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Run only shard i of N (0 ≤ i < N).", valueName: "i/N"))
    var shard: String?

    @OptionGroup var parallel: ParallelFlags

    @Option(help: "Output format: ndjson (a header line, then one record per task) or csv.")
    var format: SweepFormat = .ndjson

    @Option(
        name: [.short, .long],
        help: ArgumentHelp("Write to this file (atomically, resumable) instead of stdout.", valueName: "file"))
    var output: String?

    func run() throws {
        do {
            let sweep = try Sweep(
                scenario: file, grid: SweepGrid(parsing: grid), runs: parallel.runs,
                options: RunOptions(seed: seed, overrides: overrides),
                shard: shard.map { text throws(DNSCascadeError) in try Sweep.Shard(parsing: text) }, workers: parallel.workers)
            let header = try sweep.prepare()
            guard let output else {
                Console.out(format.render(header, try sweep.run(header: header)))
                throw Console.code(.ok)
            }
            let journal = try SweepJournal(output: output, header: header)
            if !journal.done.isEmpty {
                Console.err("sweep: resuming: \(journal.done.count) of \(sweep.tasks(of: header).count) tasks already done\n")
            }
            let records = try sweep.run(header: header, done: journal.done) { journal.append($0) }
            try journal.finish(format.render(header, records))
        } catch let error as DNSCascadeError {
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        throw Console.code(.ok)
    }
}
