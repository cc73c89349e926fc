import AresShim
import DNSModel
import Testing

@Suite struct AresResponseClassifierTests {
    static let queryID: UInt16 = 0x1234

    static func classify(
        _ build: (Message) -> [UInt8], type: RecordType = .a, ignoresTruncation: Bool = false, overTCP: Bool = false
    ) -> ResponseClassification {
        let classifier = AresResponseClassifier(ignoresTruncation: ignoresTruncation)
        let question = Question(name: Replies.name, type: type)
        return classifier.classify(
            build(Replies.query(id: queryID, type: type)), query: question, queryID: queryID, overTCP: overTCP)
    }

    static let dropped = ResponseClassification(outcome: .timeout, dropped: true)

    /// Every row of the facts table's "server does" column, as the classifier sees the reply.
    @Test func factsTableReplies() {
        let a = IPAddress.v4(IPv4Address(192, 0, 2, 1))
        #expect(Self.classify { Replies.answer($0) } == ResponseClassification(outcome: .noError, addresses: [a], ttl: 60))
        #expect(Self.classify(Replies.nxDomain) == ResponseClassification(outcome: .nxDomain, negativeTTL: 300))
        #expect(Self.classify(Replies.noData) == ResponseClassification(outcome: .noData, negativeTTL: 300))
        #expect(Self.classify { Replies.rcode($0, .servFail) } == ResponseClassification(outcome: .servFail))
        #expect(Self.classify { Replies.rcode($0, .refused) } == ResponseClassification(outcome: .refused))
        #expect(Self.classify { Replies.rcode($0, .notImp) } == ResponseClassification(outcome: .notImp))
        #expect(Self.classify { Replies.rcode($0, .formErr) } == ResponseClassification(outcome: .formErr))
        #expect(Self.classify(Replies.truncated) == ResponseClassification(outcome: .truncated))
        #expect(Self.classify(Replies.truncated, ignoresTruncation: true) == ResponseClassification(outcome: .noData))
        #expect(Self.classify(Replies.truncated, overTCP: true) == ResponseClassification(outcome: .noData))
        #expect(Self.classify(Replies.cutShort) == ResponseClassification(outcome: .malformed))
        for build in [Replies.short, Replies.garbage, Replies.wrongID, Replies.wrongQuestion] {
            #expect(Self.classify(build) == Self.dropped)
        }
    }

    @Test func negativeTTLIsTheSmallerOfSOATTLAndMinimum() {
        func nx(_ soa: String) -> ResponseClassification {
            Self.classify { query in
                Replies.encode(query.response(rcode: .nxDomain, authority: [Replies.record(soa)]))
            }
        }
        #expect(nx("example. 900 IN SOA ns1.example. h.example. 1 2 3 4 300").negativeTTL == 300)
        #expect(nx("example. 60 IN SOA ns1.example. h.example. 1 2 3 4 300").negativeTTL == 60)
        // RFC 2181 §8: a TTL with the top bit set counts as 0.
        #expect(nx("example. 2147483648 IN SOA ns1.example. h.example. 1 2 3 4 300").negativeTTL == 0)
        #expect(Self.classify { Replies.encode($0.response(rcode: .nxDomain)) }.negativeTTL == nil)
        // The SOA is found after answers and other authority records.
        let behindNS = Self.classify { query in
            Replies.encode(
                query.response(
                    rcode: .noError, answers: [Replies.record("kv.example. 5 IN TXT hello")],
                    authority: [
                        Replies.record("example. 10 IN NS ns1.example."),
                        Replies.record("example. 900 IN SOA ns1.example. h.example. 1 2 3 4 120"),
                    ]))
        }
        #expect(behindNS == ResponseClassification(outcome: .noData, negativeTTL: 120))
    }

    @Test func cnameChainsFollowCAresParser() {
        let chain = Self.classify { query in
            Replies.encode(
                query.response(
                    rcode: .noError,
                    answers: [
                        Replies.record("kv.example. 300 IN CNAME edge.example."),
                        Replies.record("edge.example. 30 IN CNAME lb.example."),
                        Replies.record("lb.example. 60 IN A 192.0.2.9"),
                    ]))
        }
        // ares__addrinfo2addrttl caps the address TTL by the smallest CNAME TTL.
        #expect(chain == ResponseClassification(outcome: .noError, addresses: [.v4(IPv4Address(192, 0, 2, 9))], ttl: 30))
        // c-ares 1.18 quirk: a CNAME with nothing behind it parses as ARES_SUCCESS with no address,
        // which the outcome vocabulary calls NODATA.
        let lonely = Self.classify { query in
            Replies.encode(
                query.response(
                    rcode: .noError, answers: [Replies.record("kv.example. 300 IN CNAME x.example.")],
                    authority: [Replies.soa]))
        }
        #expect(lonely == ResponseClassification(outcome: .noData, negativeTTL: 300))
        // Only records for other names: ARES_ENODATA.
        let other = Self.classify { query in
            Replies.encode(query.response(rcode: .noError, answers: [Replies.record("x.example. 300 IN A 192.0.2.1")]))
        }
        #expect(other == ResponseClassification(outcome: .noData))
    }

