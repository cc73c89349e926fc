/// A handle to a scheduled event, used to cancel it.
public struct EventHandle: Hashable, Sendable {
    let slot: Int32
    let generation: UInt32
}

/// The discrete-event engine: a virtual clock and a queue of actions ordered by `(time, sequence)`.
///
/// ```swift
/// let sim = Simulator()
/// sim.schedule(after: .seconds(5)) { print("five seconds in:", sim.now) }
/// sim.run(until: SimTime.zero + .minutes(1))
/// ```
///
/// Ties break by insertion order. Scheduling into the past is a programming error and traps.
/// A simulator is confined to one thread; it is not `Sendable`.
///
/// An event budget bounds a run: with ``eventLimit`` set, the `run` methods stop before the event that would
/// exceed it and set ``stoppedAtEventLimit`` (the clock stays at the last event that ran).
public final class Simulator {
    // Stored properties skip Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`): every access here is
    // short and none is held across a call to an action, so an action that schedules or cancels (re-entering the
    // simulator) never overlaps another access. The checks cost about a third of the instructions per event.

    /// The current virtual time. Only the simulator advances it.
    @exclusivity(unchecked) public private(set) var now: SimTime
    /// How many events have run so far.
    @exclusivity(unchecked) public private(set) var processedEvents: Int = 0
    /// The most events the `run` methods process in total (counting every event run so far); `nil` = no limit.
    /// ``step()`` itself is not limited.
    @exclusivity(unchecked) public var eventLimit: Int?
    /// Whether the last `run` stopped because ``processedEvents`` reached ``eventLimit``.
    @exclusivity(unchecked) public private(set) var stoppedAtEventLimit = false

    /// A scheduled action's storage, reused once the action has run or been cancelled; `generation` tells a
    /// queue entry or handle for an earlier occupant from the current one.
    private struct Slot {
        var action: (() -> Void)?
        var generation: UInt32
    }

    @exclusivity(unchecked) private var queue = EventQueue()
    @exclusivity(unchecked) private var slots: [Slot] = []
    @exclusivity(unchecked) private var freeSlots: [Int32] = []
    @exclusivity(unchecked) private var nextSequence: UInt64 = 0
    @exclusivity(unchecked) private var live = 0

    public init(start: SimTime = .zero) {
        self.now = start
    }

    /// Number of scheduled events that have neither run nor been cancelled.
    public var pendingEvents: Int { live }

    /// The time of the next event that will run, if any.
    public var nextEventTime: SimTime? {
        skipCancelled()
        return queue.first.map { SimTime(nanoseconds: $0.time) }
    }

    /// Schedules `action` at an absolute instant, which must not be in the past.
    @discardableResult
    public func schedule(at time: SimTime, _ action: @escaping () -> Void) -> EventHandle {
        precondition(time >= now, "scheduling into the past: \(time) < now \(now)")
        let slot: Int32
        let generation: UInt32
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[Int(slot)].action = action
            generation = slots[Int(slot)].generation
        } else {
            slot = Int32(slots.count)
            slots.append(Slot(action: action, generation: 0))
            generation = 0
        }
        queue.insert(.init(time: time.nanoseconds, sequence: nextSequence, slot: slot, generation: generation))
        nextSequence &+= 1
        live += 1
        return EventHandle(slot: slot, generation: generation)
    }

    /// Schedules `action` after a delay (which must not be negative).
    @discardableResult
    public func schedule(after delay: SimDuration, _ action: @escaping () -> Void) -> EventHandle {
        schedule(at: now + delay, action)
    }

    /// Cancels a scheduled event. Returns `false` if it already ran or was already cancelled.
    @discardableResult
    public func cancel(_ handle: EventHandle) -> Bool {
        let index = Int(handle.slot)
        guard index < slots.count, slots[index].generation == handle.generation, slots[index].action != nil else {
            return false
        }
        _ = take(index)
        live -= 1
        return true
    }

    /// Whether the event is still waiting to run.
    public func isPending(_ handle: EventHandle) -> Bool {
        let index = Int(handle.slot)
        return index < slots.count && slots[index].generation == handle.generation && slots[index].action != nil
    }

    /// Runs the next event, if any. Returns `false` when the queue is empty.
    @discardableResult
    public func step() -> Bool {
        while let entry = queue.popFirst() {
            if runIfLive(entry) { return true }
        }
        return false
    }

    /// Runs every event scheduled at or before `limit`, then sets the clock to `limit` — unless the
    /// ``eventLimit`` stops it first (then the clock stays at the last event run).
    public func run(until limit: SimTime) {
        stoppedAtEventLimit = false
        // Cancelled entries at or before `limit` are popped and skipped; later ones stay for `nextEventTime` to skip.
        while let top = queue.first, top.time <= limit.nanoseconds {
            if let eventLimit, processedEvents >= eventLimit, isLive(top) {
                stoppedAtEventLimit = true
                return
            }
            _ = queue.popFirst()
            runIfLive(top)
        }
        if limit > now { now = limit }
    }

    /// Runs events until `stop` returns `true` (checked before each event), the queue is empty or the
    /// ``eventLimit`` is reached. Returns `true` if it stopped because of the predicate.
    @discardableResult
    public func run(until stop: () -> Bool) -> Bool {
        stoppedAtEventLimit = false
        while true {
            if stop() { return true }
            if reachedEventLimit() { return false }
            if !step() { return false }
        }
    }

    /// Runs until the queue is empty (or the ``eventLimit`` is reached).
    public func runToCompletion() {
        stoppedAtEventLimit = false
        while !reachedEventLimit(), step() {}
    }

    /// Drops every pending event without running it, releasing its action. For an owner that is done with the
    /// simulator: pending actions often capture the models that hold the simulator, a cycle only this breaks.
    public func removeAllEvents() {
        for index in slots.indices where slots[index].action != nil { _ = take(index) }
        queue = EventQueue()
        live = 0
    }

    /// True (and recorded in ``stoppedAtEventLimit``) when an event is waiting but the limit is reached.
    private func reachedEventLimit() -> Bool {
        guard let eventLimit, processedEvents >= eventLimit, nextEventTime != nil else { return false }
        stoppedAtEventLimit = true
        return true
    }

    /// Whether a queue entry's event is still waiting (not cancelled, not already run).
    private func isLive(_ entry: EventQueue.Entry) -> Bool {
        slots[Int(entry.slot)].generation == entry.generation && slots[Int(entry.slot)].action != nil
    }

    /// Runs a popped entry's action unless it was cancelled. Returns whether it ran.
    @discardableResult
    private func runIfLive(_ entry: EventQueue.Entry) -> Bool {
        let index = Int(entry.slot)
        guard slots[index].generation == entry.generation, slots[index].action != nil, let action = take(index) else {
            return false
        }
        live -= 1
        now = SimTime(nanoseconds: entry.time)
        processedEvents += 1
        action()
        return true
    }

    /// Empties a slot for reuse and returns its action (moved out, not copied).
    private func take(_ index: Int) -> (() -> Void)? {
        let action = slots[index].action.take()
        slots[index].generation &+= 1
        freeSlots.append(Int32(index))
        return action
    }

    private func skipCancelled() {
        while let top = queue.first {
            let index = Int(top.slot)
            if slots[index].generation == top.generation, slots[index].action != nil { return }
            _ = queue.popFirst()
        }
    }
}
