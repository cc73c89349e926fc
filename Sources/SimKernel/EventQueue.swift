/// A min-priority queue of scheduled events ordered by `(time, sequence)`.
///
/// The sequence number is assigned at insertion, so events at the same instant leave in the order
/// they were scheduled (FIFO ties). The queue stores 24-byte entries: the key and 8 bytes that only the simulator
/// reads (where the event's payload is, or the payload itself).
///
/// Time is cut into buckets of `2^shift` nanoseconds (about 537 ms by default). The events of the next
/// `bucketCount - 1` buckets (a window of about 37 minutes) wait unsorted in a ring of buckets, later ones in a
/// `far` heap. When the current bucket is used up, the next bucket's events are sorted into the `run`, which is then
/// popped from the front. An event scheduled into the current bucket meanwhile is appended to the run if it is no
/// earlier than the run's last entry (a periodic tick, scheduled in time order), else to one of two `lanes`, sorted
/// arrays, if it is no earlier than that lane's last entry, and otherwise goes to the `near` heap; the next event is
/// the earliest of the run's head, the lanes' heads and the heap's top. Events a fixed delay after the current time
/// (replies in flight, short timers) come in time order, so each such stream stays in a lane; two streams of different
/// delays (queries reaching a resolver after half a round trip, connections opening after two milliseconds) keep to
/// a lane each because an event goes to the lane whose last entry is the latest one not after it. Far events that the
/// window reaches move into their buckets. A long-lived event (a connection's age-out, a lease expiry) is thus appended
/// once and sorted once with the few hundred others of its bucket, instead of walking a heap of a million (a calendar
/// queue). The order is exactly that of one heap: every event in a bucket or in the far heap is later than every event
/// in the run, the lanes or the near heap.
///
/// - Complexity: amortised O(1) to insert into a bucket, to append to the run or a lane and to pop from them,
///   O(log n) to sort a bucket (per event) and for the heaps (n: the events of one bucket, or the far ones); one step
///   per empty bucket passed while others are waiting.
struct EventQueue: ~Copyable {
    struct Entry {
        var time: Int64
        var sequence: UInt64
        /// The simulator's: the event's slot, or its code (``Simulator``).
        var payload: UInt64

        @inline(__always) func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }

