import DNSModel
import SimKernel

/// A seeded generator of replies to `Replies.question`: random RCODEs and flags, answer sets with
/// CNAME chains, other names, other types and mixed case, SOA/NS authority, then random cutting and
/// byte flips. The same seed gives the same replies on every machine.
struct RandomResponses {
    var random: RandomStream

    init(seed: UInt64) { random = RandomStream(seed: seed, label: "aresshim/random-responses") }

    struct Sample {
        var bytes: [UInt8]
        var queryID: UInt16
        var question: Question
        var recipe: String
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[random.integer(in: 0...(items.count - 1))] }

    private mutating func ttl() -> UInt32 {
        switch random.integer(in: 0...9) {
        case 0: return 0
        case 1: return UInt32.max - UInt32(random.integer(in: 0...1000))  // top bit set
        case 2: return UInt32(Int32.max)
        default: return UInt32(random.integer(in: 1...86_400))
        }
    }

    private mutating func name(_ text: String) -> DomainName {
        // Random case: c-ares compares names with strcasecmp.
        let mixed = String(text.map { random.bernoulli(0.2) ? Character($0.uppercased()) : $0 })
        return try! DomainName(mixed)
    }

    private mutating func address() -> String { "192.0.2.\(random.integer(in: 1...254))" }

    mutating func next() -> Sample {
        let type: RecordType = random.bernoulli(0.8) ? .a : .aaaa
        let question = Question(name: Replies.name, type: type)
        let queryID = UInt16(truncatingIfNeeded: random.next())
        var recipe: [String] = []
        let rcodes: [UInt8] = [0, 0, 0, 0, 0, 0, 3, 3, 2, 5, 4, 1, 6, 9, 15]
        let rcode = ResponseCode(rawValue: pick(rcodes))
        recipe.append("rcode=\(rcode)")
        var answers: [ResourceRecord] = []
        let shape = random.integer(in: 0...9)
        recipe.append("shape=\(shape)")
        let owner = name("kv.example.")
        func a(_ owner: DomainName, _ ttl: UInt32, _ text: String) -> ResourceRecord {
            ResourceRecord(name: owner, ttl: ttl, data: .a(IPv4Address(text)!))
        }
        func aaaa(_ owner: DomainName, _ ttl: UInt32) -> ResourceRecord {
            ResourceRecord(name: owner, ttl: ttl, data: .aaaa(IPv6Address("2001:db8::\(Int.random(in: 1...9, using: &random))")!))
        }
        func cname(_ owner: DomainName, _ target: DomainName, _ ttl: UInt32) -> ResourceRecord {
            ResourceRecord(name: owner, ttl: ttl, data: .cname(target))
        }
        switch shape {
        case 0:
            break  // empty answer
        case 1, 2:
            for _ in 0..<random.integer(in: 1...4) { answers.append(a(owner, ttl(), address())) }
        case 3:  // CNAME chain to an A (or AAAA) record
            let hops = random.integer(in: 1...3)
            var current = owner
            for hop in 0..<hops {
                let target = name("hop\(hop).example.")
                answers.append(cname(current, target, ttl()))
                current = target
            }
            answers.append(a(current, ttl(), address()))
            if random.bernoulli(0.5) { answers.append(aaaa(current, ttl())) }
        case 4:  // CNAME only (the target has nothing)
            answers.append(cname(owner, name("lonely.example."), ttl()))
        case 5:  // records for other names only
            answers.append(a(name("other.example."), ttl(), address()))
        case 6:  // AAAA for the name
            for _ in 0..<random.integer(in: 1...2) { answers.append(aaaa(owner, ttl())) }
        case 7:  // other types mixed in
            answers.append(ResourceRecord(name: owner, ttl: ttl(), data: .txt(["v=spf1 -all"])))
            answers.append(a(owner, ttl(), address()))
        case 8:  // chain out of order: the A record comes before the CNAME that leads to it
            let target = name("late.example.")
            answers.append(a(target, ttl(), address()))
            answers.append(cname(owner, target, ttl()))
        default:  // many records (past 512 bytes sometimes)
            for _ in 0..<random.integer(in: 5...40) { answers.append(a(owner, ttl(), address())) }
        }
        var authority: [ResourceRecord] = []
        if random.bernoulli(0.6) {
            let soa = SOAData(
                mname: try! DomainName("ns1.example."), rname: try! DomainName("hostmaster.example."),
                serial: 1, refresh: 7200, retry: 900, expire: 1_209_600, minimum: ttl())
            if random.bernoulli(0.2) {
                authority.append(
                    ResourceRecord(name: try! DomainName("example."), ttl: ttl(), data: .ns(try! DomainName("ns1.example."))))
            }
            authority.append(ResourceRecord(name: try! DomainName("example."), ttl: ttl(), data: .soa(soa)))
        }
        var header = MessageHeader(
            id: queryID, isResponse: random.bernoulli(0.95), authoritative: random.bernoulli(0.5),
            truncated: random.bernoulli(0.08), recursionDesired: true, recursionAvailable: true,
            opcode: random.bernoulli(0.03) ? 2 : 0, rcode: rcode)
        var questions = [question]
        switch random.integer(in: 0...39) {
        case 0: header.id ^= UInt16(random.integer(in: 1...0xFFFF)); recipe.append("wrong-id")
        case 1: questions = [Question(name: try! DomainName("other.example."), type: type)]; recipe.append("wrong-name")
        case 2: questions = [Question(name: owner, type: type == .a ? .aaaa : .a)]; recipe.append("wrong-type")
        case 3: questions = []; recipe.append("no-question")
        case 4: questions = [question, question]; recipe.append("two-questions")
        case 5: questions = [Question(name: name("KV.EXAMPLE."), type: type)]; recipe.append("upper-case-question")
        default: break
        }
        if header.truncated { recipe.append("tc") }
        let message = Message(header: header, questions: questions, answers: answers, authority: authority)
        var bytes = try! WireEncoder.encode(message)
        if random.bernoulli(0.15) {
            let cut = random.integer(in: 0...(bytes.count - 1))
            bytes = Array(bytes.prefix(cut))
            recipe.append("cut@\(cut)")
        }
        if random.bernoulli(0.15), !bytes.isEmpty {
            for _ in 0..<random.integer(in: 1...3) {
                let at = random.integer(in: 0...(bytes.count - 1))
                let bit = UInt8(1) << UInt8(random.integer(in: 0...7))
                bytes[at] ^= bit
                recipe.append("flip@\(at)^\(bit)")
            }
        }
        return Sample(bytes: bytes, queryID: queryID, question: question, recipe: recipe.joined(separator: " "))
    }
}
