public import SimKernel

/// A health-checked load balancer (NLB-like): nodes in DNS, one per availability zone, each routing new client
/// connections to the targets in its zone that are in service.
///
/// What it models, every `spec.checkInterval` per node (one event per node per round, whatever the number of
/// targets):
/// - **Target checks.** Each target behind the node is checked; a check passes only if the target has
///   connectivity (``setTargetConnectivity(_:_:)``; a target whose network state has not propagated fails).
///   `unhealthyThreshold` consecutive failures take a target out of service, `healthyThreshold` passes put it back.
///   New targets start in service (unless `spec.newTargetsInService` is `false`), so a target that joins before it
///   has connectivity takes traffic until its checks remove it.
/// - **Node DNS health and automatic failover.** The node's own DNS health check probes `spec.nodeProbes` targets
///   drawn at random behind it; the round fails when more than `spec.failoverThreshold` of the probes fail. With
///   automatic failover on, `unhealthyThreshold` failed rounds remove the node from DNS and `healthyThreshold`
///   passed rounds bring it back. With a mix of targets with and without connectivity the rounds alternate at
///   random, so the node *flaps*: the more targets lack connectivity, the more often. If every node is removed,
///   DNS answers with all of them (fail open).
/// - **Client errors.** Client connections spread evenly over the nodes in DNS, and within a node evenly over its
///   in-service targets (all registered targets if none is in service). A connection fails if its target has no
///   connectivity, or if the node's connected in-service targets (one unit of capacity each) cannot carry its share
///   of `offeredLoad` — which is how a node removed from DNS turns into errors on the others. ``errorRate`` is the
///   fraction of new connections that fail, right now.
/// - **Background failures.** With `spec.targetFailureRate` > 0, targets also fail on their own for a while (a
///   check fails and connections to them fail, whatever their connectivity). Health checks take them out of service
///   within `unhealthyThreshold` rounds, so clients hardly notice — unless automatic failover is off and
///   `spec.failoverCoversTargets` is set: then failing targets stay in service and their share of connections fails
///   until failover is switched back on.
///
/// Timeline lines (`.stateChanged`) only at notable transitions: `failover` (a node leaves or returns to DNS while
/// not flapping; an operator switches failover), `flap` (a node starts or stops flapping; the changes in between
/// are counted, not published), `errors` (errors begin, cross a level of `spec.errorThresholds` judged on
/// `spec.errorWindow` means, or end after a whole window without any).
///
/// ```swift
/// let lb = HealthCheckedBalancer(
///     id: ComponentID(.service, "nlb"), spec: HealthCheckedBalancerSpec(), simulator: sim, trace: trace,
///     rng: streams.stream("service/nlb"))
/// lb.start()
/// let target = lb.addTarget(connected: false)
/// queue.submit(instance: target) { lb.setTargetConnectivity(target, true) }
/// sim.schedule(at: operatorTime) { lb.disableAutomaticFailover() }
/// ```
///
/// The check rounds repeat for as long as the run lasts: drive the simulator with `run(until:)`.
public final class HealthCheckedBalancer {
    /// This balancer's component (normally of kind `.service`).
    public let id: ComponentID
    public let spec: HealthCheckedBalancerSpec
    /// Running totals since the balancer was created.
    @exclusivity(unchecked) public internal(set) var counters = HealthCheckedBalancerCounters()
    /// The fraction of new client connections that fail right now, in [0, 1].
    @exclusivity(unchecked) public internal(set) var errorRate = 0.0
    /// Whether automatic failover removes failing nodes from DNS.
    @exclusivity(unchecked) public private(set) var failoverEnabled: Bool
    /// Client demand as a fraction of the starting fleet's capacity (see ``HealthCheckedBalancerSpec/offeredLoad``);
    /// a caller may change it during the run.
    public var offeredLoad: Double {
        get { load }
        set {
            precondition(newValue >= 0 && newValue.isFinite, "offeredLoad must be a non-negative number")
            settle()
            load = newValue
            refresh()
        }
    }

    let simulator: Simulator
    let trace: TraceBus<WorldEvent>
    @exclusivity(unchecked) private var rng: RandomStream
    @exclusivity(unchecked) private var load: Double

