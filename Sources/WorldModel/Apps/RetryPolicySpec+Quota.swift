/// What one SDK client's calls to one dependency achieve over one tick.
struct CallOutcome: Equatable {
    /// The chance that a call succeeds, retries included.
    var success: Double
    /// The mean number of attempts per call (1 = no retries; the offered load is calls × attempts).
    var attempts: Double
    /// The client's retry-quota tokens at the end of the tick.
    var tokens: Double
}

extension RetryPolicySpec {
    /// Runs one SDK client's calls over one tick as a fluid: `calls` calls with per-attempt success `p`, starting
    /// with `tokens` in the retry quota.
    ///
    /// Per call with retries paid for, the bucket loses `retryCost · (E[attempts] − 1)` and gets back
    /// `noRetryIncrement` if the first attempt succeeded or `retryCost` if a retry did; `drain` is the net loss.
    /// If the bucket can pay for every call it does; otherwise the first `tokens / drain` calls are paid for, and the
    /// rest of the tick runs with the bucket near empty, where calls that cannot retry refill it
    /// (`p · noRetryIncrement` each) exactly as fast as paid calls drain it: a share `p·inc / (drain + p·inc)` of
    /// them gets retries. With `p = 0` nothing refills it and retries stop until the dependency answers again.
    func step(perAttempt rate: Double, calls: Double, tokens: Double) -> CallOutcome {
        let p = RetryPolicySpec.clamp(rate)
        let full = successProbability(perAttempt: p)
        let attempts = expectedAttempts(perAttempt: p)
        guard let quota, maxAttempts > 1, calls > 0 else {
            return CallOutcome(success: full, attempts: attempts, tokens: tokens)
        }
        let drain =
            quota.retryCost * (attempts - 1) - p * quota.noRetryIncrement - (full - p) * quota.retryCost
        let covered: Double
        let after: Double
        if drain <= 0 {
            covered = 1
            after = min(quota.capacity, tokens - calls * drain)
        } else if calls * drain <= tokens {
            covered = 1
            after = tokens - calls * drain
        } else {
            let paid = tokens / drain
            let refill = p * quota.noRetryIncrement
            let steady = refill / (drain + refill)
            covered = (paid + (calls - paid) * steady) / calls
            after = 0
        }
        return CallOutcome(
            success: covered * full + (1 - covered) * p, attempts: covered * attempts + (1 - covered), tokens: after)
    }
}
