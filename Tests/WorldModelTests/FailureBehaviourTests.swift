import AresShim
import DNSModel
import SimKernel
import Testing
import WorldModel

@Suite("Unreachable and failing servers, serve-stale, connection pools")
struct FailureBehaviourTests {
    /// An authority silent from 5 to 20 minutes; the record's TTL is 60 s.
    static func silentAuthority(serveStale: ServeStaleSpec?) -> WorldFixture {
        var fixture = WorldFixture()
        fixture.resolver = ResolverSpec(id: "r1", serveStale: serveStale)
        fixture.faults = [
            WorldFixture.fault(.behaviour(.noAnswer, scope: nil, probability: 1), at: .minutes(5), until: .minutes(20))
        ]
        return fixture
    }

    @Test("a silent authority: the resolver times out upstream, answers SERVFAIL, and c-ares reports ECONNREFUSED")
    func silentAuthorityWithoutServeStale() throws {
        let (results, events) = try Self.silentAuthority(serveStale: nil).run()
        let client = results.clients[0]
        let firstFailure = try #require(client.firstFailure)
        #expect(firstFailure > .zero + .minutes(5) && firstFailure < .zero + .minutes(6) + .seconds(Int64(10)))
        #expect(results.resolvers[0].answers.count(.servFail) > 0)
        #expect(results.resolvers[0].upstreamFailures > 0)
        // c-ares 1.18 without NOCHECKRESP moves past a SERVFAIL and ends with ARES_ECONNREFUSED (facts/c-ares.md).
        #expect(client.lookups.count(.connectionRefused) > 0)
        #expect(client.lookups.count(.servFail) == 0)
        #expect(events.lookups.filter { !$0.outcome.isSuccess }.allSatisfy { $0.status == .connRefused })
        let recovery = try #require(client.recovery)
        #expect(recovery >= .zero + .minutes(20) && recovery < .zero + .minutes(20) + .seconds(Int64(10)))
    }

    @Test("with NOCHECKRESP the same outage is reported as ARES_ESERVFAIL")
    func noCheckResponseReportsServfail() throws {
        var fixture = Self.silentAuthority(serveStale: nil)
        fixture.client.stub = StubResolverOptions(noCheckResponse: true)
        let (results, events) = try fixture.run()
        #expect(results.clients[0].lookups.count(.servFail) > 0)
        #expect(results.clients[0].lookups.count(.connectionRefused) == 0)
        #expect(events.lookups.filter { $0.outcome == .servFail }.allSatisfy { $0.status == .servFail && $0.queriesSent == 1 })
    }

    @Test("serve-stale (RFC 8767) keeps answering from expired data through the outage")
    func serveStaleHidesTheOutage() throws {
        let (results, events) = try Self.silentAuthority(serveStale: ServeStaleSpec()).run()
        #expect(results.clients[0].firstFailure == nil)
        #expect(results.clients[0].failedLookups == 0)
        #expect(results.resolvers[0].staleAnswers > 0)
        let stale = events.answers.filter { $0.source == .stale }
        #expect(stale.allSatisfy { $0.outcome == .noError })
        #expect(stale.allSatisfy { $0.time > .zero + .minutes(5) && $0.time < .zero + .minutes(21) })
    }

    @Test("serve-stale ends when the stale window (maxStale) runs out mid-outage")
    func staleWindowEnds() throws {
        let (results, _) = try Self.silentAuthority(serveStale: ServeStaleSpec(maxStale: .minutes(5))).run()
        let firstFailure = try #require(results.clients[0].firstFailure)
        // The last positive entry expires around 5–6 min; the window then lasts 5 min more.
        #expect(firstFailure > .zero + .minutes(10) && firstFailure < .zero + .minutes(11) + .seconds(Int64(10)))
        #expect(results.resolvers[0].staleAnswers > 0)
    }

