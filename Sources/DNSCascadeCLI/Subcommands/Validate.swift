import ArgumentParser
import DNSCascade

/// `dnscascade validate FILE...`: loads and validates scenarios without running them.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that scenario files load and describe a buildable world, without running them."
    )

    @Argument(help: "The scenario files (YAML).")
    var files: [String]

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        let pipeline = ScenarioPipeline(options: RunOptions(overrides: overrides))
        var failed = false
        for file in files {
            do {
                let scenario = try pipeline.validate(.file(path: file))
                Console.out("ok: \(file) (\(scenario.spec.name))\n")
            } catch {
                Console.err(error.description + "\n")
                failed = true
            }
        }
        throw Console.code(failed ? .usageOrInputError : .ok)
    }
}
