import DNSModel
import LiveDNS
import SimKernel
import Testing
import WorldModel

@Suite struct LiveResolverTests {
    let name = try! DomainName("kv.calib.test.")

    func ask(_ resolver: LiveResolver, id: UInt16 = 1) throws -> Message {
        var context = LiveQueryContext(rng: RandomStream(seed: 3, label: "t"))
        let packet = try WireEncoder.encode(Message.query(id: id, name: name, type: .a))
        let reply = try #require(resolver.respond(to: packet, overTCP: false, context: &context).bytes)
        return try WireDecoder.decode(reply)
    }

    @Test func positiveTTLCountsDown() throws {
        let clock = ManualClock()
        let authority = LiveAuthority.fixed(try Calibration.snapshot(for: nil), end: SimTime.zero + .hours(1))
        let resolver = LiveResolver(spec: ResolverSpec(id: "r"), authority: authority, speed: 1, clock: { clock.now })
        let first = try ask(resolver)
        #expect(first.header.recursionAvailable)
        #expect(first.answers.map(\.ttl) == [60])
        clock.set(SimTime.zero + .seconds(25))
        #expect(try ask(resolver).answers.map(\.ttl) == [35])
        // The cache answers even though the authority now says NXDOMAIN, until the TTL runs out.
        authority.replace(with: try Calibration.snapshot(for: .deleteName(name: name)))
        clock.set(SimTime.zero + .seconds(59))
        #expect(try ask(resolver).answers.map(\.ttl) == [1])
        clock.set(SimTime.zero + .seconds(61))
        let negative = try ask(resolver)
        #expect(negative.header.rcode == .nxDomain)
        // Negative TTL from the SOA: min(SOA TTL 300, MINIMUM 60) = 60 (RFC 2308 §5), counting down.
        #expect(negative.authority.map(\.ttl) == [60])
        clock.set(SimTime.zero + .seconds(101))
        #expect(try ask(resolver).authority.map(\.ttl) == [20])
    }

    @Test func maxNegativeTTLClampsNegativeCaching() throws {
        let clock = ManualClock()
        let authority = LiveAuthority.fixed(
            try Calibration.snapshot(for: .emptyRecords(name: name, type: .a)), end: SimTime.zero + .hours(1))
        let resolver = LiveResolver(
            spec: ResolverSpec(id: "r", maxNegativeTTL: 10), authority: authority, speed: 1, clock: { clock.now })
        let reply = try ask(resolver)
        #expect(reply.header.rcode == .noError)
        #expect(reply.answers.isEmpty)
        #expect(reply.authority.map(\.ttl) == [10])
    }

    @Test(arguments: [true, false])
    func serveStaleAnswersWhenTheAuthorityFails(serveStale: Bool) throws {
        let clock = ManualClock()
        let authority = LiveAuthority.fixed(try Calibration.snapshot(for: nil), end: SimTime.zero + .hours(1))
        let spec = ResolverSpec(id: "r", serveStale: serveStale ? ServeStaleSpec(replyTTL: 30) : nil)
        let resolver = LiveResolver(spec: spec, authority: authority, speed: 1, clock: { clock.now })
        _ = try ask(resolver)
        authority.replace(with: try Calibration.snapshot(for: .behaviour(.servfail, scope: nil, probability: 1)))
        clock.set(SimTime.zero + .seconds(120))
        let reply = try ask(resolver)
        if serveStale {
            #expect(reply.header.rcode == .noError)
            #expect(reply.answers.map(\.ttl) == [30])
        } else {
            #expect(reply.header.rcode == .servFail)
            #expect(reply.answers.isEmpty)
        }
    }
}
