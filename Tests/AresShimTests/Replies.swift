import DNSModel

/// Reply builders over DNSModel's encoder, shared by the table tests, the model runner and the loop.
enum Replies {
    static let name = try! DomainName("kv.example.")
    static let question = Question(name: name, type: .a)
    static let soa = try! ResourceRecord(
        zoneText: "example. 900 IN SOA ns1.example. hostmaster.example. 1 7200 900 1209600 300")

    static func record(_ text: String) -> ResourceRecord { try! ResourceRecord(zoneText: text) }

    static func encode(_ message: Message) -> [UInt8] { try! WireEncoder.encode(message) }

    /// NOERROR with A records for the query's name.
    static func answer(_ query: Message, _ addresses: [String] = ["192.0.2.1"], ttl: UInt32 = 60) -> [UInt8] {
        let owner = query.questions[0].name
        let answers = addresses.map { record("\(owner) \(ttl) IN A \($0)") }
        return encode(query.response(rcode: .noError, answers: answers))
    }

    static func nxDomain(_ query: Message) -> [UInt8] {
        encode(query.response(rcode: .nxDomain, authority: [soa], authoritative: true))
    }

    static func noData(_ query: Message) -> [UInt8] {
        encode(query.response(rcode: .noError, authority: [soa], authoritative: true))
    }

    static func rcode(_ query: Message, _ code: ResponseCode) -> [UInt8] {
        encode(query.response(rcode: code))
    }

    /// TC set, no records (what a server sends when the answer does not fit).
    static func truncated(_ query: Message) -> [UInt8] {
        encode(query.response(rcode: .noError, truncated: true))
    }

    /// An A answer whose only record loses its last two RDATA bytes (RDLENGTH still says 4).
    static func cutShort(_ query: Message) -> [UInt8] {
        Array(answer(query).dropLast(2))
    }

    /// Eleven bytes: shorter than a header.
    static func short(_ query: Message) -> [UInt8] {
        Array(answer(query).prefix(11))
    }

    /// Bytes that are not DNS at all.
    static func garbage(_ query: Message) -> [UInt8] {
        Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8)
    }

    /// A valid answer with the ID flipped.
    static func wrongID(_ query: Message) -> [UInt8] {
        var reply = query
        reply.header.id ^= 0x5A5A
        return answer(reply)
    }

    /// A valid answer to a different question.
    static func wrongQuestion(_ query: Message) -> [UInt8] {
        var other = query
        other.questions[0].name = try! DomainName("other.example.")
        return answer(other)
    }

    /// The query this test suite classifies against.
    static func query(id: UInt16 = 0x1234, type: RecordType = .a) -> Message {
        .query(id: id, name: name, type: type)
    }
}
