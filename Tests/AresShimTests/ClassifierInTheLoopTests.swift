import AresShim
import DNSModel
import SimKernel
import Testing

/// Random replies through the real c-ares channel versus the classifier + stub model: c-ares's own
/// `process_answer`, `qcallback` and parsers must reach the status the classifier predicts.
@Suite(.serialized) struct ClassifierInTheLoopTests {
    /// Re-targets a sample's ID at the query actually sent, keeping "matches" or "does not match".
    static func builder(_ sample: RandomResponses.Sample) -> AresLoopback.ReplyBuilder {
        { query in
            var bytes = sample.bytes
            guard bytes.count >= 2 else { return bytes }
            let sent = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            let id = sent ^ sample.queryID ^ query.header.id
            bytes[0] = UInt8(id >> 8)
            bytes[1] = UInt8(id & 0xFF)
            return bytes
        }
    }

    @Test func randomRepliesReachTheSameStatus() throws {
        var generator = RandomResponses(seed: 2024)
        let options = StubResolverOptions(timeout: .milliseconds(5), tries: 1, noCheckResponse: true)
        let loop = try AresLoopback(options: options, servers: [.init(udp: [.silent])])
        var outcomes: [LookupOutcome: Int] = [:]
        var compared = 0
        for _ in 0..<400 {
            let sample = generator.next()
            let script = AresLoopback.ServerScript(udp: [.reply(after: .milliseconds(1), Self.builder(sample))], tcp: [.refuse])
            loop.setServers([script])
            let real = loop.lookup(sample.question)
            if real.stalled { continue }
            let model = ModelRunner(options: options, scripts: [script], question: sample.question).run()
            let classification = AresResponseClassifier().classify(
                Self.builder(sample)(Message.query(id: 0x4242, name: sample.question.name, type: sample.question.type)),
                query: sample.question, queryID: 0x4242)
            outcomes[classification.outcome, default: 0] += 1
            // ARES_SUCCESS without an address is NODATA in the outcome vocabulary.
            let realStatus = real.status == .success && real.addresses.isEmpty ? AresStatus.noData : real.status
            #expect(realStatus == model.result.status, "\(sample.recipe)")
            #expect(real.queriesSent == model.result.queriesSent, "\(sample.recipe)")
            if real.status == .success {
                #expect(real.addresses == classification.addresses, "\(sample.recipe)")
                #expect(real.ttls.map { $0 < 0 ? UInt32(0) : UInt32($0) }.min() == classification.ttl, "\(sample.recipe)")
            }
            compared += 1
        }
        #expect(compared > 350)
        // The generator reaches every kind of ending.
        for outcome in [
            LookupOutcome.noError, .noData, .nxDomain, .servFail, .refused, .notImp, .formErr, .truncated, .malformed, .timeout,
        ] {
            #expect(outcomes[outcome, default: 0] > 0, "no sample classified \(outcome)")
        }
    }
}
