import DNSModel
public import SimKernel
public import WorldModel

/// What the live server does with one packet: the bytes to send back (if any), when, and whether a TCP
/// connection is to be reset instead.
public struct LiveReply: Hashable, Sendable {
    /// The reply message (without the TCP length prefix); `nil` means stay silent.
    public var bytes: [UInt8]?
    /// Extra time to hold the reply before sending it (injected latency; the server's own processing is real).
    public var delay: SimDuration
    /// Reset the TCP connection (a closed port); over UDP nothing is sent.
    public var resetConnection: Bool

    public init(bytes: [UInt8]?, delay: SimDuration = .zero, resetConnection: Bool = false) {
        self.bytes = bytes
        self.delay = delay
        self.resetConnection = resetConnection
    }

    /// Silence.
    public static let none = LiveReply(bytes: nil)
}

/// Turns query packets into reply packets from an ``AuthoritySnapshot``: the packet handler of the live server.
///
/// ```swift
/// let responder = LiveResponder()
/// let reply = responder.reply(to: queryBytes, snapshot: world.authoritySnapshot())   // [UInt8]?
/// ```
///
/// It never traps on input: packets shorter than a header and responses (QR set) are ignored, packets that do
/// not decode get FORMERR, opcodes other than QUERY get NOTIMP, and anything but exactly one question gets
/// FORMERR. Faults are put on the wire as ``AuthoritySnapshot/respond(to:overTCP:rng:)`` decides (the model's
/// own server logic): error RCODEs, silence, garbage bytes, TC over UDP, an answer record cut short, a
/// connection reset for a closed port (over UDP a bound socket cannot emit ICMP port unreachable, so a closed
/// port is silent there).
public struct LiveResponder: Sendable {
    /// Largest UDP reply without EDNS (RFC 1035 §4.2.1).
    public static let classicUDPLimit = 512
    /// Largest UDP reply this server sends even when EDNS advertises more.
    public static let maximumUDPLimit = 4096

    public init() {}

    /// The pure packet handler: the reply to one UDP query, ignoring injected delays (`nil`: no reply).
    ///
    /// Deterministic: fault probabilities draw from a stream seeded from the packet's bytes.
    public func reply(to packet: [UInt8], snapshot: AuthoritySnapshot) -> [UInt8]? {
        var rng = RandomStream(seed: RandomStream.fnv1a(String(decoding: packet, as: UTF8.self)), label: "live/pure")
        return respond(to: packet, overTCP: false, snapshot: snapshot, rng: &rng).bytes
    }

    /// The reply to one query packet (UDP datagram, or TCP message without its length prefix).
    public func respond(
        to packet: [UInt8], overTCP: Bool, snapshot: AuthoritySnapshot, rng: inout RandomStream
    ) -> LiveReply {
        guard packet.count >= 12 else { return .none }
        let id = UInt16(packet[0]) << 8 | UInt16(packet[1])
        let flags = UInt16(packet[2]) << 8 | UInt16(packet[3])
        guard flags & 0x8000 == 0 else { return .none }  // a response: never answer it (no reflection loops)
        let opcode = UInt8((flags >> 11) & 0x0F)
        let recursionDesired = flags & 0x0100 != 0
        guard opcode == 0 else {
            return LiveReply(bytes: Self.bare(id: id, opcode: opcode, rd: recursionDesired, rcode: .notImp))
        }
        let query: Message
        do {
            query = try WireDecoder.decode(packet)
        } catch {
            return LiveReply(bytes: Self.bare(id: id, opcode: 0, rd: recursionDesired, rcode: .formErr))
        }
        guard query.questions.count == 1 else {
            return LiveReply(bytes: Self.bare(id: id, opcode: 0, rd: recursionDesired, rcode: .formErr))
        }
        let response = snapshot.respond(to: query.questions[0], overTCP: overTCP, rng: &rng)
        return reply(for: response, query: query, overTCP: overTCP, rng: &rng)
    }

