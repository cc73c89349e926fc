import DNSModel
import ScenarioLoader
import SimKernel
import Testing
import WorldModel

/// The expect language beyond single values: intervals, scoped counts, peaks, stays, readings over runs — decoded
/// values and located errors.
@Suite("Expect language")
struct ExpectLanguageTests {
    /// The regional-cloud fixture with `expect:` replaced by `entries`.
    static func scenario(_ entries: String) -> String {
        let base = RegionalCloudLoaderTests.base
        let start = base.range(of: "expect:\n")!.lowerBound
        return String(base[..<start]) + "expect:\n" + entries + "\n"
    }

    static func expectations(_ entries: String) throws -> [ExpectationSpec] {
        try RegionalCloudLoaderTests.load(scenario(entries)).spec.expectations
    }

    static func errors(_ entries: String) -> [String] {
        RegionalCloudLoaderTests.diagnostics(scenario(entries))
    }

    @Test("down: an interval with a tolerance, or absent")
    func down() throws {
        let e = try Self.expectations(
            """
              - {component: client/svc, down: {from: 10m, to: 2h5m, within: 5m}}
              - {component: service/dwfm, down: absent}
            """)
        #expect(e[0].metric == .down)
        #expect(e[0].bound == .interval(from: SimTime.zero + .minutes(10), to: SimTime.zero + .minutes(125), within: .minutes(5)))
        #expect(e[0].label == "down from 10m to 2h5m within 5m")
        #expect(e[1].bound == .absent)
    }

    @Test("lookups and fractions can be narrowed to a name and a window")
    func scoped() throws {
        let e = try Self.expectations(
            """
              - {component: resolver/r1, fraction: {outcome: NODATA, name: kv.example., during: [20m, 2h], atLeast: 0.99}}
              - {component: client/svc, lookups: {during: [0s, 10m], atLeast: 1}}
            """)
        #expect(e[0].metric == .fraction(.noData))
        #expect(
            e[0].scope
                == LookupScope(
                    name: try DomainName("kv.example."), window: SimTime.zero + .minutes(20)...SimTime.zero + .hours(2)))
        #expect(e[0].label == "fraction NODATA of kv.example. during 20m–2h ≥ 0.99")
        #expect(e[1].scope.name == nil && e[1].scope.window == SimTime.zero...SimTime.zero + .minutes(10))
    }

    @Test("peaks and stays over a component's series")
    func series() throws {
        let e = try Self.expectations(
            """
              - {component: endpoint/kv, peak: {series: requests, during: [2h, 3h], timesNormal: true, atLeast: 3}}
              - {component: service/dwfm, stays: {series: goodput, below: 0.05, after: 2h, atLeast: 60m}}
            """)
        #expect(
            e[0].metric
                == .peak(series: "requests", window: SimTime.zero + .hours(2)...SimTime.zero + .hours(3), timesNormal: true))
        #expect(e[0].bound == .number(min: 3, max: nil))
        #expect(e[1].metric == .stays(series: "goodput", below: 0.05, after: SimTime.zero + .hours(2)))
        #expect(e[1].bound == .durationBetween(.minutes(60), ExpectationBound.noLongest))
        #expect(e[1].label == "time goodput stays below 0.05 after 2h at least 1h")
    }

    @Test("readings over runs: a percentile or the share of runs")
    func runs() throws {
        let e = try Self.expectations(
            """
              - {component: client/svc, runs: {percentile: 90}, recovery: {between: [1h, 3h]}}
              - {component: service/dwfm, runs: {fraction: {atLeast: 0.8}}, recovery: absent}
            """)
        #expect(e[0].runs == .percentile(90))
        #expect(e[0].label == "p90 recovery between 1h and 3h")
        #expect(e[1].runs == .fractionOfRuns(min: 0.8, max: nil))
    }

    @Test(
        "bad expectations are located errors",
        arguments: [
            ("- {component: client/svc, down: {from: 10m, to: 9m, within: 5m}}", "expect[0].down.to", "ends before it starts"),
            ("- {component: client/svc, down: {from: 10m, to: 7h, within: 5m}}", "expect[0].down.to", "outside the scenario"),
            ("- {component: client/svc, down: {from: 10m, to: 1h, within: soon}}", "expect[0].down.within", "soon"),
            ("- {component: client/svc, runs: {percentile: 0}, recovery: absent}", "expect[0].runs.percentile", "above 0"),
            ("- {component: client/svc, runs: {percentile: 101}, recovery: absent}", "expect[0].runs.percentile", "101"),
            (
                "- {component: client/svc, runs: {fraction: {atLeast: 2}}, recovery: absent}", "expect[0].runs.fraction.atLeast",
                "2"
            ),
            ("- {component: client/svc, runs: {median: 1}, recovery: absent}", "expect[0].runs", "unknown key 'median'"),
            ("- {component: client/svc, runs: {percentile: 50}, down: absent}", "expect[0].runs", "'down' is an interval"),
            ("- {component: endpoint/kv, peak: {series: qps, atLeast: 3}}", "expect[0].peak.series", "unknown series 'qps'"),
            ("- {component: service/ec2, peak: {series: requests, atLeast: 3}}", "expect[0].peak.series", "records no series"),
            ("- {component: client/svc, peak: {series: requests, atLeast: 3}}", "expect[0].peak", "endpoints and services"),
            ("- {component: service/dwfm, stays: {series: goodput, below: 0.05, after: 2h}}", "expect[0].stays", "needs a bound"),
            (
                "- {component: service/dwfm, stays: {series: goodput, below: 0.05, after: 9h, atLeast: 1h}}",
                "expect[0].stays.after",
                "outside the scenario"
            ),
            (
                "- {component: resolver/r1, fraction: {outcome: NODATA, during: [3h, 1h], atLeast: 0.5}}",
                "expect[0].fraction.during[1]",
                "ends before it starts"
            ),
            (
                "- {component: resolver/r1, fraction: {outcome: NODATA, name: 'bad name..', atLeast: 0.5}}",
                "expect[0].fraction.name",
                "invalid domain name"
            ),
            (
                "- {component: endpoint/nope, peak: {series: requests, atLeast: 1}}", "expect[0].component",
                "unknown endpoint 'nope'"
            ),
        ])
    func errors(entry: String, path: String, fragment: String) {
        let errors = Self.errors("  " + entry)
        #expect(errors.count >= 1)
        let first = errors.first ?? ""
        #expect(first.hasPrefix("cloud.yaml:"), "\(first)")
        #expect(first.contains(": error: \(path)"), "\(first)")
        #expect(errors.contains { $0.contains(fragment) }, "\(errors)")
    }
}
