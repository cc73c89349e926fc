import Testing

@testable import SimKernel

/// The event queue's bucket storage: chunks from one pool, filled in order, given back when a bucket is drained.
@Suite struct BucketStoreTests {
    private static func entry(_ time: Int64, _ sequence: UInt64) -> EventQueue.Entry {
        EventQueue.Entry(time: time, sequence: sequence, payload: (sequence % 1_000) << 32 | UInt64(time % 7))
    }

    private static func contents(_ store: borrowing BucketStore, _ bucket: Int) -> [EventQueue.Entry] {
        var entries: [EventQueue.Entry] = []
        store.forEachChunk(bucket) { entries.append(contentsOf: $0) }
        return entries
    }

    private static func same(_ a: [EventQueue.Entry], _ b: [EventQueue.Entry]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy {
                $0.time == $1.time && $0.sequence == $1.sequence && $0.payload == $1.payload
            }
    }

    @Test("buckets filled in turns over many chunks give back their own entries in insertion order")
    func keepsEachBucketsEntriesInOrder() {
        var store = BucketStore(bucketCount: 4)
        var model: [[EventQueue.Entry]] = Array(repeating: [], count: 4)
        var rng = RandomStream(seed: 5, label: "bucket-store")
        // Far more than one chunk per bucket, in an interleaving that links each bucket's chunks out of order (and
        // makes the pool grow several times).
        for sequence in 0..<UInt64(9 * BucketStore.chunkSize + 5) {
            let bucket = Int(rng.below(4))
            let entry = Self.entry(Int64(rng.below(1_000)), sequence)
            store.append(entry, to: bucket)
            model[bucket].append(entry)
        }
        #expect(store.total == 9 * BucketStore.chunkSize + 5)
        for bucket in 0..<4 {
            #expect(store.count(bucket) == model[bucket].count)
            #expect(Self.same(Self.contents(store, bucket), model[bucket]))
        }
    }

    @Test("a drained bucket's chunks are reused and the pool stops growing")
    func reusesTheChunksOfDrainedBuckets() {
        var store = BucketStore(bucketCount: 2)
        for sequence in 0..<UInt64(3 * BucketStore.chunkSize) { store.append(Self.entry(1, sequence), to: 0) }
        #expect(store.chunksMade == 3)
        store.removeAll(0)
        #expect(store.count(0) == 0)
        #expect(store.total == 0)
        #expect(Self.contents(store, 0).isEmpty)
        // Refilled, in either bucket, from the same three chunks.
        for round in 0..<5 {
            let bucket = round % 2
            for sequence in 0..<UInt64(3 * BucketStore.chunkSize) { store.append(Self.entry(2, sequence), to: bucket) }
            #expect(Self.contents(store, bucket).map(\.sequence) == Array(0..<UInt64(3 * BucketStore.chunkSize)))
            store.removeAll(bucket)
        }
        #expect(store.chunksMade == 3)
    }

    @Test("an empty bucket and a bucket ending exactly at a chunk's end")
    func handlesEmptyAndExactlyFullBuckets() {
        var store = BucketStore(bucketCount: 2)
        #expect(store.count(1) == 0)
        #expect(Self.contents(store, 1).isEmpty)
        for sequence in 0..<UInt64(BucketStore.chunkSize) { store.append(Self.entry(3, sequence), to: 1) }
        #expect(store.chunksMade == 1)
        #expect(Self.contents(store, 1).count == BucketStore.chunkSize)
        store.append(Self.entry(3, 999), to: 1)
        #expect(store.chunksMade == 2)
        #expect(Self.contents(store, 1).last?.sequence == 999)
    }
}