        /// `(time, sequence)` as one number, for comparisons without a branch: `a.key < b.key` iff `a.precedes(b)`.
        @inline(__always) var key: Int128 { Int128(time) &<< 64 | Int128(sequence) }
    }

    /// The current bucket's entries that came from the ring, sorted, and the current bucket's events scheduled since
    /// that are no earlier than its last entry (periodic ticks, scheduled in time order).
    private var run = SortedLane()
    /// How many of the run's entries, from its head on, have been handed out for a slot prefetch
    /// (``nextSlotAhead(within:)``) and for a prepare (``nextPrepareAhead(within:)``).
    private var slotLead = 0
    private var prepareLead = 0
    /// The current bucket's events that are earlier than the run's last entry but no earlier than a lane's last
    /// entry: replies in flight and short timers, which a fixed delay after the current time puts in time order.
    private var lanes = (SortedLane(), SortedLane())
    /// Every other entry whose bucket is `current` or earlier (scheduled after its bucket became current).
    private var near = QuaternaryHeap()
    /// The entries of buckets `current + 1 ..< current + bucketCount`, bucket `k` at index `k & mask`, in insertion
    /// order.
    private var buckets: BucketStore
    /// Every entry whose bucket is `current + bucketCount` or later.
    private var far = QuaternaryHeap()
    /// The bucket being drained.
    private var current: Int64 = 0
    /// log2 of a bucket's width in nanoseconds.
    let shift: Int64
    private let mask: Int64

    /// The default bucket width: 2^29 ns, about 537 ms (replies in flight and short timers fall in the current bucket;
    /// ticks, backoffs and age-outs in later ones).
    ///
    /// Wider than the 2^27 ns it was: with a million clients, the pending connection age-outs (four to six minutes
    /// ahead) were spread over about 2,700 buckets of 134 ms, each append touching another page and bucket; at 537 ms a
    /// quarter as many are in use, and the 1 M-client population runs 8–12 % faster for the same instructions.
    static let defaultShift: Int64 = 29
    /// The default number of buckets: 4,096 buckets of 537 ms, a window of about 37 minutes.
    static let defaultBucketCount = 4_096

    /// - Parameters:
    ///   - shift: log2 of a bucket's width in nanoseconds.
    ///   - bucketCount: the buckets in the ring, a power of two, at least 2.
    init(shift: Int64 = EventQueue.defaultShift, bucketCount: Int = EventQueue.defaultBucketCount) {
        precondition(bucketCount >= 2 && bucketCount & (bucketCount - 1) == 0, "the bucket count must be a power of two")
        precondition((0..<63).contains(shift), "a bucket's width must be 2^0 … 2^62 ns")
        self.shift = shift
        self.mask = Int64(bucketCount - 1)
        self.buckets = BucketStore(bucketCount: bucketCount)
    }

    var count: Int { run.count + lanes.0.count + lanes.1.count + near.count + buckets.total + far.count }
    var isEmpty: Bool { count == 0 }

    /// Whether the current bucket is used up (nothing in the run, the lanes or the near heap).
    private var drained: Bool { run.isEmpty && lanes.0.isEmpty && lanes.1.isEmpty && near.isEmpty }

    /// The next entry of the run to prefetch the slot of, if fewer than `distance` entries from the run's head on have
    /// been handed out since the run was refilled: events scheduled long ago (a bucket's, sorted into the run), due
    /// soon, whose memory the simulator fetches a few events ahead of their turn.
    @inline(__always)
    mutating func nextSlotAhead(within distance: Int) -> Entry? {
        guard slotLead < distance, slotLead < run.count else { return nil }
        slotLead &+= 1
        return run.entry(ahead: slotLead &- 1)
    }

    /// Like ``nextSlotAhead(within:)``, with a lead of its own: the next entry of the run to prepare for (its slot read,
    /// what its event will touch prefetched).
    @inline(__always)
    mutating func nextPrepareAhead(within distance: Int) -> Entry? {
        guard prepareLead < distance, prepareLead < run.count else { return nil }
        prepareLead &+= 1
        return run.entry(ahead: prepareLead &- 1)
    }

    /// The run's head was popped: the leads start one entry later.
    @inline(__always)
    private mutating func poppedRun() {
        if slotLead > 0 { slotLead &-= 1 }
        if prepareLead > 0 { prepareLead &-= 1 }
    }

    /// Where the current bucket's next entry is.
    private enum Source { case run, lane, secondLane, heap }

    /// Where the earliest entry of the current bucket is; the bucket must not be used up.
    @inline(__always)
    private var leader: Source {
        var source = Source.run
        var earliest = run.headKey
        let laneKey = lanes.0.headKey
        if laneKey < earliest {
            source = .lane
            earliest = laneKey
        }
        let secondKey = lanes.1.headKey
        if secondKey < earliest {
            source = .secondLane
            earliest = secondKey
        }
        if !near.isEmpty, near.entries[0].key < earliest { return .heap }
        return source
    }

    /// Where ``first`` found the earliest entry, until the next insert or pop: ``removeFirst()`` needs no search then.
    private var firstSource: Source?

    /// The earliest entry (moving on to the next bucket if the current one is used up).
    var first: Entry? {
        mutating get {
            if drained {
                refill()
                if drained { return nil }
            }
            let source = leader
            firstSource = source
            switch source {
            case .run: return run.head
            case .lane: return lanes.0.head
            case .secondLane: return lanes.1.head
            case .heap: return near.entries[0]
            }
        }
    }

    /// Removes the entry ``first`` gave, without searching again if nothing changed since (a simulator looks at the
    /// next event, then runs it).
    @inline(__always)
    mutating func removeFirst() {
        guard let source = firstSource else {
            _ = popFirst()
            return
        }
        firstSource = nil
        switch source {
        case .run:
            _ = run.popFirst()
            poppedRun()
        case .lane: _ = lanes.0.popFirst()
        case .secondLane: _ = lanes.1.popFirst()
        case .heap: _ = near.popFirst()
        }
    }

    @inline(__always)
    mutating func insert(_ entry: Entry) {
        firstSource = nil
        let bucket = entry.time &>> shift
        if bucket <= current {
            if run.accepts(entry) {
                run.append(entry)
            } else {
                insertIntoLane(entry)
            }
        } else {
            insertLater(entry, bucket: bucket)
        }
    }

    /// An entry for the current bucket that the run does not accept: into the lane whose last entry is the latest one
    /// no later than it (a used-up lane accepts anything but is the last choice), or if neither accepts it, the heap.
    @inline(__always)
    private mutating func insertIntoLane(_ entry: Entry) {
        let key = entry.key
        let first = lanes.0.tailKey
        let second = lanes.1.tailKey
        if first <= key && (second > key || first >= second) {
            lanes.0.append(entry)
        } else if second <= key {
            lanes.1.append(entry)
        } else {
            near.insert(entry)
        }
    }

    /// An entry for a later bucket: into the ring, or beyond it into the far heap. Kept out of line, so that the
    /// common insert (a reply, a short timer) stays short.
    @inline(never)
    private mutating func insertLater(_ entry: Entry, bucket: Int64) {
        if bucket &- current <= mask {
            buckets.append(entry, to: Int(bucket & mask))
        } else {
            far.insert(entry)
        }
    }

    @inline(__always)
    mutating func popFirst() -> Entry? {
        firstSource = nil
        if drained {
            refill()
            if drained { return nil }
        }
        switch leader {
        case .run:
            poppedRun()
            return run.popFirst()
        case .lane: return lanes.0.popFirst()
        case .secondLane: return lanes.1.popFirst()
        case .heap: return near.popFirst()
        }
    }

    /// Moves on to the next bucket that holds entries (the current one is used up), and sorts it into the run.
    private mutating func refill() {
        while drained {
            if buckets.total > 0 {
                current += 1
            } else if let next = far.first {
                current = max(current + 1, next.time &>> shift)  // nothing in the window: jump to the far heap's first
            } else {
                return  // empty
            }
            let index = Int(current & mask)
            let count = buckets.count(index)
            if count > 0 {
                // The bucket's entries are sorted into the run, which keeps its capacity (entries appended to it in
                // the current bucket make it far larger than a bucket); the bucket's chunks go back to the pool.
                run.refill(sorting: buckets, index, count: count, width: shift)
                buckets.removeAll(index)
                (slotLead, prepareLead) = (0, 0)
            }
            // The window now reaches one bucket further (or, after a jump, further still).
            while let next = far.first, (next.time &>> shift) &- current <= mask {
                insert(far.popFirst())
            }
        }
    }
}

