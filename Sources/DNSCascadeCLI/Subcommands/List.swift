import ArgumentParser
import DNSCascade

/// `dnscascade list`: lists the bundled scenarios.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the bundled scenarios with their names and what each covers."
    )

    @Option(
        help: ArgumentHelp(
            "The scenarios directory (default: $DNSCASCADE_SCENARIOS, ./Scenarios, or the repository's).", valueName: "dir"))
    var dir: String?

    func run() throws {
        let catalog = ScenarioCatalog()
        guard let directory = catalog.locate(explicit: dir) else {
            let looked = dir.map { [$0] } ?? catalog.candidates(explicit: nil)
            Console.err("error: no scenarios directory found (looked in: \(looked.joined(separator: ", ")))\n")
            throw Console.code(.usageOrInputError)
        }
        let entries = catalog.entries(in: directory)
        let pathWidth = entries.map(\.path.count).max() ?? 0
        let nameWidth = entries.map { ($0.name ?? "(invalid)").count }.max() ?? 0
        for entry in entries {
            let name = entry.name ?? "(invalid)"
            var line = entry.path + String(repeating: " ", count: pathWidth - entry.path.count) + "  " + name
            line += String(repeating: " ", count: nameWidth - name.count) + "  " + entry.summary
            while line.last == " " { line.removeLast() }
            Console.out(line + "\n")
            if let problem = entry.problem { Console.err(problem + "\n") }
        }
        throw Console.code(.ok)
    }
}
