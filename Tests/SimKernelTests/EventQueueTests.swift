#if DEBUG
    @testable import SimKernel
    import Testing

    /// The simulator's queue (a near heap, a ring of buckets and a far heap), checked directly against a sorted array.
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

        /// Buckets of width 4 in a ring of 4 spread the keys (times 0..<40, later inserts often earlier than the last
        /// pop) over the near heap, the buckets and the far heap; width 1 in a ring of 64 holds nearly all in buckets;
        /// the default (537 ms buckets) puts every one in the near heap.
        @Test(arguments: [(2, 4), (0, 64), (EventQueue.defaultShift, EventQueue.defaultBucketCount)])
        func popsInTimeThenSequenceOrderAndKeepsTheHeapProperty(shift: Int64, bucketCount: Int) throws {
            var rng = RandomStream(seed: 77, label: "event-queue")
            var pops = 0
            var largest = 0
            var largestBucketed = 0
            var largestFar = 0
            for trial in 0..<120 {
                var queue = EventQueue(shift: shift, bucketCount: bucketCount)
                var model: [Key] = []  // kept sorted
                var sequence: UInt64 = 0
                // A few long trials grow the heap to over a thousand entries; the rest stay small.
                let operations = trial < 6 ? 3_000 : Int(rng.below(300))
                let insertProbability = trial < 6 ? 0.75 : rng.uniform(0.4, 0.8)
                for operation in 0..<operations {
                    if model.isEmpty || rng.bernoulli(insertProbability) {
                        let key = Key(time: Int64(rng.below(40)), sequence: sequence)
                        sequence += 1
                        queue.insert(.init(time: key.time, sequence: key.sequence, payload: 0))
                        model.insert(key, at: Self.insertionIndex(of: key, in: model))
                    } else if rng.bernoulli(0.5) {
                        let next = queue.popFirst()
                        let entry = try #require(next)
                        let popped = Key(time: entry.time, sequence: entry.sequence)
                        let expected = model.removeFirst()
                        try #require(popped == expected, "trial \(trial), operation \(operation)")
                        pops += 1
                    } else {
                        // Look, then remove the earliest. An insert in between (often of an earlier key) makes what
                        // was seen stale: the earliest after the insert goes, which the later pops check.
                        let peeked = queue.first.map { Key(time: $0.time, sequence: $0.sequence) }
                        if rng.bernoulli(0.3) {
                            let key = Key(time: Int64(rng.below(40)), sequence: sequence)
                            sequence += 1
                            queue.insert(.init(time: key.time, sequence: key.sequence, payload: 0))
                            model.insert(key, at: Self.insertionIndex(of: key, in: model))
                        } else {
                            try #require(peeked == model.first, "trial \(trial), operation \(operation)")
                        }
                        queue.removeFirst()
                        model.removeFirst()
                        pops += 1
                    }
                    largest = max(largest, model.count)
                    largestBucketed = max(largestBucketed, queue.placement.bucketed)
                    largestFar = max(largestFar, queue.placement.far)
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
                #expect(queue.count == 0)
                #expect(queue.first == nil)
            }
            #expect(largest > 1_000)
            #expect(pops > 1_000)
            // Each part of the queue held entries where the parameters spread the keys.
            switch shift {
            case 2: #expect(largestBucketed > 100 && largestFar > 30, "\(largestBucketed) bucketed, \(largestFar) far")
            case 0: #expect(largestBucketed > 500, "\(largestBucketed) bucketed")
            default: #expect(largestBucketed == 0 && largestFar == 0)
            }
        }

        /// The run's entries are handed out for prefetching once each, from the head on, within each window; a pop from
        /// the run moves both windows on, a pop from a lane does not, and a refill starts them at the new run's head.
        @Test func runEntriesAreHandedOutAheadOnceWithinTheirWindows() throws {
            var queue = EventQueue(shift: 4, bucketCount: 8)
            for (sequence, time) in [Int64(5), 23, 20, 21, 40].enumerated() {
                queue.insert(.init(time: time, sequence: UInt64(sequence), payload: UInt64(sequence)))
            }
            #expect(queue.popFirst()?.time == 5)
            #expect(queue.nextSlotAhead(within: 2) == nil)  // the run of bucket 0 is used up
            #expect(queue.popFirst()?.time == 20)  // bucket 1 moved and sorted: 20, 21, 23
            #expect(queue.nextSlotAhead(within: 2)?.time == 21)
            #expect(queue.nextSlotAhead(within: 2)?.time == 23)
            #expect(queue.nextSlotAhead(within: 2) == nil)  // the window of two is full
            #expect(queue.nextPrepareAhead(within: 1)?.time == 21)
            #expect(queue.nextPrepareAhead(within: 1) == nil)
            queue.insert(.init(time: 22, sequence: 5, payload: 5))  // into the current bucket: a lane
            #expect(queue.popFirst()?.time == 21)
            #expect(queue.nextSlotAhead(within: 2) == nil)  // 23 was handed out already
            #expect(queue.nextPrepareAhead(within: 1)?.time == 23)
            #expect(queue.popFirst()?.time == 22)
            #expect(queue.nextPrepareAhead(within: 2) == nil)  // a lane's pop leaves the run's windows where they are
            #expect(queue.popFirst()?.time == 23)
            #expect(queue.first?.time == 40)  // looking moves on to the next bucket without giving its entry
            #expect(queue.nextSlotAhead(within: 4)?.payload == 4)
            #expect(queue.nextPrepareAhead(within: 4)?.payload == 4)
            let ordered = queue.checkInvariants()
            #expect(ordered)
            #expect(queue.count == 1)
            #expect(queue.popFirst()?.time == 40)
            #expect(queue.nextSlotAhead(within: 4) == nil && queue.nextPrepareAhead(within: 4) == nil)
        }

        /// Events scheduled a fixed delay after the one just popped (a model's periodic ticks) are appended to the run;
        /// those due before the run's last entry but a fixed, shorter delay after the current time (replies in flight
        /// 50 ns later, connections opening 2 µs later) to the lanes, one stream in each, however the two interleave;
        /// only one due before every tail goes to the near heap. All come out in order. A long stretch inside one
        /// bucket keeps the storage bounded: a full run or lane that is half popped drops its popped half instead of
        /// growing.
        @Test func periodicEventsAppendToTheRunAndTheLanesWithBoundedStorage() throws {
            // The payload marks the kind of event: 0 a tick, 1 a reply, 2 an opening, 3 one due before every tail.
            var queue = EventQueue()
            var sequence: UInt64 = 0
            func insert(_ time: Int64, kind: UInt32) {
                queue.insert(.init(time: time, sequence: sequence, payload: UInt64(kind)))
                sequence += 1
            }
            for tick in 0..<100 { insert(Int64(tick) * 100, kind: 0) }
            var last = EventQueue.Entry(time: -1, sequence: 0, payload: 0)
            var largestCapacity = 0
            var popped: [Int] = [0, 0, 0, 0]
            for pop in 0..<200_000 {
                let next = queue.popFirst()
                let entry = try #require(next)
                try #require(last.precedes(entry), "pop \(pop) out of order")
                last = entry
                popped[Int(entry.payload)] += 1
                if entry.payload == 0 {
                    insert(entry.time + 10_000, kind: 0)  // the tick again 10 µs later: after the run's last entry
                    let before = queue.currentBucket
                    insert(entry.time + 50, kind: 1)  // a reply in flight 50 ns later
                    insert(entry.time + 2_000, kind: 2)  // a connection opening 2 µs later
                    let after = queue.currentBucket
                    try #require(
                        after.heap == before.heap && after.lanes.0 + after.lanes.1 == before.lanes.0 + before.lanes.1 + 2,
                        "pop \(pop): a reply or an opening is not in a lane")
                    if pop % 1_000 == 500 {
                        try #require(after.lanes.0 > 0 && after.lanes.1 > 0, "pop \(pop): the streams share a lane")
                        insert(entry.time + 1, kind: 3)  // due before every tail: into the heap
                        try #require(queue.currentBucket.heap == after.heap + 1)
                    }
                }
                largestCapacity = max(largestCapacity, queue.currentBucket.capacity)
            }
            // 200,000 pops of 100 ticks every 10 µs span about 20 ms: all in the first bucket, which never refilled.
            #expect(last.time < 1 << EventQueue.defaultShift)
            #expect(popped[1] > 10_000 && popped[2] > 10_000 && popped[3] > 100)
            #expect(queue.currentBucket.heap == 0)
            #expect(queue.placement.bucketed == 0 && queue.placement.far == 0)
            #expect(largestCapacity <= 2_048, "storage grew to \(largestCapacity) entries for a few hundred waiting")
            let ordered = queue.checkInvariants()
            #expect(ordered)
        }

        /// Buckets of thousands of entries are sorted by slices of their span: entries spread over the span, a clump
        /// due at one instant (one slice sorted by comparisons), entries in reverse order of time, and entries that
        /// moved in from the far heap come out in time-then-sequence order.
        @Test(arguments: [Int64(0), 6, 10])
        func largeBucketsComeOutSortedWhateverTheirSpread(shift: Int64) throws {
            var rng = RandomStream(seed: 5, label: "event-queue-slices")
            var queue = EventQueue(shift: shift, bucketCount: 4)
            let width = Int64(1) << shift
            var keys: [Key] = []
            func insert(_ time: Int64) {
                let key = Key(time: time, sequence: UInt64(keys.count))
                keys.append(key)
                queue.insert(.init(time: key.time, sequence: key.sequence, payload: 0))
            }
            for _ in 0..<3_000 { insert(width + Int64(rng.below(UInt64(width)))) }  // spread over bucket 1
            for _ in 0..<500 { insert(2 * width + width / 2) }  // a clump at one instant of bucket 2
            for step in 0..<400 { insert(4 * width - 1 - Int64(step) % width) }  // reverse order in bucket 3
            for _ in 0..<2_000 { insert(9 * width + Int64(rng.below(UInt64(width)))) }  // far, then bucket 9
            for _ in 0..<50 { insert(9 * width + Int64(rng.below(UInt64(width)))) }  // a few more there
            var popped: [Key] = []
            while let entry = queue.popFirst() {
                popped.append(Key(time: entry.time, sequence: entry.sequence))
                if popped.count.isMultiple(of: 97) {
                    let ordered = queue.checkInvariants()
                    try #require(ordered, "after \(popped.count) pops")
                }
            }
            #expect(popped == keys.sorted())
        }

        /// Far-apart events (hours, with nothing between) come out in order: the queue jumps over the empty buckets.
        @Test func jumpsOverEmptyBucketsToFarEvents() throws {
            var queue = EventQueue(shift: 4, bucketCount: 8)
            let hour: Int64 = 3_600_000_000_000
            let times: [Int64] = [5 * hour, 17, hour, 5 * hour, 2 * hour + 3, 40, 2 * hour]
            for (sequence, time) in times.enumerated() {
                queue.insert(.init(time: time, sequence: UInt64(sequence), payload: 0))
            }
            #expect(queue.placement == (near: 0, bucketed: 2, far: 5))
            var popped: [Int64] = []
            while let entry = queue.popFirst() {
                popped.append(entry.time)
                // An event scheduled 8 ns after each pop lands in the current bucket or the next, and comes next.
                if popped.count == 3 {
                    queue.insert(.init(time: entry.time + 8, sequence: 99, payload: 0))
                    #expect(queue.first?.sequence == 99)
                }
                let ordered = queue.checkInvariants()
                #expect(ordered)
            }
            #expect(popped == [17, 40, hour, hour + 8, 2 * hour, 2 * hour + 3, 5 * hour, 5 * hour])
        }
    }
#endif
