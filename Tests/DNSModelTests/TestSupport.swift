@testable import DNSModel

/// A tiny seeded PRNG (SplitMix64) so randomized tests are reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

func name(_ text: String) -> DomainName { try! DomainName(text) }

func record(_ text: String, origin: String? = nil) -> ResourceRecord {
    try! ResourceRecord(zoneText: text, origin: origin.map(name))
}

/// Random messages over a small vocabulary of names, so compression has something to share.
struct MessageGenerator {
    var rng: SplitMix

    static let words = ["kv", "Example", "api", "svc", "us-east-1", "a", "_tcp", "db", "www", "x-1"]

    mutating func domain() -> DomainName {
        if rng.chance(5) { return .root }
        let count = 1 + rng.below(4)
        let labels = (0..<count).map { _ in MessageGenerator.words[rng.below(MessageGenerator.words.count)] }
        return try! DomainName(labels: labels)
    }

    mutating func string() -> String {
        let alphabet = Array("abc XYZ\"\\;()0123456789")
        return String((0..<rng.below(12)).map { _ in alphabet[rng.below(alphabet.count)] })
    }

    mutating func data() -> RecordData {
        switch rng.below(7) {
        case 0: return .a(IPv4Address(value: UInt32(truncatingIfNeeded: rng.next())))
        case 1: return .aaaa(IPv6Address(high: rng.next(), low: rng.next()))
        case 2: return .cname(domain())
        case 3: return .ns(domain())
        case 4:
            return .soa(
                SOAData(
                    mname: domain(), rname: domain(), serial: UInt32(truncatingIfNeeded: rng.next()), refresh: 7200,
                    retry: 900, expire: 1_209_600, minimum: UInt32(rng.below(1000))))
        case 5: return .txt((0..<(1 + rng.below(3))).map { _ in string() })
        default:
            return .unknown(
                type: RecordType(rawValue: 99 + UInt16(rng.below(5))),
                bytes: (0..<rng.below(10)).map { _ in UInt8(rng.below(256)) })
        }
    }

    mutating func record() -> ResourceRecord {
        ResourceRecord(name: domain(), ttl: UInt32(truncatingIfNeeded: rng.next()), data: data())
    }

    mutating func message() -> Message {
        let header = MessageHeader(
            id: UInt16(truncatingIfNeeded: rng.next()), isResponse: rng.chance(50), authoritative: rng.chance(50),
            truncated: rng.chance(20), recursionDesired: rng.chance(50), recursionAvailable: rng.chance(50),
            opcode: UInt8(rng.below(16)), rcode: ResponseCode(rawValue: UInt8(rng.below(16))))
        return Message(
            header: header,
            questions: (0..<rng.below(3)).map { _ in
                Question(name: domain(), type: RecordType(rawValue: UInt16(1 + rng.below(40))))
            },
            answers: (0..<rng.below(5)).map { _ in record() },
            authority: (0..<rng.below(3)).map { _ in record() },
            additional: (0..<rng.below(3)).map { _ in record() })
    }
}
