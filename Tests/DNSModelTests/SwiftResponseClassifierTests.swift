import Testing

@testable import DNSModel

@Suite struct SwiftResponseClassifierTests {
    static let kv = name("kv.example.")
    static let query = Message.query(id: 0x4242, name: kv, type: .a)
    static let soa = record("example. 300 IN SOA ns1.example. hostmaster.example. 1 7200 900 1209600 45")

    static func classify(
        _ message: Message, type: RecordType = .a, id: UInt16 = 0x4242, edit: (inout [UInt8]) -> Void = { _ in }
    ) -> ResponseClassification {
        var bytes = try! WireEncoder.encode(message)
        edit(&bytes)
        return SwiftResponseClassifier().classify(bytes, query: Question(name: kv, type: type), queryID: id)
    }

    @Test func answer() {
        let response = Self.query.response(
            rcode: .noError,
            answers: [record("kv.example. 60 IN A 192.0.2.10"), record("KV.EXAMPLE. 30 IN A 192.0.2.11")])
        let result = Self.classify(response)
        #expect(result.outcome == .noError && !result.dropped)
        #expect(result.addresses == [IPAddress("192.0.2.10")!, IPAddress("192.0.2.11")!])
        #expect(result.ttl == 30)
        #expect(result.negativeTTL == nil)
    }

    @Test func aaaaAnswer() {
        let query = Message.query(id: 0x4242, name: Self.kv, type: .aaaa)
        let response = query.response(
            rcode: .noError, answers: [record("kv.example. 60 IN A 192.0.2.10"), record("kv.example. 20 IN AAAA 2001:db8::1")])
        let result = Self.classify(response, type: .aaaa)
        #expect(result.outcome == .noError && result.addresses == [IPAddress("2001:db8::1")!] && result.ttl == 20)
    }

    @Test func cnameChainsAreFollowedInOrder() {
        let response = Self.query.response(
            rcode: .noError,
            answers: [
                record("kv.example. 300 IN CNAME edge.cdn."), record("edge.cdn. 20 IN CNAME node.cdn."),
                record("node.cdn. 60 IN A 192.0.2.1"), record("other.cdn. 5 IN A 192.0.2.2"),
            ])
        let result = Self.classify(response)
        #expect(result.outcome == .noError)
        #expect(result.addresses == [IPAddress("192.0.2.1")!])
        #expect(result.ttl == 20)  // capped by the smallest CNAME TTL
        // c-ares's order dependency: an A record before the CNAME that leads to it does not count.
        let reversed = Self.query.response(
            rcode: .noError, answers: [record("edge.cdn. 60 IN A 192.0.2.1"), record("kv.example. 300 IN CNAME edge.cdn.")])
        #expect(Self.classify(reversed).outcome == .noData)
        // Any CNAME switches the host name, whatever its owner.
        let unrelated = Self.query.response(
            rcode: .noError,
            answers: [record("elsewhere.example. 60 IN CNAME edge.cdn."), record("edge.cdn. 60 IN A 192.0.2.3")])
        #expect(Self.classify(unrelated).addresses == [IPAddress("192.0.2.3")!])
    }

    @Test func answersForAnotherNameOrTypeAreNoData() {
        let other = Self.query.response(rcode: .noError, answers: [record("kv2.example. 60 IN A 192.0.2.1")])
        #expect(Self.classify(other).outcome == .noData)
        let cnameOnly = Self.query.response(
            rcode: .noError, answers: [record("kv.example. 60 IN CNAME gone.example.")], authority: [Self.soa])
        let result = Self.classify(cnameOnly)
        #expect(result.outcome == .noData && result.negativeTTL == 45)
        let wrongFamily = Self.query.response(rcode: .noError, answers: [record("kv.example. 60 IN AAAA ::1")])
        #expect(Self.classify(wrongFamily).outcome == .noData)
    }

