import DNSCascade
import Foundation
import Testing

/// The example of docs/library.md, run against the bundled classroom scenario 03 (client `b` sits behind a
/// serve-stale resolver; with serve-stale on everywhere, client `a` is spared too).
@Suite struct LibraryExampleTests {
    static let scenario = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/classroom/03-unreachable-authority.yaml").path

    @Test func theDocumentedAssertionsWork() throws {
        let report = try ScenarioPipeline(options: RunOptions(overrides: ["resolvers.*.serveStale=true"]))
            .run(.file(path: Self.scenario))
        let app = try #require(report.client("a"))
        #expect(app.minAvailability >= 0.5)
        #expect(app.firstFailure == nil)
        #expect(report.resolver("plain")?.staleAnswers ?? 0 > 0)
        #expect(report.service("nothing") == nil)
        // The scenario's own expectations say fleet a fails without serve-stale: with it on, those fail.
        #expect(!report.passed)
        #expect(report.failedExpectations.contains { $0.expectation.component.description == "client/a" })
    }

    @Test func aScenarioThatDoesNotLoadThrowsLocatedDiagnostics() {
        #expect {
            _ = try ScenarioPipeline().run(.text("schema: dnscascade/v1\nname: x\n", sourceName: "mine.yaml"))
        } throws: { error in
            (error as? DNSCascadeError)?.description.hasPrefix("mine.yaml:") == true
        }
    }
}
