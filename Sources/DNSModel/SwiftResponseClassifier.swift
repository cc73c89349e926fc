/// A pure-Swift response classifier with the semantics of c-ares 1.18.1 (default flags, UDP, no TCP fallback).
///
/// The steps follow `process_answer` (ares_process.c), `qcallback` (ares_query.c) and
/// `ares_parse_a_reply` / `ares_parse_aaaa_reply` (ares__parse_into_addrinfo.c, ares_expand_name.c):
///
/// 1. **Dropped** (outcome `.timeout`, `dropped`): fewer than 12 bytes; an ID other than `queryID`;
///    QDCOUNT other than 1; a question name that does not expand (c-ares rules, below) or is not
///    followed by 4 bytes; a question whose name (ASCII case-insensitive), QTYPE or QCLASS differs
///    from the query. Like c-ares 1.18, QR and OPCODE are **not** checked: a datagram with QR clear
///    but the right ID and question is classified like a response.
/// 2. **Truncated**: TC set, or the datagram is longer than 512 bytes (c-ares treats an oversized
///    UDP reply as truncated and, without TCP, the query ends with `ARES_ECONNREFUSED`).
/// 3. **RCODE**: 1 FORMERR ⇒ `.formErr`, 2 SERVFAIL ⇒ `.servFail`, 3 NXDOMAIN ⇒ `.nxDomain` (with
///    ``ResponseClassification/negativeTTL``), 4 NOTIMP ⇒ `.notImp`, 5 REFUSED ⇒ `.refused`. The
///    answer section is not looked at for these.
/// 4. RCODE 0 with ANCOUNT 0 ⇒ `.noData` (with `negativeTTL`).
/// 5. RCODE 0 with answers, and RCODE 6...15 (c-ares's `qcallback` leaves these at `ARES_SUCCESS`,
///    so they behave like NOERROR): the answer section is parsed as `ares__parse_into_addrinfo`
///    does. Any answer RR that is cut short (name that does not expand, fewer than 10 fixed bytes,
///    RDATA past the end) or a CNAME whose target is not a valid host name ⇒ `.malformed`
///    (`ARES_EBADRESP`), even after good records. An A (AAAA) record counts when its class is IN,
///    its RDLENGTH is 4 (16) and its owner equals the *current* host name, which starts as the
///    question name and becomes the target of **every** class-IN CNAME in the answer, in order,
///    whatever that CNAME's owner (c-ares's order-dependent rule). At least one address of the
///    queried family ⇒ `.noError`, else `.noData` (c-ares returns `ARES_SUCCESS` with zero
///    addresses for a CNAME-only answer or one with only the other family: the shim must map
///    "success with no address" to NODATA too).
///
/// For a QTYPE other than A or AAAA, step 5 counts class-IN records of that type owned by the
/// current host name: one or more ⇒ `.noError` with no addresses, else `.noData`.
///
/// **TTL**: each address's TTL is min(its TTL, the smallest TTL of all class-IN CNAMEs in the
/// answer) and ``ResponseClassification/ttl`` is the minimum over the addresses. c-ares keeps TTLs
/// in a signed `int`; values of 2³¹ and above (negative there) count as 0 here (RFC 2181 §8), so
/// the shim should report a negative c-ares TTL as 0.
///
/// **negativeTTL** (`.noData`, `.nxDomain`): the answer section is skipped and the authority section
/// walked; the first class-IN SOA whose RDATA holds two names and 20 bytes gives
/// min(record TTL, MINIMUM). A malformed authority section ends the walk (nil if no SOA before it).
///
/// **Name expansion** (c-ares 1.18 `ares_expand_name`): labels of 0...63 bytes, pointers to any
/// offset inside the datagram (forward pointers are allowed), at most 50 pointer hops (more is a
/// loop), a label must be followed by at least one more byte; the reserved 01/10 length prefixes
/// fail. Names compare as c-ares's escaped strings under `strcasecmp`. Host-name validation (CNAME
/// targets only) allows letters, digits, `-`, `_`, `/`, `*`.
///
/// Not thread-safe: it reuses scratch buffers. Use one per thread (or per simulated client).
///
/// ```swift
/// let classifier = SwiftResponseClassifier()
/// let result = classifier.classify(bytes, query: Question(name: name, type: .a), queryID: 7)
/// result.outcome   // .noError
/// ```
public final class SwiftResponseClassifier: ResponseClassifier {
    /// The largest UDP reply c-ares accepts without EDNS (PACKETSZ).
    public static let udpPayloadLimit = 512
    /// c-ares's MAX_INDIRS: more compression-pointer hops than this is treated as a loop.
    static let maximumIndirections = 50

