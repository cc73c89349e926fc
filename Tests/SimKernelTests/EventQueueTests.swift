#if DEBUG
    @testable import SimKernel
    import Testing

    /// The simulator's queue (a near and a far 4-ary heap), checked directly against a sorted array.
    @Suite struct EventQueueTests {
        private struct Key: Equatable, Comparable {
            var time: Int64
            var sequence: UInt64

            static func < (a: Key, b: Key) -> Bool { (a.time, a.sequence) < (b.time, b.sequence) }
        }

        /// Where `key` goes in the sorted `keys` (binary search; keys are unique).
        private static func insertionIndex(of key: Key, in keys: [Key]) -> Int {
            var low = 0
            var high = keys.count
            while low < high {
                let middle = (low + high) / 2
                if keys[middle] < key { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// Horizon 10 splits the keys (times 0..<40) between both heaps; 0 sends nearly all to the far heap, and the
        /// default (100 ms) sends every one to the near heap once something has been popped.
        @Test(arguments: [10, 0, EventQueue.defaultHorizon])
        func popsInTimeThenSequenceOrderAndKeepsTheHeapProperty(horizon: Int64) throws {
            var rng = RandomStream(seed: 77, label: "event-queue")
            var pops = 0
            var largest = 0
            var largestNear = 0
            for trial in 0..<120 {
                var queue = EventQueue(horizon: horizon)
                var model: [Key] = []  // kept sorted
                var sequence: UInt64 = 0
                // A few long trials grow the heap to over a thousand entries; the rest stay small.
                let operations = trial < 6 ? 3_000 : Int(rng.below(300))
                let insertProbability = trial < 6 ? 0.75 : rng.uniform(0.4, 0.8)
                for operation in 0..<operations {
                    if model.isEmpty || rng.bernoulli(insertProbability) {
                        let key = Key(time: Int64(rng.below(40)), sequence: sequence)
                        sequence += 1
                        queue.insert(.init(time: key.time, sequence: key.sequence, slot: 0, generation: 0))
                        model.insert(key, at: Self.insertionIndex(of: key, in: model))
                    } else {
                        let next = queue.popFirst()
                        let entry = try #require(next)
                        let popped = Key(time: entry.time, sequence: entry.sequence)
                        let expected = model.removeFirst()
                        try #require(popped == expected, "trial \(trial), operation \(operation)")
                        pops += 1
                    }
                    largest = max(largest, model.count)
                    largestNear = max(largestNear, queue.nearCount)
                    if operation.isMultiple(of: 8) {
                        let heapOrdered = queue.checkInvariants()
                        try #require(heapOrdered, "heap property broken: trial \(trial), operation \(operation)")
                    }
                    let first = queue.first.map { Key(time: $0.time, sequence: $0.sequence) }
                    try #require(queue.count == model.count && first == model.first, "trial \(trial), operation \(operation)")
                }
                var drained: [Key] = []
                while let entry = queue.popFirst() { drained.append(Key(time: entry.time, sequence: entry.sequence)) }
                #expect(drained == model)
                #expect(queue.isEmpty)
                #expect(queue.first == nil)
            }
            #expect(largest > 1_000)
            #expect(pops > 1_000)
            // Both heaps were exercised where the horizon splits the keys.
            if horizon == 10 { #expect(largestNear > 100 && largest - largestNear > 100) }
        }
    }
#endif
