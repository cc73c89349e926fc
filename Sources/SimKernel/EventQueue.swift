/// A min-priority queue of scheduled events ordered by `(time, sequence)`.
///
/// The sequence number is assigned at insertion, so events at the same instant leave in the order
/// they were scheduled (FIFO ties). The queue stores only 24-byte keys; the payload lives elsewhere
/// and is found through `slot`.
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

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var first: Entry? { entries.first }

    mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }

    mutating func insert(_ entry: Entry) {
        entries.append(entry)
        siftUp(entries.count - 1)
    }

    mutating func popFirst() -> Entry? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return top
    }

    private mutating func siftUp(_ start: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            var child = start
            let item = heap[child]
            while child > 0 {
                let parent = (child - 1) / 2
                guard item.precedes(heap[parent]) else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = item
        }
    }

    private mutating func siftDown(_ start: Int) {
        entries.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            var parent = start
            let item = heap[parent]
            while true {
                var child = 2 * parent + 1
                if child >= count { break }
                if child + 1 < count, heap[child + 1].precedes(heap[child]) { child += 1 }
                guard heap[child].precedes(item) else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = item
        }
    }
}

#if DEBUG
    extension EventQueue {
        /// Checks the heap property; compiled into debug builds only.
        func checkInvariants() -> Bool {
            for i in entries.indices.dropFirst() where entries[i].precedes(entries[(i - 1) / 2]) {
                return false
            }
            return true
        }
    }
#endif
