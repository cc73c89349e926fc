import SimKernel
import Testing

/// `run(until:)`, `step()`, `runToCompletion()` and the clock.
@Suite struct SimulatorRunTests {
    /// Schedules events at the given nanosecond times; each appends its time to `log` when it runs.
    private func schedule(_ times: [Int64], on sim: Simulator, log: @escaping (Int64) -> Void) {
        for t in times { sim.schedule(at: SimTime(nanoseconds: t)) { log(t) } }
    }

    /// `run(until: t)` runs events at exactly `t` (the limit is inclusive), then leaves the clock at `t`.
    @Test func runUntilTimeIncludesTheBoundary() {
        let sim = Simulator()
        var ran: [Int64] = []
        schedule([10, 20, 20, 30], on: sim) { ran.append($0) }
        sim.run(until: SimTime(nanoseconds: 20))
        #expect(ran == [10, 20, 20])
        #expect(sim.now == SimTime(nanoseconds: 20))
        #expect(sim.pendingEvents == 1)
        #expect(sim.nextEventTime == SimTime(nanoseconds: 30))

        sim.run(until: SimTime(nanoseconds: 29))
        #expect(ran == [10, 20, 20])
        #expect(sim.now == SimTime(nanoseconds: 29))

        sim.run(until: SimTime(nanoseconds: 30))
        #expect(ran == [10, 20, 20, 30])
        #expect(sim.now == SimTime(nanoseconds: 30))
        #expect(sim.processedEvents == 4)
    }

    @Test func runUntilTimeRunsEventsScheduledAtTheBoundaryDuringTheRun() {
        let sim = Simulator()
        var ran: [String] = []
        sim.schedule(at: SimTime(nanoseconds: 10)) {
            ran.append("boundary")
            sim.schedule(after: .zero) { ran.append("same instant") }
            sim.schedule(after: .nanoseconds(1)) { ran.append("just after") }
        }
        sim.run(until: SimTime(nanoseconds: 10))
        #expect(ran == ["boundary", "same instant"])
        #expect(sim.pendingEvents == 1)
        #expect(sim.nextEventTime == SimTime(nanoseconds: 11))
    }

    @Test func runUntilTimeAdvancesAnEmptyClockButNeverMovesItBack() {
        let sim = Simulator()
        sim.run(until: SimTime(nanoseconds: 50))
        #expect(sim.now == SimTime(nanoseconds: 50))
        sim.run(until: SimTime(nanoseconds: 20))
        #expect(sim.now == SimTime(nanoseconds: 50))
        var ran = false
        sim.schedule(after: .nanoseconds(5)) { ran = true }
        sim.run(until: SimTime(nanoseconds: 40))
        #expect(!ran)
        #expect(sim.now == SimTime(nanoseconds: 50))
        sim.run(until: .distantFuture)
        #expect(ran)
        #expect(sim.now == .distantFuture)
    }

    @Test func runUntilPredicateStopsBeforeTheNextEvent() {
        let sim = Simulator()
        var ran: [Int64] = []
        schedule([1, 2, 3, 4, 5], on: sim) { ran.append($0) }
        var checks = 0
        let stopped = sim.run {
            checks += 1
            return ran.count == 3
        }
        #expect(stopped)
        #expect(ran == [1, 2, 3])
        #expect(checks == 4)  // checked before each of the three events and once more
        #expect(sim.now == SimTime(nanoseconds: 3))
        #expect(sim.pendingEvents == 2)

        #expect(sim.run { true })
        #expect(ran == [1, 2, 3])

        #expect(!sim.run { false })
        #expect(ran == [1, 2, 3, 4, 5])
        #expect(sim.pendingEvents == 0)
        #expect(!sim.run { false })
    }

    @Test func stepRunsOneEventAtATime() {
        let sim = Simulator(start: SimTime(nanoseconds: 100))
        #expect(sim.now == SimTime(nanoseconds: 100))
        #expect(sim.nextEventTime == nil)
        #expect(!sim.step())
        #expect(sim.now == SimTime(nanoseconds: 100))

        var ran: [Int64] = []
        schedule([150, 120], on: sim) { ran.append($0) }
        sim.schedule(after: .nanoseconds(30)) { ran.append(-1) }  // at 130
        #expect(sim.nextEventTime == SimTime(nanoseconds: 120))
        #expect(sim.step())
        #expect(ran == [120])
        #expect(sim.now == SimTime(nanoseconds: 120))
        #expect(sim.processedEvents == 1)
        #expect(sim.nextEventTime == SimTime(nanoseconds: 130))
        #expect(sim.step())
        #expect(sim.step())
        #expect(ran == [120, -1, 150])
        #expect(sim.processedEvents == 3)
        #expect(!sim.step())
        #expect(sim.now == SimTime(nanoseconds: 150))
        #expect(sim.processedEvents == 3)
    }

    @Test func scheduleAfterIsRelativeToNow() {
        let sim = Simulator()
        var fired: [SimTime] = []
        sim.schedule(after: .seconds(2)) {
            fired.append(sim.now)
            sim.schedule(after: .seconds(3)) { fired.append(sim.now) }
        }
        sim.runToCompletion()
        #expect(fired == [SimTime.zero + .seconds(2), SimTime.zero + .seconds(5)])
    }

    @Test func runToCompletionDrainsChainsOfEvents() {
        let sim = Simulator()
        var count = 0
        func tick() {
            count += 1
            if count < 1_000 { sim.schedule(after: .milliseconds(1), tick) }
        }
        sim.schedule(at: .zero, tick)
        sim.runToCompletion()
        #expect(count == 1_000)
        #expect(sim.processedEvents == 1_000)
        #expect(sim.now == SimTime.zero + .milliseconds(999))
        #expect(sim.pendingEvents == 0)
        #expect(sim.nextEventTime == nil)
    }
}
