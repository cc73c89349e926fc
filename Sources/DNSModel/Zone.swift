/// An authoritative zone: the data one authority serves for an origin.
///
/// A zone holds record sets by owner name and type, exactly one SOA at the origin, and answers
/// questions as RFC 1034 §4.3.2 describes for names it is authoritative for: exact matches, in-zone
/// CNAME chains (at most 16 links, loops stop the chain), wildcards (`*.example.`, RFC 1034 §4.3.3),
/// NODATA and NXDOMAIN with the SOA in the authority section (TTL = ``negativeTTL``, RFC 2308 §3),
/// and REFUSED for names outside the origin. NS records below the origin are served as ordinary
/// data: the model has no delegations or referrals.
///
/// A name *exists* when it owns a node (even one whose record sets were all emptied) or when a
/// name below it does (an empty non-terminal); existing names without the asked type get NODATA.
///
/// ```swift
/// var zone = try Zone(origin: try DomainName("example."), zoneText: """
///     $TTL 300
///     @   IN SOA ns1 hostmaster 1 7200 900 1209600 60
///     kv  60 IN A 192.0.2.10
///     """)
/// zone.answer(Question(name: try DomainName("kv.example."), type: .a)).rcode   // NOERROR
/// zone.replaceRecords(named: try DomainName("kv.example."), type: .a, with: [])  // now NODATA
/// ```
public struct Zone: Hashable, Sendable {
    /// The apex name.
    public private(set) var origin: DomainName
    /// The zone's SOA record, owned by the origin.
    public private(set) var soa: ResourceRecord
    /// Record sets by owner; a name present with no record sets still exists.
    private var nodes: [DomainName: [RecordType: [ResourceRecord]]]
    /// For each name between a node and the origin (excluded: the node itself), how many nodes lie below it.
    private var descendants: [DomainName: Int]

    /// A zone from records: exactly one SOA, owned by `origin`; every name at or below `origin`;
    /// no CNAME next to other data. Duplicate records are kept once.
    public init(origin: DomainName, records: [ResourceRecord]) throws(DNSModelError) {
        let soas = records.filter { $0.type == .soa }
        guard soas.count == 1 else {
            throw .invalidZone(origin: origin.description, reason: "needs exactly one SOA record, has \(soas.count)")
        }
        guard soas[0].name == origin else {
            throw .invalidZone(origin: origin.description, reason: "the SOA is owned by \(soas[0].name), not the origin")
        }
        self.origin = origin
        self.soa = soas[0]
        self.nodes = [:]
        self.descendants = [:]
        for record in records {
            guard record.name.isSubdomain(of: origin) else {
                throw .invalidZone(origin: origin.description, reason: "\(record.name) is outside the zone")
            }
            add(record)
        }
        // Sorted, so that the name reported is the same on every run.
        for name in nodes.keys.sorted() where nodes[name]![.cname] != nil && nodes[name]!.count > 1 {
            throw .invalidZone(origin: origin.description, reason: "\(name) has a CNAME and other data")
        }
    }

