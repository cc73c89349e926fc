/// An IPv4 address, stored as one 32-bit value.
///
/// ```swift
/// let address = IPv4Address("192.0.2.10")!
/// address.bytes          // [192, 0, 2, 10]
/// address.description    // "192.0.2.10"
/// ```
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address in host byte order (`192.0.2.10` is `0xC000_020A`).
    public let value: UInt32

    /// An address from its 32-bit value in host byte order.
    public init(value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text: four decimal numbers 0...255 without leading zeros (`"010.0.0.1"` is rejected).
    public init?(_ text: String) {
        guard let value = IPv4Address.parse(Substring(text)) else { return nil }
        self.value = value
    }

    static func parse(_ text: Substring) -> UInt32? {
        var result: UInt32 = 0
        var parts = 0
        var current: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                result = result << 8 | current
                parts += 1
                current = 0
                digits = 0
                leadingZero = false
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if leadingZero { return nil }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if current > 255 || digits > 3 { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return result << 8 | current
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] {
        [
            UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value),
        ]
    }

    public var description: String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

/// An IPv6 address, stored as two 64-bit halves.
///
/// Parses every RFC 4291 §2.2 text form (`::` compression, embedded IPv4 `::ffff:192.0.2.1`) and
/// prints the RFC 5952 form: lower-case hex, no leading zeros, the longest run of two or more zero
/// groups (the first one on a tie) written `::`, and IPv4-mapped addresses as `::ffff:a.b.c.d`.
///
/// ```swift
/// IPv6Address("2001:DB8:0:0:0:0:0:1")!.description   // "2001:db8::1"
/// ```
public struct IPv6Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 64 bits (big-endian meaning: bits 0...63 of the address).
    public let high: UInt64
    /// The last 64 bits.
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An address from exactly 16 bytes in network order (extra bytes are ignored, missing ones are zero).
    public init(bytes: [UInt8]) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<16 {
            let byte = UInt64(index < bytes.count ? bytes[index] : 0)
            if index < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
        }
        self.init(high: high, low: low)
    }

    /// Parses text such as `"2001:db8::1"`, `"::"`, `"::ffff:192.0.2.1"`.
    public init?(_ text: String) {
        guard let groups = IPv6Address.parseGroups(Substring(text)) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            if index < 4 { high = high << 16 | UInt64(groups[index]) } else { low = low << 16 | UInt64(groups[index]) }
        }
        self.init(high: high, low: low)
    }

    static func parseGroups(_ text: Substring) -> [UInt16]? {
        let utf8 = Array(text.utf8)
        if utf8.isEmpty { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var index = 0
        // A leading "::" (or a lone leading ':' which is an error).
        if utf8[0] == UInt8(ascii: ":") {
            guard utf8.count >= 2, utf8[1] == UInt8(ascii: ":") else { return nil }
            sawDoubleColon = true
            index = 2
            if index == utf8.count { return [UInt16](repeating: 0, count: 8) }
        }
        while index < utf8.count {
            // Read one field: hex group, or an IPv4 tail.
            var end = index
            while end < utf8.count && utf8[end] != UInt8(ascii: ":") { end += 1 }
            if end == index { return nil }
            let field = utf8[index..<end]
            var groups: [UInt16] = []
            if field.contains(UInt8(ascii: ".")) {
                guard end == utf8.count,
                    let v4 = IPv4Address.parse(Substring(decoding: field, as: UTF8.self))
                else { return nil }
                groups = [UInt16(v4 >> 16), UInt16(truncatingIfNeeded: v4)]
            } else {
                guard field.count <= 4 else { return nil }
                var value: UInt16 = 0
                for byte in field {
                    guard let digit = IPv6Address.hexValue(byte) else { return nil }
                    value = value << 4 | UInt16(digit)
                }
                groups = [value]
            }
            if sawDoubleColon { tail += groups } else { head += groups }
            index = end
            if index == utf8.count { break }
            // index is at ':'
            if index + 1 < utf8.count && utf8[index + 1] == UInt8(ascii: ":") {
                if sawDoubleColon { return nil }
                sawDoubleColon = true
                index += 2
                if index == utf8.count { break }
            } else {
                index += 1
                if index == utf8.count { return nil }
            }
        }
        let count = head.count + tail.count
        if sawDoubleColon {
            guard count <= 7 else { return nil }
            return head + [UInt16](repeating: 0, count: 8 - count) + tail
        }
        guard count == 8 else { return nil }
        return head
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The sixteen bytes in network order.
    public var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            result[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index)))
            result[index + 8] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(index)))
        }
        return result
    }

    /// The eight 16-bit groups.
    public var groups: [UInt16] {
        (0..<8).map { index in
            index < 4
                ? UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64(index)))
                : UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64(index - 4)))
        }
    }

    /// Whether this is an IPv4-mapped address (`::ffff:0:0/96`).
    public var isIPv4Mapped: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// The RFC 5952 text form.
    public var description: String {
        if isIPv4Mapped {
            return "::ffff:" + IPv4Address(value: UInt32(truncatingIfNeeded: low)).description
        }
        let groups = self.groups
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// An IPv4 or IPv6 address; IPv4 addresses sort before IPv6 ones.
public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses either family: text with a ':' is IPv6, otherwise IPv4.
    public init?(_ text: String) {
        if text.utf8.contains(UInt8(ascii: ":")) {
            guard let address = IPv6Address(text) else { return nil }
            self = .v6(address)
        } else {
            guard let address = IPv4Address(text) else { return nil }
            self = .v4(address)
        }
    }

    /// The address bytes in network order (4 or 16).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let address): return address.bytes
        case .v6(let address): return address.bytes
        }
    }

    public var description: String {
        switch self {
        case .v4(let address): return address.description
        case .v6(let address): return address.description
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): return a < b
        case (.v6(let a), .v6(let b)): return a < b
        case (.v4, .v6): return true
        case (.v6, .v4): return false
        }
    }
}
