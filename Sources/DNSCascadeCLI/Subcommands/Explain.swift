import ArgumentParser
import DNSCascade

/// `dnscascade explain SCENARIO --component X --at T`: the causal chain behind a component's state.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the chain of model events that led to a component's state at a time, back to what was injected.",
        discussion: """
            Runs the scenario, takes the component's latest state change at or before --at, and follows each entry's \
            cause (a resolver's cached answer, a record change, an automation step, a fault, an operator action…) as \
            an indented tree. --at takes a clock time in the scenario's zone (01:00: the first such moment after the \
            start), a duration from the start (2h) or an RFC 3339 time.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var file: String

    @Option(
        help: ArgumentHelp("The component (kind/name, e.g. client/in-region-services, service/app/snapchat).", valueName: "id"))
    var component: String

    @Option(help: ArgumentHelp("When.", valueName: "time"))
    var at: String

    @Option(help: "Replace the scenario's seed.")
    var seed: UInt64?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: "Colour: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorMode = .auto

    func run() throws {
        let pipeline = ScenarioPipeline(options: RunOptions(seed: seed, overrides: overrides))
        let report: RunReport
        let id: ComponentID
        let time: SimTime
        do {
            let scenario = try pipeline.load(.file(path: file))
            guard let parsed = ComponentID(parsing: component) else {
                throw DNSCascadeError.invalidOption("--component '\(component)' is not kind/name (e.g. client/app)")
            }
            id = parsed
            do {
                time = try scenario.time(at)
            } catch {
                throw DNSCascadeError.invalidOption("--at: \(error.description)")
            }
            report = pipeline.evaluate(try pipeline.run(try pipeline.build(scenario)), of: scenario)
            let results = report.results
            let known =
                results.timeline.map(\.component) + results.clients.map(\.id) + results.resolvers.map(\.id)
                + results.services.map(\.id) + scenario.spec.authorities.map { ComponentID(.authority, $0.id) }
                + scenario.spec.managementPlanes.map(\.component)
                + (results.impact?.apps ?? []).map { ComponentID(.service, "app/\($0.name)") }
            if !known.contains(id) {
                throw DNSCascadeError.invalidOption("--component: \(file) has no component \(component)")
            }
        } catch let error as DNSCascadeError {
            Console.err(error.description + "\n")
            throw Console.code(.usageOrInputError)
        }
        let useColor = color.isEnabled(outputIsTerminal: Console.stdoutIsTerminal, environment: Console.environment)
        Console.out(report.explain(id, at: time, color: useColor))
        throw Console.code(.ok)
    }
}