    @Test func noDataAndNXDomainCarryTheNegativeTTL() {
        let noData = Self.classify(Self.query.response(rcode: .noError, authority: [Self.soa]))
        #expect(noData == ResponseClassification(outcome: .noData, negativeTTL: 45))
        let nx = Self.classify(Self.query.response(rcode: .nxDomain, authority: [Self.soa]))
        #expect(nx == ResponseClassification(outcome: .nxDomain, negativeTTL: 45))
        var shortSOA = Self.soa
        shortSOA.ttl = 10
        #expect(Self.classify(Self.query.response(rcode: .nxDomain, authority: [shortSOA])).negativeTTL == 10)
        #expect(Self.classify(Self.query.response(rcode: .nxDomain)).negativeTTL == nil)
        // NXDOMAIN wins over answers in the message.
        let nxWithAnswer = Self.query.response(rcode: .nxDomain, answers: [record("kv.example. 60 IN A 192.0.2.1")])
        #expect(Self.classify(nxWithAnswer).outcome == .nxDomain)
    }

    @Test(arguments: [
        (ResponseCode.formErr, LookupOutcome.formErr), (.servFail, .servFail), (.notImp, .notImp), (.refused, .refused),
    ])
    func errorRcodes(rcode: ResponseCode, outcome: LookupOutcome) {
        let response = Self.query.response(rcode: rcode, answers: [record("kv.example. 60 IN A 192.0.2.1")])
        #expect(Self.classify(response) == ResponseClassification(outcome: outcome))
    }

    @Test func otherRcodesBehaveLikeNoError() {
        let response = Self.query.response(rcode: ResponseCode(rawValue: 9), answers: [record("kv.example. 60 IN A 192.0.2.1")])
        #expect(Self.classify(response).outcome == .noError)
        #expect(Self.classify(Self.query.response(rcode: ResponseCode(rawValue: 9))).outcome == .noData)
    }

    @Test func truncation() {
        let tc = Self.query.response(rcode: .noError, answers: [record("kv.example. 60 IN A 192.0.2.1")], truncated: true)
        #expect(Self.classify(tc) == ResponseClassification(outcome: .truncated))
        // TC wins over SERVFAIL, as in c-ares's process_answer.
        #expect(Self.classify(Self.query.response(rcode: .servFail, truncated: true)).outcome == .truncated)
        // Over 512 bytes without TC is truncated too.
        let big = Self.query.response(
            rcode: .noError,
            answers: (0..<40).map { index in record("kv.example. 60 IN A 192.0.2.\(index)") })
        #expect(Self.classify(big).outcome == .truncated)
    }

    @Test func answerCutShortIsMalformed() throws {
        let response = Self.query.response(
            rcode: .noError, answers: [record("kv.example. 60 IN A 192.0.2.1"), record("kv.example. 60 IN A 192.0.2.2")])
        let bytes = try WireEncoder.encode(response)
        for cut in 1...15 {
            let result = SwiftResponseClassifier().classify(
                Array(bytes.dropLast(cut)), query: Question(name: Self.kv, type: .a), queryID: 0x4242)
            #expect(result.outcome == .malformed, "cut \(cut)")
        }
        // A CNAME target that is not a host name.
        let cname = Self.query.response(rcode: .noError, answers: [record("kv.example. 60 IN CNAME bad.example.")])
        let badTarget = Self.classify(cname) { bytes in
            // The target's first label "bad" starts after the owner pointer (2), fixed fields (10) and its length byte.
            let index = 28 + 2 + 10 + 1
            bytes[index] = UInt8(ascii: "$")
        }
        #expect(badTarget.outcome == .malformed)
    }