    /// The reply that puts the model's decision for a query (given as bytes that decode) on the wire.
    public func reply(for response: AuthorityResponse, query packet: [UInt8], overTCP: Bool, rng: inout RandomStream) -> LiveReply
    {
        guard let query = try? WireDecoder.decode(packet), query.questions.count == 1 else { return .none }
        return reply(for: response, query: query, overTCP: overTCP, rng: &rng)
    }

    func reply(for response: AuthorityResponse, query: Message, overTCP: Bool, rng: inout RandomStream) -> LiveReply {
        let question = query.questions[0]
        let limit = overTCP ? 65535 : Self.udpLimit(query)
        let delay = response.injectedDelay
        switch response.action {
        case .answer(let answer):
            return LiveReply(bytes: Self.encode(answer.response(to: query), limit: limit), delay: delay)
        case .rcode(let rcode):
            let message = query.response(rcode: rcode, authoritative: false, recursionAvailable: false)
            return LiveReply(bytes: Self.encode(message, limit: limit), delay: delay)
        case .noReply:
            return LiveReply(bytes: nil, delay: delay)
        case .garbage:
            var bytes: [UInt8] = []
            for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            return LiveReply(bytes: bytes, delay: delay)
        case .truncated:
            let message = query.response(rcode: .noError, authoritative: true, recursionAvailable: false, truncated: true)
            return LiveReply(bytes: Self.encode(message, limit: limit), delay: delay)
        case .malformed:
            // A NOERROR reply whose one answer record is cut short, as the simulated servers send it.
            let data: RecordData =
                question.type == .aaaa
                ? .aaaa(IPv6Address(bytes: [UInt8](repeating: 0, count: 16))) : .a(IPv4Address(0, 0, 0, 0))
            let message = query.response(
                rcode: .noError, answers: [ResourceRecord(name: question.name, ttl: 0, data: data)], authoritative: true,
                recursionAvailable: false)
            let bytes = Self.encode(message, limit: limit)
            return LiveReply(bytes: Array(bytes.prefix(bytes.count - 3)), delay: delay)
        case .portClosed:
            return LiveReply(bytes: nil, delay: .zero, resetConnection: overTCP)
        }
    }

    /// The UDP size the query allows: its EDNS OPT payload size (RFC 6891 §6.2.3), clamped, else 512.
    static func udpLimit(_ query: Message) -> Int {
        guard let opt = query.additional.first(where: { $0.type == .opt }) else { return classicUDPLimit }
        let advertised = Int(opt.dnsClass.rawValue)
        return min(max(advertised, classicUDPLimit), maximumUDPLimit)
    }

    /// A header-only reply (for packets whose question cannot be read).
    static func bare(id: UInt16, opcode: UInt8, rd: Bool, rcode: ResponseCode) -> [UInt8] {
        let header = MessageHeader(id: id, isResponse: true, recursionDesired: rd, opcode: opcode, rcode: rcode)
        let flags = header.flags
        return [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF), 0, 0, 0, 0, 0, 0, 0, 0]
    }

    static func encode(_ message: Message, limit: Int) -> [UInt8] {
        do {
            return try WireEncoder.encode(message, limit: limit)
        } catch {
            // Header and question alone beyond the limit cannot happen for a question that decoded from a packet
            // within the same limit; answer SERVFAIL rather than trap.
            return bare(
                id: message.header.id, opcode: message.header.opcode, rd: message.header.recursionDesired, rcode: .servFail)
        }
    }
}

