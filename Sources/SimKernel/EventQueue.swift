/// A min-priority queue of scheduled events ordered by `(time, sequence)`.
///
/// The sequence number is assigned at insertion, so events at the same instant leave in the order
/// they were scheduled (FIFO ties). The queue stores only 24-byte keys; the payload lives elsewhere
/// and is found through `slot`.
///
/// The heap is 4-ary: a node's children are adjacent (96 bytes, about one and a half cache lines), and the tree
/// is half as deep as a binary one, so a pop among a million pending events touches about half as many cache
/// lines. Keys are unique, so the pop order is the same as any other heap's.
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

    private(set) var entries: [Entry] = []
    /// Children per node.
    static let arity = 4

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var first: Entry? { entries.first }

    mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

    mutating func insert(_ entry: Entry) {
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { heap in EventQueue.siftUp(entry, from: heap.count - 1, in: heap) }
    }

    /// Puts `entry` into the hole at `hole`, moving it up past every parent it precedes.
    @inline(__always)
    private static func siftUp(_ entry: Entry, from hole: Int, in heap: UnsafeMutableBufferPointer<Entry>) {
        var hole = hole
        while hole > 0 {
            let parent = (hole &- 1) / arity
            guard entry.precedes(heap[parent]) else { break }
            heap[hole] = heap[parent]
            hole = parent
        }
        heap[hole] = entry
    }

    mutating func popFirst() -> Entry? {
        guard let last = entries.popLast() else { return nil }
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
                let end = min(first &+ EventQueue.arity, count)
                var next = first &+ 1
                while next < end {
                    if heap[next].precedes(heap[child]) { child = next }
                    next &+= 1
                }
                heap[hole] = heap[child]
                hole = child
                first = EventQueue.arity &* hole &+ 1
            }
            EventQueue.siftUp(last, from: hole, in: heap)
            return top
        }
    }
}

#if DEBUG
    extension EventQueue {
        /// Checks the heap property; compiled into debug builds only.
        func checkInvariants() -> Bool {
            for i in entries.indices.dropFirst() where entries[i].precedes(entries[(i - 1) / EventQueue.arity]) {
                return false
            }
            return true
        }
    }
#endif
