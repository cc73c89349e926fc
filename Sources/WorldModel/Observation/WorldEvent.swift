import AresShim
public import DNSModel
public import SimKernel

/// A typed event the world model publishes on its trace bus. Models never print; observers subscribe.
public enum WorldEvent: Sendable {
    case faultStarted(id: String, target: ComponentID, detail: String)
    case faultEnded(id: String, target: ComponentID, detail: String)
    case operatorAction(detail: String)
    /// An authority's record set changed (by a fault, its end, or an operator).
    case recordSetChanged(authority: ComponentID, name: DomainName, type: RecordType, records: [ResourceRecord], cause: String)
    /// A resolver stored an answer in its cache; `previous` is what was cached before for the same key, if anything.
    case cacheStored(resolver: ComponentID, key: CacheKey, entry: CacheEntrySummary, previous: CacheEntrySummary?)
    /// A resolver answered a client query.
    case resolverAnswered(resolver: ComponentID, key: CacheKey, outcome: LookupOutcome, source: AnswerSource)
    /// A resolver's upstream resolution failed after all its tries.
    case upstreamFailed(resolver: ComponentID, key: CacheKey, reason: LookupOutcome)
    /// A client lookup (stub resolver, or the app cache) finished.
    case lookupFinished(LookupReport)
    /// A connection from a client instance opened, failed or closed.
    case connection(client: ComponentID, instance: Int, change: ConnectionChange)
    /// How many of a client fleet's instances have at least one working connection.
    case availabilityChanged(client: ComponentID, serving: Int, instances: Int)
    /// A mechanism (automation, internal service) changed state in a way worth a timeline line.
    /// `kind` is a short machine-readable word (`plan`, `lock`, `lease`, `stuck`); `detail` is for people.
    case stateChanged(component: ComponentID, kind: String, detail: String)
}

/// The key of a resolver cache entry.
public struct CacheKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var type: RecordType

    public init(name: DomainName, type: RecordType) {
        self.name = name
        self.type = type
    }

    public var description: String { "\(name) \(type)" }
    public static func < (lhs: CacheKey, rhs: CacheKey) -> Bool { (lhs.name, lhs.type) < (rhs.name, rhs.type) }

    /// The hash a resolver's cache dictionaries use: the name's, with the type mixed into the seed (no `Hasher`, see
    /// `DomainName._rawHashValue(seed:)`).
    public func _rawHashValue(seed: Int) -> Int {
        name._rawHashValue(seed: seed ^ Int(type.rawValue) &* 0x2545_F491)
    }
}

/// What a cache entry holds, for events and explanations.
public struct CacheEntrySummary: Hashable, Sendable {
    /// `.noError` for positive data, `.noData`/`.nxDomain` for negative entries, `.servFail` for a cached failure.
    public var outcome: LookupOutcome
    public var recordCount: Int
    /// The TTL the resolver applied (after clamps), in seconds.
    public var ttl: UInt32
    /// The TTL the authority gave (record TTL, or min(SOA TTL, SOA MINIMUM) for negative answers).
    public var originalTTL: UInt32
    public var storedAt: SimTime

    public init(outcome: LookupOutcome, recordCount: Int, ttl: UInt32, originalTTL: UInt32, storedAt: SimTime) {
        self.outcome = outcome
        self.recordCount = recordCount
        self.ttl = ttl
        self.originalTTL = originalTTL
        self.storedAt = storedAt
    }

    public var expiresAt: SimTime { storedAt + .seconds(Int64(ttl)) }
}

/// Where a resolver's answer came from.
public enum AnswerSource: String, Hashable, Sendable, CaseIterable {
    case cache, upstream, stale
    /// A fault configured on the resolver itself produced the answer.
    case fault
    /// The resolver was over capacity.
    case overload
}

/// One finished client lookup.
public struct LookupReport: Sendable {
    public var client: ComponentID
    public var instance: Int
    public var key: CacheKey
    public var outcome: LookupOutcome
    public var status: AresStatus
    public var started: SimTime
    public var finished: SimTime
    public var queriesSent: Int
    /// The resolver whose reply ended the lookup, if one did.
    public var resolver: ComponentID?
    /// `true` when the application cache answered without asking the stub.
    public var fromAppCache: Bool

    public init(
        client: ComponentID, instance: Int, key: CacheKey, outcome: LookupOutcome, status: AresStatus, started: SimTime,
        finished: SimTime, queriesSent: Int, resolver: ComponentID?, fromAppCache: Bool
    ) {
        self.client = client
        self.instance = instance
        self.key = key
        self.outcome = outcome
        self.status = status
        self.started = started
        self.finished = finished
        self.queriesSent = queriesSent
        self.resolver = resolver
        self.fromAppCache = fromAppCache
    }
}

/// A change in one connection of a client instance.
public enum ConnectionChange: Hashable, Sendable {
    case opened(IPAddress)
    case failed(IPAddress)
    case closedAged(IPAddress)
}