    @Test func headerQuirksOfCAres118() {
        // QR is not checked: a "reply" with QR clear is still accepted.
        let noQR = Self.classify { query in
            var reply = query.response(rcode: .noError, answers: [Replies.record("kv.example. 60 IN A 192.0.2.1")])
            reply.header.isResponse = false
            return Replies.encode(reply)
        }
        #expect(noQR.outcome == .noError)
        // RCODE 9 (NOTAUTH) falls through qcallback's switch as ARES_SUCCESS and is parsed.
        let notAuth = Self.classify { query in
            Replies.encode(
                query.response(rcode: ResponseCode(rawValue: 9), answers: [Replies.record("kv.example. 60 IN A 192.0.2.1")]))
        }
        #expect(notAuth.outcome == .noError)
        // NXDOMAIN wins over answers; the question is compared case-insensitively.
        let upper = Self.classify { query in
            var reply = query.response(rcode: .nxDomain, answers: [Replies.record("kv.example. 60 IN A 192.0.2.1")])
            reply.questions[0].name = try! DomainName("KV.Example.")
            return Replies.encode(reply)
        }
        #expect(upper.outcome == .nxDomain)
        // Over 512 bytes on UDP counts as truncated even without TC; over TCP it is parsed.
        let many = (1...40).map { "192.0.2.\($0)" }
        #expect(Self.classify { Replies.answer($0, many) }.outcome == .truncated)
        #expect(Self.classify({ Replies.answer($0, many) }, overTCP: true).addresses.count == 40)
        // With IGNTC only the first 512 bytes are parsed: the record cut at 512 is malformed.
        #expect(Self.classify({ Replies.answer($0, many) }, ignoresTruncation: true).outcome == .malformed)
    }

    @Test func aaaaQuestionsUseTheAAAAParser() {
        let reply = Self.classify(
            { query in
                Replies.encode(query.response(rcode: .noError, answers: [Replies.record("kv.example. 30 IN AAAA 2001:db8::5")]))
            }, type: .aaaa)
        #expect(reply == ResponseClassification(outcome: .noError, addresses: [.v6(IPv6Address("2001:db8::5")!)], ttl: 30))
        // An A answer to an AAAA question: ENODATA.
        #expect(Self.classify({ Replies.answer($0) }, type: .aaaa).outcome == .noData)
    }

    @Test func memoIsExactAndIgnoresOnlyTheID() {
        let classifier = AresResponseClassifier()
        let first = Replies.answer(Replies.query(id: 1))
        let second = Replies.answer(Replies.query(id: 2))
        let a = classifier.classify(first, query: Replies.question, queryID: 1)
        let b = classifier.classify(second, query: Replies.question, queryID: 2)
        #expect(a == b && a.outcome == .noError)
        #expect(classifier.memoHits == 1)
        // The same bytes with the wrong ID are dropped, memo or not.
        #expect(classifier.classify(second, query: Replies.question, queryID: 3) == Self.dropped)
        // A different question is a different key.
        let aaaa = Question(name: Replies.name, type: .aaaa)
        #expect(classifier.classify(first, query: aaaa, queryID: 1) == Self.dropped)
        #expect(classifier.memoHits == 1)
    }

    /// Memoised and fresh classification agree on thousands of random replies.
    @Test func memoNeverChangesAResult() {
        var generator = RandomResponses(seed: 7)
        let memo = AresResponseClassifier()
        let small = AresResponseClassifier(memoCapacity: 64)  // emptied every 64 entries
        let fresh = AresResponseClassifier(memoizes: false)
        var samples: [RandomResponses.Sample] = []
        for _ in 0..<500 { samples.append(generator.next()) }
        for sample in samples + samples {
            let expected = fresh.classify(sample.bytes, query: sample.question, queryID: sample.queryID)
            #expect(memo.classify(sample.bytes, query: sample.question, queryID: sample.queryID) == expected)
            #expect(small.classify(sample.bytes, query: sample.question, queryID: sample.queryID) == expected)
        }
        #expect(memo.memoHits > 0)
    }
}
