import Testing

@testable import SimKernel

/// Events scheduled on a target with a code instead of a closure.
@Suite struct SimulatorTargetEventTests {
    /// Records the codes it is fired with, and the time.
    final class Recorder: EventTarget {
        let simulator: Simulator
        var fired: [(code: Int, at: Int64)] = []
        var log: (String) -> Void = { _ in }

        init(_ simulator: Simulator) { self.simulator = simulator }

        func fire(_ code: Int) {
            fired.append((code, simulator.now.nanoseconds))
            log("t\(code)")
        }
    }

    /// Records its codes; holds nothing (a ``Recorder`` holds its simulator, which would make a cycle with a pending
    /// event).
    final class Codes: EventTarget {
        var fired: [Int] = []
        func fire(_ code: Int) { fired.append(code) }
    }

    @Test func targetEventsRunWithTheirCodesInTimeThenSchedulingOrderAmongClosures() {
        let sim = Simulator()
        let target = Recorder(sim)
        var order: [String] = []
        target.log = { order.append($0) }
        sim.schedule(after: .nanoseconds(5), target: target, code: 1)
        sim.schedule(after: .nanoseconds(5)) { order.append("c1") }
        sim.schedule(at: SimTime(nanoseconds: 5), target: target, code: 2)
        sim.schedule(after: .nanoseconds(2), target: target, code: -7)
        sim.schedule(after: .nanoseconds(5)) { order.append("c2") }
        sim.runToCompletion()
        #expect(order == ["t-7", "t1", "c1", "t2", "c2"])
        #expect(target.fired.map(\.code) == [-7, 1, 2])
        #expect(target.fired.map(\.at) == [2, 5, 5])
        #expect(sim.processedEvents == 5)
    }

    @Test func aCancelledTargetEventDoesNotRunAndItsHandleIsStale() {
        let sim = Simulator()
        let target = Recorder(sim)
        let first = sim.schedule(after: .nanoseconds(1), target: target, code: 10)
        let second = sim.schedule(after: .nanoseconds(2), target: target, code: 20)
        #expect(sim.pendingEvents == 2)
        #expect(sim.cancel(first))
        #expect(!sim.isPending(first) && sim.isPending(second))
        sim.runToCompletion()
        #expect(target.fired.map(\.code) == [20])
        #expect(!sim.cancel(second))
    }

    @Test func theSimulatorHoldsATargetOnlyWhileItsEventsArePending() {
        let sim = Simulator()
        weak var released: Recorder?
        do {
            let target = Recorder(sim)
            released = target
            sim.schedule(after: .nanoseconds(1), target: target, code: 1)
            sim.schedule(after: .nanoseconds(3), target: target, code: 3)
        }
        #expect(released != nil)  // held by its pending events
        sim.run(until: SimTime(nanoseconds: 1))
        #expect(released?.fired.map(\.code) == [1])
        sim.removeAllEvents()
        #expect(released == nil)  // dropping the last pending event released it
    }

    @Test func aHeldTargetIsReleasedWhenItsEventIsCancelledOrTheSimulatorGoes() {
        weak var cancelledTarget: Codes?
        weak var pendingTarget: Codes?
        do {
            let sim = Simulator()
            do {
                let first = Codes()
                let second = Codes()
                cancelledTarget = first
                pendingTarget = second
                let handle = sim.schedule(after: .seconds(1), target: first, code: 1)
                sim.schedule(after: .seconds(2), target: second, code: 2)
                #expect(sim.cancel(handle))
            }
            #expect(cancelledTarget == nil)  // the cancellation gave up the simulator's reference
            #expect(pendingTarget != nil)
        }
        #expect(pendingTarget == nil)  // the simulator went with the event pending
    }

