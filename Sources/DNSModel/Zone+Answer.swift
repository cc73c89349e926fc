/// The authoritative answer to one question: RCODE and the answer and authority sections.
public struct ZoneAnswer: Hashable, Sendable {
    public var rcode: ResponseCode
    public var answers: [ResourceRecord]
    public var authority: [ResourceRecord]

    public init(rcode: ResponseCode, answers: [ResourceRecord] = [], authority: [ResourceRecord] = []) {
        self.rcode = rcode
        self.answers = answers
        self.authority = authority
    }

    /// Whether this is NOERROR without answers (NODATA).
    public var isNoData: Bool { rcode == .noError && answers.isEmpty }

    /// The response message to `query`: its ID, opcode, RD and question, QR and AA set, RA clear.
    public func response(to query: Message) -> Message {
        query.response(
            rcode: rcode, answers: answers, authority: authority, authoritative: true, recursionAvailable: false)
    }
}

extension Zone {
    /// The most CNAME links followed inside the zone for one answer.
    public static let maximumCNAMEChain = 16

    /// The authoritative answer (RFC 1034 §4.3.2 for names in this zone): NOERROR with answers (following
    /// in-zone CNAME chains, with loop protection), NODATA (NOERROR, no answers, SOA in authority with
    /// TTL = negativeTTL), NXDOMAIN (same SOA), REFUSED for a name outside the zone. Empty non-terminals
    /// exist (NODATA).
    ///
    /// A chain that leaves the zone ends with the CNAME (the resolver continues elsewhere); a chain
    /// whose last in-zone target does not exist gets NXDOMAIN with the CNAMEs in the answer (RFC 6604).
    /// A QTYPE of ANY returns every record set of the name.
    public func answer(_ question: Question) -> ZoneAnswer {
        guard question.name.isSubdomain(of: origin), question.dnsClass == .in || question.dnsClass == .any else {
            return ZoneAnswer(rcode: .refused)
        }
        var answers: [ResourceRecord] = []
        var name = question.name
        var visited: [DomainName] = []
        while true {
            guard let sets = recordSets(for: name) else {
                return ZoneAnswer(rcode: .nxDomain, answers: answers, authority: [negativeSOA])
            }
            if question.type == .any {
                let all = sets.keys.sorted().flatMap { sets[$0]! }
                if all.isEmpty { return ZoneAnswer(rcode: .noError, answers: answers, authority: [negativeSOA]) }
                return ZoneAnswer(rcode: .noError, answers: answers + all)
            }
            if let set = sets[question.type], !set.isEmpty {
                return ZoneAnswer(rcode: .noError, answers: answers + set)
            }
            guard question.type != .cname, let cnames = sets[.cname], let cname = cnames.first,
                case .cname(let target) = cname.data
            else {
                return ZoneAnswer(rcode: .noError, answers: answers, authority: [negativeSOA])
            }
            answers.append(cname)
            visited.append(name)
            if !target.isSubdomain(of: origin) || visited.contains(target) || visited.count >= Zone.maximumCNAMEChain {
                return ZoneAnswer(rcode: .noError, answers: answers)
            }
            name = target
        }
    }

    /// The record sets that answer for `name`, with owners rewritten for a wildcard match; nil when the name does not exist.
    func recordSets(for name: DomainName) -> [RecordType: [ResourceRecord]]? {
        if let sets = nodeSets(name) { return sets }
        if nameExists(name) { return [:] }
        // Wildcard (RFC 1034 §4.3.3): the closest existing ancestor's `*` child, if any.
        var ancestor = name.parent
        while let encloser = ancestor, encloser.isSubdomain(of: origin) {
            if nameExists(encloser) {
                guard let wildcard = try? encloser.prepending("*"), let sets = nodeSets(wildcard) else { return nil }
                return sets.mapValues { set in
                    set.map { record in
                        var copy = record
                        copy.name = name
                        return copy
                    }
                }
            }
            ancestor = encloser.parent
        }
        return nil
    }
}
