import ArgumentParser
import DNSCascade

/// `dnscascade report SCENARIO -o out.html [--what-if …]`: one self-contained HTML page.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page for a scenario: timeline, health charts, dependency graph with a time "
            + "slider, causal chains, what-if results.",
        discussion: "The page makes no network requests (it works offline, e.g. on a projector). Exit 0, 1 if an "
            + "expectation failed (the page is written anyway), 2 on bad input."
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(
        name: [.short, .long], help: ArgumentHelp("The HTML file to write (atomically); default: stdout.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("what-if"), help: ArgumentHelp("A variant to compare (repeatable).", valueName: "path=value[;…]"))
    var variants: [String] = []

    @Option(help: "Replace the scenario's seed.")
    var seed: UInt64?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    func run() throws {
        let pipeline = ScenarioPipeline(options: RunOptions(seed: seed, overrides: overrides))
        let report: RunReport
        var whatIf: WhatIfReport?
        do {
            if variants.isEmpty {
                report = try pipeline.run(.file(path: file))
            } else {
                let compared = try WhatIf(pipeline: pipeline, variants: variants).run(.file(path: file))
                report = compared.reports[0]
                whatIf = compared
            }
        } catch {
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        let html = report.html(whatIf: whatIf)
        try Console.emit(html, to: output)
        throw Console.code(ExitStatus(report))
    }
}
