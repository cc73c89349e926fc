import ArgumentParser
import DNSCascade

/// `dnscascade run FILE`: runs one scenario and prints its report.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario and print its timeline, summary and expectation results."
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @OptionGroup var flags: RunFlags

    func run() throws {
        try flags.execute(file: file)
    }
}
