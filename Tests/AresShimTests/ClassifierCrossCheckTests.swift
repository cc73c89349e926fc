import AresShim
import DNSModel
import SimKernel
import Testing

/// AresResponseClassifier (c-ares itself) against SwiftResponseClassifier (pure Swift) on thousands of
/// seeded random replies and on hand-picked edge cases. Where they differ, c-ares 1.18.1 is the
/// reference: ClassifierInTheLoopTests shows AresResponseClassifier reaching the same status as a real
/// channel, and the edge cases here also go through a real channel.
@Suite(.serialized) struct ClassifierCrossCheckTests {
    struct Disagreement {
        var sample: RandomResponses.Sample
        var ares: ResponseClassification
        var swift: ResponseClassification
    }

    static func category(_ ares: ResponseClassification, _ swift: ResponseClassification) -> String {
        if ares.dropped != swift.dropped { return "dropped ares=\(ares.dropped) swift=\(swift.dropped)" }
        if ares.outcome != swift.outcome { return "outcome ares=\(ares.outcome) swift=\(swift.outcome)" }
        if ares.addresses != swift.addresses { return "addresses (\(ares.outcome))" }
        if ares.ttl != swift.ttl { return "ttl (\(ares.outcome))" }
        if ares.negativeTTL != swift.negativeTTL { return "negativeTTL (\(ares.outcome))" }
        return "other"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test(arguments: [1, 2] as [UInt64])
    func classifiersAgreeOnRandomReplies(seed: UInt64) {
        var generator = RandomResponses(seed: seed)
        let ares = AresResponseClassifier(memoizes: false)
        let swift = SwiftResponseClassifier()
        var found: [String: Disagreement] = [:]
        var agreed = 0
        for _ in 0..<5_000 {
            let sample = generator.next()
            let expected = ares.classify(sample.bytes, query: sample.question, queryID: sample.queryID)
            let actual = swift.classify(sample.bytes, query: sample.question, queryID: sample.queryID)
            if expected == actual {
                agreed += 1
                continue
            }
            let key = Self.category(expected, actual)
            if let kept = found[key], kept.sample.bytes.count <= sample.bytes.count { continue }
            found[key] = Disagreement(sample: sample, ares: expected, swift: actual)
        }
        #expect(agreed == 5_000)
        for key in found.keys.sorted() {
            let example = found[key]!
            Issue.record(
                """
                \(key): \(example.sample.recipe) question=\(example.sample.question) id=\(example.sample.queryID)
                  ares=\(example.ares) swift=\(example.swift)
                  bytes=\(Self.hex(example.sample.bytes))
                """)
        }
    }

    enum Edge: String, CaseIterable, Sendable {
        case cnameToWildcardLabel, cnameToSlash, cnameToUnderscore, answerQRClear, rcode9WithAnswer
        case chaosClassA, pointerLoopInAnswer, soaTTLTopBit, aaaaNextToCNAMEForA, cnameOwnerUnrelated

        func reply(_ query: Message) -> [UInt8] {
            func rr(_ text: String) -> ResourceRecord { Replies.record(text) }
            switch self {
            case .cnameToWildcardLabel:
                return Replies.encode(
                    query.response(
                        rcode: .noError, answers: [rr("kv.example. 60 IN CNAME *.example."), rr("*.example. 60 IN A 192.0.2.1")]))
            case .cnameToSlash:
                return Replies.encode(
                    query.response(
                        rcode: .noError,
                        answers: [
                            ResourceRecord(
                                name: Replies.name, ttl: 60,
                                data: .unknown(type: .cname, bytes: [3, 0x61, 0x2F, 0x62, 7] + Array("example".utf8) + [0])),
                            rr("kv.example. 60 IN A 192.0.2.2"),
                        ]))
            case .cnameToUnderscore:
                return Replies.encode(
                    query.response(
                        rcode: .noError,
                        answers: [rr("kv.example. 60 IN CNAME _lb.example."), rr("_lb.example. 30 IN A 192.0.2.3")]))
            case .answerQRClear:
                var reply = query.response(rcode: .noError, answers: [rr("kv.example. 60 IN A 192.0.2.4")])
                reply.header.isResponse = false
                return Replies.encode(reply)
            case .rcode9WithAnswer:
                return Replies.encode(
                    query.response(rcode: ResponseCode(rawValue: 9), answers: [rr("kv.example. 60 IN A 192.0.2.5")]))
            case .chaosClassA:
                return Replies.encode(
                    query.response(
                        rcode: .noError,
                        answers: [ResourceRecord(name: Replies.name, ttl: 60, dnsClass: .ch, data: .a(IPv4Address(192, 0, 2, 6)))]
                    ))
            case .pointerLoopInAnswer:
                var bytes = Replies.answer(query)
                let answerStart = 12 + Replies.name.wireLength + 4
                bytes[answerStart] = 0xC0
                bytes[answerStart + 1] = UInt8(answerStart)  // points at itself
                return bytes
            case .soaTTLTopBit:
                return Replies.encode(
                    query.response(
                        rcode: .nxDomain, authority: [rr("example. 4294966384 IN SOA ns1.example. h.example. 1 2 3 4 300")]))
            case .aaaaNextToCNAMEForA:
                return Replies.encode(
                    query.response(
                        rcode: .noError,
                        answers: [rr("kv.example. 60 IN CNAME v6.example."), rr("v6.example. 60 IN AAAA 2001:db8::1")]))
            case .cnameOwnerUnrelated:
                // c-ares follows every CNAME in order, whatever its owner ("SA: Seems wrong").
                return Replies.encode(
                    query.response(
                        rcode: .noError,
                        answers: [rr("elsewhere.example. 60 IN CNAME other.example."), rr("other.example. 60 IN A 192.0.2.7")]))
            }
        }
    }

    @Test(arguments: Edge.allCases)
    func edgeCaseThroughBothClassifiersAndTheRealChannel(edge: Edge) throws {
        let question = Replies.question
        let query = Replies.query(id: 0x4242)
        let bytes = edge.reply(query)
        let ares = AresResponseClassifier(memoizes: false).classify(bytes, query: question, queryID: 0x4242)
        let swift = SwiftResponseClassifier().classify(bytes, query: question, queryID: 0x4242)

        // c-ares itself, through a real channel: the classifier's prediction must hold.
        let options = StubResolverOptions(timeout: .milliseconds(5), tries: 1, noCheckResponse: true)
        let script = AresLoopback.ServerScript(udp: [.reply(after: .milliseconds(1)) { edge.reply($0) }])
        let real = try AresLoopback(options: options, servers: [script]).lookup(question)
        let model = ModelRunner(options: options, scripts: [script]).run()
        let realStatus = real.status == .success && real.addresses.isEmpty ? AresStatus.noData : real.status
        if !real.stalled { #expect(realStatus == model.result.status) }
        if real.status == .success && !real.addresses.isEmpty { #expect(real.addresses == ares.addresses) }

        switch edge {
        case .cnameToWildcardLabel:
            // ares_expand_name's host-name check (is_hostnamech: [A-Za-z0-9-._/]) rejects '*' → ARES_EBADRESP.
            #expect(ares.outcome == .malformed)
            #expect(swift == ares)
        case .soaTTLTopBit:
            #expect(ares.negativeTTL == 0)
            #expect(swift == ares)
        default:
            #expect(swift == ares)
        }
    }
}
