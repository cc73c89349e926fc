/// The channel through which models publish typed events and observers receive them.
///
/// Models never print; they publish. Observers (metrics, timeline, expectations) subscribe.
/// Handlers are called synchronously, in subscription order, at the virtual time of publication.
///
/// ```swift
/// let bus = TraceBus<MyEvent>()
/// bus.subscribe { time, event in log.append((time, event)) }
/// bus.subscribe(recorder)  // a TraceObserver: called without reference counting
/// bus.publish(.started, at: sim.now)
/// ```
public final class TraceBus<Event> {
    public typealias Handler = (SimTime, Event) -> Void

    /// One subscription: a closure, or an observer object held by ``observers`` and called through its type.
    @usableFromInline enum Subscriber {
        case handler(Handler)
        case observer(UnsafeRawPointer, any TraceObserver<Event>.Type)
    }

    // No dynamic exclusivity checks (`@exclusivity(unchecked)`): `publish` reads one subscriber at a time and calls
    // it after the read, so a handler that subscribes while it runs never overlaps another access.
    @exclusivity(unchecked) @usableFromInline var subscribers: [Subscriber] = []
    /// Keeps the observers alive as long as the bus.
    private var observers: [AnyObject] = []

    public init() {}

    /// Adds an observer. Observers cannot be removed; a run's observers live as long as the run.
    public func subscribe(_ handler: @escaping Handler) {
        subscribers.append(.handler(handler))
    }

    /// Adds an observer object, held as long as the bus. Unlike a closure's context, it is not retained and released
    /// around each event: the observer of every event in a run (its recorder) costs no reference counting.
    public func subscribe(_ observer: some TraceObserver<Event>) {
        observers.append(observer)
        subscribers.append(.observer(UnsafeRawPointer(Unmanaged.passUnretained(observer).toOpaque()), type(of: observer)))
    }

    /// Whether anybody listens (models may skip building expensive events when nobody does).
    public var hasSubscribers: Bool { !subscribers.isEmpty }

    /// Delivers an event to every observer. Inlinable, so that each model's calls are specialised for its event type.
    @inlinable
    public func publish(_ event: Event, at time: SimTime) {
        // By index (iterating the array retains and releases it and every handler), over the subscribers there were
        // when it started: one that subscribes while it runs hears from the next event on.
        let count = subscribers.count
        var index = 0
        while index < count {
            switch subscribers[index] {
            case .handler(let handler): handler(time, event)
            case .observer(let object, let type): type.observe(unretained: object, time, event)
            }
            index += 1
        }
    }
}

/// An object that hears a ``TraceBus``'s events (`TraceBus.subscribe(_:)` holds it and calls it without reference
/// counting).
public protocol TraceObserver<Event>: AnyObject {
    associatedtype Event
    func observe(_ time: SimTime, _ event: Event)

    /// Calls ``observe(_:_:)`` on the observer at `object`, an instance of this type the bus keeps alive. Provided by
    /// an extension; a requirement, so that the bus reaches each observer type's own specialised copy.
    static func observe(unretained object: UnsafeRawPointer, _ time: SimTime, _ event: Event)
}

extension TraceObserver {
    @inlinable
    public static func observe(unretained object: UnsafeRawPointer, _ time: SimTime, _ event: Event) {
        Unmanaged<Self>.fromOpaque(object)._withUnsafeGuaranteedRef { $0.observe(time, event) }
    }
}
