import DNSModel
import SimKernel

/// A resolver's cache of answers (positive RRsets and negative answers), keyed by name and type.
///
/// Time is passed in (`now`), never read. Entries stay after they expire, so that serve-stale can use
/// them, until `maxStale` past expiry; then they are gone.
///
/// The cache holds its entries itself (one retain each, released when an entry is replaced or removed, or with the
/// cache): a lookup hands out an entry without retaining it (``Lookup``), as every answer from the cache would
/// otherwise retain and release it. Not copyable, so that exactly one cache releases them.
///
/// - Complexity: O(1) average per lookup and store.
struct ResolverCache: ~Copyable {
    /// One cached answer. A class, so that a lookup hands out a reference instead of copying the records; the
    /// resolver sets `evictAt` before storing it and the reply template when first answering from it.
    final class Entry {
        let summary: CacheEntrySummary
        /// Positive data (answer records), or empty for a negative entry.
        let records: [ResourceRecord]
        /// The SOA from the negative answer's authority section.
        let soa: ResourceRecord?
        /// When cache pressure evicts the entry (`nil`: never before its stale window ends).
        var evictAt: SimTime?
        /// The encoded reply, kept once the entry has answered from the cache. Used in place (unchecked: the resolver
        /// reads or changes it in one access that calls nothing else).
        @exclusivity(unchecked) var template: ReplyTemplate?

        init(summary: CacheEntrySummary, records: [ResourceRecord], soa: ResourceRecord?) {
            self.summary = summary
            self.records = records
            self.soa = soa
        }

        var expiresAt: SimTime { summary.expiresAt }
    }

    /// What a lookup found. The entry is unretained: valid until the cache next changes (a store, a removal or a
    /// lookup that drops an expired entry); take a strong reference (`takeUnretainedValue()`) to keep it longer.
    enum Lookup {
        /// Usable: `remaining` whole seconds of TTL left.
        case fresh(Unmanaged<Entry>, remaining: UInt32)
        /// Expired `age` ago, but within the stale window.
        case stale(Unmanaged<Entry>, age: SimDuration)
        case miss
    }

    /// Each entry retained once by the cache.
    private var entries: [CacheKey: Unmanaged<Entry>] = [:]
    /// How long past expiry an entry is kept for serve-stale (zero when serve-stale is off).
    let maxStale: SimDuration

    init(maxStale: SimDuration) {
        self.maxStale = maxStale
    }

    deinit {
        releaseEntries()
    }

    var count: Int { entries.count }

    mutating func lookup(_ key: CacheKey, now: SimTime) -> Lookup {
        guard let found = entries[key] else { return .miss }
        let (evictAt, expiresAt) = found._withUnsafeGuaranteedRef { ($0.evictAt, $0.expiresAt) }
        if let evictAt, now >= evictAt {
            remove(key)
            return .miss
        }
        if now < expiresAt {
            let remaining = (expiresAt - now).nanoseconds / 1_000_000_000
            return .fresh(found, remaining: UInt32(clamping: remaining))
        }
        let age = now - expiresAt
        if age <= maxStale, maxStale > .zero { return .stale(found, age: age) }
        remove(key)
        return .miss
    }

    /// Stores an entry and returns the one it replaced, if any (even if expired).
    @discardableResult
    mutating func store(_ key: CacheKey, _ entry: Entry) -> Entry? {
        entries.updateValue(.passRetained(entry), forKey: key)?.takeRetainedValue()
    }

    mutating func remove(_ key: CacheKey) { entries.removeValue(forKey: key)?.release() }

    mutating func removeAll() {
        releaseEntries()
        entries.removeAll()
    }

    /// Gives up the cache's retain of every entry (the dictionary must then be emptied or dropped).
    private func releaseEntries() {
        for entry in entries.values { entry.release() }
    }
}