    @Test func droppedDatagrams() throws {
        let good = Self.query.response(rcode: .noError, answers: [record("kv.example. 60 IN A 192.0.2.1")])
        let dropped = ResponseClassification.droppedDatagram
        #expect(dropped.outcome == .timeout && dropped.dropped)
        // Wrong ID.
        #expect(Self.classify(good, id: 1) == dropped)
        // Shorter than a header.
        let classifier = SwiftResponseClassifier()
        #expect(classifier.classify([1, 2, 3], query: Question(name: Self.kv, type: .a), queryID: 0x4242) == dropped)
        // Wrong question name, type or class.
        var otherName = good
        otherName.questions = [Question(name: name("kv2.example."), type: .a)]
        #expect(Self.classify(otherName) == dropped)
        #expect(Self.classify(good, type: .aaaa) == dropped)
        var otherClass = good
        otherClass.questions = [Question(name: Self.kv, type: .a, dnsClass: .ch)]
        #expect(Self.classify(otherClass) == dropped)
        // QDCOUNT 0 or 2.
        var none = good
        none.questions = []
        #expect(Self.classify(none) == dropped)
        var two = good
        two.questions.append(Question(name: Self.kv, type: .a))
        #expect(Self.classify(two) == dropped)
        // Question cut short (it ends at offset 28): dropped; cut just after it: the answer is malformed.
        let bytes = try WireEncoder.encode(good)
        let query = Question(name: Self.kv, type: .a)
        #expect(classifier.classify(Array(bytes.prefix(20)), query: query, queryID: 0x4242) == dropped)
        #expect(classifier.classify(Array(bytes.prefix(27)), query: query, queryID: 0x4242) == dropped)
        #expect(classifier.classify(Array(bytes.prefix(30)), query: query, queryID: 0x4242).outcome == .malformed)
        // The question name is compared case-insensitively: not dropped.
        var upper = good
        upper.questions = [Question(name: name("KV.EXAMPLE."), type: .a)]
        #expect(Self.classify(upper).outcome == .noError)
        // QR is not checked by c-ares 1.18.
        let notResponse = Self.classify(good) { $0[2] &= 0x7F }
        #expect(notResponse.outcome == .noError)
    }

    @Test func forwardPointersAreAcceptedLikeCAres() {
        // Header, question kv.example. A IN, one answer whose owner is a pointer forward to a name at the end.
        var bytes: [UInt8] = [0x42, 0x42, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]
        bytes += [2, 0x6B, 0x76, 7] + Array("example".utf8) + [0, 0, 1, 0, 1]
        let ownerPointerAt = bytes.count
        bytes += [0xC0, 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]
        let target = bytes.count
        bytes += [0xC0, 12]
        bytes[ownerPointerAt + 1] = UInt8(target)
        let result = SwiftResponseClassifier().classify(bytes, query: Question(name: Self.kv, type: .a), queryID: 0x4242)
        #expect(result.outcome == .noError && result.ttl == 60)
        // The Swift decoder is stricter and rejects the forward pointer.
        #expect(throws: DNSModelError.self) { try WireDecoder.decode(bytes) }
        // A pointer loop in the answer owner is malformed.
        var loop = bytes
        loop[ownerPointerAt + 1] = UInt8(ownerPointerAt)
        #expect(
            SwiftResponseClassifier().classify(loop, query: Question(name: Self.kv, type: .a), queryID: 0x4242).outcome
                == .malformed)
    }

    @Test func hugeTTLsCountAsZero() {
        let response = Self.query.response(rcode: .noError, answers: [record("kv.example. 3000000000 IN A 192.0.2.1")])
        #expect(Self.classify(response).ttl == 0)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(seed: 1)
        let classifier = SwiftResponseClassifier()
        var generator = MessageGenerator(rng: SplitMix(seed: 3))
        var outcomes = Set<LookupOutcome>()
        for _ in 0..<2000 {
            var message = generator.message()
            message.header.id = 0x4242
            message.questions = [Question(name: Self.kv, type: .a)]
            var bytes = try! WireEncoder.encode(message)
            for _ in 0..<rng.below(3) where !bytes.isEmpty {
                bytes[rng.below(bytes.count)] = UInt8(rng.below(256))
            }
            outcomes.insert(classifier.classify(bytes, query: Question(name: Self.kv, type: .a), queryID: 0x4242).outcome)
        }
        #expect(outcomes.count >= 6)
    }
}