    struct Target {
        var zone: Int
        var connected: Bool
        /// A background failure (``HealthCheckedBalancerSpec/targetFailureRate``) is under way.
        var failed = false
        var registered = true
        var inService: Bool
        var passes = 0
        var fails = 0
        /// Position in its node's `members`.
        var slot: Int
        /// Position in its node's `attention`, or -1.
        var attentionSlot = -1

        /// Whether a check round must look at it: anything but a working target in service with no failed check
        /// (such a target stays as it is whatever the check finds), and anything but a dormant one.
        func needsAttention(unhealthyThreshold: Int) -> Bool {
            registered && !(inService && fails == 0 && connected && !failed) && !isDormant(unhealthyThreshold)
        }

        /// A failing target already out of service with enough failed checks: each check only counts one more failure
        /// (its failure count matters only up to the threshold), until its connectivity or repair changes that.
        func isDormant(_ unhealthyThreshold: Int) -> Bool {
            !inService && (!connected || failed) && fails >= max(1, unhealthyThreshold)
        }
    }

    struct Node {
        /// Registered targets behind the node, by index.
        var members: [Int] = []
        /// The members whose ``Target/needsAttention(unhealthyThreshold:)`` holds, in no particular order.
        var attention: [Int] = []
        /// Members that are ``Target/isDormant(_:)``: each round counts a failed check for each.
        var dormant = 0
        var connected = 0
        /// Targets with connectivity and no background failure: they serve connections and pass checks.
        var working = 0
        var inService = 0
        var inServiceWorking = 0
        var inDNS = true
        var passes = 0
        var fails = 0
        /// DNS membership changes within the last `flapWindow`.
        var recentChanges: [SimTime] = []
        var flapping = false
        var episodeChanges = 0
    }

    // Hot stored properties skip Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`): every access is short
    // and none is held across a call that could reach this balancer again (publishing, scheduling).
    @exclusivity(unchecked) var targets: [Target] = []
    @exclusivity(unchecked) var nodes: [Node]
    @exclusivity(unchecked) private var nextZone = 0
    @exclusivity(unchecked) private var started = false

    // Error accounting (see HealthCheckedBalancer+Errors.swift).
    @exclusivity(unchecked) var errorIntegral = 0.0
    @exclusivity(unchecked) var lastAccounting: SimTime
    @exclusivity(unchecked) var windowStart: SimTime
    @exclusivity(unchecked) var windowIntegral = 0.0
    @exclusivity(unchecked) var erroring = false
    @exclusivity(unchecked) var errorLevel = 0
    @exclusivity(unchecked) var zeroSince: SimTime?
    @exclusivity(unchecked) var episodePeakError = 0.0

    /// Creates a balancer with `spec.targets` targets, all with connectivity and in service, and every node in DNS.
    /// `spec` must have no ``HealthCheckedBalancerSpec/validationProblems``. Nothing is checked until ``start()``.
    public init(
        id: ComponentID, spec: HealthCheckedBalancerSpec, simulator: Simulator, trace: TraceBus<WorldEvent>,
        rng: RandomStream
    ) {
        precondition(spec.validationProblems.isEmpty, "invalid HealthCheckedBalancerSpec: \(spec.validationProblems)")
        self.id = id
        self.spec = spec
        self.simulator = simulator
        self.trace = trace
        self.rng = rng
        self.load = spec.offeredLoad
        self.failoverEnabled = spec.failoverEnabled
        self.nodes = Array(repeating: Node(), count: spec.nodes)
        self.lastAccounting = simulator.now
        self.windowStart = simulator.now
        for _ in 0..<spec.targets { register(connected: true, inService: true) }
        errorRate = computeErrorRate()
    }

    /// Starts the health-check rounds, one per node, each at a random phase within the first interval.
    public func start() {
        guard !started else { return }
        started = true
        settle()
        windowStart = simulator.now
        windowIntegral = 0
        for zone in nodes.indices {
            let phase = rng.duration(.zero, spec.checkInterval - .nanoseconds(1))
            simulator.schedule(after: phase) { [weak self] in self?.checkRound(zone) }
        }
    }

    // MARK: Targets