    @Test func aRegisteredTargetRunsLikeAHeldOneAndIsHeldOnceUntilRemoveAllEvents() {
        let sim = Simulator()
        weak var weakRegistered: Recorder?
        let held = Recorder(sim)
        do {
            let registered = Recorder(sim)
            weakRegistered = registered
            let me = sim.register(registered)
            sim.schedule(after: .nanoseconds(4), target: me, code: 4)
            sim.schedule(at: SimTime(nanoseconds: 2), target: me, code: 2)
            let cancelled = sim.schedule(after: .nanoseconds(3), target: me, code: 3)
            sim.schedule(after: .nanoseconds(4), target: held, code: 4)
            sim.schedule(at: SimTime(nanoseconds: 2), target: held, code: 2)
            #expect(sim.cancel(cancelled))
            #expect(!sim.cancel(cancelled))
        }
        sim.runToCompletion()
        #expect(weakRegistered?.fired.map(\.code) == [2, 4])
        #expect(weakRegistered?.fired.map(\.at) == held.fired.map(\.at))
        // The registration holds it with no event pending; removeAllEvents ends the registration.
        #expect(weakRegistered != nil)
        sim.removeAllEvents()
        #expect(weakRegistered == nil)
    }

    @Test("posted events run with their codes, in time then scheduling order among every other kind of event")
    func postedEventsKeepTheOrder() {
        let sim = Simulator()
        let registered = Recorder(sim)
        var order: [String] = []
        registered.log = { order.append($0) }
        let me = sim.register(registered)
        sim.post(after: .nanoseconds(5), target: me, code: 1)
        sim.schedule(after: .nanoseconds(5)) { order.append("c1") }
        sim.schedule(at: SimTime(nanoseconds: 5), target: me, code: 2)
        sim.post(at: SimTime(nanoseconds: 2), target: me, code: Int.min)
        sim.post(after: .nanoseconds(5), target: me, code: Int.max)
        sim.schedule(after: .nanoseconds(5)) { order.append("c2") }
        #expect(sim.pendingEvents == 6)
        #expect(sim.nextEventTime == SimTime(nanoseconds: 2))
        sim.runToCompletion()
        #expect(order == ["t\(Int.min)", "t1", "c1", "t2", "t\(Int.max)", "c2"])
        #expect(registered.fired.map(\.at) == [2, 5, 5, 5])
        #expect(sim.processedEvents == 6 && sim.pendingEvents == 0)
    }

    @Test("posted events of many targets, far and near, run as scheduled ones would, and go with removeAllEvents")
    func postedEventsMatchScheduledOnes() {
        let (postingSim, schedulingSim) = (Simulator(), Simulator())
        let posting = (0..<3).map { _ in Codes() }
        let scheduling = (0..<3).map { _ in Codes() }
        let postingTargets = posting.map { postingSim.register($0) }
        let schedulingTargets = scheduling.map { schedulingSim.register($0) }
        var rng = RandomStream(seed: 9, label: "post")
        for code in 0..<2_000 {
            let delay = SimDuration.nanoseconds(Int64(rng.below(code.isMultiple(of: 3) ? 5_000_000 : 4_000_000_000_000)))
            let target = Int(rng.below(3))
            postingSim.post(after: delay, target: postingTargets[target], code: code)
            schedulingSim.schedule(after: delay, target: schedulingTargets[target], code: code)
        }
        let limit = SimTime.zero + .seconds(2_000)
        postingSim.run(until: limit)
        schedulingSim.run(until: limit)
        #expect(posting.map(\.fired) == scheduling.map(\.fired))
        #expect(posting.map(\.fired.count).reduce(0, +) > 500)
        #expect(postingSim.pendingEvents == schedulingSim.pendingEvents && postingSim.pendingEvents > 500)
        postingSim.removeAllEvents()
        #expect(postingSim.pendingEvents == 0 && postingSim.nextEventTime == nil)
        postingSim.runToCompletion()
        #expect(posting.map(\.fired) == scheduling.map(\.fired))
    }

    @Test func aRegisteredTargetIsReleasedWithItsSimulator() {
        weak var weakRegistered: Codes?
        do {
            let sim = Simulator()
            let registered = Codes()
            weakRegistered = registered
            sim.schedule(after: .seconds(1), target: sim.register(registered), code: 1)
        }
        #expect(weakRegistered == nil)
    }

    @Test func aTargetCanScheduleItselfAgainFromItsEvent() {
        final class Ticker: EventTarget {
            let simulator: Simulator
            var ticks: [Int64] = []
            init(_ simulator: Simulator) { self.simulator = simulator }
            func fire(_ code: Int) {
                ticks.append(simulator.now.nanoseconds)
                if code > 1 { simulator.schedule(after: .nanoseconds(10), target: self, code: code - 1) }
            }
        }
        let sim = Simulator()
        let ticker = Ticker(sim)
        sim.schedule(after: .zero, target: ticker, code: 4)
        sim.runToCompletion()
        #expect(ticker.ticks == [0, 10, 20, 30])
    }
}

