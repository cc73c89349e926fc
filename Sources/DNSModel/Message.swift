/// A response code (RCODE, the 4-bit header field of RFC 1035 §4.1.1); an open set.
public struct ResponseCode: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The code, 0...15 (higher bits are dropped when encoding).
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let noError = ResponseCode(rawValue: 0)
    public static let formErr = ResponseCode(rawValue: 1)
    public static let servFail = ResponseCode(rawValue: 2)
    public static let nxDomain = ResponseCode(rawValue: 3)
    public static let notImp = ResponseCode(rawValue: 4)
    public static let refused = ResponseCode(rawValue: 5)

    /// `"NOERROR"`, `"FORMERR"`, `"SERVFAIL"`, `"NXDOMAIN"`, `"NOTIMP"`, `"REFUSED"`, else `"RCODE9"`.
    public var description: String {
        switch rawValue {
        case 0: return "NOERROR"
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        default: return "RCODE\(rawValue)"
        }
    }

    public static func < (lhs: ResponseCode, rhs: ResponseCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A question: a name and a type, class IN unless stated.
public struct Question: Hashable, Sendable, CustomStringConvertible {
    public var name: DomainName
    public var type: RecordType
    public var dnsClass: DNSClass

    public init(name: DomainName, type: RecordType, dnsClass: DNSClass = .in) {
        self.name = name
        self.type = type
        self.dnsClass = dnsClass
    }

    /// `"kv.example. IN A"`.
    public var description: String { "\(name) \(dnsClass) \(type)" }
}

/// The fixed header fields of a message (RFC 1035 §4.1.1); the section counts follow the arrays.
public struct MessageHeader: Hashable, Sendable {
    public var id: UInt16
    /// QR: this is a response.
    public var isResponse: Bool
    /// AA.
    public var authoritative: Bool
    /// TC.
    public var truncated: Bool
    /// RD.
    public var recursionDesired: Bool
    /// RA.
    public var recursionAvailable: Bool
    /// OPCODE, 0...15 (0 = QUERY).
    public var opcode: UInt8
    public var rcode: ResponseCode

    public init(
        id: UInt16, isResponse: Bool = false, authoritative: Bool = false, truncated: Bool = false,
        recursionDesired: Bool = false, recursionAvailable: Bool = false, opcode: UInt8 = 0,
        rcode: ResponseCode = .noError
    ) {
        self.id = id
        self.isResponse = isResponse
        self.authoritative = authoritative
        self.truncated = truncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.opcode = opcode
        self.rcode = rcode
    }

    /// The 16-bit flags word (QR, OPCODE, AA, TC, RD, RA, Z = 0, RCODE).
    public var flags: UInt16 {
        var flags: UInt16 = 0
        if isResponse { flags |= 0x8000 }
        flags |= UInt16(opcode & 0x0F) << 11
        if authoritative { flags |= 0x0400 }
        if truncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        flags |= UInt16(rcode.rawValue & 0x0F)
        return flags
    }

    /// A header from an ID and a flags word (the Z bits are ignored).
    public init(id: UInt16, flags: UInt16) {
        self.init(
            id: id, isResponse: flags & 0x8000 != 0, authoritative: flags & 0x0400 != 0,
            truncated: flags & 0x0200 != 0, recursionDesired: flags & 0x0100 != 0,
            recursionAvailable: flags & 0x0080 != 0, opcode: UInt8((flags >> 11) & 0x0F),
            rcode: ResponseCode(rawValue: UInt8(flags & 0x0F)))
    }
}

/// A DNS message: header, questions and the three record sections.
///
/// ```swift
/// let query = Message.query(id: 7, name: try DomainName("kv.example."), type: .a)
/// let reply = query.response(rcode: .noError, answers: [try ResourceRecord(zoneText: "kv.example. 60 A 192.0.2.1")])
/// let bytes = try WireEncoder.encode(reply)
/// try WireDecoder.decode(bytes) == reply   // true
/// ```
public struct Message: Hashable, Sendable {
    public var header: MessageHeader
    public var questions: [Question]
    public var answers: [ResourceRecord]
    public var authority: [ResourceRecord]
    public var additional: [ResourceRecord]

    public init(
        header: MessageHeader, questions: [Question] = [], answers: [ResourceRecord] = [],
        authority: [ResourceRecord] = [], additional: [ResourceRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
    }

    /// A standard query (opcode QUERY) for one name and type, class IN.
    public static func query(id: UInt16, name: DomainName, type: RecordType, recursionDesired: Bool = true) -> Message {
        Message(
            header: MessageHeader(id: id, recursionDesired: recursionDesired),
            questions: [Question(name: name, type: type)])
    }

    /// A response to this message: same ID, opcode, RD and questions, QR set, the given sections and flags.
    public func response(
        rcode: ResponseCode, answers: [ResourceRecord] = [], authority: [ResourceRecord] = [],
        authoritative: Bool = false, recursionAvailable: Bool = true, truncated: Bool = false
    ) -> Message {
        Message(
            header: MessageHeader(
                id: header.id, isResponse: true, authoritative: authoritative, truncated: truncated,
                recursionDesired: header.recursionDesired, recursionAvailable: recursionAvailable,
                opcode: header.opcode, rcode: rcode),
            questions: questions, answers: answers, authority: authority)
    }
}