extension LiveResponder {
    /// The reply to one query, from the per-thread answer cache when the state is unchanged (`generation`) and no
    /// behaviour fault is in force; otherwise as ``respond(to:overTCP:snapshot:rng:)``.
    ///
    /// Cached replies are byte-identical to fresh ones except for the ID and the question's spelling, which are
    /// copied from the query.
    public func respond(
        to packet: [UInt8], overTCP: Bool, snapshot: AuthoritySnapshot, generation: Int, context: inout LiveQueryContext
    ) -> LiveReply {
        guard !snapshot.hasBehaviourFaults, let key = AnswerCache.key(packet, overTCP: overTCP) else {
            return respond(to: packet, overTCP: overTCP, snapshot: snapshot, rng: &context.rng)
        }
        if context.answers.generation != generation { context.answers.reset(generation) }
        if var bytes = context.answers.entries[key.bytes] {
            bytes.withUnsafeMutableBufferPointer { out in
                packet.withUnsafeBufferPointer { query in
                    out[0] = query[0]
                    out[1] = query[1]
                    for i in 12..<key.questionEnd { out[i] = query[i] }
                }
            }
            return LiveReply(bytes: bytes)
        }
        let reply = respond(to: packet, overTCP: overTCP, snapshot: snapshot, rng: &context.rng)
        if let bytes = reply.bytes, reply.delay == .zero, !reply.resetConnection, bytes.count >= key.questionEnd {
            context.answers.store(key.bytes, bytes)
        }
        return reply
    }
}

/// Encoded replies by query shape (flags, lowercased question, UDP limit, transport), for one state generation.
struct AnswerCache {
    static let capacity = 10_000
    var generation = -1
    var entries: [[UInt8]: [UInt8]] = [:]

    mutating func reset(_ generation: Int) {
        self.generation = generation
        entries.removeAll(keepingCapacity: true)
    }

    mutating func store(_ key: [UInt8], _ reply: [UInt8]) {
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = reply
    }

    /// The cache key of a plain query — one question with an uncompressed name, no answer or authority records,
    /// at most an EDNS OPT record — and where its question ends; `nil` for anything else (answered uncached).
    static func key(_ packet: [UInt8], overTCP: Bool) -> (bytes: [UInt8], questionEnd: Int)? {
        packet.withUnsafeBufferPointer { p -> (bytes: [UInt8], questionEnd: Int)? in
            let n = p.count
            guard n >= 17, p[2] & 0x80 == 0, p[4] == 0, p[5] == 1, p[6] == 0, p[7] == 0, p[8] == 0, p[9] == 0,
                p[10] == 0, p[11] <= 1
            else { return nil }
            var key: [UInt8] = []
            key.reserveCapacity(48)
            key.append(p[2] & 0x79)  // opcode and RD (AA, TC, QR are not echoed)
            var i = 12
            while true {
                guard i < n else { return nil }
                let length = Int(p[i])
                if length == 0 { break }
                guard length < 64, i + 1 + length < n, i - 12 + length + 1 < 255 else { return nil }
                key.append(p[i])
                for j in (i + 1)...(i + length) {
                    let byte = p[j]
                    key.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
                }
                i += 1 + length
            }
            key.append(0)
            guard i + 5 <= n else { return nil }
            for j in (i + 1)...(i + 4) { key.append(p[j]) }
            let questionEnd = i + 5
            var limit = overTCP ? 65535 : LiveResponder.classicUDPLimit
            if p[11] == 1 {
                // OPT: root owner, type 41, class = UDP payload size, TTL, RDLENGTH, RDATA; nothing after it.
                let o = questionEnd
                guard o + 11 <= n, p[o] == 0, p[o + 1] == 0, p[o + 2] == 41 else { return nil }
                let rdlength = Int(p[o + 9]) << 8 | Int(p[o + 10])
                guard o + 11 + rdlength == n else { return nil }
                if !overTCP {
                    let advertised = Int(p[o + 3]) << 8 | Int(p[o + 4])
                    limit = min(max(advertised, LiveResponder.classicUDPLimit), LiveResponder.maximumUDPLimit)
                }
            } else if questionEnd != n {
                return nil
            }
            key.append(UInt8(limit >> 8))
            key.append(UInt8(limit & 0xFF))
            key.append(overTCP ? 1 : 0)
            return (key, questionEnd)
        }
    }
}