    /// A zone from zone-file text: one record per line (or a parenthesised group over several lines),
    /// blank lines, `;` comments, `$ORIGIN` and `$TTL` directives, and lines that start with blank
    /// space reuse the previous owner. Errors carry the line number.
    public init(origin: DomainName, zoneText: String, defaultTTL: UInt32? = nil) throws(DNSModelError) {
        var records: [ResourceRecord] = []
        var currentOrigin = origin
        var ttl = defaultTTL
        var previousOwner: DomainName?
        var pending = ""
        var pendingLine = 0
        var depth = 0
        var lineNumber = 0
        for rawLine in zoneText.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = ZoneLineParser.strippingComment(String(rawLine))
            if depth == 0 {
                pending = line
                pendingLine = lineNumber
            } else {
                pending += " " + line
            }
            depth += ZoneLineParser.opensGroup(line)
            if depth > 0 { continue }
            depth = 0
            let text = pending
            do throws(DNSModelError) {
                let trimmed = text.drop { $0 == " " || $0 == "\t" }
                if trimmed.hasPrefix("$") {
                    let parser = try ZoneLineParser(line: text)
                    let words = parser.tokens.map(\.text)
                    switch words.first?.uppercased() {
                    case "$ORIGIN":
                        guard words.count == 2, words[1].hasSuffix(".") else {
                            throw DNSModelError.invalidRecord(text: text, reason: "$ORIGIN needs one absolute name")
                        }
                        currentOrigin = try DomainName(words[1])
                    case "$TTL":
                        guard words.count == 2, let value = ZoneLineParser.ttl(words[1]) else {
                            throw DNSModelError.invalidRecord(text: text, reason: "$TTL needs one TTL value")
                        }
                        ttl = value
                    default:
                        throw DNSModelError.invalidRecord(
                            text: text, reason: "unknown directive '\(words.first ?? "$")' (only $ORIGIN and $TTL)")
                    }
                    continue
                }
                var parser = try ZoneLineParser(line: text)
                if let record = try parser.record(origin: currentOrigin, defaultTTL: ttl, previousOwner: previousOwner) {
                    records.append(record)
                    previousOwner = record.name
                }
            } catch {
                throw .invalidZone(origin: origin.description, reason: error.description, line: pendingLine)
            }
        }
        if depth > 0 {
            throw .invalidZone(origin: origin.description, reason: "'(' not closed before the end", line: pendingLine)
        }
        try self.init(origin: origin, records: records)
    }

    /// The negative-caching TTL: min(SOA record TTL, SOA MINIMUM) (RFC 2308 §5).
    public var negativeTTL: UInt32 {
        guard case .soa(let data) = soa.data else { return soa.ttl }
        return min(soa.ttl, data.minimum)
    }

    /// The SOA as it appears in the authority section of negative answers (TTL = ``negativeTTL``).
    public var negativeSOA: ResourceRecord {
        var record = soa
        record.ttl = negativeTTL
        return record
    }

    /// Every record, owners in canonical order, then by type, then in insertion order within a set.
    public var records: [ResourceRecord] {
        var result: [ResourceRecord] = []
        for name in nodes.keys.sorted() {
            let sets = nodes[name]!
            for type in sets.keys.sorted() {
                result += sets[type]!
            }
        }
        return result
    }

    /// The names that own nodes (including emptied ones), in canonical order.
    public var names: [DomainName] { nodes.keys.sorted() }

    /// The record sets owned by `name`; nil when it owns no node.
    func nodeSets(_ name: DomainName) -> [RecordType: [ResourceRecord]]? { nodes[name] }

    /// The record set of `name` and `type` (empty when there is none).
    public func records(named name: DomainName, type: RecordType) -> [ResourceRecord] {
        nodes[name]?[type] ?? []
    }

    /// Whether `name` exists in this zone: it owns a node, or is an empty non-terminal above one.
    public func nameExists(_ name: DomainName) -> Bool {
        nodes[name] != nil || descendants[name] != nil
    }

    /// Replaces the record set; an empty array leaves the NAME existing with no records of that type,
    /// so queries get NODATA (this is how a management plane that empties a record set behaves — e.g.
    /// Route 53 on 20 Oct 2025 answered NOERROR with no answers).
    ///
    /// Records not owned by `name` or not of `type` are ignored. The SOA cannot be removed: replacing
    /// the origin's SOA set takes the first given SOA, and an empty SOA set is ignored. Names outside
    /// the origin are ignored.
    public mutating func replaceRecords(named name: DomainName, type: RecordType, with records: [ResourceRecord]) {
        guard name.isSubdomain(of: origin) else { return }
        var set: [ResourceRecord] = []
        for record in records where record.name == name && record.type == type && !set.contains(record) {
            set.append(record)
        }
        if type == .soa {
            guard name == origin, let first = set.first else { return }
            soa = first
            set = [first]
        }
        ensureNode(name)
        nodes[name]![type] = set.isEmpty ? nil : set
    }

    /// Removes the name and everything it owns: queries get NXDOMAIN (unless it is an empty non-terminal, which gets NODATA).
    ///
    /// Names below it are kept. The origin cannot be removed (it owns the SOA); removing it drops its
    /// other record sets only.
    public mutating func removeName(_ name: DomainName) {
        if name == origin {
            nodes[origin] = [.soa: [soa]]
            return
        }
        guard nodes.removeValue(forKey: name) != nil else { return }
        var ancestor = name.parent
        while let current = ancestor, current.isSubdomain(of: origin) {
            let count = descendants[current, default: 0] - 1
            descendants[current] = count > 0 ? count : nil
            if current == origin { break }
            ancestor = current.parent
        }
    }

    /// Adds a record to its set (duplicates are kept once). An SOA at the origin replaces the zone's SOA;
    /// an SOA elsewhere and names outside the origin are ignored. Returns whether the zone changed.
    @discardableResult
    public mutating func add(_ record: ResourceRecord) -> Bool {
        guard record.name.isSubdomain(of: origin) else { return false }
        if record.type == .soa {
            guard record.name == origin else { return false }
            ensureNode(origin)
            let changed = soa != record || nodes[origin]![.soa] == nil
            soa = record
            nodes[origin]![.soa] = [record]
            return changed
        }
        ensureNode(record.name)
        if nodes[record.name]![record.type, default: []].contains(record) { return false }
        nodes[record.name]![record.type, default: []].append(record)
        return true
    }

    private mutating func ensureNode(_ name: DomainName) {
        guard nodes[name] == nil else { return }
        nodes[name] = [:]
        if name == origin { return }
        var ancestor = name.parent
        while let current = ancestor, current.isSubdomain(of: origin) {
            descendants[current, default: 0] += 1
            if current == origin { break }
            ancestor = current.parent
        }
    }
}
