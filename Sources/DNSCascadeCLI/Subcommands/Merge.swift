import ArgumentParser
import DNSCascade
import Foundation

/// `dnscascade merge SHARD…`: joins a sharded sweep's NDJSON outputs.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the NDJSON outputs of a sharded sweep into what one unsharded sweep prints.",
        discussion: "Every shard 0…N−1 of the same sweep must be given once, and every task must be present; exit 2 otherwise."
    )

    @Argument(help: "The shards' NDJSON files (any order).")
    var files: [String]

    @Option(help: "Output format: ndjson or csv.")
    var format: SweepFormat = .ndjson

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    func run() throws {
        do {
            var inputs: [(name: String, text: String)] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw DNSCascadeError.sweepFile("\(file): error: cannot read the file")
                }
                inputs.append((file, String(decoding: data, as: UTF8.self)))
            }
            let (header, records) = try SweepMerge.merge(inputs)
            try Console.emit(format.render(header, records), to: output)
        } catch let error as DNSCascadeError {
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        throw Console.code(.ok)
    }
}
