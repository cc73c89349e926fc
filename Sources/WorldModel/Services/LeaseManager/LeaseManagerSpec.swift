public import SimKernel

/// The numbers of a lease manager (EC2 DropletWorkflow-Manager-like): a fleet of hosts, each holding a lease that
/// must be renewed through the key-value service.
///
/// Whether re-establishing leases after an outage converges or enters congestive collapse follows from these
/// numbers alone. With the defaults, re-establishing the whole fleet takes
/// `hosts × establishCost / workers` = 100 000 × 2.7 s / 64 ≈ 70 min of pool time, far longer than the 2-minute
/// `workTimeout`: an unthrottled fleet-wide re-establishment collapses, while an operator who throttles admission
/// (so that queued work finishes within the timeout) and restarts the hosts gets every lease back in about 70 minutes.
///
/// ```swift
/// var spec = LeaseManagerSpec()
/// spec.workTimeout = .hours(2)   // long enough for the whole backlog: no collapse
/// ```
public struct LeaseManagerSpec: Sendable, Hashable {
    /// Physical servers ("droplets") that each need a lease. Default 100 000.
    public var hosts: Int
    /// Hosts simulated together as one item (one lease record, one unit of re-establishment work). Default 10:
    /// 10 000 items, small enough against the pool (64 workers) that the grouping does not shape the outcome.
    public var hostsPerItem: Int
    /// A lease not renewed within this time lapses. Default 30 min.
    public var leasePeriod: SimDuration
    /// Each item is due for renewal this often, at its own phase (shorter than `leasePeriod`). Default 5 min.
    public var renewalInterval: SimDuration
    /// Concurrent work slots in the manager's pool. Default 64.
    public var workers: Int
    /// Pool work time to renew one host's still-valid lease. Default 10 ms.
    public var renewCost: SimDuration
    /// Pool work time to re-establish one host's lapsed lease (much larger than renewing). Default 2.7 s.
    public var establishCost: SimDuration
    /// Work not completed within this time after it entered the pool's queue is wasted: it is done, discarded and
    /// queued again. Default 2 min.
    public var workTimeout: SimDuration
    /// Key-value calls each unit of work makes, one after another, before its work starts (a failed call fails the
    /// work; the items retry at their next renewal). Each call costs one request unit per host. Default 2.
    public var kvCallsPerItem: Int
    /// The most items renewed together by one unit of renewal work (renewals of valid leases are batched). Default 100.
    public var renewalBatchItems: Int
    /// How often the renewal sweep submits the items that have come due. Default 15 s.
    public var sweepInterval: SimDuration

    /// A spec; every argument has a documented default.
    public init(
        hosts: Int = 100_000, hostsPerItem: Int = 10, leasePeriod: SimDuration = .minutes(30),
        renewalInterval: SimDuration = .minutes(5), workers: Int = 64, renewCost: SimDuration = .milliseconds(10),
        establishCost: SimDuration = .milliseconds(2_700), workTimeout: SimDuration = .minutes(2), kvCallsPerItem: Int = 2,
        renewalBatchItems: Int = 100, sweepInterval: SimDuration = .seconds(15)
    ) {
        self.hosts = hosts
        self.hostsPerItem = hostsPerItem
        self.leasePeriod = leasePeriod
        self.renewalInterval = renewalInterval
        self.workers = workers
        self.renewCost = renewCost
        self.establishCost = establishCost
        self.workTimeout = workTimeout
        self.kvCallsPerItem = kvCallsPerItem
        self.renewalBatchItems = renewalBatchItems
        self.sweepInterval = sweepInterval
    }

    /// The number of simulated items (the last one may hold fewer than `hostsPerItem` hosts).
    public var items: Int { hostsPerItem > 0 ? (hosts + hostsPerItem - 1) / hostsPerItem : 0 }

    /// Pool time to re-establish every lease with all workers busy: `hosts × establishCost / workers`.
    /// This is how long an orderly recovery of the whole fleet takes (plus the renewals it must keep up).
    public var fleetReestablishmentTime: SimDuration {
        SimDuration(nanoseconds: establishCost.nanoseconds * Int64(max(hosts, 0)) / Int64(max(workers, 1)))
    }

    /// What is wrong with the spec, one sentence per problem; empty when it is usable.
    public var problems: [String] {
        var out: [String] = []
        if hosts < 1 { out.append("hosts must be at least 1 (got \(hosts))") }
        if hostsPerItem < 1 { out.append("hostsPerItem must be at least 1 (got \(hostsPerItem))") }
        if workers < 1 { out.append("workers must be at least 1 (got \(workers))") }
        if renewalInterval <= .zero { out.append("renewalInterval must be positive (got \(renewalInterval))") }
        if leasePeriod <= renewalInterval {
            out.append("leasePeriod (\(leasePeriod)) must be longer than renewalInterval (\(renewalInterval))")
        }
        if renewCost < .zero { out.append("renewCost must not be negative (got \(renewCost))") }
        if establishCost < .zero { out.append("establishCost must not be negative (got \(establishCost))") }
        if workTimeout <= .zero { out.append("workTimeout must be positive (got \(workTimeout))") }
        if kvCallsPerItem < 0 { out.append("kvCallsPerItem must not be negative (got \(kvCallsPerItem))") }
        if renewalBatchItems < 1 { out.append("renewalBatchItems must be at least 1 (got \(renewalBatchItems))") }
        if sweepInterval <= .zero { out.append("sweepInterval must be positive (got \(sweepInterval))") }
        return out
    }
}
