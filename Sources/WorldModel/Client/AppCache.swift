import DNSModel
import SimKernel

/// An application-level DNS cache in front of the stub (Java `InetAddress` style): successes are kept for a
/// fixed `positiveTTL` and failures for `negativeTTL`, whatever the DNS TTLs said.
struct AppCache {
    private let spec: AppCacheSpec
    private var entry: (result: LookupResult, until: SimTime)?

    init(spec: AppCacheSpec) {
        self.spec = spec
    }

    func lookup(now: SimTime) -> LookupResult? {
        guard let entry, now < entry.until else { return nil }
        return entry.result
    }

    mutating func store(_ result: LookupResult, now: SimTime) {
        let ttl = result.outcome.isSuccess ? spec.positiveTTL : spec.negativeTTL
        entry = ttl > .zero ? (result, now + ttl) : nil
    }
}
