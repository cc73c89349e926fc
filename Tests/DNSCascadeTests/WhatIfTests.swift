import DNSCascade
import Testing

/// `compare --what-if`: variants run with the baseline's seed, and their numbers move the way the mechanism says.
@Suite("What-if comparison")
struct WhatIfTests {
    static let file = ClassroomScenarioTests.path("02-deleted-name.yaml")

    @Test("a shorter negative-TTL cap shortens the worker fleet's outage; the baseline column is the plain run")
    func negativeTTL() throws {
        let report = try WhatIf(variants: ["resolvers.r1.maxNegativeTTL=60"], workers: 2).run(.file(path: Self.file))
        let row = try #require(report.comparison.rows.first { $0.metric == "client/worker time with an instance down" })
        let baseline = try #require(row.values[0])
        let variant = try #require(row.values[1])
        #expect(variant < baseline - 2)
        #expect(row.differs)
        let plain = try ScenarioPipeline().run(.file(path: Self.file))
        #expect(report.reports[0].render(.json) == plain.render(.json))
        #expect(report.reports[1].scenario.spec.resolvers[0].maxNegativeTTL == 60)
    }

    @Test("the report does not depend on the number of threads, and marks differences")
    func deterministic() throws {
        let variants = ["resolvers.*.serveStale=true; resolvers.r1.maxNegativeTTL=30", "clients.web.instances=4"]
        let one = try WhatIf(variants: variants, workers: 1).run(.file(path: Self.file))
        let three = try WhatIf(variants: variants, workers: 3).run(.file(path: Self.file))
        #expect(one.render(.text) == three.render(.text))
        #expect(one.render(.json) == three.render(.json))
        let text = one.render(.text)
        #expect(text.contains("  A: resolvers.*.serveStale=true; resolvers.r1.maxNegativeTTL=30\n"))
        #expect(text.contains("(-"))
        #expect(WhatIfReport.columnName(0) == "A" && WhatIfReport.columnName(25) == "Z" && WhatIfReport.columnName(26) == "AA")
    }

    @Test("a bad variant is an error before anything runs", arguments: ["resolvers.r1.maxNegativeTTL=soon", "  ;  ", "nope.x=1"])
    func badVariant(variant: String) {
        #expect(throws: DNSCascadeError.self) { try WhatIf(variants: [variant]).run(.file(path: Self.file)) }
    }
}