    /// Registers a new target behind the next node (round-robin) and returns its index. By default it has no
    /// connectivity yet: call ``setTargetConnectivity(_:_:)`` when its network state has propagated.
    @discardableResult
    public func addTarget(connected: Bool = false) -> Int {
        settle()
        let index = register(connected: connected, inService: spec.newTargetsInService)
        refresh()
        return index
    }

    /// Deregisters a target (an instance terminated); it no longer takes traffic or counts behind its node.
    public func removeTarget(_ target: Int) {
        precondition(targets.indices.contains(target), "unknown target \(target)")
        guard targets[target].registered else { return }
        settle()
        var t = targets[target]
        t.registered = false
        replace(target, with: t)
        // In place: a copy of the node would copy its member list too.
        let last = nodes[t.zone].members.removeLast()
        if last != target {
            nodes[t.zone].members[t.slot] = last
            targets[last].slot = t.slot
        }
        refresh()
    }

    /// Tells the balancer whether a target has connectivity (its network state has propagated). Client
    /// connections feel the change at once; health checks see it at their next round.
    public func setTargetConnectivity(_ target: Int, _ ok: Bool) {
        precondition(targets.indices.contains(target), "unknown target \(target)")
        guard targets[target].connected != ok else { return }
        settle()
        var t = targets[target]
        t.connected = ok
        replace(target, with: t)
        refresh()
    }

    /// Registered targets.
    public var targetCount: Int { nodes.reduce(0) { $0 + $1.members.count } }
    /// Registered targets in service (receiving traffic).
    public var targetsInService: Int { nodes.reduce(0) { $0 + $1.inService } }
    /// Registered targets with connectivity.
    public var targetsWithConnectivity: Int { nodes.reduce(0) { $0 + $1.connected } }
    /// Whether a target is registered and in service.
    public func isTargetInService(_ target: Int) -> Bool { targets[target].registered && targets[target].inService }

    // MARK: Nodes and failover

    /// Whether DNS lists the node (0-based) of its own accord; see ``nodesInDNS`` for fail-open.
    public func isNodeInDNS(_ node: Int) -> Bool { nodes[node].inDNS }

    /// How many nodes DNS answers with (all of them when every node has been removed: fail open).
    public var nodesInDNS: Int {
        let listed = nodes.reduce(0) { $0 + ($1.inDNS ? 1 : 0) }
        return listed == 0 ? nodes.count : listed
    }

    /// Operator action: stop automatic failover and put every node back in DNS. With
    /// ``HealthCheckedBalancerSpec/failoverCoversTargets``, targets failing their checks also stay in service.
    public func disableAutomaticFailover() {
        guard failoverEnabled else { return }
        settle()
        failoverEnabled = false
        var returned = 0
        var calmed = 0
        for zone in nodes.indices {
            if !nodes[zone].inDNS { returned += 1 }
            if nodes[zone].flapping { calmed += 1 }
            nodes[zone].inDNS = true
            nodes[zone].flapping = false
            nodes[zone].recentChanges = []
        }
        var detail = "automatic failover disabled: \(returned) node(s) back in DNS, \(nodes.count) of \(nodes.count) in DNS"
        if spec.failoverCoversTargets { detail += "; targets failing their checks stay in service" }
        if calmed > 0 { detail += "; \(calmed) node(s) no longer flapping" }
        publish("failover", detail)
        refresh()
    }

    /// Operator action: resume automatic failover (nodes failing their DNS health check are removed again, and
    /// targets failing their checks leave service at their next round).
    public func enableAutomaticFailover() {
        guard !failoverEnabled else { return }
        settle()
        failoverEnabled = true
        let failing = nodes.reduce(0) { $0 + ($1.fails > 0 ? 1 : 0) }
        var detail = "automatic failover enabled: \(failing) of \(nodes.count) node(s) failing their last check"
        if spec.failoverCoversTargets {
            let exposed = nodes.reduce(0) { $0 + $1.inService - $1.inServiceWorking }
            detail += "; \(exposed) failing target(s) in service, to be taken out by their next checks"
        }
        publish("failover", detail)
        refresh()
    }

    // MARK: Health checks