/// Entries in order, popped from the front and appended at the back (no earlier than the last one).
///
/// Appending to a used-up lane starts it afresh; a lane that is full and at least half popped drops its popped half
/// instead of growing, so that it holds at most about twice what waits in it.
struct SortedLane {
    private var entries: [EventQueue.Entry] = []
    /// The first entry not yet popped.
    private var next = 0

    var isEmpty: Bool { next == entries.count }
    var count: Int { entries.count - next }
    /// The entries not yet popped.
    var pending: ArraySlice<EventQueue.Entry> { entries[next...] }
    /// The first entry not yet popped; the lane must not be empty.
    var head: EventQueue.Entry { entries[next] }
    /// The entry `offset` places after the head; fewer than ``count`` must follow the head.
    @inline(__always)
    func entry(ahead offset: Int) -> EventQueue.Entry { entries[next &+ offset] }
    /// The key of the first entry not yet popped, or the largest key if the lane is used up.
    var headKey: Int128 {
        @inline(__always) get { next < entries.count ? entries[next].key : .max }
    }
    /// The key of the last entry, or the smallest key if the lane is used up (and so accepts anything).
    var tailKey: Int128 {
        @inline(__always) get { next < entries.count ? entries[entries.count &- 1].key : .min }
    }

    /// Whether `entry` can be appended: the lane is used up, or the entry is no earlier than its last one.
    @inline(__always)
    func accepts(_ entry: EventQueue.Entry) -> Bool {
        tailKey <= entry.key
    }

