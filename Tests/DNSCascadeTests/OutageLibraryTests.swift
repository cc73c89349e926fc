import DNSCascade
import Foundation
import Testing

/// The outage library (`Scenarios/outages/`, `docs/outages/`): each scenario meets its expectations, each has a docs page
/// that cites the facts file, and the figures the pages quote — amplification ratios, recovery times — are what the
/// tool computes.
@Suite("Outage library")
struct OutageLibraryTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let files = ["dyn-2016-10-21.yaml", "facebook-2021-10-04.yaml", "slack-2021-09-30.yaml"]

    static func path(_ file: String) -> String {
        root.appendingPathComponent("Scenarios/outages").appendingPathComponent(file).path
    }

    static func run(_ file: String, until: SimDuration? = nil, _ overrides: String...) throws -> RunReport {
        try ScenarioPipeline(options: RunOptions(overrides: overrides, until: until)).run(.file(path: path(file)))
    }

    static func answers(_ report: RunReport, _ resolver: String) throws -> Int {
        try #require(report.resolver(resolver)).answers.total
    }

    /// Resolver answers in the hour after the fault divided by those in the hour before (the fault starts 1 h in).
    static func amplification(_ file: String, _ resolver: String, _ overrides: String...) throws -> (Int, Int, Double) {
        let pipelineBefore = ScenarioPipeline(options: RunOptions(overrides: overrides, until: .hours(1)))
        let pipelineDuring = ScenarioPipeline(options: RunOptions(overrides: overrides, until: .hours(2)))
        let before = try answers(pipelineBefore.run(.file(path: path(file))), resolver)
        let both = try answers(pipelineDuring.run(.file(path: path(file))), resolver)
        return (before, both, Double(both - before) / Double(max(before, 1)))
    }

    static func second(_ time: SimTime?) -> Int64? { time.map { $0.nanoseconds / 1_000_000_000 } }

    @Test("every outage scenario meets its expectations", arguments: files)
    func meetsItsExpectations(file: String) throws {
        let report = try Self.run(file)
        #expect(report.expectations.count >= 5)
        for result in report.failedExpectations {
            Issue.record("\(file): \(result.expectation.label): measured \(result.measured), expected \(result.expected)")
        }
        #expect(report.scenario.headerComment.contains("other-outages.md"))
        #expect(report.scenario.headerComment.contains("Teaches:"))
    }

    @Test("the outage directory holds exactly the tested scenarios, each with a page that cites the facts file")
    func everyOutageHasAPage() throws {
        let present = try FileManager.default.contentsOfDirectory(
            atPath: Self.root.appendingPathComponent("Scenarios/outages").path
        )
        .filter { $0.hasSuffix(".yaml") }
        #expect(present.sorted() == Self.files)
        for file in Self.files {
            let page = Self.root.appendingPathComponent("docs/outages").appendingPathComponent(
                file.replacingOccurrences(of: ".yaml", with: ".md"))
            let text = try String(contentsOf: page, encoding: .utf8)
            #expect(text.contains("other-outages.md"), "\(page.lastPathComponent) does not cite the facts file")
            #expect(text.contains("Scenarios/outages/\(file)"))
            #expect(text.contains("## What is simplified"))
        }
    }

    // MARK: Facebook

    @Test("Facebook: query volume at the public resolver rises about 30× in the first hour of the outage")
    func facebookAmplification() throws {
        let (before, both, ratio) = try Self.amplification("facebook-2021-10-04.yaml", "public-1")
        #expect(before == 239)
        #expect(both == 6855)
        #expect(ratio >= 20 && ratio <= 40)
    }

    @Test("Facebook: serve-stale removes the amplification and the failures; gentler backoff shrinks it")
    func facebookWhatIfs() throws {
        let (_, _, staleRatio) = try Self.amplification(
            "facebook-2021-10-04.yaml", "public-1", "resolvers.public-1.serveStale={maxStale: 1d}")
        #expect(staleRatio < 1.1)
        let stale = try Self.run("facebook-2021-10-04.yaml", "resolvers.public-1.serveStale={maxStale: 1d}")
        #expect(try #require(stale.client("apps")).failedLookups == 0)
        let (_, gentleBoth, gentleRatio) = try Self.amplification(
            "facebook-2021-10-04.yaml", "public-1", "clients.apps.pool.maxBackoff=5m")
        #expect(gentleBoth == 1239)
        #expect(gentleRatio < 5)
    }

    // MARK: Slack

    @Test("Slack: the cached negative answer, not the rollback, sets the ~24 h; a clamp or a flush ends it sooner")
    func slackRecoveryFollowsCaches() throws {
        let base = try Self.run("slack-2021-09-30.yaml")
        let strict = try #require(base.client("users-isp-strict"))
        let first = try #require(strict.firstFailure)
        let recovery = try #require(strict.recovery)
        #expect(abs((recovery - first - .hours(24)).nanoseconds) < SimDuration.minutes(10).nanoseconds)
        #expect(Self.second(recovery) == Self.second(SimTime.zero + .hours(25) + .minutes(2) + .seconds(Int64(37))))
        let rollback = SimTime.zero + .hours(3)
        let clamped = try #require(
            Self.run("slack-2021-09-30.yaml", "resolvers.isp-strict.maxNegativeTTL=3600").client("users-isp-strict"))
        let clampedRecovery = try #require(clamped.recovery)
        #expect(clampedRecovery > rollback && clampedRecovery < rollback + .hours(1))
        let noFlush = try #require(Self.run("slack-2021-09-30.yaml", "operators=[]").client("users-public-big"))
        let flushed = try #require(base.client("users-public-big"))
        #expect(Self.second(flushed.recovery) == Self.second(SimTime.zero + .hours(5) + .minutes(30) + .seconds(Int64(15))))
        #expect(try #require(noFlush.recovery) > #require(flushed.recovery) + .hours(19))
    }

    // MARK: Dyn

    @Test("Dyn: partial loss hits the short-TTL name; the long-TTL name rides through until loss is total")
    func dynTTLBuffer() throws {
        let base = try Self.run("dyn-2016-10-21.yaml")
        let short = try #require(base.client("short-users"))
        let long = try #require(base.client("long-users"))
        #expect(short.failedLookups == 1115)
        #expect(long.failedLookups == 11)
        #expect(long.minAvailability == 1)
        let total = try Self.run("dyn-2016-10-21.yaml", "faults.*.noAnswer={probability: 1.0}")
        #expect(try #require(total.client("long-users")).minAvailability < 1)
        #expect(try #require(total.client("long-users")).failedLookups > 100 * long.failedLookups)
        let stale = try Self.run("dyn-2016-10-21.yaml", "resolvers.isp.serveStale=true")
        #expect(try #require(stale.client("short-users")).failedLookups == 0)
    }

    @Test("Dyn: query volume at the resolver about triples in wave 1")
    func dynRetryTraffic() throws {
        let before = try Self.answers(Self.run("dyn-2016-10-21.yaml", until: .minutes(30)), "isp")
        let wave = try Self.answers(Self.run("dyn-2016-10-21.yaml", until: .minutes(170)), "isp")
        #expect(before == 300)
        #expect(wave == 4428)
        let perMinuteBefore = Double(before) / 30
        let perMinuteWave = Double(wave - before) / 140
        #expect(perMinuteWave / perMinuteBefore > 2.5 && perMinuteWave / perMinuteBefore < 3.5)
    }
}
