public import DNSModel

/// Classifies a DNS reply exactly as a c-ares 1.18 client would see it, using c-ares's own code.
///
/// ```swift
/// let classifier = AresResponseClassifier()
/// let question = Question(name: try DomainName("kv.example."), type: .a)
/// let result = reply.withUnsafeBytes { classifier.classify($0, query: question, queryID: 7) }
/// result.outcome            // .noError
/// result.addresses          // [192.0.2.1]
/// ```
///
/// The steps follow c-ares 1.18.1 in order:
/// 1. `process_answer` (ares_process.c) drops, as if nothing had arrived (`dropped: true`,
///    outcome `.timeout`), a reply shorter than 12 bytes, one whose ID is not the query's, and one whose
///    question section does not echo the query's (`same_questions`: same QDCOUNT, names equal under
///    `strcasecmp` after `ares_expand_name`, same type and class). The query compared against is the
///    one `ares_query` sends, built with `ares_create_query`. QR and OPCODE are **not** checked.
/// 2. TC set, or more than 512 bytes, on UDP → `.truncated` (c-ares retries over TCP), unless
///    `ignoresTruncation` (`ARES_FLAG_IGNTC`: then only the first 512 bytes are used). Over TCP, TC
///    is ignored.
/// 3. RCODE (byte 3 & 0x0F): SERVFAIL, NOTIMP, REFUSED → `.servFail`, `.notImp`, `.refused` (whether
///    that retries is the stub's business: ``StubLookup``).
/// 4. `qcallback` (ares_query.c): NOERROR with ANCOUNT 0 → `.noData`; FORMERR → `.formErr`;
///    NXDOMAIN → `.nxDomain`. NOERROR with answers, and RCODEs 6–15 (which 1.18 passes on as
///    `ARES_SUCCESS`), go to the parser.
/// 5. `ares_parse_a_reply` / `ares_parse_aaaa_reply` with a `hostent` and `ares_addrttl` /
///    `ares_addr6ttl`: `ARES_SUCCESS` → `.noError` with the addresses and the smallest TTL — but
///    `ARES_SUCCESS` with no address (a CNAME with nothing behind it, or only the other family next
///    to a CNAME) is `.noData`, as the outcome vocabulary defines it; `ARES_ENODATA` → `.noData`;
///    `ARES_EBADRESP` (an answer record cut short, a bad name) → `.malformed`. Other query types are
///    not parsed (`.noError`, no addresses).
///
/// For `.nxDomain` and `.noData` the negative TTL is min(SOA TTL, SOA MINIMUM) of the first SOA
/// record (class IN, RDATA with two names and 20 bytes) in the authority section (RFC 2308 §3 and §5), found by walking the records with
/// `ares_expand_name`; `nil` without one. TTLs with the top bit set count as 0 (RFC 2181 §8; c-ares
/// itself hands them out as negative `int`s).
///
/// Identical replies to the same question share one classification when `memoizes` is on: the key
/// is the question plus every byte after the ID, and it is consulted only after the ID matched —
/// the ID is used by nothing else, so the memo is exact.
///
/// Not `Sendable` (it keeps the memo); use one per thread.
public final class AresResponseClassifier: ResponseClassifier {
    /// `ARES_FLAG_IGNTC`: classify a truncated UDP reply by its contents instead of `.truncated`.
    public let ignoresTruncation: Bool
    /// Whether identical replies share one classification.
    public let memoizes: Bool
    /// The memo is emptied when it reaches this many entries.
    public let memoCapacity: Int
    /// Classifications answered from the memo so far.
    public private(set) var memoHits = 0

    private struct MemoKey: Hashable {
        var question: Question
        var overTCP: Bool
        var body: [UInt8]
    }

    private var memo: [MemoKey: ResponseClassification] = [:]
    private var queries: [Question: [UInt8]] = [:]

    public init(ignoresTruncation: Bool = false, memoizes: Bool = true, memoCapacity: Int = 4_096) {
        self.ignoresTruncation = ignoresTruncation
        self.memoizes = memoizes
        self.memoCapacity = max(1, memoCapacity)
        AresLibrary.ensureInitialized()
    }

    /// Classifies a reply that arrived over UDP.
    public func classify(_ response: UnsafeRawBufferPointer, query: Question, queryID: UInt16) -> ResponseClassification {
        classify(response, query: query, queryID: queryID, overTCP: false)
    }

    /// Classifies a reply that arrived over UDP or TCP (over TCP, TC and the 512-byte limit do not apply).
    public func classify(
        _ response: UnsafeRawBufferPointer, query: Question, queryID: UInt16, overTCP: Bool
    )
        -> ResponseClassification
    {
        // process_answer: "If there's no room in the answer for a header, we can't do much with it."
        guard response.count >= AresWire.headerLength else { return Self.dropped }
        guard UInt16(AresWire.u16(response, 0)) == queryID else { return Self.dropped }
        if !memoizes { return classifyMatched(response, query: query, overTCP: overTCP) }
        let key = MemoKey(question: query, overTCP: overTCP, body: Array(response[2...]))
        if let known = memo[key] {
            memoHits += 1
            return known
        }
        let fresh = classifyMatched(response, query: query, overTCP: overTCP)
        if memo.count >= memoCapacity { memo.removeAll(keepingCapacity: true) }
        memo[key] = fresh
        return fresh
    }

