public import SimKernel

/// A snapshot of a lease manager, for reports and expectations.
public struct LeaseManagerStatus: Sendable, Hashable {
    /// When the snapshot was taken.
    public var time: SimTime
    /// Hosts whose lease is valid.
    public var leasesHeld: Int
    /// All hosts.
    public var hosts: Int
    /// Hosts whose work completed within the timeout, per minute, averaged over the last renewal interval.
    public var goodputPerMinute: Double
    /// Hosts that need work per minute in steady state (every host once per renewal interval).
    public var demandPerMinute: Double
    /// Items waiting in the pool's queue (admitted, not yet being worked on).
    public var queueLength: Int
    /// Items held back by admission control (waiting outside the queue, not ageing).
    public var backlogLength: Int
    /// Workers busy.
    public var busyWorkers: Int
    /// Hosts whose work completed in time during the last minute.
    public var completedLastMinute: Int
    /// Hosts whose work completed too late (wasted and queued again) during the last minute.
    public var wastedLastMinute: Int
    /// Hosts whose work failed on a key-value call during the last minute.
    public var failedLastMinute: Int

    public init(
        time: SimTime, leasesHeld: Int, hosts: Int, goodputPerMinute: Double, demandPerMinute: Double, queueLength: Int,
        backlogLength: Int, busyWorkers: Int, completedLastMinute: Int, wastedLastMinute: Int, failedLastMinute: Int
    ) {
        self.time = time
        self.leasesHeld = leasesHeld
        self.hosts = hosts
        self.goodputPerMinute = goodputPerMinute
        self.demandPerMinute = demandPerMinute
        self.queueLength = queueLength
        self.backlogLength = backlogLength
        self.busyWorkers = busyWorkers
        self.completedLastMinute = completedLastMinute
        self.wastedLastMinute = wastedLastMinute
        self.failedLastMinute = failedLastMinute
    }

    /// The fraction of hosts with a valid lease, 0…1.
    public var heldFraction: Double { hosts > 0 ? Double(leasesHeld) / Double(hosts) : 0 }
}
