/// The RDATA of an SOA record (RFC 1035 §3.3.13).
public struct SOAData: Hashable, Sendable {
    /// The primary name server.
    public var mname: DomainName
    /// The mailbox of the responsible person, as a name (`hostmaster.example.`).
    public var rname: DomainName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// The negative-caching TTL bound (RFC 2308 §4).
    public var minimum: UInt32

    public init(
        mname: DomainName, rname: DomainName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
        minimum: UInt32
    ) {
        self.mname = mname
        self.rname = rname
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}

/// The typed data of a resource record.
///
/// Types the model does not interpret (MX, PTR, OPT, ...) are kept as ``unknown(type:bytes:)``:
/// the raw RDATA, written in zone text in the RFC 3597 form `TYPE15 \# 3 0a0b0c`. Names inside such
/// data are never compressed or decompressed, so decoding a compressed MX keeps the pointer bytes.
public enum RecordData: Hashable, Sendable {
    case a(IPv4Address)
    case aaaa(IPv6Address)
    case cname(DomainName)
    case ns(DomainName)
    case soa(SOAData)
    /// One or more character-strings, each at most 255 bytes in UTF-8.
    case txt([String])
    /// Opaque RDATA of any other type (never one of the types above).
    case unknown(type: RecordType, bytes: [UInt8])

    /// The record type this data belongs to.
    public var type: RecordType {
        switch self {
        case .a: return .a
        case .aaaa: return .aaaa
        case .cname: return .cname
        case .ns: return .ns
        case .soa: return .soa
        case .txt: return .txt
        case .unknown(let type, _): return type
        }
    }

    /// The RDATA in zone-file presentation form (`192.0.2.1`, `"a" "b"`, `\# 2 0a0b`).
    public var presentation: String {
        switch self {
        case .a(let address): return address.description
        case .aaaa(let address): return address.description
        case .cname(let name), .ns(let name): return name.description
        case .soa(let soa):
            return "\(soa.mname) \(soa.rname) \(soa.serial) \(soa.refresh) \(soa.retry) \(soa.expire) \(soa.minimum)"
        case .txt(let strings):
            return strings.map(RecordData.quoted).joined(separator: " ")
        case .unknown(_, let bytes):
            let digits: [Character] = Array("0123456789abcdef")
            var hex = ""
            hex.reserveCapacity(bytes.count * 2)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0F)])
            }
            return bytes.isEmpty ? "\\# 0" : "\\# \(bytes.count) \(hex)"
        }
    }

    /// A character-string in quotes, with `"` and `\` escaped and non-printable bytes as `\DDD`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): result += "\\\""
            case UInt8(ascii: "\\"): result += "\\\\"
            case 0x20...0x7E: result.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let digits = String(byte)
                result += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
        return result + "\""
    }
}