    /// Appends an entry the lane ``accepts(_:)``.
    @inline(__always)
    mutating func append(_ entry: EventQueue.Entry) {
        if next == entries.count {
            entries.removeAll(keepingCapacity: true)
            next = 0
        } else if entries.count == entries.capacity && next >= entries.count / 2 {
            entries.removeSubrange(..<next)
            next = 0
        }
        entries.append(entry)
    }

    /// Removes and returns the first entry; the lane must not be empty.
    @inline(__always)
    mutating func popFirst() -> EventQueue.Entry {
        next &+= 1
        return entries[next &- 1]
    }

    /// How many entries ``refill(sorting:_:count:width:)`` sorts by comparisons alone.
    static let directSortLimit = 32
    /// The most entries of one slice that ``refill(sorting:_:count:width:)`` sorts by insertion.
    static let insertionSortLimit = 12

    /// Replaces the lane (which must be used up) with the `count` entries of bucket `bucket` of `store`, sorted,
    /// keeping its capacity. Every entry must be due in one span of `2^width` ns that starts at a multiple of it (a
    /// bucket).
    ///
    /// Many entries are first distributed by time into an eighth to a quarter as many equal slices of the span (a
    /// counting sort, two passes), and then each slice is sorted: a bucket's events are spread over it, so most slices
    /// hold a few and are sorted by insertion. Events due at one instant share a slice, which a comparison sort then
    /// orders.
    mutating func refill(sorting store: borrowing BucketStore, _ bucket: Int, count: Int, width: Int64) {
        entries.removeAll(keepingCapacity: true)
        next = 0
        guard count > SortedLane.directSortLimit else {
            store.forEachChunk(bucket) { entries.append(contentsOf: $0) }
            entries.sort { $0.precedes($1) }
            return
        }
        // Room for the sorted entries, each written once below.
        entries.append(contentsOf: repeatElement(EventQueue.Entry(time: 0, sequence: 0, payload: 0), count: count))
        let bits = min(Int64(Int.bitWidth - count.leadingZeroBitCount - 3), width)
        let sliceShift = width - bits
        let sliceMask = (Int64(1) << bits) - 1
        let slices = 1 << bits
        starts.removeAll(keepingCapacity: true)
        starts.append(contentsOf: repeatElement(0, count: slices + 1))
        starts.withUnsafeMutableBufferPointer { starts in
            store.forEachChunk(bucket) { chunk in
                for entry in chunk { starts[Int((entry.time &>> sliceShift) & sliceMask) &+ 1] &+= 1 }
            }
            for slice in 0..<slices { starts[slice &+ 1] &+= starts[slice] }
            entries.withUnsafeMutableBufferPointer { sorted in
                store.forEachChunk(bucket) { chunk in
                    for entry in chunk {
                        let slice = Int((entry.time &>> sliceShift) & sliceMask)
                        sorted[Int(starts[slice])] = entry
                        starts[slice] &+= 1
                    }
                }
                // Each slice now ends where the next starts.
                var start = 0
                for slice in 0..<slices {
                    let end = Int(starts[slice])
                    if end &- start > SortedLane.insertionSortLimit {
                        sorted[start..<end].sort { $0.precedes($1) }
                    } else if end &- start > 1 {
                        SortedLane.insertionSort(sorted, start, end)
                    }
                    start = end
                }
            }
        }
    }

