import SimKernel

extension LeaseManager {
    /// Puts work in the admission backlog; ``pump()`` admits it into the queue.
    func submit(_ job: Job) {
        switch job.kind {
        case .renew: renewBacklog.append(job)
        case .establish: establishBacklog.append(job)
        }
    }

    /// Admits backlog work into the queue (as far as the throttle allows) and gives queued work to free workers,
    /// until neither is possible. Safe to call from anywhere, including from inside itself (it then returns at once
    /// and the outer call carries on), so key-value answers may arrive synchronously.
    func pump() {
        if pumping { return }
        pumping = true
        defer { pumping = false }
        while true {
            admit()
            guard let worker = freeWorkers.last, let job = renewQueue.popFirst() ?? establishQueue.popFirst() else { return }
            freeWorkers.removeLast()
            start(job, on: worker)
        }
    }

    /// Moves backlog work into the queue, renewals first, while the throttle allows; its timeout starts now.
    private func admit() {
        let limit = admissionLimit ?? .max
        while admitted < limit {
            guard var job = renewBacklog.popFirst() ?? establishBacklog.popFirst() else { return }
            job.enqueuedAt = simulator.now
            admitted += 1
            switch job.kind {
            case .renew: renewQueue.append(job)
            case .establish: establishQueue.append(job)
            }
        }
    }

    /// A worker takes a job: items of a renewal whose lease lapsed while it waited need re-establishment instead
    /// (they go back to the backlog as such); then the key-value calls.
    private func start(_ job: Job, on worker: Int) {
        var job = job
        let now = simulator.now
        if job.kind == .renew, job.items.contains(where: { expiry[$0] <= now }) {
            var valid: [Int] = []
            for item in job.items {
                if expiry[item] > now {
                    valid.append(item)
                } else {
                    submit(Job(kind: .establish, items: [item], hosts: itemHosts[item], enqueuedAt: now))
                }
            }
            job.items = valid
            job.hosts = valid.reduce(0) { $0 + itemHosts[$1] }
            if valid.isEmpty {
                freeWorkers.append(worker)
                admitted -= 1
                return
            }
        }
        let token = nextToken
        nextToken += 1
        inService[worker] = job
        serviceTokens[worker] = token
        callKeyValue(remaining: spec.kvCallsPerItem, worker: worker, token: token)
    }

    /// Makes the remaining key-value calls one after another, then starts the work.
    private func callKeyValue(remaining: Int, worker: Int, token: UInt64) {
        guard remaining > 0, let job = inService[worker] else {
            work(worker: worker, token: token)
            return
        }
        kv.call(from: worker, cost: Double(job.hosts)) { [weak self] result in
            guard let self, self.serviceTokens[worker] == token else { return }
            if result.isOK {
                self.callKeyValue(remaining: remaining - 1, worker: worker, token: token)
            } else {
                self.fail(worker: worker)
            }
        }
    }

    private func work(worker: Int, token: UInt64) {
        guard let job = inService[worker] else { return }
        let perHost = job.kind == .renew ? spec.renewCost : spec.establishCost
        serviceHandles[worker] = simulator.schedule(after: perHost * Int64(job.hosts)) { [weak self] in
            guard let self, self.serviceTokens[worker] == token else { return }
            self.complete(worker: worker)
        }
    }

    /// Work done: in time, its hosts hold a lease; too late, it is wasted and queued again.
    private func complete(worker: Int) {
        guard let job = release(worker: worker) else { return }
        let now = simulator.now
        if now - job.enqueuedAt > spec.workTimeout {
            wastedHosts += job.hosts
            minuteWasted += job.hosts
            submit(job)
        } else {
            advanceLapses(to: now)
            let renewed = now + spec.leasePeriod
            for item in job.items {
                if expiry[item] <= now { heldHosts += itemHosts[item] }
                if expiry[item] != renewed {
                    expiry[item] = renewed
                    lapses.append(Lapse(time: renewed, item: item))
                }
                pending[item] = false
            }
            completedHosts += job.hosts
            minuteCompleted += job.hosts
            if job.kind == .establish { establishedHosts += job.hosts }
        }
        pump()
    }

    /// A key-value call failed: the work is dropped; its items try again when next due.
    private func fail(worker: Int) {
        guard let job = release(worker: worker) else { return }
        for item in job.items { pending[item] = false }
        failedHosts += job.hosts
        minuteFailed += job.hosts
        pump()
    }

    private func release(worker: Int) -> Job? {
        guard let job = inService[worker] else { return nil }
        inService[worker] = nil
        serviceTokens[worker] = 0
        serviceHandles[worker] = nil
        freeWorkers.append(worker)
        admitted -= 1
        return job
    }

    /// Forgets all pending work (backlog, queue, workers): its items try again when next due.
    /// Returns the number of items dropped.
    func dropAllWork() -> Int {
        var dropped = 0
        for worker in inService.indices {
            if let handle = serviceHandles[worker] { simulator.cancel(handle) }
            if let job = inService[worker] {
                dropped += job.items.count
                for item in job.items { pending[item] = false }
            }
            inService[worker] = nil
            serviceTokens[worker] = 0
            serviceHandles[worker] = nil
        }
        for job in renewQueue.removeAll() + establishQueue.removeAll() + renewBacklog.removeAll()
            + establishBacklog.removeAll()
        {
            dropped += job.items.count
            for item in job.items { pending[item] = false }
        }
        freeWorkers = Array((0..<spec.workers).reversed())
        admitted = 0
        return dropped
    }

    /// An expiry written to ``expiry``, kept in time order so that ``leasesHeld`` follows lapses without a scan.
    struct Lapse {
        var time: SimTime
        var item: Int
    }

    /// Counts out the leases that have lapsed by `now` (which never moves backwards).
    func advanceLapses(to now: SimTime) {
        while let lapse = lapses.first, lapse.time <= now {
            _ = lapses.popFirst()
            // A renewal since this entry was written moved the expiry later; that later entry counts then.
            if expiry[lapse.item] == lapse.time { heldHosts -= itemHosts[lapse.item] }
        }
    }
}
