import SimKernel
import Testing

@testable import Reporting

@Suite struct ReportFormattingTests {
    @Test(arguments: [
        (Int64(0), "0s"), (250_000_000, "250ms"), (60_000_000_000, "1m"), (313_000_000_000, "5m13s"),
        (3_723_456_000_000, "1h2m3.456s"), (1_500_000_000, "1.5s"), (999_999, "1ms"), (-2_000_000_000, "-2s"),
    ])
    func durations(nanoseconds: Int64, text: String) {
        #expect(ReportFormatting.duration(SimDuration(nanoseconds: nanoseconds)) == text)
    }

    @Test func fixedDecimalsRoundHalfAwayFromZero() {
        #expect(ReportFormatting.fixed(5.25, decimals: 1) == "5.3")
        #expect(ReportFormatting.fixed(-0.04, decimals: 1) == "0.0")
        #expect(ReportFormatting.fixed(-1.25, decimals: 1) == "-1.3")
        #expect(ReportFormatting.fixed(12, decimals: 2) == "12.00")
        #expect(ReportFormatting.percent(0.875) == "87.5%")
        #expect(ReportFormatting.minutes(.seconds(Int64(330))) == "5.5")
    }
}
