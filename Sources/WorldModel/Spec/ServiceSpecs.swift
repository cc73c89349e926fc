/// A lease manager (DWFM-like) in the world: its mechanism's parameters and the client fleet through which its
/// workers reach the key-value endpoint (so its calls depend on that fleet's DNS lookups and connections).
public struct LeaseManagerBinding: Sendable, Hashable {
    /// The service's id; its component is `service/<id>`.
    public var id: String
    /// The client fleet whose instances' connections carry the workers' key-value calls (worker slot `w` uses
    /// instance `w % instances`).
    public var client: String
    public var spec: LeaseManagerSpec
    /// The held fraction below which the service counts as failing (for first failure, recovery, minutes down).
    public var healthyFraction: Double

    public init(id: String, client: String, spec: LeaseManagerSpec = LeaseManagerSpec(), healthyFraction: Double = 0.99) {
        self.id = id
        self.client = client
        self.spec = spec
        self.healthyFraction = healthyFraction
    }
}

/// An instance-launch path in the world (EC2-like launches → Network-Manager-like propagation → NLB-like balancer),
/// depending on a lease manager for hosts.
public struct LaunchServiceBinding: Sendable, Hashable {
    /// The service's id: launches are `service/<id>`, its balancer `service/<id>-nlb`, its queue `<id>-propagation`.
    public var id: String
    /// The lease manager whose held leases launches need.
    public var leaseManager: String
    public var spec: LaunchServiceSpec

    public init(id: String, leaseManager: String, spec: LaunchServiceSpec = LaunchServiceSpec()) {
        self.id = id
        self.leaseManager = leaseManager
        self.spec = spec
    }
}

/// Customer apps in the world: named apps and a generated population of companies, and where each dependency name
/// the apps use (`dynamodb`, `ec2-launch`, `nlb`) takes its health from.
public struct AppsBinding: Sendable, Hashable {
    public var named: [AppSpec]
    public var population: AppPopulationSpec?
    /// Dependency name → the component whose health it follows: a client fleet (`client/x`: fraction of instances
    /// with a working connection) or a service (`service/x`: lease manager held fraction, launch health, balancer
    /// `1 − error rate`).
    public var dependencies: [String: ComponentID]

    public init(named: [AppSpec], population: AppPopulationSpec?, dependencies: [String: ComponentID]) {
        self.named = named
        self.population = population
        self.dependencies = dependencies
    }
}
