public import SimKernel

/// The parameters of a health-checked load balancer (NLB-like): nodes in DNS, targets behind them, health checks,
/// automatic DNS failover, and the client load that decides whether lost capacity shows as errors.
///
/// Each node stands for one availability zone and routes only to the targets in its zone; targets are spread
/// over the zones round-robin. Every `checkInterval`, each target is checked (it passes only if it has
/// connectivity) and each node's own DNS health check probes `nodeProbes` of its targets; see
/// ``HealthCheckedBalancer`` for what follows from the results.
///
/// ```swift
/// var spec = HealthCheckedBalancerSpec(targets: 60, nodes: 3)
/// spec.offeredLoad = 0.8
/// ```
///
/// The defaults are illustrative parameters, not published figures.
public struct HealthCheckedBalancerSpec: Sendable, Hashable {
    /// Targets registered at the start, all with connectivity (default 30).
    public var targets: Int
    /// Load-balancer nodes, one per availability zone (default 3).
    public var nodes: Int
    /// Time between two health-check rounds of a node and its targets (default 10 s).
    public var checkInterval: SimDuration
    /// Consecutive failed checks that take a target out of service, or a node out of DNS (default 2).
    public var unhealthyThreshold: Int
    /// Consecutive passed checks that put a target back in service, or a node back in DNS (default 3).
    public var healthyThreshold: Int
    /// Targets a node's DNS health check probes per round, drawn at random among the targets registered
    /// behind it (default 3). Few probes make the result noisy when some targets fail: that noise is what
    /// makes a node flap.
    public var nodeProbes: Int
    /// A node's DNS health-check round fails when more than this fraction of its probes fail (default 0.5).
    public var failoverThreshold: Double
    /// Whether failing nodes are removed from DNS automatically (default `true`); operators can switch it.
    public var failoverEnabled: Bool
    /// Client demand as a fraction of the starting fleet's capacity, one unit per initial target (default 0.75:
    /// losing one of three nodes overloads the other two).
    public var offeredLoad: Double
    /// Whether a newly registered target receives traffic at once, before it has passed any check, until it fails
    /// `unhealthyThreshold` checks (default `true`); `false` waits for `healthyThreshold` passes first.
    public var newTargetsInService: Bool
    /// A node whose DNS membership changes `flapChanges` times within `flapWindow` is flapping (default 30 min).
    public var flapWindow: SimDuration
    /// See `flapWindow` (default 3).
    public var flapChanges: Int
    /// Error-rate levels are judged on the mean over windows of this length; errors are declared ended after
    /// this long without any (default 5 min).
    public var errorWindow: SimDuration
    /// Error-rate levels worth a timeline line, ascending (default 1 %, 5 %, 20 %, 50 %). A level is left again only
    /// when the window mean falls to half its threshold.
    public var errorThresholds: [Double]
    /// Background failures: how often a target fails on its own (crash, restart, bad deployment), per target per
    /// hour, whatever its network state (default 0: never). Health checks normally hide these failures by taking
    /// the target out of service within `unhealthyThreshold` rounds.
    public var targetFailureRate: Double
    /// How long a background failure lasts, on average (exponential; default 10 min). With `targetFailureRate`,
    /// about `targetFailureRate × targetRepairTime` of the targets are failed at any moment.
    public var targetRepairTime: SimDuration
    /// Whether switching automatic failover off also stops taking *targets* out of service (default `false`: only
    /// nodes stay in DNS). With `true`, targets that are in service stay there whatever their checks say (fail open),
    /// so failures the checks would have hidden reach clients; targets still enter service by passing checks.
    public var failoverCoversTargets: Bool
    /// Error rates at or below this count as none for the `errors` lines (default 0): lets a background of
    /// failures that health checks hide in a second or two end an error episode.
    public var errorFloor: Double

    public init(
        targets: Int = 30, nodes: Int = 3, checkInterval: SimDuration = .seconds(10), unhealthyThreshold: Int = 2,
        healthyThreshold: Int = 3, nodeProbes: Int = 3, failoverThreshold: Double = 0.5, failoverEnabled: Bool = true,
        offeredLoad: Double = 0.75, newTargetsInService: Bool = true, flapWindow: SimDuration = .minutes(30),
        flapChanges: Int = 3, errorWindow: SimDuration = .minutes(5), errorThresholds: [Double] = [0.01, 0.05, 0.2, 0.5],
        targetFailureRate: Double = 0, targetRepairTime: SimDuration = .minutes(10), failoverCoversTargets: Bool = false,
        errorFloor: Double = 0
    ) {
        self.targets = targets
        self.nodes = nodes
        self.checkInterval = checkInterval
        self.unhealthyThreshold = unhealthyThreshold
        self.healthyThreshold = healthyThreshold
        self.nodeProbes = nodeProbes
        self.failoverThreshold = failoverThreshold
        self.failoverEnabled = failoverEnabled
        self.offeredLoad = offeredLoad
        self.newTargetsInService = newTargetsInService
        self.flapWindow = flapWindow
        self.flapChanges = flapChanges
        self.errorWindow = errorWindow
        self.errorThresholds = errorThresholds
        self.targetFailureRate = targetFailureRate
        self.targetRepairTime = targetRepairTime
        self.failoverCoversTargets = failoverCoversTargets
        self.errorFloor = errorFloor
    }

    /// What is wrong with these values, one sentence each; empty when the spec can be used.
    public var validationProblems: [String] {
        var problems: [String] = []
        if targets < 0 { problems.append("targets must not be negative") }
        if nodes < 1 { problems.append("nodes must be at least 1") }
        if checkInterval <= .zero { problems.append("checkInterval must be positive") }
        if unhealthyThreshold < 1 { problems.append("unhealthyThreshold must be at least 1") }
        if healthyThreshold < 1 { problems.append("healthyThreshold must be at least 1") }
        if nodeProbes < 1 { problems.append("nodeProbes must be at least 1") }
        if !(failoverThreshold >= 0 && failoverThreshold < 1) { problems.append("failoverThreshold must be in [0, 1)") }
        if !(offeredLoad >= 0) || !offeredLoad.isFinite { problems.append("offeredLoad must be a non-negative number") }
        if flapWindow <= .zero { problems.append("flapWindow must be positive") }
        if flapChanges < 2 { problems.append("flapChanges must be at least 2") }
        if errorWindow <= .zero { problems.append("errorWindow must be positive") }
        if errorThresholds.contains(where: { !($0 > 0 && $0 <= 1) }) { problems.append("errorThresholds must be in (0, 1]") }
        if !(targetFailureRate >= 0) || !targetFailureRate.isFinite {
            problems.append("targetFailureRate must be a non-negative number")
        }
        if targetRepairTime <= .zero { problems.append("targetRepairTime must be positive") }
        if !(errorFloor >= 0 && errorFloor < 1) { problems.append("errorFloor must be in [0, 1)") }
        return problems
    }
}