    private var hostname: [UInt8] = []
    private var scratch: [UInt8] = []

    public init() {
        hostname.reserveCapacity(512)
        scratch.reserveCapacity(512)
    }

    public func classify(_ response: UnsafeRawBufferPointer, query: Question, queryID: UInt16) -> ResponseClassification {
        let message = response
        let length = message.count
        guard length >= 12 else { return .droppedDatagram }
        let id = UInt16(message[0]) << 8 | UInt16(message[1])
        guard id == queryID else { return .droppedDatagram }
        let truncatedFlag = message[2] & 0x02 != 0
        let rcode = message[3] & 0x0F
        let qdcount = Int(message[4]) << 8 | Int(message[5])
        let ancount = Int(message[6]) << 8 | Int(message[7])
        let nscount = Int(message[8]) << 8 | Int(message[9])

        // same_questions: exactly one question, equal to the query's.
        guard qdcount == 1 else { return .droppedDatagram }
        scratch.removeAll(keepingCapacity: true)
        guard let questionLength = SwiftResponseClassifier.expand(message, at: 12, into: &scratch, hostname: false),
            12 + questionLength + 4 <= length
        else { return .droppedDatagram }
        let typeOffset = 12 + questionLength
        let qtype = UInt16(message[typeOffset]) << 8 | UInt16(message[typeOffset + 1])
        let qclass = UInt16(message[typeOffset + 2]) << 8 | UInt16(message[typeOffset + 3])
        hostname.removeAll(keepingCapacity: true)
        SwiftResponseClassifier.expandedText(of: query.name, into: &hostname)
        guard qtype == query.type.rawValue, qclass == query.dnsClass.rawValue,
            SwiftResponseClassifier.caseInsensitiveEqual(scratch, hostname)
        else { return .droppedDatagram }

        if truncatedFlag || length > SwiftResponseClassifier.udpPayloadLimit {
            return ResponseClassification(outcome: .truncated)
        }
        let answersStart = typeOffset + 4
        switch rcode {
        case 1: return ResponseClassification(outcome: .formErr)
        case 2: return ResponseClassification(outcome: .servFail)
        case 3:
            return ResponseClassification(
                outcome: .nxDomain,
                negativeTTL: SwiftResponseClassifier.negativeTTL(
                    message, answersStart: answersStart, ancount: ancount, nscount: nscount))
        case 4: return ResponseClassification(outcome: .notImp)
        case 5: return ResponseClassification(outcome: .refused)
        default: break
        }
        if rcode == 0 && ancount == 0 {
            return ResponseClassification(
                outcome: .noData,
                negativeTTL: SwiftResponseClassifier.negativeTTL(
                    message, answersStart: answersStart, ancount: 0, nscount: nscount))
        }

        // ares__parse_into_addrinfo over the answer section. `hostname` holds the question name (equal to the query's).
        var position = answersStart
        var addresses: [IPAddress] = []
        var minimumAddressTTL = Int64.max
        var matchedOther = false
        var cnameTTL = Int64(Int32.max)
        for _ in 0..<ancount {
            scratch.removeAll(keepingCapacity: true)
            guard let nameLength = SwiftResponseClassifier.expand(message, at: position, into: &scratch, hostname: false)
            else { return ResponseClassification(outcome: .malformed) }
            position += nameLength
            guard position + 10 <= length else { return ResponseClassification(outcome: .malformed) }
            let type = UInt16(message[position]) << 8 | UInt16(message[position + 1])
            let dnsClass = UInt16(message[position + 2]) << 8 | UInt16(message[position + 3])
            let ttl =
                UInt32(message[position + 4]) << 24 | UInt32(message[position + 5]) << 16
                | UInt32(message[position + 6]) << 8 | UInt32(message[position + 7])
            let rdlength = Int(message[position + 8]) << 8 | Int(message[position + 9])
            position += 10
            guard position + rdlength <= length else { return ResponseClassification(outcome: .malformed) }
            let signedTTL = Int64(Int32(bitPattern: ttl))
            if dnsClass == 1 {
                if type == 1 && rdlength == 4 && SwiftResponseClassifier.caseInsensitiveEqual(scratch, hostname) {
                    if query.type == .a {
                        addresses.append(
                            .v4(
                                IPv4Address(
                                    message[position], message[position + 1], message[position + 2], message[position + 3])))
                        minimumAddressTTL = min(minimumAddressTTL, signedTTL)
                    }
                } else if type == 28 && rdlength == 16 && SwiftResponseClassifier.caseInsensitiveEqual(scratch, hostname) {
                    if query.type == .aaaa {
                        addresses.append(.v6(IPv6Address(bytes: Array(message[position..<(position + 16)]))))
                        minimumAddressTTL = min(minimumAddressTTL, signedTTL)
                    }
                } else if query.type != .a && query.type != .aaaa && query.type != .cname && type == query.type.rawValue
                    && SwiftResponseClassifier.caseInsensitiveEqual(scratch, hostname)
                {
                    matchedOther = true
                }
                if type == 5 {
                    if query.type == .cname && SwiftResponseClassifier.caseInsensitiveEqual(scratch, hostname) {
                        matchedOther = true
                    }
                    hostname.removeAll(keepingCapacity: true)
                    guard SwiftResponseClassifier.expand(message, at: position, into: &hostname, hostname: true) != nil else {
                        return ResponseClassification(outcome: .malformed)
                    }
                    cnameTTL = min(cnameTTL, signedTTL)
                }
            }
            position += rdlength
        }
        if addresses.isEmpty && !matchedOther {
            return ResponseClassification(
                outcome: .noData,
                negativeTTL: SwiftResponseClassifier.negativeTTL(
                    message, answersStart: answersStart, ancount: ancount, nscount: nscount))
        }
        // min over addresses of min(address TTL, smallest CNAME TTL), as ares__addrinfo2addrttl computes it.
        let minimum = min(minimumAddressTTL, cnameTTL)
        return ResponseClassification(
            outcome: .noError, addresses: addresses, ttl: addresses.isEmpty ? nil : UInt32(max(minimum, 0)))
    }

