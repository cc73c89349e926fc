import Foundation
import Testing

/// `dnscascade check` and `dnscascade replay`, end to end through the built binary.
@Suite struct CheckAndReplayCommandTests {
    let cli: CommandRunner
    let dir: ScenarioDirectory

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        try dir.write("suite/a-tiny.yaml", Scenarios.tiny)
        try dir.write("suite/b-failing.yaml", Scenarios.failing)
        try dir.write("good/tiny.yaml", Scenarios.tiny)
        try dir.write("bad.yaml", Scenarios.misspelt)
    }

    @Test func checkPassesWhenEveryExpectationHolds() throws {
        let result = try cli.run(["check", "good"], in: dir.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("PASS    good/tiny.yaml"))
        #expect(result.stdout.hasSuffix("1 scenario, 1 expectations: 1 passed, 0 failed\nPASS\n"))
    }

    @Test func checkExitsOneOnAFailedExpectationAndWritesJUnit() throws {
        let result = try cli.run(["check", "suite", "--junit", "out.xml"], in: dir.url)
        #expect(result.status == 1)
        // Sorted directory order: a-tiny before b-failing.
        let lines = result.stdout.split(separator: "\n")
        let tiny = try #require(lines.firstIndex { $0.contains("suite/a-tiny.yaml") })
        let failing = try #require(lines.firstIndex { $0.contains("suite/b-failing.yaml") })
        #expect(tiny < failing)
        #expect(lines[failing].hasPrefix("FAIL"))
        let xml = try String(contentsOf: dir.url.appendingPathComponent("out.xml"), encoding: .utf8)
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dnscascade check\" tests=\"2\""))
        #expect(xml.contains("failures=\"1\""))
        #expect(xml.contains("<failure message=\"measured "))
    }

    @Test func checkReportsAScenarioThatCannotLoadAndExitsTwo() throws {
        let result = try cli.run(["check", "good", "bad.yaml", "--format", "json"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stdout.contains("\"path\": \"bad.yaml\""))
        #expect(result.stdout.contains("\"passed\": false"))
        #expect(result.stderr.contains("bad.yaml:"))
    }

    @Test func checkOfAMissingPathIsAnInputError() throws {
        let result = try cli.run(["check", "nowhere"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stderr == "nowhere: error: no such file or directory\n")
    }

    @Test func replayOfAGivenFileRunsIt() throws {
        let result = try cli.run(["replay", "good/tiny.yaml", "--format", "csv"], in: dir.url)
        #expect(result.status == 0)
        #expect(!result.stdout.isEmpty)
    }

    @Test func replayWithoutABundledDirectoryExplainsWhereItLooked() throws {
        let result = try cli.run(
            ["replay"], in: dir.url, environment: ["DNSCASCADE_SCENARIOS": dir.url.appendingPathComponent("good").path])
        // The directory exists but holds no US-EAST-1 scenario: an input error naming the file.
        #expect(result.status == 2)
        #expect(result.stderr.contains("us-east-1-2025-10-20.yaml"))
    }
}

/// Golden timelines: a scenario names a recorded timeline; `check` compares, shows a diff, `--record` re-records.
@Suite struct GoldenTimelineCommandTests {
    let cli: CommandRunner
    let dir: ScenarioDirectory

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        let withGolden = Scenarios.tiny.replacingOccurrences(of: "name: tiny\n", with: "name: tiny\ngolden: tiny.timeline.txt\n")
        try dir.write("g/tiny.yaml", withGolden)
    }

    @Test func aMissingRecordingFailsUntilRecordedThenMatches() throws {
        #expect(Scenarios.tiny.contains("name: tiny\n"))
        let missing = try cli.run(["check", "g"], in: dir.url)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("no recorded timeline at g/tiny.timeline.txt; record it with: dnscascade check --record"))
        let recorded = try cli.run(["check", "g", "--record"], in: dir.url)
        #expect(recorded.status == 0)
        #expect(recorded.stdout.contains("timeline recorded to g/tiny.timeline.txt"))
        let matches = try cli.run(["check", "g"], in: dir.url)
        #expect(matches.status == 0)
        #expect(matches.stdout.contains("timeline matches g/tiny.timeline.txt"))
    }

    @Test func aChangedTimelineFailsWithAUnifiedDiff() throws {
        _ = try cli.run(["check", "g", "--record"], in: dir.url)
        let changed = try cli.run(["check", "g", "--set", "faults.f.at=3m"], in: dir.url)
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("--- g/tiny.timeline.txt\n+++ this run\n@@ "))
        #expect(changed.stdout.contains("golden timeline missing or different"))
    }
}
