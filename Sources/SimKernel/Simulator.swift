import CPrefetch

/// An object that handles events scheduled with a code instead of a closure
/// (``Simulator/schedule(after:target:code:)``).
///
/// A closure is allocated for every event it is scheduled as; a target is an object that already exists (a client
/// fleet, a query in flight), and the code says which of its events this is and carries its small arguments. Models
/// with hundreds of thousands of events of a few kinds schedule them this way.
public protocol EventTarget: AnyObject {
    /// Runs the event scheduled with `code`.
    func fire(_ code: Int)

    /// Says that the event scheduled with `code` will run soon (among the next few hundred), so that the target can
    /// prefetch the state that event will touch. A hint only: it must change nothing. The default does nothing.
    func prepare(_ code: Int)

    /// Calls `fire(code)` on `object`, an instance of this type the caller keeps alive, without reference counting:
    /// how the simulator reaches a registered target (``Simulator/register(_:)``). Provided by an extension; conforming
    /// types do not implement it.
    static func fire(unretained object: UnsafeMutableRawPointer, code: Int)

    /// Calls `prepare(code)` on `object` the same way.
    static func prepare(unretained object: UnsafeMutableRawPointer, code: Int)
}

// Inlinable: each conforming type's witness then calls its own `fire` directly, instead of through this generic code
// and the witness table again.
extension EventTarget {
    public func prepare(_ code: Int) {}

    @inlinable
    public static func fire(unretained object: UnsafeMutableRawPointer, code: Int) {
        Unmanaged<Self>.fromOpaque(object)._withUnsafeGuaranteedRef { $0.fire(code) }
    }

    @inlinable
    public static func prepare(unretained object: UnsafeMutableRawPointer, code: Int) {
        Unmanaged<Self>.fromOpaque(object)._withUnsafeGuaranteedRef { $0.prepare(code) }
    }
}

