import DNSModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Classifies reply bytes with the injected classifier (c-ares in production), remembering results by content.
///
/// Two replies that differ only in their ID bytes get the same classification when both IDs match their
/// queries, so the key is the bytes after the ID, whether the ID matched, the question and the transport.
/// The last few distinct replies are compared first, by buffer (a resolver answering from its cache hands out the
/// same array for a run of replies), then by digest of the bytes after the ID (``ByteDigest``) and the bytes
/// themselves: in a run most replies repeat a recent one. Otherwise the digest is looked up in a hash table.
/// The memo is bounded: it starts over when it holds `limit` entries.
final class ClassificationMemo {
    private struct Key: Hashable {
        var bytes: [UInt8]
        /// ``ByteDigest`` of the bytes after the ID, computed once per key.
        var digest: UInt64
        var idMatches: Bool
        var question: Question?
        var overTCP: Bool

        init(bytes: [UInt8], digest: UInt64, idMatches: Bool, question: Question?, overTCP: Bool) {
            self.bytes = bytes
            self.digest = digest
            self.idMatches = idMatches
            self.question = question
            self.overTCP = overTCP
        }

        /// Whether `bytes` equal this key's bytes after the two ID bytes (and in length).
        func sameBody(_ other: [UInt8]) -> Bool {
            guard bytes.count == other.count else { return false }
            return bytes.withUnsafeBytes { mine in
                other.withUnsafeBytes { theirs in
                    mine.count <= 2 || memcmp(mine.baseAddress! + 2, theirs.baseAddress! + 2, mine.count - 2) == 0
                }
            }
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.digest == rhs.digest && lhs.idMatches == rhs.idMatches && lhs.overTCP == rhs.overTCP
                && lhs.sameBody(rhs.bytes) && lhs.question == rhs.question
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(digest)
            hasher.combine(idMatches)
            hasher.combine(overTCP)
            hasher.combine(question)
        }
    }

    private let classifier: any ResponseClassifier
    @exclusivity(unchecked) private var memo: [Key: ResponseClassification] = [:]
    /// Recent replies and their classifications, replaced in turn.
    @exclusivity(unchecked) private var recentKeys: [Key] = []
    @exclusivity(unchecked) private var recentResults: [ResponseClassification] = []
    @exclusivity(unchecked) private var nextRecent = 0
    private static let recentCount = 8
    private let limit: Int

    init(classifier: any ResponseClassifier, limit: Int = 65_536) {
        self.classifier = classifier
        self.limit = limit
    }

    func classify(_ bytes: [UInt8], query: Question, queryID: UInt16, overTCP: Bool) -> ResponseClassification {
        guard bytes.count >= 2 else {
            return bytes.withUnsafeBytes { classifier.classify($0, query: query, queryID: queryID, overTCP: overTCP) }
        }
        return classify(
            body: bytes, id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), query: query, queryID: queryID, overTCP: overTCP)
    }

    /// Classifies the message that is `body` with its first two bytes (at least 2) replaced by `id`; the bytes are
    /// copied only if the classifier has to see them.
    func classify(
        body bytes: [UInt8], id: UInt16, query: Question, queryID: UInt16, overTCP: Bool
    )
        -> ResponseClassification
    {
        precondition(bytes.count >= 2, "a reply body holds at least its ID")
        let idMatches = id == queryID
        // The same buffer as a recent key's holds the same bytes (an array's buffer is never written while shared):
        // a resolver answering from its cache hands out one buffer for a run of replies.
        let buffer = bytes.withUnsafeBufferPointer { $0.baseAddress }
        for index in recentKeys.indices
        where recentKeys[index].bytes.withUnsafeBufferPointer({ $0.baseAddress }) == buffer
            && recentKeys[index].idMatches == idMatches && recentKeys[index].overTCP == overTCP
            && recentKeys[index].question == query
        {
            return recentResults[index]
        }
        let digest = bytes.withUnsafeBytes { ByteDigest.of(UnsafeRawBufferPointer(rebasing: $0.dropFirst(2))) }
        for index in recentKeys.indices
        where recentKeys[index].digest == digest && recentKeys[index].idMatches == idMatches
            && recentKeys[index].overTCP == overTCP && recentKeys[index].sameBody(bytes)
            && recentKeys[index].question == query
        {
            return recentResults[index]
        }
        let key = Key(bytes: bytes, digest: digest, idMatches: idMatches, question: query, overTCP: overTCP)
        let result: ResponseClassification
        if let known = memo[key] {
            result = known
        } else {
            var message = bytes
            message.withUnsafeMutableBytes { $0.storeBytes(of: id.bigEndian, toByteOffset: 0, as: UInt16.self) }
            result = message.withUnsafeBytes { classifier.classify($0, query: query, queryID: queryID, overTCP: overTCP) }
            if memo.count >= limit { memo.removeAll(keepingCapacity: true) }
            memo[key] = result
        }
        if recentKeys.count < Self.recentCount {
            recentKeys.append(key)
            recentResults.append(result)
        } else {
            recentKeys[nextRecent] = key
            recentResults[nextRecent] = result
            nextRecent = (nextRecent + 1) % Self.recentCount
        }
        return result
    }
}