    @Test("serve-stale does not hide an authority that answers NODATA (RFC 8767 §5)")
    func serveStaleDoesNotHideNodata() throws {
        var fixture = WorldFixture()
        fixture.resolver = ResolverSpec(id: "r1", serveStale: ServeStaleSpec())
        fixture.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(5))]
        let (results, _) = try fixture.run()
        #expect(results.clients[0].lookups.count(.noData) > 0)
        #expect(results.resolvers[0].staleAnswers == 0)
    }

    @Test(
        "an authority answering REFUSED or NOTIMP also ends in SERVFAIL at the resolver",
        arguments: [ServerBehaviour.refused, .notimp, .servfail])
    func errorRcodesFromTheAuthority(behaviour: ServerBehaviour) throws {
        var fixture = WorldFixture()
        fixture.faults = [WorldFixture.fault(.behaviour(behaviour, scope: nil, probability: 1), at: .minutes(5))]
        fixture.duration = .minutes(10)
        let (results, _) = try fixture.run()
        #expect(results.resolvers[0].answers.count(.servFail) > 0)
        #expect(results.clients[0].failedLookups > 0)
    }

    @Test("a fault on the resolver itself reaches the stub directly: REFUSED with NOCHECKRESP is ARES_EREFUSED")
    func resolverRefuses() throws {
        var fixture = WorldFixture()
        fixture.client.stub = StubResolverOptions(noCheckResponse: true)
        fixture.faults = [
            WorldFixture.fault(
                .behaviour(.refused, scope: nil, probability: 1), at: .minutes(1), target: ComponentID(.resolver, "r1"))
        ]
        fixture.duration = .minutes(3)
        let (results, events) = try fixture.run()
        #expect(results.clients[0].lookups.count(.refused) > 0)
        #expect(events.lookups.filter { $0.outcome == .refused }.allSatisfy { $0.status == .refused })
        #expect(results.resolvers[0].bySource[.fault, default: 0] > 0)
    }

    @Test("existing connections survive failed lookups: without churn nobody goes down")
    func poolsSurviveDNSFailure() throws {
        var fixture = WorldFixture()
        fixture.client.pool = PoolSpec(size: 2, maxConnectionAge: .hours(2))
        fixture.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(2))]
        let (results, _) = try fixture.run()
        #expect(results.clients[0].failedLookups > 0)
        #expect(results.clients[0].minAvailability == 1)
        #expect(results.clients[0].downtime == .zero)
    }

    @Test("connection churn takes instances down once lookups fail; a longer connection age slows the loss")
    func churnTakesInstancesDown() throws {
        /// When the first instance, and then every instance, lost its last connection.
        func losses(maxAge: SimDuration) throws -> (first: SimTime, all: SimTime) {
            var fixture = WorldFixture()
            fixture.client = ClientSpec(
                id: "app", instances: 10, endpoint: "kv", resolvers: ["r1"],
                pool: PoolSpec(size: 1, maxConnectionAge: maxAge, ageJitter: 0))
            fixture.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(2))]
            let (results, events) = try fixture.run()
            #expect(results.clients[0].minAvailability == 0)
            let serving = events.compactMap { time, event -> (SimTime, Int)? in
                if case .availabilityChanged(_, let serving, _) = event, time > .zero { return (time, serving) }
                return nil
            }
            let first = try #require(serving.first { $0.1 < 10 }).0
            let all = try #require(serving.first { $0.1 == 0 }).0
            return (first, all)
        }
        let fast = try losses(maxAge: .minutes(3))
        let slow = try losses(maxAge: .minutes(9))
        // Make-before-break: nobody loses a connection while lookups still succeed (the cached record lives
        // until about 3 minutes).
        #expect(fast.first >= .zero + .minutes(2) && slow.first >= .zero + .minutes(2))
        // Every connection has aged within one connection age of the cached record's expiry.
        #expect(fast.all <= .zero + .minutes(3) + .minutes(3) + .seconds(Int64(10)))
        #expect(slow.all > fast.all)
        #expect(slow.all <= .zero + .minutes(3) + .minutes(9) + .seconds(Int64(10)))
    }
}
