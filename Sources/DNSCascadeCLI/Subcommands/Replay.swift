import ArgumentParser
import DNSCascade

/// `dnscascade replay [SCENARIO]`: replays the bundled AWS US-EAST-1 outage of 20 October 2025, or another scenario.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay the bundled US-EAST-1 outage of 20 October 2025 (or the scenario given).",
        discussion: """
            Without an argument, runs \(Replay.defaultScenario) from the bundled scenarios directory (found as \
            `dnscascade list` finds it: $DNSCASCADE_SCENARIOS, ./Scenarios, or beside the executable).
            """
    )

    /// The flagship scenario's file name inside the bundled scenarios directory.
    static let defaultScenario = "us-east-1-2025-10-20.yaml"

    @Argument(help: "A scenario file; default: the bundled US-EAST-1 replay.")
    var scenario: String?

    @OptionGroup var flags: RunFlags

    func run() throws {
        if let scenario {
            try flags.execute(file: scenario)
            return
        }
        let catalog = ScenarioCatalog()
        guard let directory = catalog.locate(explicit: nil) else {
            Console.err(
                "replay: no bundled scenarios directory found (looked in: "
                    + catalog.candidates(explicit: nil).joined(separator: ", ")
                    + "); set DNSCASCADE_SCENARIOS or give a scenario file\n")
            throw Console.code(.usageOrInputError)
        }
        try flags.execute(file: directory + "/" + Replay.defaultScenario)
    }
}