    /// Room for ``refill(sorting:_:count:width:)``'s slice boundaries, kept between refills.
    private var starts: [Int32] = []

    /// Sorts `buffer[start..<end]` by insertion.
    @inline(__always)
    private static func insertionSort(_ buffer: UnsafeMutableBufferPointer<EventQueue.Entry>, _ start: Int, _ end: Int) {
        var index = start &+ 1
        while index < end {
            let entry = buffer[index]
            var hole = index
            while hole > start, entry.precedes(buffer[hole &- 1]) {
                buffer[hole] = buffer[hole &- 1]
                hole &-= 1
            }
            buffer[hole] = entry
            index &+= 1
        }
    }

    /// How many entries the lane has room for, popped ones included (for tests of its storage).
    var capacity: Int { entries.capacity }
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
            // A node with four children: the earliest of them by a tournament of selects, without a branch on the
            // keys (which child wins is unpredictable, and a mispredicted branch per level was most of a pop's time).
            while first &+ 3 < count {
                let (k0, k1, k2, k3) = (heap[first].key, heap[first &+ 1].key, heap[first &+ 2].key, heap[first &+ 3].key)
                let left = k1 < k0 ? first &+ 1 : first
                let leftKey = k1 < k0 ? k1 : k0
                let right = k3 < k2 ? first &+ 3 : first &+ 2
                let child = (k3 < k2 ? k3 : k2) < leftKey ? right : left
                heap[hole] = heap[child]
                hole = child
                first = QuaternaryHeap.arity &* hole &+ 1
            }
            // The last parent may have fewer than four; their children, if any, lie beyond the end.
            if first < count {
                var child = first
                var next = first &+ 1
                while next < count {
                    if heap[next].precedes(heap[child]) { child = next }
                    next &+= 1
                }
                heap[hole] = heap[child]
                hole = child
            }
            QuaternaryHeap.siftUp(last, from: hole, in: heap)
            return top
        }
    }
}

#if DEBUG
    extension EventQueue {
        /// Checks the heap property of both heaps and that every entry is where its bucket says; compiled into debug
        /// builds only.
        func checkInvariants() -> Bool {
            guard near.checkInvariants(), far.checkInvariants() else { return false }
            guard near.entries.allSatisfy({ $0.time &>> shift <= current }) else { return false }
            for pending in [run.pending, lanes.0.pending, lanes.1.pending] {
                guard pending.allSatisfy({ $0.time &>> shift <= current }) else { return false }
                guard zip(pending, pending.dropFirst()).allSatisfy({ $0.precedes($1) }) else { return false }
            }
            guard far.entries.allSatisfy({ $0.time &>> shift > current + mask }) else { return false }
            var total = 0
            var placed = true
            for index in 0...Int(mask) {
                total += buckets.count(index)
                buckets.forEachChunk(index) { chunk in
                    for entry in chunk {
                        let offset = (entry.time &>> shift) - current
                        placed = placed && offset > 0 && offset <= mask && Int((entry.time &>> shift) & mask) == index
                    }
                }
            }
            return placed && total == buckets.total
        }

        /// How many entries wait in the current bucket (the run, the lanes and the near heap), in buckets and in the
        /// far heap (for tests of the split).
        var placement: (near: Int, bucketed: Int, far: Int) {
            (near.count + run.count + lanes.0.count + lanes.1.count, buckets.total, far.count)
        }

        /// How the current bucket's entries are held: waiting in the near heap and in each lane, and the largest
        /// storage of the run and the lanes (popped entries included), for tests of appending.
        var currentBucket: (heap: Int, lanes: (Int, Int), capacity: Int) {
            (near.count, (lanes.0.count, lanes.1.count), max(run.capacity, lanes.0.capacity, lanes.1.capacity))
        }
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
