import SimKernel
import Testing

/// Cancelling events through their handles.
@Suite struct SimulatorCancellationTests {
    @Test func cancelledEventNeverRuns() {
        let sim = Simulator()
        var ran: [String] = []
        let a = sim.schedule(at: SimTime(nanoseconds: 1)) { ran.append("a") }
        let b = sim.schedule(at: SimTime(nanoseconds: 2)) { ran.append("b") }
        let c = sim.schedule(at: SimTime(nanoseconds: 3)) { ran.append("c") }
        #expect(sim.pendingEvents == 3)
        #expect(sim.cancel(b))
        #expect(sim.pendingEvents == 2)
        #expect(sim.isPending(a) && !sim.isPending(b) && sim.isPending(c))
        sim.runToCompletion()
        #expect(ran == ["a", "c"])
        #expect(sim.processedEvents == 2)
        #expect(sim.pendingEvents == 0)
    }

    @Test func cancellingTwiceOrAfterRunningIsHarmless() {
        let sim = Simulator()
        var runs = 0
        let a = sim.schedule(at: SimTime(nanoseconds: 1)) { runs += 1 }
        let b = sim.schedule(at: SimTime(nanoseconds: 2)) { runs += 1 }
        #expect(sim.cancel(a))
        #expect(!sim.cancel(a))
        #expect(sim.pendingEvents == 1)
        #expect(sim.step())
        #expect(runs == 1)
        #expect(!sim.isPending(b))
        #expect(!sim.cancel(b))
        #expect(!sim.cancel(a))
        #expect(sim.pendingEvents == 0)
        #expect(!sim.step())
        #expect(runs == 1)
    }

    @Test func isPendingAndPendingEventsTrackEachEvent() {
        let sim = Simulator()
        var handles: [EventHandle] = []
        for i in 0..<10 {
            handles.append(sim.schedule(at: SimTime(nanoseconds: Int64(i))) {})
        }
        #expect(Set(handles).count == 10)
        #expect(sim.pendingEvents == 10)
        sim.cancel(handles[3])
        sim.cancel(handles[7])
        #expect(sim.pendingEvents == 8)
        sim.step()  // runs event 0
        sim.step()  // runs event 1
        #expect(sim.pendingEvents == 6)
        let pending = handles.indices.filter { sim.isPending(handles[$0]) }
        #expect(pending == [2, 4, 5, 6, 8, 9])
    }

    @Test func staleHandleDoesNotCancelTheEventThatReusedItsSlot() {
        let sim = Simulator()
        var ran: [String] = []
        let old = sim.schedule(at: SimTime(nanoseconds: 5)) { ran.append("old") }
        #expect(sim.cancel(old))
        let new = sim.schedule(at: SimTime(nanoseconds: 5)) { ran.append("new") }
        #expect(old != new)
        #expect(!sim.isPending(old))
        #expect(sim.isPending(new))
        #expect(!sim.cancel(old))
        #expect(sim.pendingEvents == 1)
        sim.runToCompletion()
        #expect(ran == ["new"])

        // The same holds for a handle whose event already ran.
        let ranHandle = sim.schedule(after: .nanoseconds(1)) { ran.append("first") }
        sim.runToCompletion()
        let reuser = sim.schedule(after: .nanoseconds(1)) { ran.append("second") }
        #expect(!sim.cancel(ranHandle))
        #expect(sim.isPending(reuser))
        sim.runToCompletion()
        #expect(ran == ["new", "first", "second"])
    }

    @Test func anEventCanCancelLaterEventsButNotItself() {
        let sim = Simulator()
        var ran: [String] = []
        var selfCancel: Bool?
        var victim: EventHandle?
        var me: EventHandle?
        me = sim.schedule(at: SimTime(nanoseconds: 1)) {
            ran.append("canceller")
            selfCancel = sim.cancel(me!)
            #expect(sim.cancel(victim!))
        }
        victim = sim.schedule(at: SimTime(nanoseconds: 1)) { ran.append("victim") }
        sim.schedule(at: SimTime(nanoseconds: 2)) { ran.append("survivor") }
        sim.runToCompletion()
        #expect(ran == ["canceller", "survivor"])
        #expect(selfCancel == false)
        #expect(sim.processedEvents == 2)
    }

    @Test func nextEventTimeSkipsCancelledEvents() {
        let sim = Simulator()
        let first = sim.schedule(at: SimTime(nanoseconds: 10)) {}
        let second = sim.schedule(at: SimTime(nanoseconds: 20)) {}
        sim.schedule(at: SimTime(nanoseconds: 30)) {}
        #expect(sim.nextEventTime == SimTime(nanoseconds: 10))
        sim.cancel(first)
        #expect(sim.nextEventTime == SimTime(nanoseconds: 20))
        sim.cancel(second)
        #expect(sim.nextEventTime == SimTime(nanoseconds: 30))
        #expect(sim.pendingEvents == 1)
    }

    @Test func cancellingEverythingLeavesTheClockAlone() {
        let sim = Simulator()
        var runs = 0
        let handles = (1...5).map { i in sim.schedule(at: SimTime(nanoseconds: Int64(i))) { runs += 1 } }
        for handle in handles { #expect(sim.cancel(handle)) }
        #expect(sim.nextEventTime == nil)
        #expect(!sim.step())
        sim.runToCompletion()
        #expect(runs == 0)
        #expect(sim.processedEvents == 0)
        #expect(sim.now == .zero)
    }
}
