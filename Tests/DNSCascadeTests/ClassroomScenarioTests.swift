import DNSCascade
import Foundation
import Testing

/// The bundled classroom scenarios: each runs with c-ares in the loop and meets its own `expect:` block, and
/// changing one mechanism's parameter moves the outcome the way the mechanism says.
@Suite("Classroom scenarios")
struct ClassroomScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/classroom")

    static let files = ["01-empty-record.yaml", "02-deleted-name.yaml", "03-unreachable-authority.yaml"]

    static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    static func run(_ file: String, overrides: [String] = []) throws -> RunReport {
        try ScenarioPipeline(options: RunOptions(overrides: overrides)).run(.file(path: path(file)))
    }

    @Test("every classroom scenario meets its expectations", arguments: files)
    func meetsItsExpectations(file: String) throws {
        let report = try Self.run(file)
        #expect(!report.expectations.isEmpty)
        for result in report.failedExpectations {
            Issue.record("\(file): \(result.expectation.label): measured \(result.measured), expected \(result.expected)")
        }
        #expect(report.scenario.headerComment.contains("Teaches:"))
    }

    @Test("the classroom directory holds exactly the tested scenarios")
    func everyScenarioIsTested() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(present.sorted() == (Self.files + LessonScenarioTests.lessonFiles).sorted())
    }

    @Test("two runs of a scenario render byte-identical output", arguments: files)
    func byteIdentical(file: String) throws {
        let a = try Self.run(file)
        let b = try Self.run(file)
        for format in ReportFormat.allCases { #expect(a.render(format) == b.render(format)) }
    }

    @Test("01: raising the negative TTL (SOA MINIMUM 600 → 900) lengthens the recovery tail by 300 s")
    func negativeTTLMovesRecovery() throws {
        let text = try String(contentsOfFile: Self.path("01-empty-record.yaml"), encoding: .utf8)
        let soa = "1 7200 900 1209600 600"
        #expect(text.contains(soa))
        let raised = text.replacingOccurrences(of: soa, with: "1 7200 900 1209600 900")
        let pipeline = ScenarioPipeline()
        let base = try #require(pipeline.run(.text(text, sourceName: "01.yaml")).client("app")?.recovery)
        let longer = try #require(pipeline.run(.text(raised, sourceName: "01-raised.yaml")).client("app")?.recovery)
        let tail = (longer - base).nanoseconds
        #expect(abs(tail - SimDuration.seconds(Int64(300)).nanoseconds) <= SimDuration.seconds(Int64(10)).nanoseconds)
    }

    @Test("01: clamping the negative TTL at the resolver (maxNegativeTTL 120) brings recovery to just after the repair")
    func clampShortensRecovery() throws {
        let base = try #require(Self.run("01-empty-record.yaml").client("app")?.recovery)
        let clamped = try #require(
            Self.run("01-empty-record.yaml", overrides: ["resolvers.r1.maxNegativeTTL=120"]).client("app")?.recovery)
        #expect(clamped < base)
        // The repair is at 15 min; a 120 s negative entry stored before it is gone by 17 min (plus app cache and retries).
        #expect(clamped <= SimTime.zero + .minutes(17) + .seconds(Int64(45)))
        #expect(clamped >= SimTime.zero + .minutes(15))
    }

    @Test("03: turning serve-stale on for the plain resolver keeps fleet a answered through the outage")
    func serveStaleOnKeepsLookupsAnswered() throws {
        let off = try Self.run("03-unreachable-authority.yaml")
        #expect(try #require(off.client("a")).failedLookups > 0)
        let on = try Self.run("03-unreachable-authority.yaml", overrides: ["resolvers.plain.serveStale=true"])
        let a = try #require(on.client("a"))
        #expect(a.failedLookups == 0)
        #expect(a.firstFailure == nil)
        #expect(try #require(on.resolver("plain")).staleAnswers > 0)
    }

    @Test("03: a stale window shorter than the outage lets failures through once it ends")
    func shortStaleWindow() throws {
        let report = try Self.run("03-unreachable-authority.yaml", overrides: ["resolvers.stale.serveStale={maxStale: 10m}"])
        let b = try #require(report.client("b"))
        let firstFailure = try #require(b.firstFailure)
        // The last good entry expires 2 min into the 14:10 outage at the latest; the 10 min window then runs out.
        #expect(firstFailure >= SimTime.zero + .minutes(20))
        #expect(firstFailure <= SimTime.zero + .minutes(23))
        #expect(!report.passed)
    }
}