    // MARK: - c-ares name expansion

    static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x20 && byte <= 0x7E }

    static func isReserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "."), UInt8(ascii: ";"), UInt8(ascii: "\\"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    static func isHostnameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// Expands the name at `offset` the way c-ares 1.18 does, appending its escaped text to `output`.
    /// Returns the encoded length to skip (up to and including the first pointer), or nil when c-ares fails.
    static func expand(_ message: UnsafeRawBufferPointer, at offset: Int, into output: inout [UInt8], hostname: Bool) -> Int? {
        let length = message.count
        guard offset < length else { return nil }
        var cursor = offset
        var indirections = 0
        var encodedLength = -1
        var first = true
        while message[cursor] != 0 {
            let byte = message[cursor]
            switch byte & 0xC0 {
            case 0xC0:
                guard cursor + 1 < length else { return nil }
                let target = Int(byte & 0x3F) << 8 | Int(message[cursor + 1])
                guard target < length else { return nil }
                if encodedLength < 0 { encodedLength = cursor + 2 - offset }
                indirections += 1
                if indirections > length || indirections > maximumIndirections { return nil }
                cursor = target
            case 0x00:
                let labelLength = Int(byte)
                guard cursor + labelLength + 1 < length else { return nil }
                if !first { output.append(UInt8(ascii: ".")) }
                first = false
                for index in (cursor + 1)...(cursor + labelLength) {
                    let c = message[index]
                    if !isPrintable(c) && !(labelLength == 1 && c == 0) {
                        if hostname { return nil }
                        output.append(UInt8(ascii: "\\"))
                        output.append(UInt8(ascii: "0") + c / 100)
                        output.append(UInt8(ascii: "0") + (c % 100) / 10)
                        output.append(UInt8(ascii: "0") + c % 10)
                    } else if isReserved(c) {
                        if hostname { return nil }
                        output.append(UInt8(ascii: "\\"))
                        output.append(c)
                    } else {
                        if hostname && !isHostnameByte(c) { return nil }
                        output.append(c)
                    }
                }
                cursor += labelLength + 1
            default:
                return nil
            }
        }
        return encodedLength >= 0 ? encodedLength : cursor + 1 - offset
    }

    /// The text c-ares expands a valid ``DomainName`` to: labels joined by dots, no trailing dot.
    static func expandedText(of name: DomainName, into output: inout [UInt8]) {
        let wire = name.wire
        var index = 0
        while wire[index] != 0 {
            if index > 0 { output.append(UInt8(ascii: ".")) }
            let count = Int(wire[index])
            output.append(contentsOf: wire[(index + 1)...(index + count)])
            index += count + 1
        }
    }

    /// `strcasecmp(a, b) == 0` on C strings: stops at the first NUL, folds ASCII letters only.
    static func caseInsensitiveEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var index = 0
        while true {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            let lx = x >= 0x41 && x <= 0x5A ? x | 0x20 : x
            let ly = y >= 0x41 && y <= 0x5A ? y | 0x20 : y
            if lx != ly { return false }
            if x == 0 { return true }
            index += 1
        }
    }

    /// The RFC 2308 negative TTL from the first class-IN SOA in the authority section, or nil.
    static func negativeTTL(_ message: UnsafeRawBufferPointer, answersStart: Int, ancount: Int, nscount: Int) -> UInt32? {
        var sink: [UInt8] = []
        var position = answersStart
        let length = message.count
        for index in 0..<(ancount + nscount) {
            sink.removeAll(keepingCapacity: true)
            guard let nameLength = expand(message, at: position, into: &sink, hostname: false) else { return nil }
            position += nameLength
            guard position + 10 <= length else { return nil }
            let type = UInt16(message[position]) << 8 | UInt16(message[position + 1])
            let dnsClass = UInt16(message[position + 2]) << 8 | UInt16(message[position + 3])
            let ttl =
                UInt32(message[position + 4]) << 24 | UInt32(message[position + 5]) << 16
                | UInt32(message[position + 6]) << 8 | UInt32(message[position + 7])
            let rdlength = Int(message[position + 8]) << 8 | Int(message[position + 9])
            position += 10
            guard position + rdlength <= length else { return nil }
            if index >= ancount && type == 6 && dnsClass == 1 {
                var cursor = position
                let end = position + rdlength
                var valid = true
                for _ in 0..<2 {
                    sink.removeAll(keepingCapacity: true)
                    guard let skip = expand(message, at: cursor, into: &sink, hostname: false) else {
                        valid = false
                        break
                    }
                    cursor += skip
                }
                if valid && cursor + 20 <= end {
                    let m = cursor + 16
                    let minimum =
                        UInt32(message[m]) << 24 | UInt32(message[m + 1]) << 16 | UInt32(message[m + 2]) << 8
                        | UInt32(message[m + 3])
                    // RFC 2181 §8: a TTL with the top bit set counts as zero (as the c-ares classifier does).
                    return min(ttl > UInt32(Int32.max) ? 0 : ttl, minimum)
                }
            }
            position += rdlength
        }
        return nil
    }
}
