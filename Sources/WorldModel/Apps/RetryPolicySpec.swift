public import SimKernel

/// How an app's SDK clients retry a failed call: attempts, exponential backoff with jitter, and a retry quota.
///
/// The defaults are the AWS SDKs' `standard` retry mode (facts file, "Client behaviour that shapes the cascade": default
/// 3 attempts, exponential backoff with jitter, a retry quota as a token bucket). The numbers behind the quota and the
/// backoff are the SDK constants (AWS SDK for JavaScript v3 / Smithy `util-retry`, `constants.ts`; AWS SDKs and Tools
/// Reference Guide, "Retry behavior"): 500 initial tokens, 5 per retry (10 for a timeout), 1 back per success
/// without a retry, a 100 ms delay base and a 20 s backoff cap.
///
/// ```swift
/// let policy = RetryPolicySpec.standard
/// policy.successProbability(perAttempt: 0.5)   // 0.875: 1 − 0.5³
/// policy.expectedAttempts(perAttempt: 0.5)     // 1.75: a retry storm of +75 % while the quota lasts
/// ```
///
/// Attempts are independent: with per-attempt success `p` and `n` attempts a request succeeds with probability
/// `1 − (1 − p)ⁿ` and makes `1 + q + … + qⁿ⁻¹` attempts on average (`q = 1 − p`). ``AppFleet`` applies the quota as
/// a fluid per SDK client and tick: a request whose retries the bucket cannot pay makes one attempt only.
public struct RetryPolicySpec: Sendable, Hashable {
    /// How the backoff before a retry is drawn from its cap.
    public enum Jitter: String, Sendable, Hashable, CaseIterable {
        /// Exactly the cap.
        case none
        /// Uniform in [0, cap] ("full jitter", the SDK default).
        case full
    }

    /// Attempts per call, the first included (1 means no retries). Default 3.
    public var maxAttempts: Int
    /// The backoff cap before the first retry; it doubles for each further retry. Default 100 ms.
    public var baseBackoff: SimDuration
    /// The largest backoff cap. Default 20 s.
    public var maxBackoff: SimDuration
    /// Default ``Jitter/full``.
    public var jitter: Jitter
    /// The retry quota, or `nil` for unlimited retries (every call may use all its attempts). Default ``RetryQuotaSpec/standard``.
    public var quota: RetryQuotaSpec?

    public init(
        maxAttempts: Int = 3, baseBackoff: SimDuration = .milliseconds(100), maxBackoff: SimDuration = .seconds(20),
        jitter: Jitter = .full, quota: RetryQuotaSpec? = .standard
    ) {
        self.maxAttempts = maxAttempts
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.quota = quota
    }

    /// The AWS SDK `standard` retry mode.
    public static let standard = RetryPolicySpec()
    /// One attempt, no retries.
    public static let noRetries = RetryPolicySpec(maxAttempts: 1, quota: nil)

    /// The backoff cap before retry number `retry` (1 for the first retry): `min(maxBackoff, baseBackoff · 2^(retry−1))`.
    public func backoffCap(beforeRetry retry: Int) -> SimDuration {
        precondition(retry >= 1, "retries are numbered from 1")
        var cap = baseBackoff
        for _ in 1..<retry {
            if cap >= maxBackoff { break }
            cap = cap + cap
        }
        return min(cap, maxBackoff)
    }

    /// The mean backoff before retry number `retry`: half the cap with full jitter, the cap without.
    public func meanBackoff(beforeRetry retry: Int) -> SimDuration {
        let cap = backoffCap(beforeRetry: retry)
        return jitter == .full ? SimDuration(nanoseconds: cap.nanoseconds / 2) : cap
    }

    /// The chance that a call succeeds within ``maxAttempts`` independent attempts: `1 − (1 − p)ⁿ`.
    public func successProbability(perAttempt p: Double) -> Double {
        1 - failureProbability(perAttempt: p)
    }

    /// The mean number of attempts a call makes when every retry is allowed: `1 + q + … + qⁿ⁻¹` with `q = 1 − p`.
    public func expectedAttempts(perAttempt p: Double) -> Double {
        let q = 1 - RetryPolicySpec.clamp(p)
        var sum = 0.0
        var term = 1.0
        for _ in 0..<max(1, maxAttempts) {
            sum += term
            term *= q
        }
        return sum
    }

    /// `(1 − p)ⁿ` by repeated multiplication (basic IEEE operations only, the same bits everywhere).
    func failureProbability(perAttempt p: Double) -> Double {
        let q = 1 - RetryPolicySpec.clamp(p)
        var product = 1.0
        for _ in 0..<max(1, maxAttempts) { product *= q }
        return product
    }

    /// Everything wrong with the policy, one sentence each; empty when it can be used.
    public func validationErrors(prefix: String) -> [String] {
        var problems: [String] = []
        if maxAttempts < 1 { problems.append("\(prefix): retry maxAttempts must be at least 1") }
        if baseBackoff < .zero { problems.append("\(prefix): retry baseBackoff must not be negative") }
        if maxBackoff < baseBackoff { problems.append("\(prefix): retry maxBackoff must be at least baseBackoff") }
        if let quota { problems += quota.validationErrors(prefix: prefix) }
        return problems
    }

    /// A success rate clamped to 0…1, NaN as 0.
    static func clamp(_ p: Double) -> Double {
        guard p.isNaN == false else { return 0 }
        return min(1, max(0, p))
    }
}

/// The retry quota of one SDK client: a token bucket that pays for retries and refills on success.
///
/// A retry takes ``retryCost`` tokens and is not made when fewer are left; a call that succeeds without a retry puts
/// back ``noRetryIncrement``; a call that succeeds on a retry puts back that retry's cost. The bucket never holds more
/// than ``capacity``. When a dependency fails hard the bucket empties within seconds and the client stops retrying:
/// the quota is what keeps the SDK's own retries from tripling the load for the whole outage.
public struct RetryQuotaSpec: Sendable, Hashable {
    /// Tokens in a full bucket (and at start). SDK default 500.
    public var capacity: Double
    /// Tokens one retry takes. SDK default 5; the SDKs charge 10 (`TIMEOUT_RETRY_COST`) when the failure was a
    /// timeout — set 10 to model calls that time out rather than fail fast.
    public var retryCost: Double
    /// Tokens a call that succeeded on its first attempt puts back. SDK default 1.
    public var noRetryIncrement: Double

    public init(capacity: Double = 500, retryCost: Double = 5, noRetryIncrement: Double = 1) {
        self.capacity = capacity
        self.retryCost = retryCost
        self.noRetryIncrement = noRetryIncrement
    }

    /// The AWS SDK `standard` mode quota.
    public static let standard = RetryQuotaSpec()

    /// Everything wrong with the quota, one sentence each.
    public func validationErrors(prefix: String) -> [String] {
        var problems: [String] = []
        if !(capacity >= 0) || !capacity.isFinite { problems.append("\(prefix): retry quota capacity must be ≥ 0") }
        if !(retryCost > 0) || !retryCost.isFinite { problems.append("\(prefix): retry quota retryCost must be > 0") }
        if !(noRetryIncrement >= 0) || !noRetryIncrement.isFinite {
            problems.append("\(prefix): retry quota noRetryIncrement must be ≥ 0")
        }
        return problems
    }
}
