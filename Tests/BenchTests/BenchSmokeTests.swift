import Bench
import Testing

@Suite("Bench smoke")
struct BenchSmokeTests {
    @Test func holdModelRunsTheSameEventsOnTheSimulatorAndTheHeap() {
        let heap = EngineBenchmark.heapHold(pending: 100, events: 5_000)
        #expect(heap.events == 5_100)
        #expect(heap.checksum != 0 && heap.seconds > 0)
        for style in EngineBenchmark.ActionStyle.allCases {
            let simulator = EngineBenchmark.simulatorHold(pending: 100, events: 5_000, style: style)
            #expect(simulator.events == 5_100)
            #expect(simulator.checksum == heap.checksum, "\(style)")
            #expect(simulator.seconds > 0)
        }
    }

    @Test func lookupStormCountsLookups() throws {
        let result = try LookupBenchmark.run(instances: 10, duration: .seconds(1))
        // 10 instances every 10 ms for 1 s: about 1,000 periodic lookups (plus a few connection replacements).
        #expect(result.lookups >= 900 && result.lookups <= 1_100)
        #expect(result.events > result.lookups)
        #expect(result.seconds > 0)
    }

    @Test func scalingPointGrowsWithThePopulation() throws {
        let small = try ScalingBenchmark.measure(clients: 20)
        let large = try ScalingBenchmark.measure(clients: 200)
        #expect(small.lookups > 0)
        #expect(large.lookups > 5 * small.lookups)
        #expect(large.events > 5 * small.events)
        #expect(large.maxResidentBytes > 0 && large.cpuSeconds > 0)
    }

    static let tiny = BenchSizes(
        holdEvents: 2_000, holdRepetitions: 1, simpyEvents: 1_000, lookupInstances: 5, lookupSeconds: 1,
        populations: [10, 100], monteCarloRuns: 2)

    @Test func reportHasARowPerMeasurementAndRendersBothFormats() {
        let options = BenchOptions(
            only: [.engine, .lookups, .scaling], simpyScript: "/nonexistent/hold.py", sizes: Self.tiny)
        let report = BenchRunner(options: options).run()
        let names = report.rows.map(\.name)
        #expect(names.contains("engine hold 1k, stored action"))
        #expect(names.contains("engine hold 100k, new closure"))
        #expect(names.contains("lookups end to end, one core"))
        #expect(names.contains("scaling, 10× clients ⇒ time"))
        #expect(names.contains("scaling, memory per client"))
        #expect(report.scaling.map(\.clients) == [10, 100])
        #expect(report.rows.filter { $0.unit.hasSuffix("/s") }.allSatisfy { $0.measured > 0 })
        // Without SimPy the reference is reported missing either way: no script, or no SimPy to run it.
        #expect(report.problems.contains { $0.contains("hold.py") || $0.contains("SimPy not installed") })
        let text = report.render(.text)
        #expect(text.contains("benchmark") && text.contains("ratio") && text.contains("met?"))
        #expect(report.render(.json).contains("\"rows\""))
    }

    @Test func scalingKeepsTheFastestOfItsRunsBackToBack() {
        var sizes = Self.tiny
        sizes.scalingRounds = 2
        var logged: [String] = []
        let report = BenchRunner(options: BenchOptions(only: [.scaling], sizes: sizes)).run { logged.append($0) }
        #expect(report.scaling.map(\.clients) == [10, 100])
        #expect(
            logged.filter { $0.hasPrefix("bench: scaling 1") } == [
                "bench: scaling 10 clients (run 1) …", "bench: scaling 10 clients (run 2) …",
                "bench: scaling 100 clients (run 1) …", "bench: scaling 100 clients (run 2) …",
            ])
        let row = report.rows.first { $0.name == "scaling, 10× clients ⇒ time" }
        let note = row?.note ?? "no row"
        #expect(note.contains("; system time of those two points "), "\(note)")
        #expect(note.hasSuffix("each point the fastest of 2 runs back to back"), "\(note)")
        #expect(report.scaling.allSatisfy { $0.systemSeconds >= 0 && $0.systemSeconds <= $0.cpuSeconds })
    }

    @Test func quickScalingPointsRunAgainWithinTheirBudget() {
        var sizes = Self.tiny
        sizes.populations = [10, 100, 30_000]
        sizes.scalingRounds = 2
        sizes.scalingMaxRounds = 4
        // The 10- and 100-client points take milliseconds and run four times; the 30,000-client one (480 k events,
        // 0.08 s in a release build, seconds in a debug one) is past the budget after its two runs.
        sizes.scalingBudgetSeconds = 0.5
        var logged: [String] = []
        let report = BenchRunner(options: BenchOptions(only: [.scaling], sizes: sizes)).run { logged.append($0) }
        #expect(logged.filter { $0.hasPrefix("bench: scaling 10 clients") }.count == 4)
        #expect(logged.filter { $0.hasPrefix("bench: scaling 100 clients") }.count == 4)
        #expect(logged.filter { $0.hasPrefix("bench: scaling 30000 clients") }.count == 2)
        let row = report.rows.first { $0.name == "scaling, 10× clients ⇒ time" }
        let note = row?.note ?? "no row"
        #expect(note.hasSuffix("each point the fastest of its runs, back to back (10: 4, 100: 4, 30000: 2)"), "\(note)")
    }

    @Test func lookupsKeepTheFastestOfTheirRuns() {
        var sizes = Self.tiny
        sizes.lookupRepetitions = 3
        let report = BenchRunner(options: BenchOptions(only: [.lookups], sizes: sizes)).run()
        let row = report.rows.first { $0.name == "lookups end to end, one core" }
        // In this process (no executable given): three runs, the fastest kept and said so.
        #expect(row?.note.hasSuffix("; fastest of 3 runs") == true, "\(row?.note ?? "no row")")
        #expect((row?.measured ?? 0) > 0)
        #expect(report.problems.isEmpty)
    }

    @Test func replayAndMonteCarloMeasureAScenarioFile() throws {
        let path = "Scenarios/classroom/01-empty-record.yaml"
        let replay = try ReplayBenchmark.measure(path: path)
        #expect(replay.events > 1_000 && replay.lookups > 100)
        #expect(replay.virtualSeconds == 3_600)
        #expect(replay.wallSeconds > 0 && replay.maxResidentBytes > 0)
        #expect(try MonteCarloBenchmark.measure(path: path, runs: 2, workers: 2) > 0)
    }

    @Test func childRequestsAreChecked() {
        #expect(throws: BenchError.self) { try BenchChild.run("nonsense") }
    }
}
