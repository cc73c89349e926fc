import SimKernel
import Testing

/// Event order: earlier times first, ties in scheduling order.
@Suite struct SimulatorOrderingTests {
    @Test func earlierTimesRunFirst() {
        let sim = Simulator()
        var order: [String] = []
        sim.schedule(at: SimTime(nanoseconds: 30)) { order.append("c@\(sim.now.nanoseconds)") }
        sim.schedule(at: SimTime(nanoseconds: 10)) { order.append("a@\(sim.now.nanoseconds)") }
        sim.schedule(after: .nanoseconds(20)) { order.append("b@\(sim.now.nanoseconds)") }
        sim.schedule(at: .zero) { order.append("start@\(sim.now.nanoseconds)") }
        sim.runToCompletion()
        #expect(order == ["start@0", "a@10", "b@20", "c@30"])
    }

    @Test func sameTimeEventsRunInSchedulingOrder() {
        let sim = Simulator()
        var order: [Int] = []
        let at = SimTime(nanoseconds: 5)
        // Interleave a later and an earlier instant so the heap has to reorder, not just append.
        for i in 0..<50 {
            sim.schedule(at: at + .nanoseconds(i.isMultiple(of: 2) ? 0 : 1)) { order.append(i) }
        }
        sim.runToCompletion()
        let evens = Array(stride(from: 0, to: 50, by: 2))
        let odds = Array(stride(from: 1, to: 50, by: 2))
        #expect(order == evens + odds)
    }

    @Test func sameTimeEventsScheduledWithBothAPIsKeepSchedulingOrder() {
        let sim = Simulator(start: SimTime(nanoseconds: 100))
        var order: [String] = []
        sim.schedule(after: .nanoseconds(5)) { order.append("1") }
        sim.schedule(at: SimTime(nanoseconds: 105)) { order.append("2") }
        sim.schedule(after: .nanoseconds(5)) { order.append("3") }
        sim.runToCompletion()
        #expect(order == ["1", "2", "3"])
    }

    @Test func eventScheduledAtTheCurrentInstantRunsAfterQueuedSameTimeEvents() {
        let sim = Simulator()
        var order: [String] = []
        let t = SimTime(nanoseconds: 7)
        sim.schedule(at: t) {
            order.append("A")
            sim.schedule(after: .zero) { order.append("A'") }
            sim.schedule(at: sim.now) {
                order.append("A''")
                sim.schedule(after: .zero) { order.append("A'''") }
            }
        }
        sim.schedule(at: t) { order.append("B") }
        sim.schedule(at: t) { order.append("C") }
        sim.schedule(at: t + .nanoseconds(1)) { order.append("later") }
        sim.runToCompletion()
        #expect(order == ["A", "B", "C", "A'", "A''", "A'''", "later"])
        #expect(sim.now == t + .nanoseconds(1))
    }

    @Test func nowInsideAnActionIsTheEventTime() {
        let sim = Simulator()
        var seen: [SimTime] = []
        for ns in [40, 10, 10, 25] as [Int64] {
            sim.schedule(at: SimTime(nanoseconds: ns)) { seen.append(sim.now) }
        }
        sim.runToCompletion()
        #expect(seen.map(\.nanoseconds) == [10, 10, 25, 40])
    }

    @Test func schedulingIntoThePastTraps() async {
        await #expect(processExitsWith: .failure) {
            let sim = Simulator(start: SimTime(nanoseconds: 10))
            sim.schedule(at: SimTime(nanoseconds: 9)) {}
        }
    }
}
