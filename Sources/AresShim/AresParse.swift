internal import CAres
import DNSModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The application's half of a c-ares 1.18 lookup: `ares_parse_a_reply` / `ares_parse_aaaa_reply`
/// with a `hostent` and an `ares_addrttl` / `ares_addr6ttl` array, as an application that wants
/// addresses and TTLs calls them.
enum AresParse {
    struct Parsed {
        var status: AresStatus
        var addresses: [IPAddress]
        /// `ares_addrttl.ttl`: the record's TTL, capped by every CNAME's TTL on the way (a C `int`).
        var ttls: [Int32]
    }

    /// Parses `reply` (all of it) for `type`; types other than A and AAAA are not parsed (`ARES_SUCCESS`).
    static func addresses(_ reply: [UInt8], type: RecordType) -> Parsed {
        reply.withUnsafeBytes { addresses($0, type: type) }
    }

    static func addresses(_ reply: UnsafeRawBufferPointer, type: RecordType) -> Parsed {
        AresLibrary.ensureInitialized()
        guard let base = reply.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return Parsed(status: .badResp, addresses: [], ttls: [])
        }
        let length = Int32(clamping: reply.count)
        // Room for every answer record (ANCOUNT), so no address is cut off.
        let capacity = max(1, reply.count >= 8 ? Int(reply[6]) << 8 | Int(reply[7]) : 1)
        var host: UnsafeMutablePointer<hostent>? = nil
        var count = Int32(capacity)
        defer { if let host { ares_free_hostent(host) } }
        if type == .a {
            var entries = [ares_addrttl](repeating: ares_addrttl(), count: capacity)
            let status = ares_parse_a_reply(base, length, &host, &entries, &count)
            guard status == ARES_SUCCESS else { return Parsed(status: AresStatus(code: status), addresses: [], ttls: []) }
            let used = entries.prefix(Int(count))
            return Parsed(
                status: .success,
                addresses: used.map { .v4(IPv4Address(value: UInt32(bigEndian: $0.ipaddr.s_addr))) },
                ttls: used.map { $0.ttl })
        }
        if type == .aaaa {
            var entries = [ares_addr6ttl](repeating: ares_addr6ttl(), count: capacity)
            let status = ares_parse_aaaa_reply(base, length, &host, &entries, &count)
            guard status == ARES_SUCCESS else { return Parsed(status: AresStatus(code: status), addresses: [], ttls: []) }
            let used = entries.prefix(Int(count))
            return Parsed(
                status: .success,
                addresses: used.map { entry in
                    var address = entry.ip6addr
                    let bytes = withUnsafeBytes(of: &address) { Array($0.prefix(16)) }
                    return .v6(IPv6Address(bytes: bytes))
                },
                ttls: used.map { $0.ttl })
        }
        return Parsed(status: .success, addresses: [], ttls: [])
    }
}
