import DNSModel
import Testing

@testable import WorldModel

/// The memo in front of the classifier: it must give exactly what the classifier gives, and ask it once per
/// distinct reply (ID aside).
@Suite("Classification memo")
struct ClassificationMemoTests {
    /// A classifier that counts the replies it is shown.
    final class CountingClassifier: ResponseClassifier {
        let inner = SwiftResponseClassifier()
        var calls = 0

        func classify(_ response: UnsafeRawBufferPointer, query: Question, queryID: UInt16) -> ResponseClassification {
            calls += 1
            return inner.classify(response, query: query, queryID: queryID)
        }
    }

    static let name = try! DomainName("kv.example.")
    static let question = Question(name: name, type: .a)

    /// An answer with ID `id` and one A record with `ttl`.
    static func reply(id: UInt16, ttl: UInt32) throws -> [UInt8] {
        let record = ResourceRecord(name: name, ttl: ttl, data: .a(IPv4Address(192, 0, 2, 10)))
        return try WireEncoder.encode(
            Message.query(id: id, name: name, type: .a).response(rcode: .noError, answers: [record]))
    }

    @Test("replies that differ only in their ID are classified once; a mismatched ID is classified apart")
    func idsDoNotSplitTheMemo() throws {
        let counting = CountingClassifier()
        let memo = ClassificationMemo(classifier: counting)
        for id: UInt16 in [1, 2, 3, 4] {
            let result = memo.classify(try Self.reply(id: id, ttl: 60), query: Self.question, queryID: id, overTCP: false)
            #expect(result.outcome == .noError && result.ttl == 60)
        }
        #expect(counting.calls == 1)
        let wrongID = memo.classify(try Self.reply(id: 9, ttl: 60), query: Self.question, queryID: 8, overTCP: false)
        #expect(wrongID.dropped)
        #expect(counting.calls == 2)
        // A different TTL is a different reply.
        let shorter = memo.classify(try Self.reply(id: 5, ttl: 30), query: Self.question, queryID: 5, overTCP: false)
        #expect(shorter.ttl == 30)
        #expect(counting.calls == 3)
    }

    @Test("a body with the ID given apart classifies as the patched message does, sharing its memo entry")
    func bodyWithSeparateID() throws {
        let counting = CountingClassifier()
        let memo = ClassificationMemo(classifier: counting)
        let body = try Self.reply(id: 0, ttl: 60)
        let apart = memo.classify(body: body, id: 7, query: Self.question, queryID: 7, overTCP: false)
        #expect(apart == SwiftResponseClassifier().classify(try Self.reply(id: 7, ttl: 60), query: Self.question, queryID: 7))
        #expect(apart.outcome == .noError && !apart.dropped)
        let patched = memo.classify(try Self.reply(id: 7, ttl: 60), query: Self.question, queryID: 7, overTCP: false)
        #expect(patched == apart)
        #expect(counting.calls == 1)
        // The ID given apart is the one checked: a mismatch is dropped even though the body's own ID bytes match.
        let mismatched = memo.classify(body: body, id: 7, query: Self.question, queryID: 0, overTCP: false)
        #expect(mismatched.dropped)
    }

    @Test("past the recent replies, the hash table answers; at the limit it starts over")
    func manyDistinctReplies() throws {
        let counting = CountingClassifier()
        let memo = ClassificationMemo(classifier: counting, limit: 32)
        // 20 distinct replies, twice: the second pass is answered from the table (more than the 8 recent ones).
        for _ in 0..<2 {
            for ttl: UInt32 in 1...20 {
                let result = memo.classify(try Self.reply(id: 1, ttl: ttl), query: Self.question, queryID: 1, overTCP: false)
                #expect(result.ttl == ttl)
            }
        }
        #expect(counting.calls == 20)
        // 20 more fill the table past its limit of 32: it starts over, and the first ones are classified again.
        for ttl: UInt32 in 21...40 {
            _ = memo.classify(try Self.reply(id: 1, ttl: ttl), query: Self.question, queryID: 1, overTCP: false)
        }
        #expect(counting.calls == 40)
        _ = memo.classify(try Self.reply(id: 1, ttl: 1), query: Self.question, queryID: 1, overTCP: false)
        #expect(counting.calls == 41)
    }
}
