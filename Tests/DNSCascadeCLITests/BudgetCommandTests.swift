import Foundation
import Testing

/// Run budgets through the pipeline and the CLI: a world too big for its memory budget is refused before it is built,
/// a run that reaches its event budget stops — both with exit 2 and a message naming the biggest parts.
@Suite struct BudgetCommandTests {
    let cli: CommandRunner
    let dir: ScenarioDirectory

    init() throws {
        cli = try CommandRunner.locate()
        dir = try ScenarioDirectory()
        try dir.write("tiny.yaml", Scenarios.tiny)
    }

    @Test func anEventBudgetStopsTheRun() throws {
        let result = try cli.run(["run", "tiny.yaml", "--max-events", "500"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("tiny.yaml: error: the run stopped "))
        #expect(result.stderr.contains("after 500 events, the event budget"))
        #expect(result.stderr.contains("  biggest: client/app"))
    }

    @Test func aMemoryBudgetRefusesTheWorldAndCheckReportsIt() throws {
        let limited = Scenarios.tiny.replacingOccurrences(of: "duration: 10m\n", with: "duration: 10m\nlimits: {memoryMB: 1}\n")
        try dir.write("limited.yaml", limited)
        let run = try cli.run(["run", "limited.yaml"], in: dir.url)
        #expect(run.status == 2)
        #expect(run.stderr.contains("limited.yaml: error: the world is estimated to need"))
        let check = try cli.run(["check", "limited.yaml", "tiny.yaml"], in: dir.url)
        #expect(check.status == 2)
        #expect(check.stdout.contains("ERROR"))
        #expect(check.stdout.contains("PASS    tiny.yaml"))
        let raised = try cli.run(["run", "limited.yaml", "--max-memory-mb", "4096"], in: dir.url)
        #expect(raised.status == 0, "\(raised.stderr)")
    }
}
