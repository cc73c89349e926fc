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
}
