import CPrefetch

/// Storage for the payloads of scheduled events (the simulator's target events), reused once an event has run or
/// been cancelled. (Not for closures: a closure stored as a generic payload is re-abstracted through a thunk, an
/// allocation per event.)
///
/// A slot's `generation` tells a queue entry or handle for an earlier occupant from the current one. Free slots form
/// a stack through `nextFree`. The slots live in a buffer of the pool's own (not an `Array`), so that reading and
/// writing one costs no uniqueness or bounds check.
struct SlotPool<Payload>: ~Copyable {
    private struct Slot {
        var payload: Payload?
        var generation: UInt32
        var nextFree: Int32
    }

    private var slots: UnsafeMutablePointer<Slot>
    /// Slots in use or free (the buffer's initialized prefix).
    private(set) var count = 0
    private var capacity = 64
    /// The top of the free stack; -1: none.
    private var freeSlot: Int32 = -1

    init() {
        slots = .allocate(capacity: capacity)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// Stores `payload` in a free slot; returns the slot and its generation.
    @inline(__always)
    mutating func store(_ payload: consuming Payload) -> (slot: Int32, generation: UInt32) {
        let slot: Int32
        if freeSlot >= 0 {
            slot = freeSlot
            freeSlot = slots[Int(slot)].nextFree
            slots[Int(slot)].payload = consume payload
        } else {
            if count == capacity { grow() }
            slot = Int32(count)
            (slots + count).initialize(to: Slot(payload: consume payload, generation: 0, nextFree: -1))
            count += 1
        }
        return (slot, slots[Int(slot)].generation)
    }

    /// Whether slot `index` (which must be below ``count``) holds a payload of `generation`.
    @inline(__always)
    func holds(_ index: Int, _ generation: UInt32) -> Bool {
        slots[index].generation == generation && slots[index].payload != nil
    }

    /// Calls `body` with the payload of slot `index` (below ``count``) if it holds one of `generation`, in place.
    @inline(__always)
    func peek(_ index: Int, _ generation: UInt32, _ body: (Payload) -> Void) {
        guard slots[index].generation == generation, let payload = slots[index].payload else { return }
        body(payload)
    }

    /// Starts fetching slot `index` (below ``count``) into the cache, both of its lines if it straddles two. A hint
    /// only.
    @inline(__always)
    func prefetch(_ index: Int) {
        let start = UnsafeRawPointer(slots + index)
        cprefetch_read(start)
        cprefetch_read(start + (MemoryLayout<Slot>.stride - 1))
    }

    /// Empties slot `index` for reuse and returns its payload (moved out, not copied) if it holds one of
    /// `generation`; otherwise changes nothing and returns `nil`.
    @inline(__always)
    mutating func take(_ index: Int, _ generation: UInt32) -> Payload? {
        guard slots[index].generation == generation, let payload = slots[index].payload.take() else { return nil }
        slots[index].generation &+= 1
        slots[index].nextFree = freeSlot
        freeSlot = Int32(index)
        return payload
    }

    /// Empties every slot, releasing the payloads.
    mutating func removeAll() {
        for index in 0..<count where slots[index].payload != nil {
            _ = take(index, slots[index].generation)
        }
    }

    /// The most slots a pool holds: 2^30, so that twice a slot's index, plus one, fits in an `Int32` (how the
    /// simulator names a target event's slot).
    static var maximumCount: Int { 1 << 30 }

    /// Doubles the buffer, moving the slots over (out of line: `store` is inlined into every `schedule`).
    @inline(never)
    private mutating func grow() {
        precondition(capacity < SlotPool.maximumCount, "more than 2^30 events pending")
        LargeArray.grow(&slots, moving: count, to: capacity * 2)
        capacity *= 2
    }
}
