import SimKernel
import Testing

/// Arithmetic, ordering and formatting of ``SimTime``.
@Suite struct SimTimeTests {
    @Test func arithmeticWithDurations() {
        let start = SimTime.zero + .seconds(10)
        #expect(start.nanoseconds == 10_000_000_000)
        #expect(start + .milliseconds(250) == SimTime(nanoseconds: 10_250_000_000))
        #expect(start - .seconds(4) == SimTime(nanoseconds: 6_000_000_000))
        #expect((start + .minutes(1)) - start == .minutes(1))
        #expect(SimTime.zero - start == .seconds(-10))
        var t = SimTime.zero
        t += .seconds(1)
        t += .milliseconds(1)
        #expect(t == SimTime(nanoseconds: 1_001_000_000))
        #expect(t.sinceStart == .milliseconds(1_001))
    }

    @Test func additionSaturatesInsteadOfOverflowing() {
        #expect(SimTime.distantFuture + .seconds(1) == .distantFuture)
        #expect(SimTime(nanoseconds: .max - 5) + .nanoseconds(10) == .distantFuture)
        #expect(SimTime(nanoseconds: .min + 5) - .nanoseconds(10) == SimTime(nanoseconds: .min))
        #expect(SimTime(nanoseconds: .max - 5) + .nanoseconds(5) == .distantFuture)
    }

    @Test func ordering() {
        let times = [SimTime(nanoseconds: 3), .distantFuture, .zero, SimTime(nanoseconds: 1)]
        #expect(times.sorted() == [.zero, SimTime(nanoseconds: 1), SimTime(nanoseconds: 3), .distantFuture])
        #expect(SimTime.zero < SimTime(nanoseconds: 1))
        #expect(!(SimTime(nanoseconds: 1) < SimTime(nanoseconds: 1)))
        #expect(SimTime.zero + .hours(1_000_000) < .distantFuture)
    }

    @Test func description() {
        #expect(SimTime.zero.description == "T+0s")
        #expect((SimTime.zero + .hours(1) + .minutes(2) + .seconds(3)).description == "T+1h2m3s")
        #expect((SimTime.zero + .milliseconds(1_250)).description == "T+1250ms")
        #expect("\(SimTime.zero + .hours(48))" == "T+2d")
    }
}
