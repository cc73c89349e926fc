/// The entries waiting in the event queue's ring of buckets, in fixed chunks of ``chunkSize`` entries from one shared
/// pool: each bucket is a list of chunks, filled in insertion order.
///
/// A bucket that an array held grew by doubling, so that with a million clients each of the few hundred buckets in
/// use was copied four or five times while it filled (reading back entries written minutes of virtual time before,
/// long out of the caches), and its header had to be read before every append. A chunk never moves: an append writes
/// one entry at the bucket's tail, and a chunk that a drained bucket gives back is the first one taken again, while it
/// is still in the cache. The pool keeps every chunk it made until it goes, like the simulator's slot pools: a burst
/// of events (a retry storm) leaves room for a burst.
///
/// ```swift
/// var store = BucketStore(bucketCount: 8)
/// store.append(entry, to: 3)
/// store.forEachChunk(3) { chunk in sorted.append(contentsOf: chunk) }
/// store.removeAll(3)
/// ```
struct BucketStore: ~Copyable {
    /// Entries per chunk: 64 entries of 24 bytes, 1.5 KiB (24 cache lines).
    static let chunkSize = 64

    /// A bucket: its first and last chunk (-1: none yet) and how many entries it holds.
    private struct Bucket {
        var head: Int32 = -1
        var tail: Int32 = -1
        var count: Int32 = 0
    }

    private let buckets: UnsafeMutablePointer<Bucket>
    /// How many entries all the buckets hold.
    private(set) var total = 0
    /// The chunks, chunk `c` at `entries[c * chunkSize ..< (c + 1) * chunkSize]`.
    private var entries: UnsafeMutablePointer<EventQueue.Entry>
    /// Per chunk: the next chunk of its bucket, or of the free list (-1: none).
    private var next: UnsafeMutablePointer<Int32>
    /// Chunks made so far (the buffers' initialized part) and room for.
    private var chunkCount = 0
    private var chunkCapacity = 16
    /// The top of the free list; -1: empty.
    private var freeChunk: Int32 = -1

    init(bucketCount: Int) {
        buckets = .allocate(capacity: bucketCount)
        buckets.initialize(repeating: Bucket(), count: bucketCount)
        entries = .allocate(capacity: chunkCapacity * BucketStore.chunkSize)
        next = .allocate(capacity: chunkCapacity)
    }

    deinit {
        buckets.deallocate()
        entries.deallocate()
        next.deallocate()
    }

    /// How many entries bucket `index` holds.
    @inline(__always)
    func count(_ index: Int) -> Int { Int(buckets[index].count) }

    /// Chunks made so far, in use or free (for tests of reuse).
    var chunksMade: Int { chunkCount }

    /// Appends `entry` to bucket `index`.
    @inline(__always)
    mutating func append(_ entry: EventQueue.Entry, to index: Int) {
        let bucket = buckets + index
        let position = Int(bucket.pointee.count) & (BucketStore.chunkSize - 1)
        if position == 0 { startChunk(bucket) }
        entries[Int(bucket.pointee.tail) &* BucketStore.chunkSize &+ position] = entry
        bucket.pointee.count &+= 1
        total &+= 1
    }

    /// Links a fresh chunk after the bucket's last (full) one.
    @inline(__always)
    private mutating func startChunk(_ bucket: UnsafeMutablePointer<Bucket>) {
        let chunk = takeChunk()
        next[Int(chunk)] = -1
        if bucket.pointee.tail < 0 {
            bucket.pointee.head = chunk
        } else {
            next[Int(bucket.pointee.tail)] = chunk
        }
        bucket.pointee.tail = chunk
    }

    /// A chunk from the free list, or a new one.
    @inline(__always)
    private mutating func takeChunk() -> Int32 {
        if freeChunk >= 0 {
            let chunk = freeChunk
            freeChunk = next[Int(chunk)]
            return chunk
        }
        if chunkCount == chunkCapacity { grow() }
        chunkCount += 1
        return Int32(chunkCount - 1)
    }

    /// Doubles the buffers (out of line: an append inlines the rest).
    @inline(never)
    private mutating func grow() {
        precondition(chunkCapacity < Int(Int32.max) / 2, "too many chunks of pending events")
        LargeArray.grow(&entries, moving: chunkCount * BucketStore.chunkSize, to: chunkCapacity * 2 * BucketStore.chunkSize)
        LargeArray.grow(&next, moving: chunkCount, to: chunkCapacity * 2)
        chunkCapacity *= 2
    }

    /// Calls `body` with bucket `index`'s entries chunk by chunk, in insertion order, without changing the bucket.
    @inline(__always)
    func forEachChunk(_ index: Int, _ body: (UnsafeBufferPointer<EventQueue.Entry>) -> Void) {
        var remaining = Int(buckets[index].count)
        var chunk = buckets[index].head
        while remaining > 0 {
            let count = min(remaining, BucketStore.chunkSize)
            body(UnsafeBufferPointer(start: entries + Int(chunk) &* BucketStore.chunkSize, count: count))
            remaining &-= count
            chunk = next[Int(chunk)]
        }
    }

    /// Empties bucket `index`, its chunks going back to the pool (its last chunk on top, to be taken first).
    mutating func removeAll(_ index: Int) {
        total -= Int(buckets[index].count)
        var chunk = buckets[index].head
        while chunk >= 0 {
            let following = next[Int(chunk)]
            next[Int(chunk)] = freeChunk
            freeChunk = chunk
            chunk = following
        }
        buckets[index] = Bucket()
    }
}
