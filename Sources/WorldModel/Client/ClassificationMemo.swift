import DNSModel

/// Classifies reply bytes with the injected classifier (c-ares in production), remembering results by content.
///
/// Two replies that differ only in their ID bytes get the same classification when both IDs match their
/// queries, so the key is the bytes after the ID, whether the ID matched, and the transport. The memo is bounded: it starts
/// over when it holds `limit` entries.
final class ClassificationMemo {
    private struct Key: Hashable {
        var body: ArraySlice<UInt8>
        var idMatches: Bool
        var question: Question
        var overTCP: Bool
    }

    private let classifier: any ResponseClassifier
    private var memo: [Key: ResponseClassification] = [:]
    private let limit: Int

    init(classifier: any ResponseClassifier, limit: Int = 65_536) {
        self.classifier = classifier
        self.limit = limit
    }

    func classify(_ bytes: [UInt8], query: Question, queryID: UInt16, overTCP: Bool) -> ResponseClassification {
        let idMatches = bytes.count >= 2 && (UInt16(bytes[0]) << 8 | UInt16(bytes[1])) == queryID
        let key = Key(body: bytes.count >= 2 ? bytes[2...] : bytes[...], idMatches: idMatches, question: query, overTCP: overTCP)
        if let known = memo[key] {
            return known
        }
        let result = bytes.withUnsafeBytes { classifier.classify($0, query: query, queryID: queryID, overTCP: overTCP) }
        if memo.count >= limit { memo.removeAll(keepingCapacity: true) }
        memo[key] = result
        return result
    }
}