/// A target registered with a simulator (``Simulator/register(_:)``), to schedule its events by.
public struct RegisteredTarget: Hashable, Sendable {
    let index: Int32
    /// The simulator it is registered with, and that simulator's ``Simulator/removeAllEvents()`` count then (which
    /// ends every registration).
    let simulator: ObjectIdentifier
    let epoch: Int
}

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
    //
    // The public properties are computed over private stored ones: another module that reads a public stored property
    // of this (non-resilient) final class reads the field directly and adds its own dynamic exclusivity check, which
    // costs more than the call of a getter. Models read `now` several times per event, so it is inlinable: its inlined
    // read of `clock` keeps the field's unchecked exclusivity (no access check shows in a profile of the models).

    /// The current virtual time. Only the simulator advances it.
    @inlinable public var now: SimTime { clock }
    /// How many events have run so far.
    public var processedEvents: Int { processed }
    /// The most events the `run` methods process in total (counting every event run so far); `nil` = no limit.
    /// ``step()`` itself is not limited.
    public var eventLimit: Int? {
        get { budget }
        set { budget = newValue }
    }
    /// Whether the last `run` stopped because ``processedEvents`` reached ``eventLimit``.
    public var stoppedAtEventLimit: Bool { stoppedAtLimit }

    /// `@usableFromInline` so that ``now`` inlines into the models (they read it several times per event).
    @exclusivity(unchecked) @usableFromInline private(set) var clock: SimTime
    @exclusivity(unchecked) private var processed: Int = 0
    @exclusivity(unchecked) private var budget: Int?
    @exclusivity(unchecked) private var stoppedAtLimit = false

    /// The payload of an event for a target the event holds.
    private struct HeldWork {
        let target: any EventTarget
        let code: Int
    }

    /// The payload of an event for a registered target (``register(_:)``): plain data, stored and taken without
    /// reference counting.
    private struct RegisteredWork {
        let code: Int
        let index: Int32
    }

    /// A closure event's storage, reused once the event has run or been cancelled; `generation` tells a queue
    /// entry or handle for an earlier occupant from the current one. A free slot links to the next free one.
    private struct Slot {
        var action: (() -> Void)?
        var generation: UInt32
        var nextFree: Int32
    }

    @exclusivity(unchecked) private var queue = EventQueue()
    // Closures, held-target events and registered-target events have slots of their own, so that a closure's slot
    // stays small and a registered event's holds no reference; a queue entry or handle names a closure's slot by its
    // index, and a target event's by the complement (a negative number) of twice its index, plus one if registered
    // (``Payload``).
    //
    // The closure slots live in a buffer of this class's own (not an `Array`, nor a generic pool, which would
    // re-abstract every closure through a thunk), so that reading and writing one costs no uniqueness or bounds
    // check; free slots form a stack through `nextFree`, starting at `freeSlot` (-1: none).
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Slot>
    @exclusivity(unchecked) private var slotCount = 0
    @exclusivity(unchecked) private var slotCapacity: Int
    @exclusivity(unchecked) private var freeSlot: Int32 = -1
    @exclusivity(unchecked) private var heldEvents = SlotPool<HeldWork>()
    @exclusivity(unchecked) private var registeredEvents = SlotPool<RegisteredWork>()
    /// Targets registered for the simulator's lifetime (``register(_:)``), by ``RegisteredTarget`` index: each
    /// retained once, and called through its type without reference counting (a call through an existential
    /// reference, even one read from an unsafe buffer, retains and releases it).
    private struct Registration {
        let object: UnsafeMutableRawPointer
        let type: any EventTarget.Type
    }
    @exclusivity(unchecked) private var registered: [Registration] = []
    /// How many times ``removeAllEvents()`` has ended the registrations.
    @exclusivity(unchecked) private var registrationEpoch = 0
    @exclusivity(unchecked) private var nextSequence: UInt64 = 0
    @exclusivity(unchecked) private var live = 0

    public init(start: SimTime = .zero) {
        self.clock = start
        self.slotCapacity = 64
        self.slots = .allocate(capacity: 64)
    }

    deinit {
        endRegistrations()
        slots.deinitialize(count: slotCount)
        slots.deallocate()
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
    public func schedule(at time: SimTime, _ action: consuming @escaping () -> Void) -> EventHandle {
        enqueue(time, store(consume action))
    }

    /// Schedules `action` after a delay (which must not be negative).
    @discardableResult
    public func schedule(after delay: SimDuration, _ action: consuming @escaping () -> Void) -> EventHandle {
        enqueue(clock + delay, store(consume action))
    }

    /// Schedules `target.fire(code)` at an absolute instant, which must not be in the past. The simulator holds
    /// the target until the event has run or been cancelled.
    @discardableResult
    public func schedule(at time: SimTime, target: any EventTarget, code: Int) -> EventHandle {
        enqueue(time, Payload.held(heldEvents.store(HeldWork(target: target, code: code))))
    }

    /// Schedules `target.fire(code)` after a delay (which must not be negative); no closure is allocated.
    @discardableResult
    public func schedule(after delay: SimDuration, target: any EventTarget, code: Int) -> EventHandle {
        enqueue(clock + delay, Payload.held(heldEvents.store(HeldWork(target: target, code: code))))
    }

    /// Registers a target for events of its own for as long as the simulator has events (until
    /// ``removeAllEvents()`` or the simulator goes). Its events are scheduled with the returned handle; they neither
    /// retain nor release it, two atomic operations saved per event, which is why models with millions of events
    /// (a client fleet and its stub resolvers) register.
    ///
    /// ```swift
    /// let me = simulator.register(fleet)
    /// simulator.schedule(after: .seconds(1), target: me, code: 7)   // fleet.fire(7) in a second
    /// ```
    public func register(_ target: any EventTarget) -> RegisteredTarget {
        precondition(registered.count < Self.registrationLimit, "too many registered targets")
        registered.append(
            Registration(object: Unmanaged.passRetained(target as AnyObject).toOpaque(), type: type(of: target)))
        return RegisteredTarget(
            index: Int32(registered.count - 1), simulator: ObjectIdentifier(self), epoch: registrationEpoch)
    }

    /// Schedules `fire(code)` of a registered target at an absolute instant, which must not be in the past.
    @discardableResult
    public func schedule(at time: SimTime, target: RegisteredTarget, code: Int) -> EventHandle {
        checkRegistration(target)
        return enqueue(time, Payload.registered(registeredEvents.store(RegisteredWork(code: code, index: target.index))))
    }

    /// Schedules `fire(code)` of a registered target after a delay (which must not be negative).
    @discardableResult
    public func schedule(after delay: SimDuration, target: RegisteredTarget, code: Int) -> EventHandle {
        checkRegistration(target)
        return enqueue(
            clock + delay, Payload.registered(registeredEvents.store(RegisteredWork(code: code, index: target.index))))
    }

    /// Schedules `fire(code)` of a registered target at an absolute instant (not in the past), for good: the event
    /// cannot be cancelled, and in return it costs no slot. The target and code travel in the queue entry itself, so
    /// the run reads nothing else to call it (with a million clients, a cache miss per event fewer). How a model
    /// schedules the events it never cancels (a connection's age-out, a query's arrival).
    ///
    /// ```swift
    /// let me = simulator.register(fleet)
    /// simulator.post(after: .minutes(5), target: me, code: 7)   // fleet.fire(7) in five minutes, come what may
    /// ```
    @inline(__always)
    public func post(at time: SimTime, target: RegisteredTarget, code: Int) {
        checkRegistration(target)
        insert(time, tag: UInt64(target.index) &+ 1, payload: UInt64(bitPattern: Int64(code)))
    }

    /// Schedules `fire(code)` of a registered target after a delay (which must not be negative), for good
    /// (``post(at:target:code:)``).
    public func post(after delay: SimDuration, target: RegisteredTarget, code: Int) {
        post(at: clock + delay, target: target, code: code)
    }

    /// Releases every registered target.
    private func endRegistrations() {
        for registration in registered { Unmanaged<AnyObject>.fromOpaque(registration.object).release() }
        registered.removeAll()
    }

    @inline(__always)
    private func checkRegistration(_ target: RegisteredTarget) {
        precondition(
            target.simulator == ObjectIdentifier(self) && target.epoch == registrationEpoch,
            "a target registered with another simulator, or before removeAllEvents()")
    }

    /// Stores a closure in a free slot; returns the slot and its generation. Inlined into each `schedule`, so that
    /// the closure is stored without a copy (a retain and a release per event).
    @inline(__always)
    private func store(_ action: consuming @escaping () -> Void) -> (slot: Int32, generation: UInt32) {
        let slot: Int32
        if freeSlot >= 0 {
            slot = freeSlot
            freeSlot = slots[Int(slot)].nextFree
            slots[Int(slot)].action = consume action
        } else {
            if slotCount == slotCapacity { growSlots() }
            slot = Int32(slotCount)
            (slots + slotCount).initialize(to: Slot(action: consume action, generation: 0, nextFree: -1))
            slotCount += 1
        }
        return (slot, slots[Int(slot)].generation)
    }

    /// Where an event's payload is, from the slot that its queue entry and handle carry: a closure's slot is its
    /// index; a target event's is the complement of twice its index in its pool, plus one for a registered target.
    private enum Payload {
        case closure(Int)
        case held(Int)
        case registered(Int)
        /// A posted event (``Simulator/post(at:target:code:)``): its registered target's index and its code.
        case posted(target: Int, code: Int)

        /// Where a queue entry's payload is.
        @inline(__always)
        init(_ entry: EventQueue.Entry) {
            let tag = Int(truncatingIfNeeded: entry.sequence & Simulator.tagMask)
            if tag != 0 {
                self = .posted(target: tag &- 1, code: Int(Int64(bitPattern: entry.payload)))
            } else {
                self.init(slot: entry.slot)
            }
        }

        /// Where the payload of an event with a slot is (from a handle or its queue entry).
        @inline(__always)
        init(slot: Int32) {
            if slot >= 0 {
                self = .closure(Int(slot))
            } else {
                let index = Int(~slot)
                self = index & 1 == 0 ? .held(index &>> 1) : .registered(index &>> 1)
            }
        }

        /// A held-target event's slot and generation as queue entries and handles name them.
        @inline(__always)
        static func held(_ stored: (slot: Int32, generation: UInt32)) -> (slot: Int32, generation: UInt32) {
            (~(stored.slot &<< 1), stored.generation)
        }

        /// A registered-target event's slot and generation as queue entries and handles name them.
        @inline(__always)
        static func registered(_ stored: (slot: Int32, generation: UInt32)) -> (slot: Int32, generation: UInt32) {
            (~(stored.slot &<< 1 | 1), stored.generation)
        }
    }

    /// A queue entry's sequence is the count of events scheduled before it, shifted left by ``tagBits``; its low
    /// bits are 0 for an event with a slot, whose entry's payload is the slot and its generation, and one more than
    /// the target's index for a posted event, whose entry's payload is its code. Ties still break by insertion
    /// order, as the counts differ. 2^40 events in one simulator (a thousand times a full-scale replay's) and 2^24 - 1
    /// registered targets fit.
    static let tagBits: UInt64 = 24
    static let tagMask: UInt64 = (1 << tagBits) - 1
    static let sequenceLimit: UInt64 = 1 << (64 - tagBits)
    static let registrationLimit = Int(tagMask)

    /// Every `schedule` method ends here, inlined into each (the payload is already stored, without a copy).
    @inline(__always)
    private func enqueue(_ time: SimTime, _ stored: (slot: Int32, generation: UInt32)) -> EventHandle {
        insert(time, tag: 0, payload: UInt64(UInt32(bitPattern: stored.slot)) &<< 32 | UInt64(stored.generation))
        return EventHandle(slot: stored.slot, generation: stored.generation)
    }

    /// Puts an event in the queue (``tagBits``).
    @inline(__always)
    private func insert(_ time: SimTime, tag: UInt64, payload: UInt64) {
        precondition(time >= clock, "scheduling into the past: \(time) < now \(clock)")
        precondition(nextSequence < Self.sequenceLimit, "more than 2^40 events scheduled")
        queue.insert(.init(time: time.nanoseconds, sequence: nextSequence &<< Self.tagBits | tag, payload: payload))
        nextSequence &+= 1
        live += 1
    }

    /// Cancels a scheduled event. Returns `false` if it already ran or was already cancelled.
    @discardableResult
    public func cancel(_ handle: EventHandle) -> Bool {
        guard isPending(handle) else { return false }
        switch Payload(slot: handle.slot) {
        case .closure(let index): _ = take(index)
        case .held(let index): _ = heldEvents.take(index, handle.generation)
        case .registered(let index): _ = registeredEvents.take(index, handle.generation)
        case .posted: preconditionFailure("a handle names a slot")
        }
        live -= 1
        return true
    }

    /// Whether the event is still waiting to run.
    public func isPending(_ handle: EventHandle) -> Bool {
        switch Payload(slot: handle.slot) {
        case .closure(let index): index < slotCount && holds(index, handle.generation)
        case .held(let index): index < heldEvents.count && heldEvents.holds(index, handle.generation)
        case .registered(let index): index < registeredEvents.count && registeredEvents.holds(index, handle.generation)
        case .posted: false  // a handle names a slot
        }
    }

    /// Runs the next event, if any. Returns `false` when the queue is empty.
    @discardableResult
    public func step() -> Bool {
        while let entry = queue.popFirst() {
            prefetchAhead()
            if runIfLive(entry) { return true }
        }
        return false
    }

    /// Runs every event scheduled at or before `limit`, then sets the clock to `limit` — unless the
    /// ``eventLimit`` stops it first (then the clock stays at the last event run).
    public func run(until limit: SimTime) {
        stoppedAtLimit = false
        // Cancelled entries at or before `limit` are popped and skipped; later ones stay for `nextEventTime` to skip.
        while let top = queue.first, top.time <= limit.nanoseconds {
            if let budget, processed >= budget, isLive(top) {
                stoppedAtLimit = true
                return
            }
            queue.removeFirst()
            prefetchAhead()
            runIfLive(top)
        }
        if limit > clock { clock = limit }
    }

    /// Runs events until `stop` returns `true` (checked before each event), the queue is empty or the
    /// ``eventLimit`` is reached. Returns `true` if it stopped because of the predicate.
    @discardableResult
    public func run(until stop: () -> Bool) -> Bool {
        stoppedAtLimit = false
        while true {
            if stop() { return true }
            if reachedEventLimit() { return false }
            if !step() { return false }
        }
    }

    /// Runs until the queue is empty (or the ``eventLimit`` is reached).
    public func runToCompletion() {
        stoppedAtLimit = false
        while !reachedEventLimit(), step() {}
    }

    /// Drops every pending event without running it, releasing its action, and ends every registration
    /// (``register(_:)``). For an owner that is done with the simulator: pending actions and registered targets are
    /// often the models that hold the simulator, a cycle only this breaks.
    public func removeAllEvents() {
        for index in 0..<slotCount where slots[index].action != nil { _ = take(index) }
        heldEvents.removeAll()
        registeredEvents.removeAll()
        endRegistrations()
        registrationEpoch += 1
        queue = EventQueue()
        live = 0
    }

    /// True (and recorded in ``stoppedAtEventLimit``) when an event is waiting but the limit is reached.
    @inline(__always)
    private func reachedEventLimit() -> Bool {
        guard let budget, processed >= budget, nextEventTime != nil else { return false }
        stoppedAtLimit = true
        return true
    }

    /// Whether a queue entry's event is still waiting (not cancelled, not already run).
    private func isLive(_ entry: EventQueue.Entry) -> Bool {
        switch Payload(entry) {
        case .closure(let index): holds(index, entry.generation)
        case .held(let index): heldEvents.holds(index, entry.generation)
        case .registered(let index): registeredEvents.holds(index, entry.generation)
        case .posted: true
        }
    }

    /// Whether closure slot `index` holds an action of `generation` (scheduled, not yet run or cancelled).
    private func holds(_ index: Int, _ generation: UInt32) -> Bool {
        slots[index].generation == generation && slots[index].action != nil
    }

    /// Runs a popped entry's event unless it was cancelled. Returns whether it ran.
    @discardableResult @inline(__always)
    private func runIfLive(_ entry: EventQueue.Entry) -> Bool {
        switch Payload(entry) {
        case .closure(let index):
            guard slots[index].generation == entry.generation, let action = take(index) else { return false }
            advance(to: entry.time)
            action()
        case .registered(let index):
            guard let work = registeredEvents.take(index, entry.generation) else { return false }
            advance(to: entry.time)
            fireRegistered(Int(work.index), work.code)
        case .held(let index):
            guard let work = heldEvents.take(index, entry.generation) else { return false }
            advance(to: entry.time)
            work.target.fire(work.code)
        case .posted(let target, let code):
            advance(to: entry.time)
            fireRegistered(target, code)
        }
        return true
    }

    /// Calls `fire(code)` of registered target `index` through its type, without reference counting.
    @inline(__always)
    private func fireRegistered(_ index: Int, _ code: Int) {
        let registration = registered[index]
        registration.type.fire(unretained: registration.object, code: code)
    }

    /// Calls `prepare(code)` of registered target `index` the same way.
    @inline(__always)
    private func prepareRegistered(_ index: Int, _ code: Int) {
        let registration = registered[index]
        registration.type.prepare(unretained: registration.object, code: code)
    }

    /// How many of the run's next events have their slots prefetched, and how many of those are prepared.
    ///
    /// The run holds the events of a bucket, scheduled long ago (with a million clients, a few thousand age-outs
    /// every 537 ms): each one's slot, and what its target says the event will touch (``EventTarget/prepare(_:)``), is
    /// a cache miss. They are fetched a few run events ahead of their turn, in two steps: the slot first, then, eight
    /// run events later (each run event is followed by a few short ones: a lookup's query and reply, a connection),
    /// the prepare, which reads the slot, by then in the cache. Fetched a whole bucket at a time instead, a bucket of
    /// a few thousand pushed everything else (the resolver's cache, the recorder's counts) out of the first-level
    /// cache.
    static let slotLookahead = 16
    static let prepareLookahead = 8

    /// Hands the next events of the run to the caches (see ``slotLookahead``). A hint only: it changes nothing.
    @inline(__always)
    private func prefetchAhead() {
        while let entry = queue.nextSlotAhead(within: Self.slotLookahead) {
            switch Payload(entry) {
            case .closure(let index): cprefetch_read(UnsafeRawPointer(slots + index))
            case .registered(let index): registeredEvents.prefetch(index)
            case .held(let index): heldEvents.prefetch(index)
            case .posted: break  // nothing to fetch before its prepare
            }
        }
        while let entry = queue.nextPrepareAhead(within: Self.prepareLookahead) { prepare(entry) }
    }

    /// Calls the target's ``EventTarget/prepare(_:)`` for a pending target event (out of line: one event in a few).
    @inline(never)
    private func prepare(_ entry: EventQueue.Entry) {
        switch Payload(entry) {
        case .closure: break
        case .posted(let target, let code): prepareRegistered(target, code)
        case .registered(let index):
            registeredEvents.peek(index, entry.generation) { work in prepareRegistered(Int(work.index), work.code) }
        case .held(let index):
            heldEvents.peek(index, entry.generation) { work in work.target.prepare(work.code) }
        }
    }

    /// Empties a closure slot for reuse and returns its action (moved out, not copied); `nil` if it was empty.
    private func take(_ index: Int) -> (() -> Void)? {
        guard let action = slots[index].action.take() else { return nil }
        slots[index].generation &+= 1
        slots[index].nextFree = freeSlot
        freeSlot = Int32(index)
        return action
    }

    /// Doubles the closure slot buffer, moving the slots over (out of line: `schedule` inlines the rest of `store`).
    @inline(never)
    private func growSlots() {
        LargeArray.grow(&slots, moving: slotCount, to: slotCapacity * 2)
        slotCapacity *= 2
    }

    @inline(__always)
    private func advance(to time: Int64) {
        live -= 1
        clock = SimTime(nanoseconds: time)
        processed += 1
    }

    private func skipCancelled() {
        while let top = queue.first {
            if isLive(top) { return }
            queue.removeFirst()
        }
    }
}

extension EventQueue.Entry {
    /// The slot of an event that has one (``Simulator/tagBits``).
    fileprivate var slot: Int32 { Int32(truncatingIfNeeded: payload &>> 32) }
    /// The generation of the slot's occupant.
    fileprivate var generation: UInt32 { UInt32(truncatingIfNeeded: payload) }
}
