/// A resource record type (RFC 1035 §3.2.2), an open set keyed by its 16-bit code.
///
/// ```swift
/// RecordType.aaaa.description            // "AAAA"
/// RecordType(mnemonic: "cname") == .cname // true
/// RecordType(rawValue: 65).description    // "TYPE65" (RFC 3597 form)
/// ```
public struct RecordType: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RecordType(rawValue: 1)
    public static let ns = RecordType(rawValue: 2)
    public static let cname = RecordType(rawValue: 5)
    public static let soa = RecordType(rawValue: 6)
    public static let ptr = RecordType(rawValue: 12)
    public static let mx = RecordType(rawValue: 15)
    public static let txt = RecordType(rawValue: 16)
    public static let aaaa = RecordType(rawValue: 28)
    public static let srv = RecordType(rawValue: 33)
    public static let opt = RecordType(rawValue: 41)
    /// The QTYPE `*` (ANY), 255.
    public static let any = RecordType(rawValue: 255)

    private static let mnemonics: [(String, UInt16)] = [
        ("A", 1), ("NS", 2), ("CNAME", 5), ("SOA", 6), ("PTR", 12), ("MX", 15), ("TXT", 16), ("AAAA", 28),
        ("SRV", 33), ("OPT", 41), ("ANY", 255),
    ]

    /// A type from its mnemonic (`"A"`, `"aaaa"`, case-insensitive) or the RFC 3597 form `"TYPE65"`.
    public init?(mnemonic: String) {
        let upper = mnemonic.uppercased()
        if let match = RecordType.mnemonics.first(where: { $0.0 == upper }) {
            self.init(rawValue: match.1)
            return
        }
        if upper.hasPrefix("TYPE"), let code = UInt16(upper.dropFirst(4)), upper.count > 4 {
            self.init(rawValue: code)
            return
        }
        return nil
    }

    /// The mnemonic, or `TYPEnnn` for types without one.
    public var description: String {
        if let match = RecordType.mnemonics.first(where: { $0.1 == rawValue }) { return match.0 }
        return "TYPE\(rawValue)"
    }

    public static func < (lhs: RecordType, rhs: RecordType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A DNS class (RFC 1035 §3.2.4); practically always ``in``.
public struct DNSClass: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The Internet class, 1.
    public static let `in` = DNSClass(rawValue: 1)
    /// Chaos, 3.
    public static let ch = DNSClass(rawValue: 3)
    /// Hesiod, 4.
    public static let hs = DNSClass(rawValue: 4)
    /// The QCLASS `*` (ANY), 255.
    public static let any = DNSClass(rawValue: 255)

    /// A class from its mnemonic (`"IN"`, `"CH"`, `"HS"`, `"ANY"`, case-insensitive) or `"CLASS3"`.
    public init?(mnemonic: String) {
        switch mnemonic.uppercased() {
        case "IN": self = .in
        case "CH": self = .ch
        case "HS": self = .hs
        case "ANY": self = .any
        case let upper where upper.hasPrefix("CLASS") && upper.count > 5:
            guard let code = UInt16(upper.dropFirst(5)) else { return nil }
            self.init(rawValue: code)
        default: return nil
        }
    }

    public var description: String {
        switch rawValue {
        case 1: return "IN"
        case 3: return "CH"
        case 4: return "HS"
        case 255: return "ANY"
        default: return "CLASS\(rawValue)"
        }
    }

    public static func < (lhs: DNSClass, rhs: DNSClass) -> Bool { lhs.rawValue < rhs.rawValue }
}
