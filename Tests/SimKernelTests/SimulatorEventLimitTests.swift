import SimKernel
import Testing

/// The event budget (`eventLimit`) and dropping pending events (`removeAllEvents`).
@Suite struct SimulatorEventLimitTests {
    /// A process that reschedules itself every second for ever.
    private func ticker(_ sim: Simulator, count: @escaping () -> Void) {
        func tick() {
            count()
            sim.schedule(after: .seconds(1)) { tick() }
        }
        sim.schedule(at: .zero) { tick() }
    }

    @Test func runUntilTimeStopsAtTheLimitAndKeepsTheClockAtTheLastEvent() {
        let sim = Simulator()
        defer { sim.removeAllEvents() }  // the ticker's pending closure holds the simulator
        var ticks = 0
        ticker(sim) { ticks += 1 }
        sim.eventLimit = 10
        sim.run(until: SimTime.zero + .hours(1))
        #expect(ticks == 10)
        #expect(sim.processedEvents == 10)
        #expect(sim.stoppedAtEventLimit)
        #expect(sim.now == SimTime.zero + .seconds(9))
        #expect(sim.pendingEvents == 1)

        // Raising the limit lets the run go on from where it stopped; reaching the end clears the flag.
        sim.eventLimit = 1_000_000
        sim.run(until: SimTime.zero + .seconds(20))
        #expect(ticks == 21)
        #expect(!sim.stoppedAtEventLimit)
        #expect(sim.now == SimTime.zero + .seconds(20))
    }

    @Test func aLimitThatIsNotReachedChangesNothing() {
        let sim = Simulator()
        var ran: [Int] = []
        for i in 0..<5 { sim.schedule(at: SimTime(nanoseconds: Int64(i))) { ran.append(i) } }
        sim.eventLimit = 5
        sim.run(until: SimTime(nanoseconds: 100))
        #expect(ran == [0, 1, 2, 3, 4])
        // Exactly at the limit with nothing left is not a stop.
        #expect(!sim.stoppedAtEventLimit)
        #expect(sim.now == SimTime(nanoseconds: 100))
    }

    @Test func predicateRunsAndRunToCompletionObeyTheLimit() {
        let sim = Simulator()
        defer { sim.removeAllEvents() }  // the ticker's pending closure holds the simulator
        var ticks = 0
        ticker(sim) { ticks += 1 }
        sim.eventLimit = 3
        #expect(sim.run(until: { false }) == false)
        #expect(ticks == 3 && sim.stoppedAtEventLimit)
        sim.eventLimit = 7
        sim.runToCompletion()
        #expect(ticks == 7 && sim.stoppedAtEventLimit)
    }

    @Test func removeAllEventsReleasesThePendingActions() {
        final class Model {
            let sim: Simulator
            init(_ sim: Simulator) { self.sim = sim }
            /// A pending action that holds the model strongly: the model holds the simulator, a cycle.
            func arm() { sim.schedule(after: .minutes(1)) { self.arm() } }
        }
        weak var weakModel: Model?
        weak var weakSimulator: Simulator?
        var handle: EventHandle?
        do {
            let sim = Simulator()
            let model = Model(sim)
            model.arm()
            handle = sim.schedule(after: .seconds(1)) {}
            weakModel = model
            weakSimulator = sim
            sim.removeAllEvents()
            #expect(sim.pendingEvents == 0)
            #expect(sim.nextEventTime == nil)
            #expect(!sim.isPending(handle!))
            // A new event does not answer to an old handle.
            let fresh = sim.schedule(after: .seconds(2)) {}
            #expect(!sim.cancel(handle!))
            #expect(sim.isPending(fresh))
        }
        #expect(weakModel == nil)
        #expect(weakSimulator == nil)
    }
}
