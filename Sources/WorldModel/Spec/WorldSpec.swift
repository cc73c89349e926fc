import DNSModel
public import SimKernel

/// The complete, validated description of one simulated world: what exists (`authorities`, `resolvers`,
/// `endpoints`, `clients`), what is injected (`faults`, `operatorActions`) and what must hold (`expectations`).
///
/// A scenario file is loaded into a `WorldSpec`; ``World`` builds model objects from it. Every value here
/// is a parameter of a mechanism: nothing says what *happens*.
public struct WorldSpec: Sendable {
    /// A short name for reports (`01-empty-record`).
    public var name: String
    /// One-line description from the scenario file.
    public var summary: String
    /// The run seed; every component's random stream derives from it.
    public var seed: UInt64
    /// Where virtual time zero is on the calendar, and how times are displayed.
    public var clock: ScenarioClock
    /// How long the run lasts.
    public var duration: SimDuration
    public var authorities: [AuthoritySpec]
    public var resolvers: [ResolverSpec]
    public var endpoints: [EndpointSpec]
    public var clients: [ClientSpec]
    /// DNS management planes (planner + enactors) that write endpoint records to an authority.
    public var managementPlanes: [ManagementPlaneSpec]
    /// Lease managers (DWFM-like internal services) and the client fleets they reach the key-value endpoint through.
    public var leaseManagers: [LeaseManagerBinding]
    /// Instance-launch paths (launches, network propagation, health-checked balancer).
    public var launchServices: [LaunchServiceBinding]
    /// Customer apps and the impact model (nil: none).
    public var apps: AppsBinding?
    public var faults: [FaultSpec]
    public var operatorActions: [OperatorActionSpec]
    public var expectations: [ExpectationSpec]
    /// The event and memory budgets of a run (scenario key `limits`); see ``WorldLimits``.
    public var limits = WorldLimits()

    public init(
        name: String, summary: String = "", seed: UInt64 = 1, clock: ScenarioClock = .utc, duration: SimDuration,
        authorities: [AuthoritySpec] = [], resolvers: [ResolverSpec] = [], endpoints: [EndpointSpec] = [],
        clients: [ClientSpec] = [], managementPlanes: [ManagementPlaneSpec] = [],
        leaseManagers: [LeaseManagerBinding] = [], launchServices: [LaunchServiceBinding] = [],
        apps: AppsBinding? = nil, faults: [FaultSpec] = [],
        operatorActions: [OperatorActionSpec] = [],
        expectations: [ExpectationSpec] = []
    ) {
        self.name = name
        self.summary = summary
        self.seed = seed
        self.clock = clock
        self.duration = duration
        self.authorities = authorities
        self.resolvers = resolvers
        self.endpoints = endpoints
        self.clients = clients
        self.managementPlanes = managementPlanes
        self.leaseManagers = leaseManagers
        self.launchServices = launchServices
        self.apps = apps
        self.faults = faults
        self.operatorActions = operatorActions
        self.expectations = expectations
    }
}

/// Maps virtual time to the calendar for display: a fixed UTC offset and its label (`PDT`).
///
/// A fixed offset (not a time-zone database) keeps output identical on every machine.
public struct ScenarioClock: Hashable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z at virtual time zero.
    public var startUnixSeconds: Int64
    /// The display zone's offset from UTC, in seconds (PDT = -25200).
    public var utcOffsetSeconds: Int32
    /// The display zone's label (`PDT`, `UTC`).
    public var zoneLabel: String

    public init(startUnixSeconds: Int64, utcOffsetSeconds: Int32, zoneLabel: String) {
        self.startUnixSeconds = startUnixSeconds
        self.utcOffsetSeconds = utcOffsetSeconds
        self.zoneLabel = zoneLabel
    }

    /// Virtual time zero at 2000-01-01T00:00:00Z, displayed in UTC.
    public static let utc = ScenarioClock(startUnixSeconds: 946_684_800, utcOffsetSeconds: 0, zoneLabel: "UTC")

    /// The virtual instant of a calendar time given in Unix seconds (may be before zero: callers validate).
    public func instant(unixSeconds: Int64) -> SimTime {
        SimTime(nanoseconds: (unixSeconds - startUnixSeconds) * 1_000_000_000)
    }
}
