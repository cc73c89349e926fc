import DNSModel

/// The encoded reply to one question from one stored cache entry, with ID 0 and the records' own TTLs;
/// `ttlOffsets` are where each record's TTL field starts and `recordTTLs` what it holds. The copy with the TTLs
/// capped at `cappedAt` is kept too: most replies in a row share their TTL. A resolver keeps one per entry
/// (``ResolverCache/Entry/template``), in place: a value, so that answering from it retains nothing but the reply's
/// bytes.
struct ReplyTemplate {
    let question: Question
    let bytes: [UInt8]
    let ttlOffsets: [Int]
    let recordTTLs: [UInt32]
    var cappedAt: UInt32?
    var capped: [UInt8] = []

    /// The template of `bytes`, a reply the resolver encoded itself (so it decodes).
    init(question: Question, bytes: [UInt8]) {
        guard let offsets = try? WireDecoder.recordTTLOffsets(bytes) else {
            preconditionFailure("a resolver answer it encoded itself does not decode")
        }
        self.question = question
        self.bytes = bytes
        self.ttlOffsets = offsets
        self.recordTTLs = offsets.map { offset in bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
    }

    /// Whether this is the template of `question` as spelled (a reply echoes the question's spelling).
    func answers(_ question: Question) -> Bool {
        self.question.type == question.type && self.question.dnsClass == question.dnsClass
            && self.question.name.isSpelledLike(question.name)
    }

    /// The reply with every record TTL capped at `ttl`, ID 0.
    mutating func reply(cappedAt ttl: UInt32) -> [UInt8] {
        if cappedAt == ttl { return capped }
        var bytes = self.bytes
        bytes.withUnsafeMutableBytes { raw in
            for (offset, recordTTL) in zip(ttlOffsets, recordTTLs) {
                raw.storeBytes(of: min(recordTTL, ttl).bigEndian, toByteOffset: offset, as: UInt32.self)
            }
        }
        cappedAt = ttl
        capped = bytes
        return bytes
    }
}
