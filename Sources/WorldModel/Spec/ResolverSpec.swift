public import SimKernel

/// A recursive (caching) resolver, or a fleet of identical ones behind one address.
///
/// Option names follow Unbound's where one exists (`cache-min-ttl` → `minTTL`, `serve-expired` → `serveStale`).
/// See docs/scenario-format.md for each default and the RFC behind it.
public struct ResolverSpec: Sendable {
    public var id: String
    /// Free text: `vpc`, `isp`, `public` (reports group by it).
    public var fleet: String
    /// Lower clamp on positive TTLs (Unbound `cache-min-ttl`).
    public var minTTL: UInt32
    /// Upper clamp on positive TTLs (Unbound `cache-max-ttl`).
    public var maxTTL: UInt32
    /// Upper clamp on negative TTLs (Unbound `cache-max-negative-ttl`); the TTL itself comes from the SOA (RFC 2308 §5).
    public var maxNegativeTTL: UInt32
    /// How long a SERVFAIL is cached (RFC 2308 §7.1 allows up to 5 minutes; 0 disables).
    public var servfailTTL: SimDuration
    /// Serve-stale (RFC 8767); `nil` = off.
    public var serveStale: ServeStaleSpec?
    /// Refresh popular entries before they expire (Unbound `prefetch`): a hit in the last 10% of the TTL refetches.
    public var prefetch: Bool
    /// Time to wait for one upstream (authority) answer before retrying.
    public var upstreamTimeout: SimDuration
    /// Upstream attempts per resolution before answering SERVFAIL.
    public var upstreamTries: Int
    /// Round-trip time between this resolver and the authorities.
    public var upstreamRTT: SimDuration
    /// Queries per second this resolver can answer; `nil` = unlimited.
    public var capacityQPS: Double?
    /// Cache pressure: when set, every stored entry is evicted after an exponentially distributed time with this
    /// mean (drawn per entry from the resolver's random stream), like an LRU cache under load; the next query
    /// then refetches it. `nil`: entries live for their TTL. Eviction spreads the moments at which a fleet's
    /// resolvers refetch a name, so their cached answers stop expiring in lockstep.
    public var cacheEvictionMean: SimDuration?
    /// What happens to queries beyond capacity.
    public var overload: OverloadBehaviour

    public enum OverloadBehaviour: String, Hashable, Sendable, CaseIterable {
        /// Excess queries are dropped: clients time out.
        case drop
        /// Excess queries get REFUSED.
        case refuse
    }

    public init(
        id: String, fleet: String = "resolver", minTTL: UInt32 = 0, maxTTL: UInt32 = 86_400, maxNegativeTTL: UInt32 = 3_600,
        servfailTTL: SimDuration = .seconds(1), serveStale: ServeStaleSpec? = nil, prefetch: Bool = false,
        upstreamTimeout: SimDuration = .milliseconds(800), upstreamTries: Int = 3, upstreamRTT: SimDuration = .milliseconds(20),
        capacityQPS: Double? = nil, overload: OverloadBehaviour = .drop
    ) {
        self.id = id
        self.fleet = fleet
        self.minTTL = minTTL
        self.maxTTL = maxTTL
        self.maxNegativeTTL = maxNegativeTTL
        self.servfailTTL = servfailTTL
        self.serveStale = serveStale
        self.prefetch = prefetch
        self.upstreamTimeout = upstreamTimeout
        self.upstreamTries = upstreamTries
        self.upstreamRTT = upstreamRTT
        self.capacityQPS = capacityQPS
        self.overload = overload
        self.cacheEvictionMean = nil
    }
}

/// Serve-stale timers (RFC 8767 §4–§5; Unbound `serve-expired-*`).
public struct ServeStaleSpec: Hashable, Sendable {
    /// How long past expiry data may still be served (RFC 8767 "maximum stale timer"; Unbound `serve-expired-ttl`).
    public var maxStale: SimDuration
    /// TTL on stale answers (RFC 8767 suggests 30 s; Unbound `serve-expired-reply-ttl`).
    public var replyTTL: UInt32
    /// Answer from stale data if the refresh has not finished by then (RFC 8767 "client response timer", suggested 1.8 s;
    /// Unbound `serve-expired-client-timeout`).
    public var clientTimeout: SimDuration
    /// After a failed refresh, serve stale without asking upstream for this long (RFC 8767 "failure recheck timer", 30 s).
    public var failureRecheck: SimDuration

    public init(
        maxStale: SimDuration = .hours(24), replyTTL: UInt32 = 30, clientTimeout: SimDuration = .milliseconds(1800),
        failureRecheck: SimDuration = .seconds(30)
    ) {
        self.maxStale = maxStale
        self.replyTTL = replyTTL
        self.clientTimeout = clientTimeout
        self.failureRecheck = failureRecheck
    }
}
