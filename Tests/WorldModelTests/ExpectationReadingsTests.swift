import SimKernel
import Testing
import WorldModel

/// Judging expectations over several runs, intervals, and the series helpers behind `peak` and `stays`.
@Suite("Expectation readings")
struct ExpectationReadingsTests {
    static let clock = ScenarioClock.utc
    static func at(_ minutes: Int64) -> SimTime { SimTime.zero + .minutes(minutes) }

    static func expectation(_ bound: ExpectationBound, runs: RunsQualifier? = nil) -> ExpectationSpec {
        ExpectationSpec(label: "x", component: ComponentID(.client, "app"), metric: .recovery, bound: bound, runs: runs)
    }

    @Test("nearest-rank percentiles; absent values sort last")
    func percentiles() {
        let values: [MeasuredValue] = [.instant(Self.at(30)), .instant(nil), .instant(Self.at(10)), .instant(Self.at(20))]
        #expect(ExpectationEvaluator.percentile(25, of: values) == .instant(Self.at(10)))
        #expect(ExpectationEvaluator.percentile(50, of: values) == .instant(Self.at(20)))
        #expect(ExpectationEvaluator.percentile(75, of: values) == .instant(Self.at(30)))
        #expect(ExpectationEvaluator.percentile(100, of: values) == .instant(nil))
        #expect(ExpectationEvaluator.percentile(1, of: [.number(3), .number(1), .number(2)]) == .number(1))
    }

    @Test("without a reading, every run must pass; the first failing run is named")
    func everyRun() {
        let bound = ExpectationBound.timeBetween(Self.at(10), Self.at(20))
        let passing = ExpectationEvaluator.evaluate(
            Self.expectation(bound), measurements: [.instant(Self.at(12)), .instant(Self.at(15))], clock: Self.clock)
        #expect(passing.passed)
        #expect(passing.measured == "2 of 2 runs (00:12:00 UTC … 00:15:00 UTC)")
        let failing = ExpectationEvaluator.evaluate(
            Self.expectation(bound), measurements: [.instant(Self.at(12)), .instant(Self.at(25)), .instant(nil)],
            clock: Self.clock)
        #expect(!failing.passed)
        #expect(failing.measured == "1 of 3 runs; run 2: 00:25:00 UTC")
    }

    @Test("a percentile reading judges one value; a share-of-runs reading counts the runs that pass")
    func readings() {
        let bound = ExpectationBound.timeBetween(Self.at(10), Self.at(20))
        let values: [MeasuredValue?] = [
            .instant(Self.at(12)), .instant(Self.at(14)), .instant(Self.at(16)), .instant(Self.at(40)),
        ]
        let p75 = ExpectationEvaluator.evaluate(
            Self.expectation(bound, runs: .percentile(75)), measurements: values, clock: Self.clock)
        #expect(p75.passed && p75.measured == "p75 00:16:00 UTC (4 runs)")
        let p100 = ExpectationEvaluator.evaluate(
            Self.expectation(bound, runs: .percentile(100)), measurements: values, clock: Self.clock)
        #expect(!p100.passed)
        let share = ExpectationEvaluator.evaluate(
            Self.expectation(bound, runs: .fractionOfRuns(min: 0.75, max: nil)), measurements: values, clock: Self.clock)
        #expect(share.passed && share.measured == "0.75 (3 of 4 runs)")
        let stricter = ExpectationEvaluator.evaluate(
            Self.expectation(bound, runs: .fractionOfRuns(min: 0.8, max: nil)), measurements: values, clock: Self.clock)
        #expect(!stricter.passed)
        let missing = ExpectationEvaluator.evaluate(
            Self.expectation(bound), measurements: [.instant(Self.at(12)), nil], clock: Self.clock)
        #expect(!missing.passed && missing.measured.hasPrefix("no such metric"))
    }

    @Test("an interval passes when both ends are within the tolerance")
    func intervals() {
        let bound = ExpectationBound.interval(from: Self.at(10), to: Self.at(60), within: .minutes(5))
        #expect(MeasuredValue.interval(Self.at(6), Self.at(64)).satisfies(bound))
        #expect(!MeasuredValue.interval(Self.at(4), Self.at(60)).satisfies(bound))
        #expect(!MeasuredValue.interval(Self.at(10), Self.at(66)).satisfies(bound))
        #expect(!MeasuredValue.interval(Self.at(10), nil).satisfies(bound))
        #expect(MeasuredValue.interval(nil, nil).satisfies(.absent))
        #expect(MeasuredValue.interval(Self.at(10), nil).describe(clock: Self.clock) == "00:10:00 UTC – not recovered")
    }

    @Test("series: peaks inside a window, time below a level, the normal level before a time")
    func series() {
        let series = SeriesResults(
            component: ComponentID(.endpoint, "kv"), name: "requests", meaning: "", step: .minutes(1),
            values: [2, 2, 9, 1, 0, 0, 7, 3], normal: 2)
        #expect(series.peak(in: nil)?.value == 9)
        #expect(series.peak(in: Self.at(3)...Self.at(7))?.value == 7)
        #expect(series.peak(in: Self.at(3)...Self.at(7))?.time == Self.at(6))
        #expect(series.peak(in: Self.at(20)...Self.at(30)) == nil)
        #expect(series.timeBelow(2, after: Self.at(3)) == .minutes(3))
        #expect(series.timeBelow(2, after: SimTime.zero + .seconds(Int64(210))) == .seconds(Int64(150)))
        #expect(series.timeBelow(2, after: Self.at(2)) == .zero)
        #expect(series.timeBelow(100, after: Self.at(5)) == .minutes(3))
        #expect(SeriesResults.mean(of: series.values, start: .zero, step: .minutes(1), before: Self.at(2)) == 2)
        #expect(SeriesResults.mean(of: series.values, start: .zero, step: .minutes(1), before: nil) == 3)
    }
}
