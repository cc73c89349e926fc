public import AresShim
public import DNSModel
public import SimKernel

/// A service endpoint clients connect to: the name they look up and the addresses that really listen.
///
/// A connection to an address not in `serviceAddresses` (a wrong or stale DNS answer) fails after `connectTimeout`.
public struct EndpointSpec: Sendable {
    /// The most service addresses an endpoint may list (a client's connection events carry the index in 15 bits).
    public static let maxServiceAddresses = 32_767

    public var id: String
    public var name: DomainName
    public var serviceAddresses: [IPAddress]
    public var connectTime: SimDuration
    public var connectTimeout: SimDuration
    /// The request-serving capacity behind the endpoint's addresses (DynamoDB-like); used by services that call it.
    public var capacity: KeyValueServiceSpec

    public init(
        id: String, name: DomainName, serviceAddresses: [IPAddress], connectTime: SimDuration = .milliseconds(2),
        connectTimeout: SimDuration = .seconds(3)
    ) {
        self.id = id
        self.name = name
        self.serviceAddresses = serviceAddresses
        self.connectTime = connectTime
        self.connectTimeout = connectTimeout
        self.capacity = KeyValueServiceSpec()
    }
}

/// A fleet of identical client instances. Each instance has its own stub resolver (c-ares 1.18 semantics),
/// an optional application-level DNS cache, and a pool of connections to one endpoint.
///
/// Existing connections keep working when DNS fails; only new connections need a lookup. Connections close
/// when they reach `pool.maxConnectionAge` (with jitter), and the instance opens a replacement.
public struct ClientSpec: Sendable {
    /// The most instances a fleet may have: its event codes carry the instance in 29 bits. (A scenario file's fleet
    /// may have up to 1,000,000; full-scale mode builds one fleet for the whole population.)
    public static let maxInstances = (1 << 29) - 1

    public var id: String
    /// Number of instances, each simulated individually.
    public var instances: Int
    /// The endpoint this fleet connects to (its name is what the fleet looks up).
    public var endpoint: String
    /// The record type looked up.
    public var queryType: RecordType
    /// Resolver ids in the stub's server order (c-ares `servers`).
    public var resolvers: [String]
    /// Stub resolver options (c-ares 1.18: timeout, tries, rotate, NOCHECKRESP, IGNTC).
    public var stub: StubResolverOptions
    /// Round-trip time between an instance and its resolvers.
    public var resolverRTT: SimDuration
    /// Application-level DNS cache (e.g. Java's `networkaddress.cache.ttl`); `nil` = none.
    public var appCache: AppCacheSpec?
    public var pool: PoolSpec
    /// Look the name up on this period as well (a background refresher); `nil` = only for new connections.
    public var lookupInterval: SimDuration?

    public init(
        id: String, instances: Int = 1, endpoint: String, queryType: RecordType = .a, resolvers: [String],
        stub: StubResolverOptions = StubResolverOptions(), resolverRTT: SimDuration = .milliseconds(1),
        appCache: AppCacheSpec? = nil, pool: PoolSpec = PoolSpec(), lookupInterval: SimDuration? = nil
    ) {
        self.id = id
        self.instances = instances
        self.endpoint = endpoint
        self.queryType = queryType
        self.resolvers = resolvers
        self.stub = stub
        self.resolverRTT = resolverRTT
        self.appCache = appCache
        self.pool = pool
        self.lookupInterval = lookupInterval
    }
}

/// An application-level DNS cache in front of the stub (Java `InetAddress` style).
public struct AppCacheSpec: Hashable, Sendable {
    /// How long successful answers are kept (Java: 30 s without a security manager).
    public var positiveTTL: SimDuration
    /// How long failures are kept (Java: `networkaddress.cache.negative.ttl` = 10 s).
    public var negativeTTL: SimDuration

    public init(positiveTTL: SimDuration = .seconds(30), negativeTTL: SimDuration = .seconds(10)) {
        self.positiveTTL = positiveTTL
        self.negativeTTL = negativeTTL
    }
}

/// A pool of connections from one instance to the endpoint.
public struct PoolSpec: Hashable, Sendable {
    /// Connections each instance keeps open.
    public var size: Int
    /// A connection is closed and replaced after this age (jittered uniformly by ±`ageJitter`).
    public var maxConnectionAge: SimDuration
    /// Fraction of `maxConnectionAge` by which ages vary (0.2 = ±20%).
    public var ageJitter: Double
    /// Backoff before retrying a failed connection attempt: starts here, doubles, capped at `maxBackoff`; full jitter.
    public var initialBackoff: SimDuration
    public var maxBackoff: SimDuration

    public init(
        size: Int = 4, maxConnectionAge: SimDuration = .minutes(5), ageJitter: Double = 0.2,
        initialBackoff: SimDuration = .seconds(1), maxBackoff: SimDuration = .seconds(30)
    ) {
        self.size = size
        self.maxConnectionAge = maxConnectionAge
        self.ageJitter = ageJitter
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }
}
