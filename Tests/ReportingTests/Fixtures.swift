import DNSModel
import SimKernel
import WorldModel

/// Hand-built results: one client, one resolver, three timeline entries, two expectations (one failing).
enum Fixtures {
    static let key = CacheKey(name: try! DomainName("kv.example."), type: .a)

    static func counts(_ entries: [(LookupOutcome, AresStatus, Int)]) -> OutcomeCounts {
        var counts = OutcomeCounts()
        for (outcome, status, n) in entries {
            for _ in 0..<n { counts.add(outcome, status: status) }
        }
        return counts
    }

    static func results(clock: ScenarioClock = .utc, timeline: [TimelineEntry]? = nil) -> RunResults {
        let app = ComponentID(.client, "app")
        let r1 = ComponentID(.resolver, "r1")
        let lookups = counts([(.noError, .success, 8), (.noData, .noData, 3), (.servFail, .connRefused, 1)])
        let client = ClientResults(
            id: app, instances: 2, lookups: lookups, firstFailure: SimTime.zero + .minutes(2),
            lastFailure: SimTime.zero + .minutes(6), recovery: SimTime.zero + .minutes(7) + .milliseconds(500),
            downtime: .minutes(4) + .milliseconds(250), minAvailability: 0.5, connectionsOpened: 10, connectionsFailed: 3,
            lookupsByResolver: [(r1, lookups)], availabilitySeries: [1, 0.75, 0.5], bucket: .minutes(5))
        let resolver = ResolverResults(
            id: r1, fleet: "vpc", answers: counts([(.noError, .success, 8), (.noData, .noData, 4)]),
            bySource: [.upstream: 5, .cache: 7], upstreamFailures: 1, firstFailure: SimTime.zero + .minutes(2),
            recovery: nil)
        let entries =
            timeline ?? [
                TimelineEntry(
                    time: SimTime.zero + .minutes(2), component: ComponentID(.authority, "ns1"), kind: "fault",
                    detail: "fault f started: kv.example. A emptied"),
                TimelineEntry(
                    time: SimTime.zero + .minutes(2) + .milliseconds(3), component: r1, kind: "cache",
                    detail: "kv.example. A cached NODATA for 300s"),
                TimelineEntry(
                    time: SimTime.zero + .minutes(7), component: app, kind: "availability",
                    detail: "2/2 instances serving"),
            ]
        return RunResults(
            scenarioName: "tiny", seed: 7, clock: clock, duration: .minutes(10), timeline: entries, clients: [client],
            resolvers: [resolver], eventsProcessed: 1234)
    }

    static var expectations: [ExpectationResult] {
        [
            ExpectationResult(
                expectation: ExpectationSpec(
                    label: "", component: ComponentID(.client, "app"), metric: .firstFailure,
                    bound: .timeBetween(SimTime.zero + .minutes(2), SimTime.zero + .minutes(10)), source: "tiny.yaml:12:5"),
                passed: true, measured: "00:02:00", expected: "between 00:02:00 and 00:10:00"),
            ExpectationResult(
                expectation: ExpectationSpec(
                    label: "no stale answers", component: ComponentID(.resolver, "r1"), metric: .staleAnswers,
                    bound: .number(min: 1, max: nil), source: "tiny.yaml:14:5"),
                passed: false, measured: "0", expected: ">= 1"),
        ]
    }
}
