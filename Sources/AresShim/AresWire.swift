internal import CAres
import DNSModel

/// Thin wrappers over the c-ares 1.18 wire helpers (`ares_create_query`, `ares_expand_name`) and a
/// line-by-line port of `same_questions` (`ares_process.c`), which c-ares does not export.
enum AresWire {
    /// Header length (`HFIXEDSZ`).
    static let headerLength = 12
    /// Fixed part of a question after its name: type and class (`QFIXEDSZ`).
    static let questionFixedLength = 4
    /// Fixed part of a resource record after its name: type, class, TTL, RDLENGTH (`RRFIXEDSZ`).
    static let recordFixedLength = 10
    /// The UDP payload limit c-ares 1.18 applies without EDNS (`PACKETSZ`, `process_answer`).
    static let udpPayloadLimit = 512

    /// The query `ares_query` would send: `ares_create_query(name, C_IN, type, id, rd = 1, ..., 0)`.
    static func createQuery(_ question: Question, id: UInt16, recursionDesired: Bool = true) -> [UInt8]? {
        AresLibrary.ensureInitialized()
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var length: Int32 = 0
        let status = ares_create_query(
            question.name.description, Int32(question.dnsClass.rawValue), Int32(question.type.rawValue),
            id, recursionDesired ? 1 : 0, &buffer, &length, 0)
        defer { if let buffer { ares_free_string(buffer) } }
        guard status == ARES_SUCCESS, let buffer, length > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(length)))
    }

    /// `ares_expand_name` at `offset`: the expanded (escaped) name and the encoded length, or `nil`.
    static func expandName(_ message: UnsafeRawBufferPointer, at offset: Int) -> (name: [UInt8], encodedLength: Int)? {
        guard let base = message.baseAddress?.assumingMemoryBound(to: UInt8.self), offset < message.count
        else { return nil }
        var expanded: UnsafeMutablePointer<CChar>? = nil
        var encodedLength = 0
        let status = ares_expand_name(base + offset, base, Int32(message.count), &expanded, &encodedLength)
        guard status == ARES_SUCCESS, let expanded else { return nil }
        defer { ares_free_string(expanded) }
        var count = 0
        while expanded[count] != 0 { count += 1 }
        return (Array(UnsafeRawBufferPointer(start: expanded, count: count)), encodedLength)
    }

    /// A big-endian 16-bit field.
    @inline(__always)
    static func u16(_ message: UnsafeRawBufferPointer, _ offset: Int) -> Int {
        Int(message[offset]) << 8 | Int(message[offset + 1])
    }

    /// A big-endian 32-bit field.
    @inline(__always)
    static func u32(_ message: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(message[offset]) << 24 | UInt32(message[offset + 1]) << 16 | UInt32(message[offset + 2]) << 8
            | UInt32(message[offset + 3])
    }

    /// `same_questions` (ares_process.c, 1.18): the reply must carry as many questions as the query, and
    /// every question of the query must appear in the reply (names compared with `strcasecmp` after
    /// `ares_expand_name`, type and class equal); any decoding failure means "not the same".
    static func sameQuestions(query: UnsafeRawBufferPointer, reply: UnsafeRawBufferPointer) -> Bool {
        guard query.count >= headerLength, reply.count >= headerLength else { return false }
        let queryCount = u16(query, 4)
        let replyCount = u16(reply, 4)
        guard queryCount == replyCount else { return false }
        var queryOffset = headerLength
        for _ in 0..<queryCount {
            guard let asked = expandName(query, at: queryOffset) else { return false }
            queryOffset += asked.encodedLength
            guard queryOffset + questionFixedLength <= query.count else { return false }
            let askedType = u16(query, queryOffset)
            let askedClass = u16(query, queryOffset + 2)
            queryOffset += questionFixedLength
            var replyOffset = headerLength
            var found = false
            for _ in 0..<replyCount {
                guard let echoed = expandName(reply, at: replyOffset) else { return false }
                replyOffset += echoed.encodedLength
                guard replyOffset + questionFixedLength <= reply.count else { return false }
                let echoedType = u16(reply, replyOffset)
                let echoedClass = u16(reply, replyOffset + 2)
                replyOffset += questionFixedLength
                if caseInsensitiveEqual(asked.name, echoed.name), askedType == echoedType, askedClass == echoedClass {
                    found = true
                    break
                }
            }
            if !found { return false }
        }
        return true
    }

    /// `strcasecmp` over ASCII (the C locale c-ares runs in).
    static func caseInsensitiveEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in lhs.indices where lower(lhs[index]) != lower(rhs[index]) { return false }
        return true
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }
}
