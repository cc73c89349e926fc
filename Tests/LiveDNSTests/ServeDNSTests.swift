import AresShim
import DNSModel
import LiveDNS
import SimKernel
import Testing
import WorldModel

@Suite(.serialized) struct ServeDNSTests {
    let dynamo = Question(name: try! DomainName("dynamodb.us-east-1.amazonaws.com."), type: .a)

    /// The US-EAST-1 story on the wire: addresses before the race, NODATA (SOA in authority) during it, addresses
    /// after the repair — with zone state from the model run to each time.
    @Test(arguments: [("23:00", 4), ("01:00", 0), ("03:00", 4)])
    func usEast1ZoneStateComesFromTheModel(time: String, addresses: Int) throws {
        let session = try ServeDNSSession.start(
            ServeDNSOptions(scenarioPath: usEast1, server: LiveServerConfiguration(port: 0, threads: 1), at: time))
        defer { session.stop() }
        let client = UDPTestClient(port: session.server.port)
        let reply = try #require(try client.query("dynamodb.us-east-1.amazonaws.com."))
        #expect(reply.header.rcode == .noError)
        #expect(reply.header.authoritative)
        #expect(reply.answers.count == addresses)
        if addresses == 0 {
            #expect(reply.authority.map(\.type) == [.soa])
        }
        // The same through a real c-ares channel.
        let probe = try AresProbe(
            ProbeOptions(port: session.server.port, question: dynamo, count: 1, timeoutMilliseconds: 500, tries: 2))
        let sample = probe.lookup()
        #expect(sample.status == (addresses == 0 ? .noData : .success))
        #expect(sample.addresses.count == addresses)
    }

    @Test func timesParseInTheScenarioZone() throws {
        let spec = WorldSpec(
            name: "t", clock: ScenarioClock(startUnixSeconds: 1_760_940_000, utcOffsetSeconds: -25_200, zoneLabel: "PDT"),
            duration: .hours(17))
        // 1_760_940_000 is 2025-10-19T23:00:00-07:00.
        #expect(try ScenarioTime.parse("01:00", in: spec) == SimTime.zero + .hours(2))
        #expect(try ScenarioTime.parse("23:30:15", in: spec) == SimTime.zero + .seconds(30 * 60 + 15))
        #expect(try ScenarioTime.parse("+90m", in: spec) == SimTime.zero + .minutes(90))
        #expect(throws: LiveDNSError.self) { try ScenarioTime.parse("25:00", in: spec) }
        #expect(throws: LiveDNSError.self) { try ScenarioTime.parse("+18h", in: spec) }
        #expect(throws: LiveDNSError.self) { try ScenarioTime.parse("noon", in: spec) }
    }

    /// With the clock running, the served state follows the model: at 60× from 01:00 the record is empty, and the
    /// state is published with the virtual time it belongs to.
    @Test func runningClockPublishesTheModelsState() throws {
        let session = try ServeDNSSession.start(
            ServeDNSOptions(
                scenarioPath: usEast1, server: LiveServerConfiguration(port: 0, threads: 1), speed: 60, from: "01:00"))
        defer { session.stop() }
        let snapshot = session.authority.snapshot
        #expect(snapshot.time >= SimTime.zero + .hours(2))
        var rng = RandomStream(seed: 1, label: "t")
        let response = snapshot.respond(to: dynamo, overTCP: false, rng: &rng)
        guard case .answer(let answer) = response.action else {
            Issue.record("expected an answer, got \(response.action)")
            return
        }
        #expect(answer.isNoData)
    }

    @Test func portInUseAndBadAddressAreClearErrors() throws {
        let handler = try FixedHandler()
        let first = try LiveDNSServer.start(LiveServerConfiguration(port: 0, threads: 1), handler: handler)
        defer { first.shutdown() }
        #expect(throws: LiveServerError.addressInUse(host: "127.0.0.1", port: first.port)) {
            try LiveDNSServer.start(LiveServerConfiguration(port: first.port, threads: 1), handler: handler)
        }
        #expect(throws: LiveServerError.badAddress("not-an-address")) {
            try LiveDNSServer.start(LiveServerConfiguration(host: "not-an-address", port: 0), handler: handler)
        }
        #expect(throws: LiveDNSError.self) {
            try ServeDNSSession.start(ServeDNSOptions(scenarioPath: repositoryRoot + "/Scenarios/none.yaml"))
        }
    }
}

/// Answers from the calibration zone with no fault.
struct FixedHandler: LivePacketHandler {
    let snapshot: AuthoritySnapshot
    init() throws { snapshot = try Calibration.snapshot(for: nil) }
    func respond(to packet: [UInt8], overTCP: Bool, context: inout LiveQueryContext) -> LiveReply {
        LiveResponder().respond(to: packet, overTCP: overTCP, snapshot: snapshot, generation: 0, context: &context)
    }
}
