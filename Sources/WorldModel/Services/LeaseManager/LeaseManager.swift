public import SimKernel

/// A lease manager (EC2 DropletWorkflow-Manager-like): every host holds a lease that must be renewed through the
/// key-value service, and lapsed leases are re-established by a bounded worker pool whose work can time out.
///
/// Hosts are simulated in items of ``LeaseManagerSpec/hostsPerItem``. Each item comes due for renewal once per
/// ``LeaseManagerSpec/renewalInterval`` at its own phase (drawn from the random stream); a sweep every
/// ``LeaseManagerSpec/sweepInterval`` submits the due items that have no work pending: items with a valid lease
/// together, in renewal batches of at most ``LeaseManagerSpec/renewalBatchItems`` items, items whose lease lapsed
/// one by one as re-establishment work. A unit of work enters the pool's FIFO queue (renewals are served before
/// re-establishment), and a free worker makes ``LeaseManagerSpec/kvCallsPerItem`` key-value calls, then works for
/// `hosts × renewCost` or `hosts × establishCost`. A failed call fails the work; its items try again when next due.
/// Work that completes more than ``LeaseManagerSpec/workTimeout`` after it entered the queue is wasted and queued
/// again; work completed in time gives its hosts a lease for ``LeaseManagerSpec/leasePeriod``.
///
/// Nothing here knows about outages: when the key-value service is unreachable for longer than a lease period, the
/// leases lapse; when it returns, the whole fleet needs re-establishment at once, and if that backlog takes much
/// longer than the timeout, nearly every unit of work completes too late and is queued again — goodput stays near
/// zero after the trigger is gone (a metastable failure). ``throttle(maxQueued:)`` and ``restartHosts()`` are the
/// operator's ways out.
///
/// ```swift
/// let manager = LeaseManager(
///     id: "droplet-leases", spec: LeaseManagerSpec(), kv: kvAccess, simulator: sim, trace: world.trace,
///     rng: streams.stream("service/droplet-leases"))
/// manager.start()
/// sim.schedule(at: throttleTime) {
///     manager.throttle(maxQueued: 128)
///     manager.restartHosts()
/// }
/// ```
///
/// It publishes `.stateChanged` events for its ``component`` only at notable transitions: kind `lease` when the
/// fraction of hosts holding a lease crosses a 10 % step, kind `goodput` when goodput collapses below 5 % of demand,
/// changes its cause while collapsed, or recovers above 50 %; kinds `throttle` and `restart` for operator actions.
public final class LeaseManager {
    /// The manager's name.
    public let id: String
    /// The numbers it runs with.
    public let spec: LeaseManagerSpec
    /// `service/<id>`: the component its events are published for.
    public let component: ComponentID

    let kv: any KeyValueAccess
    let simulator: Simulator
    let trace: TraceBus<WorldEvent>

    /// Hosts in each item.
    let itemHosts: [Int]
    /// Each item's renewal phase within a renewal interval, ascending (items are numbered in phase order).
    let phases: [SimDuration]
    // Hot stored properties skip Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`): every access is short
    // and none is held across a call that could reach this manager again (key-value completions, the simulator).

    /// When each item's lease lapses.
    @exclusivity(unchecked) var expiry: [SimTime]
    /// Whether each item has work submitted (in the backlog, the queue or a worker).
    @exclusivity(unchecked) var pending: [Bool]
    /// The expiries written since ``start()`` that the clock has not reached yet, in time order (a renewal always sets
    /// `now + leasePeriod`, later than any expiry already listed). An entry whose time is no longer its item's
    /// ``expiry`` was superseded by a renewal.
    @exclusivity(unchecked) var lapses = CompactingQueue<Lapse>()
    /// Hosts whose lease is valid, as of the last ``advanceLapses(to:)``.
    @exclusivity(unchecked) var heldHosts: Int

    @exclusivity(unchecked) var isStarted = false
    /// The next item the sweep looks at, and the start of the renewal cycle it is in.
    @exclusivity(unchecked) var cursor = 0
    @exclusivity(unchecked) var cycleStart = SimTime.zero

    // The work pool.
    @exclusivity(unchecked) var renewQueue = JobQueue()
    @exclusivity(unchecked) var establishQueue = JobQueue()
    @exclusivity(unchecked) var renewBacklog = JobQueue()
    @exclusivity(unchecked) var establishBacklog = JobQueue()
    @exclusivity(unchecked) var inService: [Job?]
    @exclusivity(unchecked) var serviceTokens: [UInt64]
    @exclusivity(unchecked) var serviceHandles: [EventHandle?]
    @exclusivity(unchecked) var freeWorkers: [Int]
    /// Units of work admitted into the pool (queued or in service).
    @exclusivity(unchecked) var admitted = 0
    /// The throttle: the most units of work admitted at once, or `nil` for no limit.
    @exclusivity(unchecked) public internal(set) var admissionLimit: Int?
    @exclusivity(unchecked) var nextToken: UInt64 = 1
    @exclusivity(unchecked) var pumping = false