/// ``EventTarget/prepare(_:)``: the hint the simulator gives a target ahead of events scheduled long before.
@Suite struct SimulatorPrepareHintTests {
    /// Logs prepares and fires in order.
    final class Logger: EventTarget {
        var log: [String] = []

        func fire(_ code: Int) { log.append("fire \(code)") }
        func prepare(_ code: Int) { log.append("prepare \(code)") }
    }

    @Test func eventsFromLaterBucketsArePreparedBeforeTheirTurn() {
        let sim = Simulator()
        let target = Logger()
        // 1 s and 1.05 s share a bucket of the queue (537 ms wide) with the closure; 3 s is alone in another; 1 ms is
        // in the current one. The first event of a bucket is about to run, so only the others are prepared.
        sim.schedule(after: .seconds(3), target: target, code: 3)
        sim.schedule(after: .milliseconds(1_050), target: target, code: 2)
        sim.schedule(after: .seconds(1), target: target, code: 1)
        sim.schedule(after: .milliseconds(1), target: target, code: 0)
        var closureRan = false
        sim.schedule(after: .milliseconds(1_020)) { closureRan = true }
        sim.runToCompletion()
        #expect(target.log == ["fire 0", "prepare 2", "fire 1", "fire 2", "fire 3"])
        #expect(closureRan)
    }

    @Test func aBucketsEventsArePreparedAFixedNumberOfEventsAhead() {
        let sim = Simulator()
        let target = Logger()
        let ahead = Simulator.prepareLookahead
        let count = 3 * ahead + 5
        // One bucket, 1 ms apart from 1 s on.
        for code in 0..<count { sim.schedule(after: .seconds(1) + .milliseconds(Int64(code)), target: target, code: code) }
        sim.runToCompletion()
        // Before the first one runs, the next `ahead` are prepared; then one more before each.
        var expected = (1...ahead).map { "prepare \($0)" }
        for code in 0..<count {
            if code > 0, code + ahead < count { expected.append("prepare \(code + ahead)") }
            expected.append("fire \(code)")
        }
        #expect(target.log == expected)
    }

    @Test func postedEventsArePreparedLikeScheduledOnes() {
        let sim = Simulator()
        let target = Logger()
        let me = sim.register(target)
        sim.post(after: .seconds(1), target: me, code: 1)
        sim.schedule(after: .milliseconds(1_010), target: me, code: 2)
        sim.post(after: .milliseconds(1_020), target: me, code: 3)
        sim.runToCompletion()
        #expect(target.log == ["prepare 2", "prepare 3", "fire 1", "fire 2", "fire 3"])
    }

    @Test func aCancelledEventIsNotPrepared() {
        let sim = Simulator()
        let target = Logger()
        let cancelled = sim.schedule(after: .seconds(2), target: target, code: 20)
        sim.schedule(after: .seconds(2), target: target, code: 21)
        #expect(sim.cancel(cancelled))
        sim.runToCompletion()
        #expect(target.log == ["prepare 21", "fire 21"])
    }

    @Test func theHintDoesNotChangeWhatRunsOrWhen() {
        // The same events on a target that ignores the hint (the default) and on one that logs it.
        final class Plain: EventTarget {
            var fired: [Int] = []
            func fire(_ code: Int) { fired.append(code) }
        }
        let (plainSim, loggingSim) = (Simulator(), Simulator())
        let (plain, logging) = (Plain(), Logger())
        var rng = RandomStream(seed: 5, label: "prepare")
        for code in 0..<500 {
            let delay = SimDuration.nanoseconds(Int64(rng.below(600_000_000_000)))
            plainSim.schedule(after: delay, target: plain, code: code)
            loggingSim.schedule(after: delay, target: logging, code: code)
        }
        plainSim.runToCompletion()
        loggingSim.runToCompletion()
        let fired = logging.log.filter { $0.hasPrefix("fire ") }.map { Int($0.dropFirst(5))! }
        #expect(fired == plain.fired)
        #expect(logging.log.count > 500)  // the far events were prepared
        #expect(plainSim.now == loggingSim.now)
    }
}
