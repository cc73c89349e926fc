import SimKernel
import Testing
import WorldModel

@testable import Reporting

@Suite struct SummaryRendererTests {
    @Test func rendersAlignedTablesForASmallRun() {
        let text = SummaryRenderer().render(Fixtures.results(), expectations: Fixtures.expectations)
        let expected = """
            Clients
            client      instances  lookups  failed  first failure  recovery      minutes down  downtime  min availability  conns opened  conns failed
            ----------  ---------  -------  ------  -------------  ------------  ------------  --------  ----------------  ------------  ------------
            client/app          2       12       4  00:02:00 UTC   00:07:00 UTC           5.0   4m0.25s             50.0%            10             3

            Client lookups by outcome
            client      total  NOERROR  NODATA  SERVFAIL
            ----------  -----  -------  ------  --------
            client/app     12        8       3         1

            Client lookups by c-ares status
            client      ARES_SUCCESS  ARES_ENODATA  ARES_ECONNREFUSED
            ----------  ------------  ------------  -----------------
            client/app             8             3                  1

            Client lookups by resolver
            client      resolver     total  NOERROR  NODATA  SERVFAIL
            ----------  -----------  -----  -------  ------  --------
            client/app  resolver/r1     12        8       3         1

            Resolvers
            resolver     fleet  answers  cache  upstream  stale  fault  overload  upstream failures  first failure  recovery
            -----------  -----  -------  -----  --------  -----  -----  --------  -----------------  -------------  --------
            resolver/r1  vpc         12      7         5      0      0         0                  1  00:02:00 UTC   -

            Resolver answers by outcome
            resolver     total  NOERROR  NODATA
            -----------  -----  -------  ------
            resolver/r1     12        8       4

            Expectations: 1 passed, 1 failed
            result  component    check             measured  expected                       source
            ------  -----------  ----------------  --------  -----------------------------  --------------
            PASS    client/app   firstFailure      00:02:00  between 00:02:00 and 00:10:00
            FAIL    resolver/r1  no stale answers  0         >= 1                           tiny.yaml:14:5

            """
        #expect(text == expected)
    }

    @Test func multiDayRunsShowDatesInTimes() {
        var results = Fixtures.results()
        results.duration = .hours(30)
        let text = SummaryRenderer().render(results, expectations: [])
        #expect(text.contains("2000-01-01 00:02:00 UTC"))
    }

    @Test func noExpectationsSaysSo() {
        #expect(SummaryRenderer().renderExpectations([]) == "Expectations: 0 passed, 0 failed\n")
    }

    @Test func colourKeepsColumnsAligned() {
        let coloured = SummaryRenderer(color: true).renderExpectations(Fixtures.expectations)
        #expect(coloured.contains("\u{1B}[32mPASS\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[31mFAIL\u{1B}[0m"))
        let stripped = coloured.replacing("\u{1B}[32m", with: "").replacing("\u{1B}[31m", with: "")
            .replacing("\u{1B}[0m", with: "")
        #expect(stripped == SummaryRenderer().renderExpectations(Fixtures.expectations))
    }
}

@Suite struct ServiceTableTests {
    @Test func servicesShowDowntimeLowestHealthAndPeakFailingShare() {
        var results = Fixtures.results()
        results.services = [
            ServiceResults.from(
                id: ComponentID(.service, "nlb"), kind: "healthCheckedBalancer", healthMeaning: "connections without errors",
                threshold: 0.99,
                samples: [(SimTime.zero, 1), (SimTime.zero + .minutes(2), 0.535), (SimTime.zero + .minutes(5), 1)],
                end: SimTime.zero + .minutes(10))
        ]
        let text = SummaryRenderer().serviceTable(results).render(color: false)
        let lines = text.split(separator: "\n")
        #expect(lines[0].hasSuffix("minutes down  min health  peak failing"))
        #expect(lines[2].hasPrefix("service/nlb  healthCheckedBalancer  connections without errors ≥ 99.0%  00:02:00 UTC"))
        #expect(lines[2].hasSuffix("3.0       53.5%         46.5%"))
    }
}
