import SimKernel

extension DNSManagementPlane {
    /// One Enactor's state between events.
    struct Enactor {
        var rng: RandomStream
        /// The plan taken (and checked for staleness) at the start of the current cycle.
        var plan: Plan?
        /// Consecutive failed lock attempts and transactions since the last successful apply (drives the backoff).
        var failures = 0
        /// Injected: extra time each lock attempt takes.
        var extraLockAttemptTime = SimDuration.zero
        /// Injected: the probability that a lock attempt fails whatever the lock's state (contention).
        var lockFailureProbability = 0.0
        /// Injected: the Enactor stops at its next loop boundary (before a staleness check or a lock attempt).
        var paused = false
        /// Stopped at a loop boundary while paused; resumes there when unpaused.
        var parked = false
        /// Plans this Enactor applied.
        var applies = 0
        /// Lock attempts that failed (lock held by another Enactor, or injected contention).
        var failedLockAttempts = 0
        /// Transactions that failed because the active plan was gone.
        var failedTransactions = 0
        /// The most generations an applied plan lagged the Planner's newest one.
        var maxGenerationsBehind = 0
    }

    // MARK: Fault hooks

    /// Makes Enactor `index` fall behind: each lock attempt takes `extraLockAttemptTime` longer and fails with
    /// `lockFailureProbability` whatever the lock's state. Takes effect from its next lock attempt.
    func setEnactorSlowdown(_ index: Int, extraLockAttemptTime: SimDuration, lockFailureProbability: Double) {
        precondition(enactorStates.indices.contains(index), "no enactor \(index)")
        enactorStates[index].extraLockAttemptTime = max(.zero, extraLockAttemptTime)
        enactorStates[index].lockFailureProbability = min(1, max(0, lockFailureProbability))
    }

    /// Ends a slowdown set by ``setEnactorSlowdown(_:extraLockAttemptTime:lockFailureProbability:)``.
    func clearEnactorSlowdown(_ index: Int) {
        setEnactorSlowdown(index, extraLockAttemptTime: .zero, lockFailureProbability: 0)
    }

    /// Pauses or resumes Enactor `index`. A paused Enactor finishes a transaction in progress, then stops before its
    /// next staleness check or lock attempt, keeping the plan it holds; resumed, it carries on from there.
    func setEnactorPaused(_ index: Int, _ paused: Bool) {
        precondition(enactorStates.indices.contains(index), "no enactor \(index)")
        enactorStates[index].paused = paused
        guard !paused, enactorStates[index].parked else { return }
        enactorStates[index].parked = false
        if enactorStates[index].plan != nil { attemptLock(index) } else { enactorWake(index) }
    }

    // MARK: The Enactor loop

    /// An idle Enactor takes the newest plan and checks, once, that it is newer than the applied one.
    func enactorWake(_ index: Int) {
        if enactorStates[index].paused {
            enactorStates[index].parked = true
            return
        }
        guard let newest = latestPlan, newest.generation > appliedGeneration else {
            simulator.schedule(after: spec.enactorPollInterval) { [weak self] in self?.enactorWake(index) }
            return
        }
        enactorStates[index].plan = newest
        attemptLock(index)
    }

    /// Starts one attempt to take the lock (it is not known whether it worked until the attempt ends).
    func attemptLock(_ index: Int) {
        if enactorStates[index].paused {
            enactorStates[index].parked = true
            return
        }
        let duration = spec.lockAttemptTime + enactorStates[index].extraLockAttemptTime
        simulator.schedule(after: duration) { [weak self] in self?.lockAttemptEnded(index) }
    }

    /// The attempt succeeds if the lock is free (or expired) and no injected contention defeats it; otherwise the
    /// Enactor backs off and retries with the same plan: the staleness check is not repeated.
    private func lockAttemptEnded(_ index: Int) {
        let contended = enactorStates[index].rng.nextUnit() < enactorStates[index].lockFailureProbability
        let free = lock.map { $0.expiry <= simulator.now } ?? true
        guard free, !contended else {
            enactorStates[index].failures += 1
            enactorStates[index].failedLockAttempts += 1
            let wait = backoff(index)
            simulator.schedule(after: wait) { [weak self] in self?.attemptLock(index) }
            return
        }
        lock = Lock(holder: index, expiry: simulator.now + spec.lockLease)
        simulator.schedule(after: spec.applyTime) { [weak self] in self?.transactionEnded(index) }
    }

    /// The transaction commits (or fails), the lock is released, and the Enactor either schedules its clean-up and
    /// goes idle, or backs off and starts over with the newest plan.
    private func transactionEnded(_ index: Int) {
        guard let plan = enactorStates[index].plan else { return }
        enactorStates[index].plan = nil
        if lock?.holder == index { lock = nil }
        if let missing = commitTransaction(plan, by: index) {
            transactionFailed(plan: plan, missing: missing, by: index)
            enactorStates[index].failures += 1
            enactorStates[index].failedTransactions += 1
            let wait = backoff(index)
            simulator.schedule(after: wait) { [weak self] in self?.enactorWake(index) }
            return
        }
        enactorStates[index].failures = 0
        enactorStates[index].applies += 1
        let generation = plan.generation
        enactorStates[index].maxGenerationsBehind = max(
            enactorStates[index].maxGenerationsBehind, latestGeneration - generation)
        simulator.schedule(after: spec.cleanupDelay) { [weak self] in self?.cleanUp(after: generation, by: index) }
        simulator.schedule(after: spec.enactorPollInterval) { [weak self] in self?.enactorWake(index) }
    }

    /// Exponential backoff with full jitter: uniform in [0, min(max, initial · 2^(failures−1))].
    private func backoff(_ index: Int) -> SimDuration {
        var cap = spec.lockBackoffInitial
        var doublings = enactorStates[index].failures - 1
        while doublings > 0, cap < spec.lockBackoffMax {
            cap = cap + cap
            doublings -= 1
        }
        return enactorStates[index].rng.duration(.zero, min(cap, spec.lockBackoffMax))
    }
}