    private func checkRound(_ zone: Int) {
        settle()
        failTargets(zone)
        let members = nodes[zone].members
        let removeTargets = failoverEnabled || !spec.failoverCoversTargets
        counters.targetChecks += members.count
        counters.failedTargetChecks += nodes[zone].dormant
        // A working target in service stays so (its pass count no longer matters), and a dormant one only fails its
        // check again: only the others are looked at. Each check changes only its own target, so the order does not
        // matter.
        for index in nodes[zone].attention {
            var t = targets[index]
            if t.connected && !t.failed {
                t.passes += 1
                t.fails = 0
                if !t.inService && t.passes >= spec.healthyThreshold {
                    t.inService = true
                    counters.targetsReturnedToService += 1
                }
            } else {
                counters.failedTargetChecks += 1
                t.fails += 1
                t.passes = 0
                if t.inService && t.fails >= spec.unhealthyThreshold && removeTargets {
                    t.inService = false
                    counters.targetsTakenOutOfService += 1
                }
            }
            replace(index, with: t)
        }
        var failedProbes = spec.nodeProbes
        if !members.isEmpty {
            failedProbes = 0
            for _ in 0..<spec.nodeProbes {
                let probed = members[Int(rng.below(UInt64(members.count)))]
                if !targets[probed].connected || targets[probed].failed { failedProbes += 1 }
            }
        }
        let roundFailed = Double(failedProbes) > spec.failoverThreshold * Double(spec.nodeProbes)
        if roundFailed {
            nodes[zone].fails += 1
            nodes[zone].passes = 0
        } else {
            nodes[zone].passes += 1
            nodes[zone].fails = 0
        }
        if failoverEnabled {
            if nodes[zone].inDNS && nodes[zone].fails >= spec.unhealthyThreshold {
                setMembership(zone, inDNS: false)
            } else if !nodes[zone].inDNS && nodes[zone].passes >= spec.healthyThreshold {
                setMembership(zone, inDNS: true)
            }
        }
        calmIfQuiet(zone)
        simulator.schedule(after: spec.checkInterval) { [weak self] in self?.checkRound(zone) }
        refresh()
    }

    /// Background failures: each working target behind the node fails during this round with probability
    /// `targetFailureRate × checkInterval` (a Poisson number of draws per round, not one per target), and works again
    /// after an exponential `targetRepairTime`.
    private func failTargets(_ zone: Int) {
        guard spec.targetFailureRate > 0, !nodes[zone].members.isEmpty else { return }
        let mean = spec.targetFailureRate * spec.checkInterval.seconds / 3_600 * Double(nodes[zone].members.count)
        // Poisson(mean) draws: unit-rate arrivals until their sum passes the mean.
        var arrival = rng.exponential(mean: 1)
        while arrival < mean {
            let members = nodes[zone].members
            let index = members[Int(rng.below(UInt64(members.count)))]
            if !targets[index].failed {
                var t = targets[index]
                t.failed = true
                replace(index, with: t)
                counters.targetFailures += 1
                let repair = SimDuration.fractionalSeconds(rng.exponential(mean: spec.targetRepairTime.seconds))
                simulator.schedule(after: repair) { [weak self] in self?.repairTarget(index) }
            }
            arrival += rng.exponential(mean: 1)
        }
    }

    private func repairTarget(_ index: Int) {
        guard targets[index].failed else { return }
        settle()
        var t = targets[index]
        t.failed = false
        replace(index, with: t)
        refresh()
    }

    private func setMembership(_ zone: Int, inDNS: Bool) {
        let now = simulator.now
        nodes[zone].inDNS = inDNS
        if inDNS { counters.nodeReturns += 1 } else { counters.nodeRemovals += 1 }
        nodes[zone].recentChanges.removeAll { now - $0 >= spec.flapWindow }
        nodes[zone].recentChanges.append(now)
        let node = nodes[zone]
        let behind = "\(node.members.count - node.connected) of \(node.members.count) targets behind it without connectivity"
        if node.flapping {
            nodes[zone].episodeChanges += 1
        } else if node.recentChanges.count >= spec.flapChanges {
            nodes[zone].flapping = true
            nodes[zone].episodeChanges = node.recentChanges.count
            counters.flapEpisodes += 1
            publish(
                "flap",
                "node \(zone + 1) flapping in and out of DNS: \(node.recentChanges.count) changes in "
                    + "\(Self.display(spec.flapWindow)); \(behind)")
        } else if inDNS {
            publish("failover", "node \(zone + 1) back in DNS: \(nodesInDNS) of \(nodes.count) nodes in DNS")
        } else {
            let listed = nodes.reduce(0) { $0 + ($1.inDNS ? 1 : 0) }
            let dns =
                listed == 0
                ? "no node left healthy, DNS answers with all \(nodes.count) (fail open)"
                : "\(listed) of \(nodes.count) nodes in DNS"
            publish("failover", "node \(zone + 1) removed from DNS by automatic failover: \(behind); \(dns)")
        }
    }

