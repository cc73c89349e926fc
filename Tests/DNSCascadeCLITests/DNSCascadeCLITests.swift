import Foundation
import Testing

/// End-to-end: the built `dnscascade` binary, its stdout, stderr and exit status (0 ok, 1 expectation failed,
/// 2 usage or input error).
@Suite struct DNSCascadeCLITests {
    let cli: CommandRunner
    let dir: ScenarioDirectory

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
        try dir.write("failing.yaml", Scenarios.failing)
        try dir.write("bad.yaml", Scenarios.misspelt)
    }

    // MARK: validate

    @Test func validateAcceptsAGoodScenario() throws {
        let result = try cli.run(["validate", "tiny.yaml"], in: dir.url)
        #expect(result.status == 0)
        #expect(result.stdout == "ok: tiny.yaml (tiny)\n")
        #expect(result.stderr == "")
    }

    @Test func validateRejectsABadScenarioWithLocatedDiagnostics() throws {
        let result = try cli.run(["validate", "tiny.yaml", "bad.yaml"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stdout == "ok: tiny.yaml (tiny)\n")
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.wholeMatch(of: /bad\.yaml:\d+:\d+: error: .+/) != nil })
        #expect(result.stderr.contains("bad.yaml:5:1: error: unknown key 'duraton'"))
    }

    @Test func validateOfAMissingFileIsAnInputError() throws {
        let result = try cli.run(["validate", "nowhere.yaml"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("nowhere.yaml:1:1: error:"))
    }

    // MARK: run

    @Test func runIsByteIdenticalTwice() throws {
        let first = try cli.run(["run", "tiny.yaml"], in: dir.url)
        let second = try cli.run(["run", "tiny.yaml"], in: dir.url)
        #expect(first.status == 0)
        #expect(first.stderr == "")
        #expect(first.stdout.hasPrefix("tiny: seed 1, 10m from 2000-01-01 00:00:00 UTC\n\nTimeline\n── 2000-01-01 ──\n"))
        #expect(first.stdout.hasSuffix("\nPASS\n"))
        #expect(!first.stdout.contains("\u{1B}["))
        #expect(first.stdout == second.stdout)
        #expect(first.status == second.status)
    }

    @Test func aFailedExpectationExitsWithOne() throws {
        let result = try cli.run(["run", "failing.yaml"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\nFAIL (1 of 1 expectations failed)\n"))
        #expect(result.stderr == "failing.yaml: 1 of 1 expectations failed\n")
    }

    @Test func jsonIsValidAndStartsWithTheSchemaVersion() throws {
        let result = try cli.run(["run", "tiny.yaml", "--format", "json", "--seed", "9"], in: dir.url)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("{\n  \"schemaVersion\": 1,"))
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let json = try #require(object)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["passed"] as? Bool == true)
        #expect((json["scenario"] as? [String: Any])?["seed"] as? Int == 9)
        #expect((json["clients"] as? [[String: Any]])?.first?["id"] as? String == "client/app")
    }

    @Test func ndjsonAndCSVAreMachineReadable() throws {
        let ndjson = try cli.run(["run", "tiny.yaml", "--format", "ndjson"], in: dir.url)
        #expect(ndjson.status == 0)
        for line in ndjson.stdout.split(separator: "\n") {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
        let csv = try cli.run(["run", "tiny.yaml", "--format", "csv"], in: dir.url)
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("client,instances,lookups,"))
        #expect(csv.stdout.split(separator: "\n").count == 2)
    }

    @Test func overridesAndUntilReachTheRun() throws {
        let result = try cli.run(
            ["run", "tiny.yaml", "--format", "json", "--set", "duration=20m", "--until", "1m"], in: dir.url)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let client = try #require((json["clients"] as? [[String: Any]])?.first)
        #expect(client["firstFailure"] is NSNull)
        // The expectation (first failure between 2m and 10m) cannot hold when the run stops at 1m.
        #expect(result.status == 1)
    }

    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        let always = try cli.run(["run", "failing.yaml", "--color", "always"], in: dir.url)
        #expect(always.stdout.contains("\u{1B}[31mFAIL\u{1B}[0m"))
        let auto = try cli.run(["run", "failing.yaml"], in: dir.url)
        #expect(!auto.stdout.contains("\u{1B}["))
        let never = try cli.run(["run", "failing.yaml", "--color", "never"], in: dir.url, environment: [:])
        #expect(never.stdout == auto.stdout)
    }

    // MARK: --output

    @Test func outputWritesTheFileAndNothingToStdout() throws {
        let result = try cli.run(["run", "tiny.yaml", "--format", "json", "--output", "report.json"], in: dir.url)
        #expect(result.status == 0)
        #expect(result.stdout == "")
        let written = try String(contentsOf: dir.url.appendingPathComponent("report.json"), encoding: .utf8)
        let direct = try cli.run(["run", "tiny.yaml", "--format", "json"], in: dir.url)
        #expect(written == direct.stdout)
        #expect(try dir.files() == ["bad.yaml", "failing.yaml", "report.json", "tiny.yaml"])
    }

    @Test func outputLeavesNothingBehindOnError() throws {
        let missingDir = try cli.run(["run", "tiny.yaml", "--output", "nowhere/report.txt"], in: dir.url)
        #expect(missingDir.status == 2)
        #expect(missingDir.stderr.contains("nowhere/report.txt: error:"))
        let badInput = try cli.run(["run", "bad.yaml", "--output", "report.txt"], in: dir.url)
        #expect(badInput.status == 2)
        #expect(badInput.stderr.contains("bad.yaml:5:1: error:"))
        #expect(try dir.files() == ["bad.yaml", "failing.yaml", "tiny.yaml"])
    }

    // MARK: usage errors

    @Test(arguments: [
        ["frobnicate"], ["run", "tiny.yaml", "--bogus"], ["run"], ["run", "tiny.yaml", "--format", "xml"],
        ["run", "tiny.yaml", "--until", "soon"], ["run", "tiny.yaml", "--seed", "-1"], ["validate"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let result = try cli.run(arguments, in: dir.url)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("Error:") || result.stderr.contains("error:"))
    }

    @Test func helpGoesToStdoutWithZero() throws {
        let result = try cli.run(["--help"], in: dir.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: dnscascade <subcommand>"))
        #expect(result.stdout.contains("run"))
        #expect(result.stdout.contains("validate"))
    }

    // MARK: list

    @Test func listPrintsPathNameAndHeaderLineSorted() throws {
        let scenarios = try ScenarioDirectory()
        try scenarios.write("Scenarios/b.yaml", Scenarios.tiny)
        try scenarios.write("Scenarios/a/first.yaml", Scenarios.failing.replacing("# Tiny: one empty record.", with: "# First."))
        try scenarios.write("Scenarios/readme.txt", "not listed")
        let expected = """
            Scenarios/a/first.yaml  failing  First.
            Scenarios/b.yaml        tiny     Tiny: one empty record.

            """
        let fromCwd = try cli.run(["list"], in: scenarios.url)
        #expect(fromCwd.status == 0)
        #expect(fromCwd.stdout == expected)
        let fromFlag = try cli.run(["list", "--dir", "Scenarios"], in: scenarios.url)
        #expect(fromFlag.stdout == expected)
        let fromEnv = try cli.run(
            ["list"], in: dir.url, environment: ["DNSCASCADE_SCENARIOS": scenarios.url.appendingPathComponent("Scenarios").path])
        #expect(fromEnv.stdout.hasSuffix("/Scenarios/b.yaml        tiny     Tiny: one empty record.\n"))
        let missing = try cli.run(["list", "--dir", "nowhere"], in: dir.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: no scenarios directory found"))
    }
}
