import ArgumentParser
import DNSCascade

/// `dnscascade compare SCENARIO --what-if 'path=value' …`: the scenario as written and each variant, side by side.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario as written and with what-if variants, and print the headline numbers side by side.",
        discussion: """
            Each --what-if is one variant: one or more path=value overrides (as for --set; `*` selects every element), \
            separated by ';'. All runs use the same seed. Rows: time down per client fleet, service and named app, \
            company median recovery per strategy, peak requests at key-value endpoints, users affected, reports; \
            numbers that differ from the baseline are marked with the difference.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(name: .customLong("what-if"), help: ArgumentHelp("A variant (repeatable).", valueName: "path=value[;path=value…]"))
    var variants: [String] = []

    @Option(help: "Replace the scenario's seed (for every run).")
    var seed: UInt64?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a value in every run (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: "Output format: text, json or csv.")
    var format: ReportFormat = .text

    @Option(help: "Colour the text report: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorMode = .auto

    @Option(help: "Threads (default: every core). The report does not depend on it.")
    var workers: Int?

    @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    func validate() throws {
        if variants.isEmpty { throw ValidationError("give at least one --what-if path=value") }
        if format == .ndjson { throw ValidationError("compare writes text, json or csv") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    func run() throws {
        let report: WhatIfReport
        do {
            let pipeline = ScenarioPipeline(options: RunOptions(seed: seed, overrides: overrides))
            report = try WhatIf(pipeline: pipeline, variants: variants, workers: workers).run(.file(path: file))
        } catch {
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        let useColor =
            format == .text
            && color.isEnabled(outputIsTerminal: output == nil && Console.stdoutIsTerminal, environment: Console.environment)
        let text = report.render(format, color: useColor)
        try Console.emit(text, to: output)
        throw Console.code(.ok)
    }
}