    /// Ends a node's flapping episode once its DNS membership has not changed for a whole `flapWindow`.
    private func calmIfQuiet(_ zone: Int) {
        guard nodes[zone].flapping, let last = nodes[zone].recentChanges.last,
            simulator.now - last >= spec.flapWindow
        else { return }
        nodes[zone].flapping = false
        nodes[zone].recentChanges = []
        let state = nodes[zone].inDNS ? "in DNS" : "out of DNS"
        publish(
            "flap",
            "node \(zone + 1) stopped flapping after \(nodes[zone].episodeChanges) DNS changes; \(state) "
                + "for \(Self.display(spec.flapWindow))")
    }

    // MARK: Bookkeeping

    @discardableResult
    private func register(connected: Bool, inService: Bool) -> Int {
        let index = targets.count
        let zone = nextZone
        nextZone = (nextZone + 1) % nodes.count
        targets.append(Target(zone: zone, connected: connected, inService: inService, slot: nodes[zone].members.count))
        nodes[zone].members.append(index)
        add(targets[index], sign: 1)
        updateAttention(index)
        return index
    }

    /// Stores a target's new state and keeps its node's counts and attention list in step.
    private func replace(_ index: Int, with target: Target) {
        add(targets[index], sign: -1)
        targets[index] = target
        add(target, sign: 1)
        updateAttention(index)
    }

    /// Puts a target on its node's attention list or takes it off, as its state requires.
    private func updateAttention(_ index: Int) {
        let target = targets[index]
        let needs = target.needsAttention(unhealthyThreshold: spec.unhealthyThreshold)
        if needs, target.attentionSlot < 0 {
            targets[index].attentionSlot = nodes[target.zone].attention.count
            nodes[target.zone].attention.append(index)
        } else if !needs, target.attentionSlot >= 0 {
            let last = nodes[target.zone].attention.removeLast()
            if last != index {
                nodes[target.zone].attention[target.attentionSlot] = last
                targets[last].attentionSlot = target.attentionSlot
            }
            targets[index].attentionSlot = -1
        }
    }

    private func add(_ target: Target, sign: Int) {
        guard target.registered else { return }
        if target.connected { nodes[target.zone].connected += sign }
        let works = target.connected && !target.failed
        if works { nodes[target.zone].working += sign }
        if target.inService { nodes[target.zone].inService += sign }
        if target.inService && works { nodes[target.zone].inServiceWorking += sign }
        if target.isDormant(spec.unhealthyThreshold) { nodes[target.zone].dormant += sign }
    }

    func publish(_ kind: String, _ detail: String) {
        trace.publish(.stateChanged(component: id, kind: kind, detail: detail), at: simulator.now)
    }

    /// A duration for people: whole seconds (rounded down), as `1h2m3s`.
    static func display(_ duration: SimDuration) -> String {
        SimDuration.seconds(duration.wholeSeconds).description
    }
}

/// Running totals of a ``HealthCheckedBalancer``.
public struct HealthCheckedBalancerCounters: Sendable, Hashable {
    /// Target health checks run, and how many failed.
    public var targetChecks = 0
    public var failedTargetChecks = 0
    /// Times a target left service after failing `unhealthyThreshold` checks, and came back after passing.
    public var targetsTakenOutOfService = 0
    public var targetsReturnedToService = 0
    /// Times automatic failover removed a node from DNS, and brought one back (operator actions not counted).
    public var nodeRemovals = 0
    public var nodeReturns = 0
    /// Times a node started flapping.
    public var flapEpisodes = 0
    /// Background target failures (see ``HealthCheckedBalancerSpec/targetFailureRate``).
    public var targetFailures = 0
    /// The highest ``HealthCheckedBalancer/errorRate`` seen.
    public var peakErrorRate = 0.0

    public init() {}
}
