import DNSModel
import SimKernel

/// A resolver's cache of answers (positive RRsets and negative answers), keyed by name and type.
///
/// Time is passed in (`now`), never read. Entries stay after they expire, so that serve-stale can use
/// them, until `maxStale` past expiry; then they are gone.
///
/// - Complexity: O(1) average per lookup and store.
struct ResolverCache {
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

    enum Lookup {
        /// Usable: `remaining` whole seconds of TTL left.
        case fresh(Entry, remaining: UInt32)
        /// Expired `age` ago, but within the stale window.
        case stale(Entry, age: SimDuration)
        case miss
    }

    private var entries: [CacheKey: Entry] = [:]
    /// How long past expiry an entry is kept for serve-stale (zero when serve-stale is off).
    let maxStale: SimDuration

    init(maxStale: SimDuration) {
        self.maxStale = maxStale
    }

    var count: Int { entries.count }

    mutating func lookup(_ key: CacheKey, now: SimTime) -> Lookup {
        guard let entry = entries[key] else { return .miss }
        if let evictAt = entry.evictAt, now >= evictAt {
            entries[key] = nil
            return .miss
        }
        if now < entry.expiresAt {
            let remaining = (entry.expiresAt - now).nanoseconds / 1_000_000_000
            return .fresh(entry, remaining: UInt32(clamping: remaining))
        }
        let age = now - entry.expiresAt
        if age <= maxStale, maxStale > .zero { return .stale(entry, age: age) }
        entries[key] = nil
        return .miss
    }

    /// Stores an entry and returns the one it replaced, if any (even if expired).
    @discardableResult
    mutating func store(_ key: CacheKey, _ entry: Entry) -> Entry? {
        entries.updateValue(entry, forKey: key)
    }

    /// The entry for a key regardless of its age.
    func peek(_ key: CacheKey) -> Entry? { entries[key] }

    mutating func remove(_ key: CacheKey) { entries[key] = nil }

    mutating func removeAll() { entries.removeAll() }
}
