/// A min-priority queue of scheduled events ordered by `(time, sequence)`.
///
/// The sequence number is assigned at insertion, so events at the same instant leave in the order
/// they were scheduled (FIFO ties). The queue stores only 24-byte keys; the payload lives elsewhere
/// and is found through `slot`.
///
/// Two 4-ary heaps hold the entries: events due within ``horizon`` of the current time when scheduled (a reply in
/// flight, a retry timer) go to a small near heap, later ones (age-outs, expiries, periodic ticks) to a far heap.
/// The next event is the earlier of the two tops, so the order is exactly that of one heap; but the many short-lived
/// events never walk the deep heap of long-lived ones, and a run with a million pending age-outs keeps its busy
/// heap in the cache.
///
/// - Complexity: O(log n) insert and pop.
struct EventQueue {
    struct Entry {
        var time: Int64
        var sequence: UInt64
        var slot: Int32
        var generation: UInt32

        @inline(__always) func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    /// Events due within `horizon` of the latest pop when inserted (replies in flight, short timers): few, so their
    /// heap is shallow and stays in the cache.
    private var near = QuaternaryHeap()
    /// Everything later (connection age-outs, lease expiries, ticks minutes away): most of the pending events.
    private var far = QuaternaryHeap()
    /// Which heap an insert goes to; either is correct, since `first` and `popFirst` take the earlier of both tops.
    let horizon: Int64
    /// The time of the latest pop (the simulator's clock).
    private var floor: Int64 = .min

    /// The default split: 100 ms of virtual time (replies in flight and short timers are near, ticks and age-outs far;
    /// the replay runs the same from 100 ms to 1 s).
    static let defaultHorizon: Int64 = 100_000_000

    init(horizon: Int64 = EventQueue.defaultHorizon) {
        self.horizon = horizon
    }

    var count: Int { near.count + far.count }
    var isEmpty: Bool { near.isEmpty && far.isEmpty }
    var first: Entry? {
        if far.isEmpty { return near.first }
        if near.isEmpty { return far.first }
        let soon = near.entries[0]
        let later = far.entries[0]
        return later.precedes(soon) ? later : soon
    }

    @inline(__always)
    mutating func insert(_ entry: Entry) {
        if entry.time &- floor <= horizon, floor != .min { near.insert(entry) } else { far.insert(entry) }
    }

    @inline(__always)
    mutating func popFirst() -> Entry? {
        let popped: Entry
        if far.isEmpty {
            guard !near.isEmpty else { return nil }
            popped = near.popFirst()
        } else if near.isEmpty || far.entries[0].precedes(near.entries[0]) {
            popped = far.popFirst()
        } else {
            popped = near.popFirst()
        }
        floor = popped.time
        return popped
    }
}

/// A 4-ary min-heap of entries: a node's children are adjacent (96 bytes, about one and a half cache lines), and the
/// tree is half as deep as a binary one. Keys are unique, so the pop order is the same as any other heap's.
struct QuaternaryHeap {
    private(set) var entries: [EventQueue.Entry] = []
    /// Children per node.
    static let arity = 4

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var first: EventQueue.Entry? { entries.first }

    mutating func insert(_ entry: EventQueue.Entry) {
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { heap in QuaternaryHeap.siftUp(entry, from: heap.count - 1, in: heap) }
    }

    /// Puts `entry` into the hole at `hole`, moving it up past every parent it precedes.
    @inline(__always)
    private static func siftUp(
        _ entry: EventQueue.Entry, from hole: Int, in heap: UnsafeMutableBufferPointer<EventQueue.Entry>
    ) {
        var hole = hole
        while hole > 0 {
            let parent = (hole &- 1) / arity
            guard entry.precedes(heap[parent]) else { break }
            heap[hole] = heap[parent]
            hole = parent
        }
        heap[hole] = entry
    }

    /// Removes and returns the earliest entry; the heap must not be empty.
    mutating func popFirst() -> EventQueue.Entry {
        let last = entries.removeLast()
        if entries.isEmpty { return last }
        // The root leaves a hole; the hole moves down to a leaf along the earliest child at each level, then the last
        // entry, which belongs near the bottom, fills it and sifts up the little it needs. All inside one buffer access.
        return entries.withUnsafeMutableBufferPointer { heap in
            let top = heap[0]
            let count = heap.count
            var hole = 0
            var first = 1
            while first < count {
                var child = first
                let end = min(first &+ QuaternaryHeap.arity, count)
                var next = first &+ 1
                while next < end {
                    if heap[next].precedes(heap[child]) { child = next }
                    next &+= 1
                }
                heap[hole] = heap[child]
                hole = child
                first = QuaternaryHeap.arity &* hole &+ 1
            }
            QuaternaryHeap.siftUp(last, from: hole, in: heap)
            return top
        }
    }
}

#if DEBUG
    extension EventQueue {
        /// Checks the heap property of both heaps; compiled into debug builds only.
        func checkInvariants() -> Bool {
            near.checkInvariants() && far.checkInvariants()
        }

        /// How many entries the near heap holds (for tests of the split).
        var nearCount: Int { near.count }
    }

    extension QuaternaryHeap {
        func checkInvariants() -> Bool {
            for i in entries.indices.dropFirst() where entries[i].precedes(entries[(i - 1) / QuaternaryHeap.arity]) {
                return false
            }
            return true
        }
    }
#endif
