import DNSModel
import SimKernel
import Testing

@testable import WorldModel

/// ``ResolverCache`` holds each entry once itself and hands entries out unretained: what it finds must be the entry
/// stored, for as long as the cache keeps it, and every entry must be released exactly when the cache lets it go.
@Suite("Resolver cache")
struct ResolverCacheTests {
    let key = CacheKey(name: try! DomainName("kv.example."), type: .a)

    func entry(ttl: UInt32, storedAt: SimTime = .zero) -> ResolverCache.Entry {
        ResolverCache.Entry(
            summary: CacheEntrySummary(outcome: .noError, recordCount: 0, ttl: ttl, originalTTL: ttl, storedAt: storedAt),
            records: [], soa: nil)
    }

    @Test("a lookup finds the stored entry: fresh with its whole seconds left, then stale, then gone")
    func lookupsFollowTheEntrysAge() {
        var cache = ResolverCache(maxStale: .seconds(30))
        let stored = entry(ttl: 60)
        cache.store(key, stored)
        guard case .fresh(let found, let remaining) = cache.lookup(key, now: SimTime.zero + .milliseconds(10_500)) else {
            Issue.record("not fresh")
            return
        }
        #expect(found.takeUnretainedValue() === stored)
        #expect(remaining == 49)
        guard case .stale(let staleFound, let age) = cache.lookup(key, now: SimTime.zero + .seconds(70)) else {
            Issue.record("not stale")
            return
        }
        #expect(staleFound.takeUnretainedValue() === stored)
        #expect(age == .seconds(10))
        guard case .miss = cache.lookup(key, now: SimTime.zero + .seconds(91)) else {
            Issue.record("still cached past the stale window")
            return
        }
        #expect(cache.count == 0)
    }

    @Test("an entry is released when it is replaced, removed, expires or the cache goes, and not before")
    func entriesAreReleasedWhenTheCacheLetsThemGo() {
        weak var replaced: ResolverCache.Entry?
        weak var removed: ResolverCache.Entry?
        weak var expired: ResolverCache.Entry?
        weak var kept: ResolverCache.Entry?
        let other = CacheKey(name: try! DomainName("other.example."), type: .a)
        do {
            var cache = ResolverCache(maxStale: .zero)
            do {
                let first = entry(ttl: 60)
                replaced = first
                cache.store(key, first)
            }
            #expect(replaced != nil)  // held by the cache alone
            do {
                let second = entry(ttl: 60)
                removed = second
                let previous = cache.store(key, second)
                #expect(previous === replaced)  // handed back, still alive while the caller holds it
            }
            #expect(replaced == nil)
            #expect(removed != nil)
            cache.remove(key)
            #expect(removed == nil)
            do {
                let third = entry(ttl: 1)
                expired = third
                cache.store(key, third)
                let fourth = entry(ttl: 600)
                kept = fourth
                cache.store(other, fourth)
            }
            guard case .miss = cache.lookup(key, now: SimTime.zero + .seconds(2)) else {
                Issue.record("an expired entry was found")
                return
            }
            #expect(expired == nil)
            #expect(kept != nil)
            #expect(cache.count == 1)
        }
        #expect(kept == nil)  // released with the cache
    }

    @Test("removing every entry releases them all")
    func removeAllReleasesEveryEntry() {
        var cache = ResolverCache(maxStale: .seconds(30))
        weak var a: ResolverCache.Entry?
        weak var b: ResolverCache.Entry?
        do {
            let first = entry(ttl: 60)
            let second = entry(ttl: 60)
            (a, b) = (first, second)
            cache.store(key, first)
            cache.store(CacheKey(name: try! DomainName("other.example."), type: .aaaa), second)
        }
        #expect(a != nil && b != nil)
        cache.removeAll()
        #expect(a == nil && b == nil)
        #expect(cache.count == 0)
    }
}
