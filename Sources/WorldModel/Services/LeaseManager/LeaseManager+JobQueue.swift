import SimKernel

extension LeaseManager {
    /// One unit of pool work: renewing a batch of items, or re-establishing one item's lease.
    struct Job {
        enum Kind { case renew, establish }
        var kind: Kind
        var items: [Int]
        var hosts: Int
        /// When it entered the pool's queue (its timeout runs from here).
        var enqueuedAt: SimTime
    }

    /// A FIFO of jobs with O(1) amortized append and removal from the front.
    struct JobQueue {
        private var storage: [Job] = []
        private var head = 0
        /// Items in all queued jobs.
        private(set) var itemCount = 0

        var isEmpty: Bool { head == storage.count }

        mutating func append(_ job: Job) {
            storage.append(job)
            itemCount += job.items.count
        }

        mutating func popFirst() -> Job? {
            guard head < storage.count else { return nil }
            let job = storage[head]
            head += 1
            itemCount -= job.items.count
            if head == storage.count {
                storage.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1_024, head * 2 >= storage.count {
                storage.removeFirst(head)
                head = 0
            }
            return job
        }

        /// Removes and returns every queued job, front first.
        mutating func removeAll() -> [Job] {
            let jobs = Array(storage[head...])
            storage.removeAll()
            head = 0
            itemCount = 0
            return jobs
        }
    }
}
