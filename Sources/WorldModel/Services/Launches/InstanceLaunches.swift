import SimKernel

/// Instance launches in virtual time: requests arrive at a rate; each needs a host with a valid lease (the lease
/// manager's held fraction is the chance a request finds one); failed requests wait and are retried; launched
/// instances are propagated (network state) and registered with a health-checked balancer at boot.
///
/// Launch outcomes are a fluid: per retry interval, `attempts × heldFraction` launches succeed (the remainder carried
/// to the next interval), so no random draws are needed and the outcome follows the lease manager exactly.
final class InstanceLaunches {
    let id: ComponentID
    let spec: LaunchServiceSpec
    let queue: PropagationQueue
    let balancer: HealthCheckedBalancer
    private let leases: LeaseManager
    private let simulator: Simulator
    // Stored state skips Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`): every access is short and none
    // is held across a call out (the queue, the balancer, the simulator).
    @exclusivity(unchecked) private var pending = 0.0
    @exclusivity(unchecked) private var carry = 0.0
    @exclusivity(unchecked) private var nextInstance = 0
    /// Per minute: (time, launch health, balancer health over the minute before).
    @exclusivity(unchecked) private(set) var samples: [(time: SimTime, launches: Double, balancer: Double)] = []
    /// The balancer's connections without errors over the last whole minute (its error rate averaged over the
    /// minute, not read at one instant): what clients making many connections a minute see while nodes flap.
    @exclusivity(unchecked) private(set) var balancerHealth = 1.0
    @exclusivity(unchecked) private var errorSecondsAtSample = 0.0

    init(
        id: String, spec: LaunchServiceSpec, leases: LeaseManager, simulator: Simulator, trace: TraceBus<WorldEvent>,
        rng: RandomStream
    ) {
        self.id = ComponentID(.service, id)
        self.spec = spec
        self.leases = leases
        self.simulator = simulator
        self.queue = PropagationQueue(
            id: ComponentID(.service, "\(id)-propagation"), spec: spec.propagation, simulator: simulator, trace: trace)
        self.balancer = HealthCheckedBalancer(
            id: ComponentID(.service, "\(id)-nlb"), spec: spec.balancer, simulator: simulator, trace: trace, rng: rng)
    }

    func start() {
        balancer.start()
        errorSecondsAtSample = balancer.errorSeconds
        simulator.schedule(after: spec.retryInterval) { [weak self] in self?.tick() }
        simulator.schedule(after: .minutes(1)) { [weak self] in self?.sample() }
    }

    private func tick() {
        let interval = spec.retryInterval
        let arrivals = spec.launchesPerMinute * interval.seconds / 60
        let waiting = pending + arrivals
        // The API admits at most its rate limit; the rest keep waiting without an attempt.
        let attempts = min(waiting, spec.maxAttemptsPerMinute * interval.seconds / 60)
        let launchedNow = attempts * leases.heldFraction
        let exact = launchedNow + carry
        let successes = Int(exact.rounded(.down))
        carry = exact - Double(successes)
        // Requests beyond maxPending are dropped.
        pending = min(Double(spec.maxPending), waiting - launchedNow)
        for _ in 0..<successes { launch() }
        simulator.schedule(after: interval) { [weak self] in self?.tick() }
    }

    private func launch() {
        let instance = nextInstance
        nextInstance += 1
        var propagated = false
        var target: Int?
        queue.submit(instance: instance) { [weak self] in
            propagated = true
            if let target { self?.balancer.setTargetConnectivity(target, true) }
        }
        simulator.schedule(after: spec.bootTime) { [weak self] in
            guard let self else { return }
            let registered = self.balancer.addTarget(connected: propagated)
            target = registered
            self.simulator.schedule(after: self.spec.targetLifetime) { [weak self] in self?.balancer.removeTarget(registered) }
        }
    }

    /// Launch health now: the chance a launch finds a leased host, or 0 while network propagation lags.
    var health: Double { queue.currentDelay <= spec.healthyPropagationDelay ? leases.heldFraction : 0 }

    private func sample() {
        let errorSeconds = balancer.errorSeconds
        balancerHealth = min(1, max(0, 1 - (errorSeconds - errorSecondsAtSample) / 60))
        errorSecondsAtSample = errorSeconds
        samples.append((simulator.now, health, balancerHealth))
        simulator.schedule(after: .minutes(1)) { [weak self] in self?.sample() }
    }
}
