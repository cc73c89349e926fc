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

    /// A FIFO of jobs that also counts the items in them.
    struct JobQueue {
        private var jobs = CompactingQueue<Job>()
        /// Items in all queued jobs.
        private(set) var itemCount = 0

        var isEmpty: Bool { jobs.isEmpty }

        mutating func append(_ job: Job) {
            jobs.append(job)
            itemCount += job.items.count
        }

        mutating func popFirst() -> Job? {
            guard let job = jobs.popFirst() else { return nil }
            itemCount -= job.items.count
            return job
        }

        /// Removes and returns every queued job, front first.
        mutating func removeAll() -> [Job] {
            itemCount = 0
            return jobs.removeAll()
        }
    }
}
