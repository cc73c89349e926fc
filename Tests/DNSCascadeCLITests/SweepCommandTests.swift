import Foundation
import Testing

/// `dnscascade sweep`, `merge` and `--runs`, end to end through the built binary.
@Suite struct SweepCommandTests {
    let cli: CommandRunner
    let dir: ScenarioDirectory

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: dir.url.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func sweepShardsMergeIntoTheUnshardedOutput() throws {
        let grid = ["--grid", "clients.app.instances=1,2,3", "--runs", "2"]
        let whole = try cli.run(["sweep", "tiny.yaml"] + grid + ["-o", "whole.ndjson"], in: dir.url)
        #expect(whole.status == 0, "\(whole.stderr)")
        let text = try read("whole.ndjson")
        #expect(text.split(separator: "\n").count == 7)
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("whole.ndjson.partial").path))
        for index in 0..<2 {
            let shard = try cli.run(
                ["sweep", "tiny.yaml"] + grid + ["--shard", "\(index)/2", "-o", "s\(index).ndjson"], in: dir.url)
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merged = try cli.run(["merge", "s1.ndjson", "s0.ndjson"], in: dir.url)
        #expect(merged.status == 0)
        #expect(merged.stdout == text)
        let csv = try cli.run(["merge", "s0.ndjson", "s1.ndjson", "--format", "csv"], in: dir.url)
        #expect(csv.stdout.hasPrefix("task,run,seed,clients.app.instances,passed,"))
        #expect(csv.stdout.split(separator: "\n").count == 7)
    }

    @Test func mergeOfAnIncompleteSetIsAnInputError() throws {
        _ = try cli.run(
            ["sweep", "tiny.yaml", "--grid", "clients.app.instances=1,2", "--shard", "0/2", "-o", "s0.ndjson"], in: dir.url)
        let result = try cli.run(["merge", "s0.ndjson"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("merge: error: shard 1/2 is missing"))
    }

    @Test(
        arguments: [
            (["sweep", "tiny.yaml"], "the grid is empty"),
            (["sweep", "tiny.yaml", "--grid", "clients.app.instances"], "no '='"),
            (["sweep", "tiny.yaml", "--grid", "clients.app.instances=1", "--shard", "2/2"], "the index must be 0…1"),
            (["sweep", "tiny.yaml", "--grid", "clients.app.instancez=1,2"], "unknown key 'instancez'"),
            (["sweep", "tiny.yaml", "--grid", "clients.app.instances=1", "--runs", "0"], "--runs must be at least 1"),
            (["run", "tiny.yaml", "--runs", "0"], "--runs must be at least 1"),
        ])
    func badSweepArgumentsExitTwo(arguments: [String], fragment: String) throws {
        let result = try cli.run(arguments, in: dir.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains(fragment), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func runWithSeveralSeedsJudgesExpectationsOverTheRuns() throws {
        let result = try cli.run(["run", "tiny.yaml", "--runs", "3", "--format", "json"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"runs\": 3"))
        #expect(result.stdout.contains("\"measured\": \"3 of 3 runs"))
        let check = try cli.run(["check", "tiny.yaml", "--runs", "2"], in: dir.url)
        #expect(check.status == 0)
        #expect(check.stdout.contains("2 of 2 runs"))
    }
}

/// `--speed`: the timeline played back in time writes the same bytes as the plain report.
@Suite struct SpeedCommandTests {
    @Test func playedBackTimelineIsTheSameReport() throws {
        let cli = try CommandRunner.locate()
        let dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
        let plain = try cli.run(["run", "tiny.yaml"], in: dir.url)
        let played = try cli.run(["run", "tiny.yaml", "--speed", "100000"], in: dir.url)
        #expect(played.status == plain.status)
        #expect(played.stdout == plain.stdout)
        #expect(!plain.stdout.isEmpty)
        for bad in [["--speed", "0"], ["--speed", "10", "--format", "json"], ["--speed", "10", "--runs", "2"]] {
            let result = try cli.run(["run", "tiny.yaml"] + bad, in: dir.url)
            #expect(result.status == 2, "\(bad)")
            #expect(result.stderr.contains("--speed"))
        }
    }
}
