import Testing
import WorldModel

@testable import Reporting

@Suite struct ReportRendererTests {
    @Test(arguments: ReportFormat.allCases)
    func everyFormatIsDeterministic(format: ReportFormat) {
        let a = ReportRenderer(format: format).render(Fixtures.results(), expectations: Fixtures.expectations)
        let b = ReportRenderer(format: format).render(Fixtures.results(), expectations: Fixtures.expectations)
        #expect(a == b)
        #expect(!a.isEmpty)
        #expect(a.hasSuffix("\n"))
        #expect(!a.contains("\u{1B}["))
    }

    @Test func textReportHasHeadingTimelineSummaryAndVerdict() {
        let text = ReportRenderer().render(Fixtures.results(), expectations: Fixtures.expectations)
        #expect(text.hasPrefix("tiny: seed 7, 10m from 2000-01-01 00:00:00 UTC\n\nTimeline\n── 2000-01-01 ──\n"))
        #expect(text.contains("\nClients\n"))
        #expect(text.hasSuffix("\nFAIL (1 of 2 expectations failed)\n"))
        let passing = ReportRenderer().render(Fixtures.results(), expectations: [Fixtures.expectations[0]])
        #expect(passing.hasSuffix("\nPASS\n"))
    }

    @Test func csvHasAHeaderAndOneRowPerClient() {
        let csv = CSVRenderer().render(Fixtures.results())
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("client,instances,lookups,failed,first_failure,recovery,minutes_down"))
        #expect(lines[1].hasPrefix("client/app,2,12,4,2000-01-01T00:02:00+00:00,2000-01-01T00:07:00+00:00,"))
        #expect(lines[0].split(separator: ",").count == lines[1].split(separator: ",", omittingEmptySubsequences: false).count)
        #expect(CSVRenderer.field("a,b\"c") == "\"a,b\"\"c\"")
    }
}
