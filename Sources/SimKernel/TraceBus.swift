/// The channel through which models publish typed events and observers receive them.
///
/// Models never print; they publish. Observers (metrics, timeline, expectations) subscribe.
/// Handlers are called synchronously, in subscription order, at the virtual time of publication.
///
/// ```swift
/// let bus = TraceBus<MyEvent>()
/// bus.subscribe { time, event in log.append((time, event)) }
/// bus.publish(.started, at: sim.now)
/// ```
public final class TraceBus<Event> {
    public typealias Handler = (SimTime, Event) -> Void

    // No dynamic exclusivity checks (`@exclusivity(unchecked)`): `publish` reads one handler at a time and calls it
    // after the read, so a handler that subscribes while it runs never overlaps another access.
    @exclusivity(unchecked) @usableFromInline var handlers: [Handler] = []

    public init() {}

    /// Adds an observer. Observers cannot be removed; a run's observers live as long as the run.
    public func subscribe(_ handler: @escaping Handler) {
        handlers.append(handler)
    }

    /// Whether anybody listens (models may skip building expensive events when nobody does).
    public var hasSubscribers: Bool { !handlers.isEmpty }

    /// Delivers an event to every observer. Inlinable, so that each model's calls are specialised for its event type.
    @inlinable
    public func publish(_ event: Event, at time: SimTime) {
        // By index (iterating the array retains and releases it and every handler), over the handlers there were
        // when it started: one that subscribes while it runs hears from the next event on.
        let count = handlers.count
        var index = 0
        while index < count {
            handlers[index](time, event)
            index += 1
        }
    }
}
