public import DNSModel
public import SimKernel

/// A DNS management plane (DynamoDB-like DNS automation): a Planner that writes plan generations and Enactors that
/// apply them to one authoritative server under a lock, then clean up old plans.
///
/// The spec describes the machinery and its timings only. Whether the endpoint's record set ever empties is decided
/// by the mechanism in the run (lock contention, backoff, the once-only staleness check, the clean-up), never here.
///
/// ```swift
/// let spec = ManagementPlaneSpec(
///     id: "dynamodb-dns", authority: "route53",
///     name: try DomainName("dynamodb.us-east-1.amazonaws.com."),
///     addressPool: (1...16).map { .v4(IPv4Address(192, 0, 2, UInt8($0))) })
/// assert(spec.validationErrors().isEmpty)
/// ```
///
/// Every timing is a parameter: none of the real system's values is public, so the defaults are plausible
/// magnitudes chosen so that a healthy plane never empties the record and one badly delayed enactor can.
public struct ManagementPlaneSpec: Sendable, Hashable {
    /// The plane's id; its events use the component `automation/<id>`.
    public var id: String
    /// The id of the authoritative server the enactors write to.
    public var authority: String
    /// The endpoint name whose address records the plane manages (`dynamodb.us-east-1.amazonaws.com.`).
    public var name: DomainName
    /// TTL of the endpoint's address records, in seconds. Default 60 (the real value is not public; it is a
    /// scenario parameter).
    public var recordTTL: UInt32
    /// The load-balancer addresses the Planner chooses from. IPv4 addresses are published as A records, IPv6 ones as
    /// AAAA records; a record type is managed only if the pool holds an address of its family.
    public var addressPool: [IPAddress]
    /// How many addresses of the pool each plan uses (all with equal weight). Default 4.
    public var addressesPerPlan: Int
    /// How often the Planner writes a new plan generation. Default 1 minute.
    public var plannerPeriod: SimDuration
    /// How many Enactors run (one per Availability Zone). Default 3.
    public var enactors: Int
    /// How long one attempt to take the lock takes, successful or not (a change batch that replaces the lock record).
    /// Default 500 ms.
    public var lockAttemptTime: SimDuration
    /// How long a taken lock stays valid if its holder never releases it (the expiry written in the lock record).
    /// Must exceed ``applyTime``. Default 2 minutes.
    public var lockLease: SimDuration
    /// How long applying one plan's transaction takes once the lock is held. Default 5 seconds.
    public var applyTime: SimDuration
    /// The first backoff cap after a failed lock attempt or transaction. Backoff is exponential with full jitter:
    /// after the n-th consecutive failure an Enactor waits a uniform time in [0, min(lockBackoffMax,
    /// lockBackoffInitial · 2^(n−1))]. Default 1 second.
    public var lockBackoffInitial: SimDuration
    /// The largest backoff cap. Default 2 minutes.
    public var lockBackoffMax: SimDuration
    /// After applying generation g, an Enactor's clean-up deletes every stored plan with a generation below
    /// g − cleanupThreshold ("significantly older"). Default 10 generations.
    public var cleanupThreshold: Int
    /// How long after an apply that Enactor's clean-up runs. Default 30 seconds.
    public var cleanupDelay: SimDuration
    /// How often an idle Enactor looks for a plan newer than the applied one. Default 10 seconds.
    public var enactorPollInterval: SimDuration

    public init(
        id: String, authority: String, name: DomainName, recordTTL: UInt32 = 60, addressPool: [IPAddress],
        addressesPerPlan: Int = 4, plannerPeriod: SimDuration = .minutes(1), enactors: Int = 3,
        lockAttemptTime: SimDuration = .milliseconds(500), lockLease: SimDuration = .minutes(2),
        applyTime: SimDuration = .seconds(5), lockBackoffInitial: SimDuration = .seconds(1),
        lockBackoffMax: SimDuration = .minutes(2), cleanupThreshold: Int = 10, cleanupDelay: SimDuration = .seconds(30),
        enactorPollInterval: SimDuration = .seconds(10)
    ) {
        self.id = id
        self.authority = authority
        self.name = name
        self.recordTTL = recordTTL
        self.addressPool = addressPool
        self.addressesPerPlan = addressesPerPlan
        self.plannerPeriod = plannerPeriod
        self.enactors = enactors
        self.lockAttemptTime = lockAttemptTime
        self.lockLease = lockLease
        self.applyTime = applyTime
        self.lockBackoffInitial = lockBackoffInitial
        self.lockBackoffMax = lockBackoffMax
        self.cleanupThreshold = cleanupThreshold
        self.cleanupDelay = cleanupDelay
        self.enactorPollInterval = enactorPollInterval
    }

    /// Everything wrong with the spec, one sentence each, in a fixed order; empty when the spec can be run.
    public func validationErrors() -> [String] {
        var problems: [String] = []
        let prefix = "management plane '\(id)'"
        if id.isEmpty { problems.append("management plane: id must not be empty") }
        if authority.isEmpty { problems.append("\(prefix): authority must not be empty") }
        if recordTTL > 2_147_483_647 { problems.append("\(prefix): recordTTL must be at most 2147483647 (RFC 2181 §8)") }
        if addressPool.isEmpty { problems.append("\(prefix): addressPool must not be empty") }
        let distinct = Set(addressPool).count
        if distinct != addressPool.count { problems.append("\(prefix): addressPool has duplicate addresses") }
        if addressesPerPlan < 1 { problems.append("\(prefix): addressesPerPlan must be at least 1") }
        if !addressPool.isEmpty, addressesPerPlan > distinct {
            problems.append("\(prefix): addressesPerPlan (\(addressesPerPlan)) exceeds the \(distinct) pool addresses")
        }
        if plannerPeriod <= .zero { problems.append("\(prefix): plannerPeriod must be positive") }
        if enactors < 1 { problems.append("\(prefix): enactors must be at least 1") }
        if lockAttemptTime <= .zero { problems.append("\(prefix): lockAttemptTime must be positive") }
        if applyTime <= .zero { problems.append("\(prefix): applyTime must be positive") }
        if lockLease <= applyTime { problems.append("\(prefix): lockLease must be longer than applyTime") }
        if lockBackoffInitial <= .zero { problems.append("\(prefix): lockBackoffInitial must be positive") }
        if lockBackoffMax < lockBackoffInitial {
            problems.append("\(prefix): lockBackoffMax must be at least lockBackoffInitial")
        }
        if cleanupThreshold < 0 { problems.append("\(prefix): cleanupThreshold must not be negative") }
        if cleanupDelay < .zero { problems.append("\(prefix): cleanupDelay must not be negative") }
        if enactorPollInterval <= .zero { problems.append("\(prefix): enactorPollInterval must be positive") }
        return problems
    }

    /// The automation component the plane's events name.
    public var component: ComponentID { ComponentID(.automation, id) }
}
