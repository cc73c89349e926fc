/// Everything that can go wrong when building, parsing, encoding or decoding DNS data.
///
/// Every case carries enough detail for a message that says what is wrong and where.
public enum DNSModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A domain name that is not acceptable (`text` as given, `reason` in words).
    case invalidName(String, reason: String)
    /// A textual address that does not parse.
    case invalidAddress(String)
    /// A zone-file record line that does not parse; `column` is 1-based when known.
    case invalidRecord(text: String, reason: String, column: Int? = nil)
    /// A zone that violates a zone rule (missing SOA, name outside the origin, ...).
    case invalidZone(origin: String, reason: String, line: Int? = nil)
    /// The message ends before a field that starts (or continues) at `offset`.
    case truncatedMessage(offset: Int)
    /// A compression pointer at `offset` points forward, outside the message, or into a loop.
    case badCompressionPointer(offset: Int)
    /// A label at `offset` whose length byte uses the reserved 01/10 prefixes, or whose bytes are not
    /// letters, digits, `-`, `_` (or a lone `*`), the characters ``DomainName`` accepts.
    case badLabel(offset: Int)
    /// A decoded name longer than 255 bytes in wire form, starting at `offset`.
    case nameTooLong(offset: Int)
    /// Record data whose length does not fit its type (e.g. an A record with 5 bytes), at `offset`.
    case badRecordData(type: RecordType, offset: Int, reason: String)
    /// The encoded message would exceed 65535 bytes (or a section exceeds 65535 entries).
    case messageTooLarge

    public var description: String {
        switch self {
        case .invalidName(let text, let reason):
            return "invalid domain name \"\(text)\": \(reason)"
        case .invalidAddress(let text):
            return "invalid IP address \"\(text)\""
        case .invalidRecord(let text, let reason, let column):
            if let column {
                return "invalid record \"\(text)\" at column \(column): \(reason)"
            }
            return "invalid record \"\(text)\": \(reason)"
        case .invalidZone(let origin, let reason, let line):
            if let line {
                return "invalid zone \(origin) at line \(line): \(reason)"
            }
            return "invalid zone \(origin): \(reason)"
        case .truncatedMessage(let offset):
            return "DNS message truncated at offset \(offset)"
        case .badCompressionPointer(let offset):
            return "bad compression pointer at offset \(offset)"
        case .badLabel(let offset):
            return "bad label at offset \(offset) (reserved length prefix or a character outside letters, digits, '-', '_', '*')"
        case .nameTooLong(let offset):
            return "domain name starting at offset \(offset) is longer than 255 bytes"
        case .badRecordData(let type, let offset, let reason):
            return "bad \(type) record data at offset \(offset): \(reason)"
        case .messageTooLarge:
            return "DNS message larger than 65535 bytes"
        }
    }
}
