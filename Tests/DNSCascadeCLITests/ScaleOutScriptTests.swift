import Foundation
import Testing

/// The scale-out recipes of docs/scale-out.md run for real: the Slurm array script with Slurm's environment, and the
/// Indexed Job's shard command with Kubernetes' — each shard by itself, then `merge`, equal to one unsharded sweep.
@Suite struct ScaleOutScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let cli: CommandRunner
    let dir: ScenarioDirectory
    let sweep = ["tiny.yaml", "--grid", "clients.app.instances=1,2,3", "--runs", "2"]

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
    }

    func unsharded() throws -> String {
        let result = try cli.run(["sweep"] + sweep, in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    func shell(_ script: String, _ arguments: [String], environment: [String: String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        process.currentDirectoryURL = dir.url
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = cli.executable.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func slurmArrayShardsMergeToOneSweep() throws {
        let script = Self.root.appendingPathComponent("scripts/scale-out/slurm-sweep.sbatch").path
        for index in 0..<3 {
            let status = try shell(
                script, sweep,
                environment: [
                    "SLURM_ARRAY_TASK_ID": "\(index)", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_CPUS_PER_TASK": "1",
                    "DNSCASCADE": cli.executable.path, "OUT": "shards",
                ])
            #expect(status == 0)
        }
        let merged = try cli.run(
            ["merge", "shards/shard-2.ndjson", "shards/shard-0.ndjson", "shards/shard-1.ndjson"], in: dir.url)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == (try unsharded()))
    }

    @Test func indexedJobShardsMergeToOneSweep() throws {
        let manifest = try String(
            contentsOf: Self.root.appendingPathComponent("scripts/scale-out/sweep-indexed-job.yaml"), encoding: .utf8)
        let begin = try #require(manifest.range(of: "# shard-command-begin\n"))
        let end = try #require(manifest.range(of: "# shard-command-end"))
        // The container's script, with this test's scenario, grid and results directory.
        var command = manifest[begin.upperBound..<end.lowerBound].split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
        command = command.replacingOccurrences(of: "Scenarios/us-east-1-2025-10-20.yaml", with: "tiny.yaml")
            .replacingOccurrences(
                of: "resolvers.vpc-1.maxNegativeTTL=300,900,3600 --runs 20", with: "clients.app.instances=1,2,3 --runs 2"
            )
            .replacingOccurrences(of: "/results", with: dir.url.appendingPathComponent("results").path)
        let script = try dir.write("shard.sh", command)
        for index in 0..<4 {
            let status = try shell(script, [], environment: ["JOB_COMPLETION_INDEX": "\(index)", "SHARDS": "4"])
            #expect(status == 0)
        }
        let files = (0..<4).map { "results/shard-\($0).ndjson" }
        let merged = try cli.run(["merge"] + files, in: dir.url)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == (try unsharded()))
    }
}
