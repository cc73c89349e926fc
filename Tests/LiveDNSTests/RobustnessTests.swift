import DNSModel
import LiveDNS
import SimKernel
import Testing
import WorldModel

@Suite(.serialized) struct RobustnessTests {
    /// Random and mutated packets, to the pure handler and over real UDP and TCP; then a valid query is still
    /// answered correctly.
    @Test func malformedPacketsNeverBreakTheServer() throws {
        let snapshot = try Calibration.snapshot(for: nil)
        let responder = LiveResponder()
        let valid = try WireEncoder.encode(Message.query(id: 7, name: try DomainName("kv.calib.test."), type: .a))
        var rng = RandomStream(seed: 42, label: "fuzz")
        var packets: [[UInt8]] = []
        for i in 0..<3_000 {
            if i % 2 == 0 {
                let length = Int(rng.below(80))
                packets.append((0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            } else {
                var mutated = valid
                for _ in 0..<(1 + Int(rng.below(4))) {
                    let at = Int(rng.below(UInt64(mutated.count)))
                    mutated[at] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.bernoulli(0.3) { mutated = Array(mutated.prefix(Int(rng.below(UInt64(mutated.count))))) }
                if rng.bernoulli(0.2) { mutated += (0..<Int(rng.below(40))).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
                packets.append(mutated)
            }
        }
        // The pure function: never traps; every reply it gives is a response that decodes.
        for packet in packets {
            if let reply = responder.reply(to: packet, snapshot: snapshot) {
                #expect(reply.count >= 12)
                #expect(reply[2] & 0x80 != 0)
            }
        }
        let server = try LiveDNSServer.start(LiveServerConfiguration(port: 0, threads: 1), handler: try FixedHandler())
        defer { server.shutdown() }
        let client = UDPTestClient(port: server.port, receiveTimeoutMilliseconds: 2_000)
        for packet in packets { client.send(packet) }
        let tcp = TCPTestClient(port: server.port)
        for packet in packets.prefix(300) { tcp.sendFramed(packet) }
        // The flood may still be draining (datagrams beyond the socket buffer are dropped by the kernel): ask again
        // until the server has caught up.
        let checker = UDPTestClient(port: server.port, receiveTimeoutMilliseconds: 1_000)
        var answered: Message?
        for attempt in 0..<10 where answered == nil {
            answered = try checker.query("kv.calib.test.", id: 0x5151 &+ UInt16(attempt))
        }
        let reply = try #require(answered)
        #expect(reply.header.rcode == .noError)
        #expect(reply.answers.map(\.data) == [.a(IPv4Address(192, 0, 2, 10))])
        #expect(server.stats.current.udpQueries >= 1)
    }

    /// A flood from one source is cut to the per-source rate.
    @Test func perSourceRateLimit() throws {
        let server = try LiveDNSServer.start(
            LiveServerConfiguration(port: 0, rateLimitPerSource: 20, threads: 1), handler: try FixedHandler())
        defer { server.shutdown() }
        let client = UDPTestClient(port: server.port, receiveTimeoutMilliseconds: 300)
        let query = try WireEncoder.encode(Message.query(id: 9, name: try DomainName("kv.calib.test."), type: .a))
        for _ in 0..<500 { client.send(query) }
        var replies = 0
        while client.receive() != nil { replies += 1 }
        // 20 in the bucket plus 20/s for however long sending took (well under 2 s). The kernel may drop part of
        // the flood before the server sees it, so count against what arrived.
        let counts = server.stats.current
        #expect(replies >= 20)
        #expect(replies < 60)
        #expect(counts.udpQueries - counts.rateLimited == counts.replies)
        #expect(counts.rateLimited >= counts.udpQueries - 60)
    }

    /// Delayed replies are bounded: beyond the cap they are dropped, not queued.
    @Test func delayedRepliesAreBounded() throws {
        let snapshot = try Calibration.snapshot(for: .behaviour(.latency(.seconds(2)), scope: nil, probability: 1))
        let server = try LiveDNSServer.start(
            LiveServerConfiguration(port: 0, maxDelayedReplies: 50, threads: 1), handler: SnapshotHandler(snapshot: snapshot))
        defer { server.shutdown() }
        let client = UDPTestClient(port: server.port, receiveTimeoutMilliseconds: 100)
        let query = try WireEncoder.encode(Message.query(id: 9, name: try DomainName("kv.calib.test."), type: .a))
        for _ in 0..<400 { client.send(query) }
        while client.receive() != nil {}
        // Every datagram that arrived beyond the first 50 was dropped instead of queued (the 2 s delay outlasts the test).
        let counts = server.stats.current
        #expect(counts.udpQueries > 50)
        #expect(counts.overflowDropped == counts.udpQueries - 50)
    }
}

struct SnapshotHandler: LivePacketHandler {
    let snapshot: AuthoritySnapshot
    func respond(to packet: [UInt8], overTCP: Bool, context: inout LiveQueryContext) -> LiveReply {
        LiveResponder().respond(to: packet, overTCP: overTCP, snapshot: snapshot, rng: &context.rng)
    }
}

@Suite struct AnswerCacheTests {
    /// A cached reply is the fresh reply with the query's ID and spelling of the question.
    @Test func cachedRepliesEqualFreshOnes() throws {
        let snapshot = try Calibration.snapshot(for: nil)
        let responder = LiveResponder()
        var context = LiveQueryContext(rng: RandomStream(seed: 1, label: "t"))
        for (id, name) in [(UInt16(1), "kv.calib.test."), (2, "KV.Calib.Test."), (3, "kv.calib.test."), (4, "nx.calib.test.")] {
            let packet = try WireEncoder.encode(Message.query(id: id, name: try DomainName(name), type: .a))
            let cached = responder.respond(to: packet, overTCP: false, snapshot: snapshot, generation: 0, context: &context)
            var rng = RandomStream(seed: 1, label: "t")
            let fresh = responder.respond(to: packet, overTCP: false, snapshot: snapshot, rng: &rng)
            #expect(cached == fresh, "\(name)")
        }
        // A new generation drops what was cached for the old state.
        let emptied = try Calibration.snapshot(for: .emptyRecords(name: try DomainName("kv.calib.test."), type: .a))
        let packet = try WireEncoder.encode(Message.query(id: 5, name: try DomainName("kv.calib.test."), type: .a))
        let reply = responder.respond(to: packet, overTCP: false, snapshot: emptied, generation: 1, context: &context)
        #expect(try WireDecoder.decode(try #require(reply.bytes)).answers.isEmpty)
    }
}
