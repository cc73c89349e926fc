import AresShim
import DNSModel
import SimKernel
import Testing
import WorldModel

@Suite("Resolver caching: TTLs, clamps, negative answers")
struct ResolverCachingTests {
    @Test("a positive answer is cached for the record's TTL and served from cache until it expires")
    func positiveTTL() throws {
        var fixture = WorldFixture()
        fixture.recordTTL = 120
        fixture.duration = .minutes(10)
        let (_, events) = try fixture.run()
        let stores = events.cacheStores
        #expect(stores.first?.ttl == 120)
        #expect(stores.allSatisfy { $0.outcome == .noError && $0.ttl == 120 })
        // One upstream fetch per TTL period: the entry is refetched only after it expires.
        for (earlier, later) in zip(stores, stores.dropFirst()) {
            #expect(later.storedAt >= earlier.expiresAt)
        }
        #expect(stores.count >= 4 && stores.count <= 6)
        let answers = events.answers
        #expect(answers.filter { $0.source == .cache }.count > answers.filter { $0.source == .upstream }.count)
    }

    @Test(
        "minTTL and maxTTL clamp positive TTLs",
        arguments: [
            (UInt32(10), UInt32(0), UInt32(86_400), UInt32(10)),
            (10, 60, 86_400, 60), (600, 0, 300, 300),
        ])
    func clamps(recordTTL: UInt32, minTTL: UInt32, maxTTL: UInt32, expected: UInt32) throws {
        var fixture = WorldFixture()
        fixture.recordTTL = recordTTL
        fixture.resolver = ResolverSpec(id: "r1", minTTL: minTTL, maxTTL: maxTTL)
        fixture.duration = .minutes(2)
        let (_, events) = try fixture.run()
        let first = try #require(events.cacheStores.first)
        #expect(first.ttl == expected)
        #expect(first.originalTTL == recordTTL)
    }

    @Test(
        "NODATA is cached for min(SOA TTL, SOA MINIMUM), clamped by maxNegativeTTL (RFC 2308 §5)",
        arguments: [(UInt32(3600), UInt32(300), UInt32(3600), UInt32(300)), (120, 300, 3600, 120), (3600, 900, 600, 600)])
    func negativeTTL(soaTTL: UInt32, soaMinimum: UInt32, maxNegativeTTL: UInt32, expected: UInt32) throws {
        var fixture = WorldFixture()
        fixture.soaTTL = soaTTL
        fixture.soaMinimum = soaMinimum
        fixture.resolver = ResolverSpec(id: "r1", maxNegativeTTL: maxNegativeTTL)
        fixture.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(1))]
        fixture.duration = .minutes(10)
        let (results, events) = try fixture.run()
        let negative = try #require(events.cacheStores.first { $0.outcome == .noData })
        #expect(negative.ttl == expected)
        #expect(negative.originalTTL == min(soaTTL, soaMinimum))
        #expect(results.clients[0].lookups.count(.noData) > 0)
        #expect(results.clients[0].lookups.byStatus[.noData] == results.clients[0].lookups.count(.noData))
    }

    @Test("the first failure waits for the cached positive answer to expire")
    func failureWaitsForTTL() throws {
        for ttl: UInt32 in [60, 300] {
            var fixture = WorldFixture()
            fixture.recordTTL = ttl
            fixture.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(1))]
            let (results, events) = try fixture.run()
            let lastPositive = try #require(
                events.cacheStores.last { $0.outcome == .noError && $0.storedAt < .zero + .minutes(1) })
            let firstFailure = try #require(results.clients[0].firstFailure)
            #expect(firstFailure >= lastPositive.expiresAt)
            // Lookups every 5 s: the failure shows within one lookup interval (plus round trips) of the expiry.
            #expect(firstFailure - lastPositive.expiresAt < .seconds(Int64(6)))
        }
    }

    @Test("a deleted name gives NXDOMAIN (ARES_ENOTFOUND), an emptied record set NODATA (ARES_ENODATA)")
    func nxdomainVersusNodata() throws {
        var deleted = WorldFixture()
        deleted.faults = [WorldFixture.fault(.deleteName(name: WorldFixture.kv), at: .minutes(1))]
        let (deletedResults, deletedEvents) = try deleted.run()
        #expect(deletedResults.clients[0].lookups.count(.nxDomain) > 0)
        #expect(deletedResults.clients[0].lookups.count(.noData) == 0)
        #expect(deletedEvents.lookups.filter { $0.outcome == .nxDomain }.allSatisfy { $0.status == .notFound })
        #expect(deletedEvents.cacheStores.contains { $0.outcome == .nxDomain && $0.ttl == 300 })

        var emptied = WorldFixture()
        emptied.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(1))]
        let (emptiedResults, _) = try emptied.run()
        #expect(emptiedResults.clients[0].lookups.count(.noData) > 0)
        #expect(emptiedResults.clients[0].lookups.count(.nxDomain) == 0)
    }

    @Test("recovery after a repair waits for the negative entry: a longer negative TTL delays it by the difference")
    func recoveryTailFollowsNegativeTTL() throws {
        func recovery(soaMinimum: UInt32) throws -> (SimTime, SimTime) {
            var fixture = WorldFixture()
            fixture.soaMinimum = soaMinimum
            // The record is emptied for two minutes; the negative entry is stored once and outlives the repair.
            fixture.faults = [
                WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(5), until: .minutes(7))
            ]
            let (results, events) = try fixture.run()
            let negative = try #require(events.cacheStores.first { $0.outcome == .noData })
            return (try #require(results.clients[0].recovery), negative.expiresAt)
        }
        let (short, shortExpiry) = try recovery(soaMinimum: 300)
        let (long, longExpiry) = try recovery(soaMinimum: 600)
        #expect(short >= shortExpiry && short - shortExpiry < .seconds(Int64(6)))
        #expect(long >= longExpiry && long - longExpiry < .seconds(Int64(6)))
        let difference = (long - short).nanoseconds
        #expect(abs(difference - SimDuration.seconds(Int64(300)).nanoseconds) < SimDuration.seconds(Int64(6)).nanoseconds)
    }

    @Test("a cache flush by the operator ends a negative entry early")
    func flushEndsNegativeEntry() throws {
        var fixture = WorldFixture()
        fixture.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(5), until: .minutes(7))]
        fixture.operatorActions = [OperatorActionSpec(at: .zero + .minutes(8), action: .flushCache(resolver: "r1", name: nil))]
        let (results, _) = try fixture.run()
        let recovery = try #require(results.clients[0].recovery)
        #expect(recovery >= .zero + .minutes(8) && recovery < .zero + .minutes(8) + .seconds(Int64(6)))
    }
}