    /// Classifies a reply given as bytes.
    public func classify(
        _ response: [UInt8], query: Question, queryID: UInt16, overTCP: Bool = false
    )
        -> ResponseClassification
    {
        response.withUnsafeBytes { classify($0, query: query, queryID: queryID, overTCP: overTCP) }
    }

    private static let dropped = ResponseClassification.droppedDatagram

    /// Steps 1 (question) to 5, for a reply whose ID matched.
    private func classifyMatched(
        _ response: UnsafeRawBufferPointer, query: Question, overTCP: Bool
    )
        -> ResponseClassification
    {
        guard let queryBytes = queryBytes(for: query) else { return Self.dropped }
        let same = queryBytes.withUnsafeBytes { AresWire.sameQuestions(query: $0, reply: response) }
        guard same else { return Self.dropped }

        let truncatedFlag = response[2] & 0x02 != 0
        let oversized = response.count > AresWire.udpPayloadLimit
        if !overTCP && !ignoresTruncation && (truncatedFlag || oversized) {
            return ResponseClassification(outcome: .truncated)
        }
        // "Limit alen to PACKETSZ if we aren't using TCP (only relevant if we are ignoring truncation)."
        let usable = overTCP ? response : UnsafeRawBufferPointer(rebasing: response.prefix(AresWire.udpPayloadLimit))

        let rcode = usable[3] & 0x0F
        let answerCount = AresWire.u16(usable, 6)
        switch rcode {
        case 2: return ResponseClassification(outcome: .servFail)
        case 4: return ResponseClassification(outcome: .notImp)
        case 5: return ResponseClassification(outcome: .refused)
        case 1: return ResponseClassification(outcome: .formErr)
        case 3: return ResponseClassification(outcome: .nxDomain, negativeTTL: Self.negativeTTL(usable))
        case 0 where answerCount == 0:
            return ResponseClassification(outcome: .noData, negativeTTL: Self.negativeTTL(usable))
        default:
            break  // NOERROR with answers, or RCODE 6...15: qcallback leaves ARES_SUCCESS
        }
        let parsed = AresParse.addresses(usable, type: query.type)
        switch parsed.status {
        case .success where parsed.addresses.isEmpty && (query.type == .a || query.type == .aaaa):
            // A CNAME with nothing behind it parses as ARES_SUCCESS with no address: NODATA in our vocabulary.
            return ResponseClassification(outcome: .noData, negativeTTL: Self.negativeTTL(usable))
        case .success:
            let ttl = parsed.ttls.map { $0 < 0 ? UInt32(0) : UInt32($0) }.min()
            return ResponseClassification(outcome: .noError, addresses: parsed.addresses, ttl: ttl)
        case .noData:
            return ResponseClassification(outcome: .noData, negativeTTL: Self.negativeTTL(usable))
        default:
            return ResponseClassification(outcome: .malformed)
        }
    }

    private func queryBytes(for question: Question) -> [UInt8]? {
        if let known = queries[question] { return known }
        guard let built = AresWire.createQuery(question, id: 0) else { return nil }
        if queries.count >= memoCapacity { queries.removeAll(keepingCapacity: true) }
        queries[question] = built
        return built
    }

    /// min(TTL, MINIMUM) of the first SOA (class IN) in the authority section; `nil` if there is none
    /// or the walk to it fails.
    static func negativeTTL(_ message: UnsafeRawBufferPointer) -> UInt32? {
        guard message.count >= AresWire.headerLength else { return nil }
        let questions = AresWire.u16(message, 4)
        let answers = AresWire.u16(message, 6)
        let authority = AresWire.u16(message, 8)
        var offset = AresWire.headerLength
        for _ in 0..<questions {
            guard let name = AresWire.expandName(message, at: offset) else { return nil }
            offset += name.encodedLength + AresWire.questionFixedLength
            guard offset <= message.count else { return nil }
        }
        for index in 0..<(answers + authority) {
            guard let name = AresWire.expandName(message, at: offset) else { return nil }
            offset += name.encodedLength
            guard offset + AresWire.recordFixedLength <= message.count else { return nil }
            let type = AresWire.u16(message, offset)
            let dnsClass = AresWire.u16(message, offset + 2)
            let ttl = AresWire.u32(message, offset + 4)
            let dataLength = AresWire.u16(message, offset + 8)
            offset += AresWire.recordFixedLength
            guard offset + dataLength <= message.count else { return nil }
            if index >= answers, type == Int(RecordType.soa.rawValue), dnsClass == Int(DNSClass.in.rawValue),
                let mname = AresWire.expandName(message, at: offset),
                let rname = AresWire.expandName(message, at: offset + mname.encodedLength),
                offset + mname.encodedLength + rname.encodedLength + 20 <= offset + dataLength
            {
                let minimum = AresWire.u32(message, offset + mname.encodedLength + rname.encodedLength + 16)
                return min(rfc2181(ttl), minimum)
            }
            offset += dataLength
        }
        return nil
    }

    /// RFC 2181 §8: a TTL with the most significant bit set is treated as zero.
    private static func rfc2181(_ ttl: UInt32) -> UInt32 { ttl > UInt32(Int32.max) ? 0 : ttl }
}
