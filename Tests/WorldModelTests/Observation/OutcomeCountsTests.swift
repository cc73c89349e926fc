import DNSModel
import Testing

@testable import WorldModel

@Suite("Outcome counts")
struct OutcomeCountsTests {
    @Test("every outcome is counted under itself, in vocabulary order")
    func everyOutcomeCountsUnderItself() {
        var counts = OutcomeCounts()
        for (index, outcome) in LookupOutcome.allCases.enumerated() {
            for _ in 0...index { counts.add(outcome, status: nil) }
        }
        for (index, outcome) in LookupOutcome.allCases.enumerated() {
            #expect(counts.count(outcome) == index + 1, "\(outcome)")
        }
        #expect(counts.outcomes.map(\.0) == LookupOutcome.allCases)
        #expect(counts.total == (1...LookupOutcome.allCases.count).reduce(0, +))
        #expect(counts.byOutcome[.noData] == 2)
    }

    @Test("statuses are listed by code, unknown codes included; outcomes never counted are absent")
    func statusesByCode() {
        var counts = OutcomeCounts()
        counts.add(.timeout, status: .timeout)
        counts.add(.noData, status: .noData)
        counts.add(.noData, status: .noData)
        counts.add(.noError, status: AresStatus(code: 99))
        counts.add(.noError, status: nil)
        #expect(counts.statuses.map(\.0) == [.noData, .timeout, AresStatus(code: 99)])
        #expect(counts.byStatus == [.noData: 2, .timeout: 1, AresStatus(code: 99): 1])
        #expect(counts.byOutcome == [.noError: 2, .noData: 2, .timeout: 1])
        #expect(counts.outcomes.allSatisfy { $0.1 > 0 })
    }

    @Test("equal counts compare equal however they were reached")
    func equality() {
        var a = OutcomeCounts()
        var b = OutcomeCounts()
        a.add(.servFail, status: .servFail)
        a.add(.noError, status: .success)
        b.add(.noError, status: .success)
        b.add(.servFail, status: .servFail)
        #expect(a == b)
        b.add(.noError, status: nil)
        #expect(a != b)
    }
}
