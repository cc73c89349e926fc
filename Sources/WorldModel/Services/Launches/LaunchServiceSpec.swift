public import SimKernel

/// The numbers of an instance-launch path (EC2-like): launch requests need a host with a valid lease from a lease
/// manager; a launched instance's network configuration goes through a propagation queue; instances register as
/// targets of a health-checked load balancer when they boot, and get connectivity only once propagated.
///
/// Whether a surge of launches after an outage overwhelms propagation — and new targets then fail their health checks
/// and make the balancer flap — follows from these numbers.
public struct LaunchServiceSpec: Sendable, Hashable {
    /// New launch requests per minute (autoscaling and customers). Default 600.
    public var launchesPerMinute: Double
    /// How often pending launch requests are retried. Default 10 s.
    public var retryInterval: SimDuration
    /// The launch API's rate limit: at most this many launch attempts (new and retried) per minute; the rest wait
    /// ("request limit exceeded"). Default 3000.
    public var maxAttemptsPerMinute: Double
    /// The most failed launch requests kept for retry; beyond it new requests are dropped. Default 200 000.
    public var maxPending: Int
    /// Time from launch to registering with the load balancer. Default 90 s.
    public var bootTime: SimDuration
    /// A registered instance is retired (deregistered) after this long, so the target count stays bounded. Default 30 min.
    public var targetLifetime: SimDuration
    /// A launch counts as healthy when its connectivity arrives within this delay. Default 2 min.
    public var healthyPropagationDelay: SimDuration
    /// The propagation queue (Network-Manager-like).
    public var propagation: PropagationQueueSpec
    /// The health-checked load balancer (NLB-like) the instances register with.
    public var balancer: HealthCheckedBalancerSpec

    public init(
        launchesPerMinute: Double = 600, retryInterval: SimDuration = .seconds(10), maxAttemptsPerMinute: Double = 3000,
        maxPending: Int = 200_000,
        bootTime: SimDuration = .seconds(90), targetLifetime: SimDuration = .minutes(30),
        healthyPropagationDelay: SimDuration = .minutes(2), propagation: PropagationQueueSpec = PropagationQueueSpec(),
        balancer: HealthCheckedBalancerSpec = HealthCheckedBalancerSpec()
    ) {
        self.launchesPerMinute = launchesPerMinute
        self.retryInterval = retryInterval
        self.maxAttemptsPerMinute = maxAttemptsPerMinute
        self.maxPending = maxPending
        self.bootTime = bootTime
        self.targetLifetime = targetLifetime
        self.healthyPropagationDelay = healthyPropagationDelay
        self.propagation = propagation
        self.balancer = balancer
    }

    /// Everything wrong with the spec, one sentence each; empty when it can run.
    public var problems: [String] {
        var problems: [String] = []
        if !(launchesPerMinute >= 0 && launchesPerMinute.isFinite) { problems.append("launchesPerMinute must be ≥ 0") }
        if retryInterval <= .zero { problems.append("retryInterval must be positive") }
        if !(maxAttemptsPerMinute > 0 && maxAttemptsPerMinute.isFinite) { problems.append("maxAttemptsPerMinute must be > 0") }
        if maxPending < 0 { problems.append("maxPending must not be negative") }
        if bootTime < .zero { problems.append("bootTime must not be negative") }
        if targetLifetime <= .zero { problems.append("targetLifetime must be positive") }
        if healthyPropagationDelay <= .zero { problems.append("healthyPropagationDelay must be positive") }
        problems += propagation.validationProblems.map { "propagation: \($0)" }
        problems += balancer.validationProblems.map { "balancer: \($0)" }
        return problems
    }
}
