import DNSCascade
import Foundation
import Testing

/// `--runs N`: seeds derived from the scenario's, results independent of the number of threads, expectations judged
/// over all runs.
@Suite("Monte Carlo")
struct MonteCarloTests {
    static let file = ClassroomScenarioTests.path("01-empty-record.yaml")

    @Test("run 1 uses the scenario's seed; later seeds are fixed, distinct and derived from it")
    func seeds() {
        let seeds = SeedSequence(base: 7).seeds(count: 50)
        #expect(seeds[0] == 7)
        #expect(Set(seeds).count == 50)
        #expect(SeedSequence(base: 7).seed(forRun: 2) == 309_689_372_594_955_804)
        #expect(SeedSequence(base: 8).seed(forRun: 2) != seeds[1])
    }

    @Test("a study is byte-identical whatever the number of threads, and its run 1 is the ordinary run")
    func threadsDoNotMatter() throws {
        let one = try MonteCarlo(runs: 4, workers: 1).run(.file(path: Self.file))
        let three = try MonteCarlo(runs: 4, workers: 3).run(.file(path: Self.file))
        #expect(one.render(.json) == three.render(.json))
        #expect(one.render(.text) == three.render(.text))
        #expect(one.runs.map(\.seed) == SeedSequence(base: 7).seeds(count: 4))
        let single = try ScenarioPipeline().run(.file(path: Self.file))
        #expect(one.first.render(.json) == single.render(.json))
        // The runs differ (different seeds), so the study is not one run repeated.
        #expect(Set(one.runs.map(\.lookups)).count > 1)
    }

    @Test("a percentile over runs is the nearest-rank value of the runs' own measurements")
    func percentileMatchesTheRuns() throws {
        let text = try String(contentsOfFile: Self.file, encoding: .utf8)
        let expect = "expect:\n  - {component: client/app, runs: {percentile: 100}, firstFailure: {between: [0s, 1h]}}\n"
        let scenario = String(text[..<text.range(of: "expect:")!.lowerBound]) + expect
        let study = try MonteCarlo(runs: 5, workers: 2).run(.text(scenario, sourceName: "p100.yaml"))
        var latest = SimTime.zero
        for seed in SeedSequence(base: 7).seeds(count: 5) {
            let report = try ScenarioPipeline(options: RunOptions(seed: seed)).run(.text(scenario, sourceName: "p100.yaml"))
            latest = max(latest, try #require(report.client("app")?.firstFailure))
        }
        let verdict = try #require(study.expectations.first)
        #expect(verdict.passed)
        #expect(verdict.measured == "p100 \(study.scenario.spec.clock.format(latest)) (5 runs)")
    }

    @Test("--runs below 1 is an input error")
    func zeroRuns() {
        #expect(throws: DNSCascadeError.self) { try MonteCarlo(runs: 0).run(.file(path: Self.file)) }
    }
}

/// Scoped counts and failure intervals measured on a real run, moving as the negative-caching mechanism says.
@Suite("Scoped and interval expectations")
struct ScopedExpectationTests {
    static func scenario(negativeTTL: Int) -> String {
        """
        schema: dnscascade/v1
        name: scoped
        duration: 10m
        world:
          authorities: [{id: ns1, zones: [{origin: example., records: "example. 3600 IN SOA ns1.example. h.example. 1 7200 900 1209600 \(negativeTTL)\\nkv.example. 60 IN A 192.0.2.10"}]}]
          resolvers: [{id: r1}]
          endpoints: [{id: kv, name: kv.example., addresses: [192.0.2.10]}]
          clients: [{id: app, instances: 2, endpoint: kv, resolvers: [r1]}]
        faults: [{id: f, at: 2m, until: 4m, target: authority/ns1, emptyRecords: {name: kv.example., type: A}}]
        expect:
          - {component: resolver/r1, fraction: {outcome: NODATA, name: kv.example., during: [0s, 1m59s], equals: 0}}
          - {component: resolver/r1, fraction: {outcome: NODATA, name: kv.example., during: [3m10s, 4m], atLeast: 0.99}}
          - {component: resolver/r1, lookups: {name: other.example., equals: 0}}
          - {component: client/app, down: {from: 2m30s, to: 5m, within: 1m}}

        """
    }

    @Test("NODATA only inside the fault's window; the failure interval ends within one negative TTL of the repair")
    func scopedAndInterval() throws {
        let report = try ScenarioPipeline().run(.text(Self.scenario(negativeTTL: 120), sourceName: "scoped.yaml"))
        for result in report.expectations {
            #expect(result.passed, "\(result.expectation.label): \(result.measured)")
        }
        // A negative TTL longer than the rest of the run: the fleet is still failing at the end.
        let long = try ScenarioPipeline().run(.text(Self.scenario(negativeTTL: 900), sourceName: "scoped.yaml"))
        let down = try #require(long.expectations.last)
        #expect(!down.passed)
        #expect(down.measured.hasSuffix("– not recovered"))
    }
}
