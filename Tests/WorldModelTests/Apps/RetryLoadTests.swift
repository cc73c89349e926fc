import SimKernel
import Testing
import WorldModel

@Suite("Retries: effective success, offered load, and the retry quota")
struct RetryLoadTests {
    @Test("the standard policy: 3 attempts, 1 − (1 − p)³ success, doubling backoff capped at 20 s")
    func policyArithmetic() {
        let policy = RetryPolicySpec.standard
        #expect(policy.maxAttempts == 3 && policy.jitter == .full && policy.quota == .standard)
        #expect(policy.successProbability(perAttempt: 0.5) == 0.875)
        #expect(policy.expectedAttempts(perAttempt: 0.5) == 1.75)
        #expect(policy.expectedAttempts(perAttempt: 0) == 3 && policy.expectedAttempts(perAttempt: 1) == 1)
        #expect(policy.successProbability(perAttempt: 0) == 0 && policy.successProbability(perAttempt: 1) == 1)
        #expect(policy.backoffCap(beforeRetry: 1) == .milliseconds(100))
        #expect(policy.backoffCap(beforeRetry: 2) == .milliseconds(200))
        #expect(policy.backoffCap(beforeRetry: 8) == .milliseconds(12_800))
        #expect(policy.backoffCap(beforeRetry: 9) == .seconds(20))
        #expect(policy.meanBackoff(beforeRetry: 2) == .milliseconds(100))
        #expect(RetryPolicySpec.noRetries.expectedAttempts(perAttempt: 0) == 1)
    }

    /// One app calling only DynamoDB, whose per-attempt success is `rate` from minute 10 to hour 2.
    static func run(
        rate: Double, retry: RetryPolicySpec, at time: SimDuration
    ) throws -> (offered: Double, nominal: Double, error: Double) {
        var fixture = AppFleetFixture()
        fixture.named = [AppFleetFixture.app("kv", retry: retry)]
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .hours(2), rate: rate)
        let (fleet, simulator, _) = try fixture.build()
        fleet.start()
        simulator.run(until: .zero + time)
        return (fleet.offeredLoad(of: "dynamodb"), fleet.nominalLoad(of: "dynamodb"), fleet.results().apps[0].peakErrorRate)
    }

    @Test("without a quota, a request succeeds with 1 − (1 − p)ⁿ and costs E[attempts] calls: a retry storm")
    func unlimitedRetries() throws {
        let unlimited = RetryPolicySpec(quota: nil)
        let half = try Self.run(rate: 0.5, retry: unlimited, at: .minutes(30))
        #expect(abs(half.nominal - 1_000_000.0 / 60) < 1e-6)  // 1 request per user per minute, one call each
        #expect(half.offered == half.nominal * 1.75)
        #expect(abs(half.error - 0.125) < 1e-12)
        let dead = try Self.run(rate: 0, retry: unlimited, at: .minutes(30))
        #expect(dead.offered == dead.nominal * 3)
        let healthy = try Self.run(rate: 0.5, retry: unlimited, at: .minutes(5))
        #expect(healthy.offered == healthy.nominal)
    }

    @Test("the retry quota caps the storm: partial failures still raise load, a dead dependency soon gets one attempt")
    func quotaCapsTheStorm() throws {
        let half = try Self.run(rate: 0.5, retry: .standard, at: .minutes(30))
        #expect(half.offered > half.nominal * 1.05)  // load above normal: visible
        #expect(half.offered < half.nominal * 1.75)  // but below the unlimited storm
        #expect(half.error > 0.125 && half.error < 0.5)  // fewer retries, so more failures than with all of them

        // The first tick of a hard failure spends the 500 tokens; from then on nothing refills them.
        let first = try Self.run(rate: 0, retry: .standard, at: .minutes(10))
        let later = try Self.run(rate: 0, retry: .standard, at: .minutes(30))
        #expect(first.offered > later.offered)
        #expect(later.offered == later.nominal)
        #expect(later.error == 1)

        // Milder failures refill the bucket faster than retries drain it: every retry is paid.
        let mild = try Self.run(rate: 0.9, retry: .standard, at: .minutes(30))
        #expect(abs(mild.offered - mild.nominal * RetryPolicySpec.standard.expectedAttempts(perAttempt: 0.9)) < 1e-6)
    }

    @Test("a larger quota pays for more retries")
    func quotaSizeMatters() throws {
        let small = try Self.run(rate: 0.5, retry: .standard, at: .minutes(10))
        var big = RetryPolicySpec.standard
        big.quota?.capacity = 50_000
        let large = try Self.run(rate: 0.5, retry: big, at: .minutes(10))
        #expect(large.offered > small.offered)
        #expect(large.error < small.error)
    }

    @Test("the quota refills once the dependency recovers, and the load returns to normal")
    func loadReturnsToNormal() throws {
        let after = try Self.run(rate: 0, retry: .standard, at: .hours(2) + .minutes(5))
        #expect(after.offered == after.nominal)
    }
}