    /// Hosts whose work completed in time, since the start.
    @exclusivity(unchecked) public internal(set) var completedHosts = 0
    /// Hosts whose lapsed lease was re-established, since the start.
    @exclusivity(unchecked) public internal(set) var establishedHosts = 0
    /// Hosts whose work completed too late and was queued again, since the start (each time counts).
    @exclusivity(unchecked) public internal(set) var wastedHosts = 0
    /// Hosts whose work failed on a key-value call, since the start (each time counts).
    @exclusivity(unchecked) public internal(set) var failedHosts = 0
    /// One snapshot per minute of virtual time since the start, in time order.
    public internal(set) var samples: [LeaseManagerStatus] = []
    /// Hosts per minute whose work completed in time, averaged over the last renewal interval (updated each minute).
    public internal(set) var goodputPerMinute: Double = 0

    @exclusivity(unchecked) var minuteCompleted = 0
    @exclusivity(unchecked) var minuteWasted = 0
    @exclusivity(unchecked) var minuteFailed = 0
    var goodputWindow: [Int] = []
    var heldDecile = 10
    var goodputState = GoodputState.healthy

    /// A manager for `spec.hosts` hosts whose leases are all valid; nothing happens until ``start()``.
    ///
    /// `kv` is how its workers reach the key-value service (each call names its worker slot, `0..<workers`, as
    /// the caller). `rng` draws the items' renewal phases.
    public init(
        id: String, spec: LeaseManagerSpec, kv: any KeyValueAccess, simulator: Simulator, trace: TraceBus<WorldEvent>,
        rng: RandomStream
    ) {
        precondition(spec.problems.isEmpty, "invalid LeaseManagerSpec: \(spec.problems.joined(separator: "; "))")
        self.id = id
        self.spec = spec
        self.component = ComponentID(.service, id)
        self.kv = kv
        self.simulator = simulator
        self.trace = trace
        let items = spec.items
        itemHosts = (0..<items).map { min(spec.hostsPerItem, spec.hosts - $0 * spec.hostsPerItem) }
        var rng = rng
        let lastPhase = spec.renewalInterval - .nanoseconds(1)
        phases = (0..<items).map { _ in rng.duration(.zero, lastPhase) }.sorted()
        expiry = Array(repeating: .distantFuture, count: items)
        pending = Array(repeating: false, count: items)
        heldHosts = spec.hosts
        inService = Array(repeating: nil, count: spec.workers)
        serviceTokens = Array(repeating: 0, count: spec.workers)
        serviceHandles = Array(repeating: nil, count: spec.workers)
        freeWorkers = Array((0..<spec.workers).reversed())
    }

    /// Starts the renewal sweep and the per-minute observation. Every lease is valid at the start, as if each item had
    /// been renewed one renewal interval before its first due time.
    public func start() {
        precondition(!isStarted, "LeaseManager.start() called twice")
        isStarted = true
        let now = simulator.now
        cycleStart = now
        lapses.reserveCapacity(expiry.count)
        for item in expiry.indices {
            // Later than `now` (the lease period is longer than the renewal interval), ascending with the phases.
            expiry[item] = now + phases[item] - spec.renewalInterval + spec.leasePeriod
            lapses.append(Lapse(time: expiry[item], item: item))
        }
        sweep()
        simulator.schedule(after: .minutes(1)) { [weak self] in self?.observeMinute() }
    }

    /// Hosts whose lease is valid now.
    public var leasesHeld: Int {
        advanceLapses(to: simulator.now)
        return heldHosts
    }

    /// The fraction of hosts whose lease is valid now, 0…1.
    public var heldFraction: Double { Double(leasesHeld) / Double(spec.hosts) }

    /// Hosts that need work per minute in steady state: every host once per renewal interval.
    public var demandPerMinute: Double { Double(spec.hosts) * 60 / spec.renewalInterval.seconds }

    /// Items waiting in the pool's queue (admitted, not yet being worked on).
    public var queueLength: Int { renewQueue.itemCount + establishQueue.itemCount }

    /// Items held back by admission control, waiting outside the queue.
    public var backlogLength: Int { renewBacklog.itemCount + establishBacklog.itemCount }

    /// Workers busy now.
    public var busyWorkers: Int { spec.workers - freeWorkers.count }

    /// Submits the items that have come due since the last sweep and schedules the next sweep.
    func sweep() {
        let now = simulator.now
        var batch: [Int] = []
        var batchHosts = 0
        while cycleStart + phases[cursor] <= now {
            let item = cursor
            if !pending[item] {
                pending[item] = true
                if expiry[item] > now {
                    if batch.isEmpty { batch.reserveCapacity(min(spec.renewalBatchItems, phases.count)) }
                    batch.append(item)
                    batchHosts += itemHosts[item]
                    if batch.count == spec.renewalBatchItems {
                        submit(Job(kind: .renew, items: batch, hosts: batchHosts, enqueuedAt: now))
                        batch = []
                        batchHosts = 0
                    }
                } else {
                    submit(Job(kind: .establish, items: [item], hosts: itemHosts[item], enqueuedAt: now))
                }
            }
            cursor += 1
            if cursor == phases.count {
                cursor = 0
                cycleStart += spec.renewalInterval
            }
        }
        if !batch.isEmpty { submit(Job(kind: .renew, items: batch, hosts: batchHosts, enqueuedAt: now)) }
        pump()
        simulator.schedule(after: spec.sweepInterval) { [weak self] in self?.sweep() }
    }
}
