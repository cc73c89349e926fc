import SimKernel
import Testing

/// Publishing typed events to subscribers.
@Suite struct TraceBusTests {
    private enum Event: Equatable {
        case started
        case value(Int)
    }

    @Test func deliversToEverySubscriberInSubscriptionOrder() {
        let bus = TraceBus<Event>()
        var received: [String] = []
        bus.subscribe { time, event in received.append("first \(time) \(event)") }
        bus.subscribe { time, event in received.append("second \(time) \(event)") }
        bus.publish(.started, at: .zero)
        bus.publish(.value(3), at: SimTime.zero + .seconds(2))
        #expect(
            received == [
                "first T+0s started", "second T+0s started",
                "first T+2s value(3)", "second T+2s value(3)",
            ])
    }

    @Test func hasSubscribersAndPublishingToNobody() {
        let bus = TraceBus<Event>()
        #expect(!bus.hasSubscribers)
        bus.publish(.started, at: .zero)  // harmless
        var count = 0
        bus.subscribe { _, _ in count += 1 }
        #expect(bus.hasSubscribers)
        bus.publish(.value(1), at: .zero)
        #expect(count == 1)
    }

    @Test func deliveryIsSynchronousAtTheSimulatorsTime() {
        let sim = Simulator()
        let bus = TraceBus<Event>()
        var log: [(SimTime, Event)] = []
        bus.subscribe { time, event in log.append((time, event)) }
        sim.schedule(after: .milliseconds(5)) {
            bus.publish(.value(1), at: sim.now)
            #expect(log.count == 1)  // already delivered before publish returns
            bus.publish(.value(2), at: sim.now)
        }
        sim.runToCompletion()
        #expect(log.map(\.0) == [SimTime.zero + .milliseconds(5), SimTime.zero + .milliseconds(5)])
        #expect(log.map(\.1) == [.value(1), .value(2)])
    }

    @Test func aHandlerThatSubscribesWhilePublishingHearsFromTheNextEventOn() {
        let bus = TraceBus<Event>()
        var heard: [String] = []
        var subscribed = false
        bus.subscribe { _, event in
            heard.append("first \(event)")
            if !subscribed {
                subscribed = true
                bus.subscribe { _, event in heard.append("late \(event)") }
            }
        }
        bus.publish(.value(1), at: .zero)
        bus.publish(.value(2), at: .zero)
        #expect(heard == ["first \(Event.value(1))", "first \(Event.value(2))", "late \(Event.value(2))"])
    }

    private final class Recorder: TraceObserver {
        var heard: [String] = []
        let deinited: () -> Void
        init(deinited: @escaping () -> Void) { self.deinited = deinited }
        deinit { deinited() }
        func observe(_ time: SimTime, _ event: Event) { heard.append("observer \(time) \(event)") }
    }

    /// An observer object hears events in subscription order among closures, and the bus keeps it alive (it is called
    /// without being retained) until the bus goes.
    @Test func anObserverObjectIsHeldByTheBusAndHearsInOrder() {
        var bus: TraceBus<Event>? = TraceBus<Event>()
        var order: [String] = []
        var freed = false
        weak var weakRecorder: Recorder?
        do {
            let recorder = Recorder { freed = true }
            weakRecorder = recorder
            bus?.subscribe { _, event in order.append("before \(event)") }
            bus?.subscribe(recorder)
            bus?.subscribe { _, _ in order.append("after, observer has \(weakRecorder?.heard.count ?? -1)") }
        }
        #expect(weakRecorder != nil)  // only the bus holds it now
        bus?.publish(.value(7), at: SimTime.zero + .seconds(1))
        bus?.publish(.started, at: SimTime.zero + .seconds(2))
        #expect(order == ["before value(7)", "after, observer has 1", "before started", "after, observer has 2"])
        #expect(weakRecorder?.heard == ["observer T+1s value(7)", "observer T+2s started"])
        #expect(!freed)
        bus = nil
        #expect(freed && weakRecorder == nil)
    }
}
