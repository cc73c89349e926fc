import DNSModel
import SimKernel

/// What an authoritative server does with one query.
enum AuthorityReply {
    /// An answer from zone data.
    case answer(ZoneAnswer)
    /// An error RCODE forced by a fault.
    case rcode(ResponseCode)
    /// No reply at all.
    case none
    /// TC set over UDP (the asker should retry over TCP; `tcpWorks` says whether TCP is answered).
    case truncated(tcpWorks: Bool)
    /// A reply the asker cannot parse.
    case malformed
    /// The port is closed (ICMP unreachable).
    case portClosed
}

/// An authoritative DNS server: zones whose content changes over time, and the behaviour faults active on it.
final class AuthoritativeServer {
    let id: ComponentID
    let processingTime: SimDuration
    private(set) var zones: [Zone]
    /// Zone content at the start of the run, for `restoreRecords`.
    let initialZones: [Zone]
    var behaviours = ServerBehaviourSet()
    private var rng: RandomStream

    init(spec: AuthoritySpec, rng: RandomStream) {
        self.id = ComponentID(.authority, spec.id)
        self.processingTime = spec.processingTime
        self.zones = spec.zones
        self.initialZones = spec.zones
        self.rng = rng
    }

    /// The index of the zone that holds `name` (the longest matching origin), if this server has one.
    func zoneIndex(for name: DomainName) -> Int? {
        var best: Int?
        for (i, zone) in zones.enumerated() where name.isSubdomain(of: zone.origin) {
            if let b = best, zones[b].origin.labels.count >= zone.origin.labels.count { continue }
            best = i
        }
        return best
    }

    /// Decides the reply to a query and how long after its arrival it leaves the server.
    func respond(to question: Question, overTCP: Bool) -> (reply: AuthorityReply, delay: SimDuration) {
        let (extra, behaviour) = behaviours.decide(question.name, rng: &rng)
        let delay = processingTime + extra
        switch behaviour {
        case .none:
            break
        case .servfail?: return (.rcode(.servFail), delay)
        case .refused?: return (.rcode(.refused), delay)
        case .notimp?: return (.rcode(.notImp), delay)
        case .formerr?: return (.rcode(.formErr), delay)
        case .noAnswer?, .garbage?: return (.none, delay)
        case .malformed?: return (.malformed, delay)
        case .portClosed?: return (.portClosed, .zero)
        case .truncate(let tcpWorks)?:
            if !overTCP { return (.truncated(tcpWorks: tcpWorks), delay) }
            if !tcpWorks { return (.portClosed, .zero) }
        case .latency?:
            break
        }
        guard let index = zoneIndex(for: question.name) else { return (.rcode(.refused), delay) }
        return (.answer(zones[index].answer(question)), delay)
    }

    /// The records `name` owns (all types), in zone order.
    func records(ownedBy name: DomainName) -> [ResourceRecord] {
        guard let index = zoneIndex(for: name) else { return [] }
        return zones[index].records.filter { $0.name == name }
    }

    func records(named name: DomainName, type: RecordType) -> [ResourceRecord] {
        guard let index = zoneIndex(for: name) else { return [] }
        return zones[index].records(named: name, type: type)
    }

    func initialRecords(named name: DomainName, type: RecordType) -> [ResourceRecord] {
        guard let index = zoneIndex(for: name) else { return [] }
        return initialZones[index].records(named: name, type: type)
    }

    /// Replaces a record set (an empty set leaves the name in place: NODATA). Returns false if no zone holds the name.
    @discardableResult
    func replaceRecords(named name: DomainName, type: RecordType, with records: [ResourceRecord]) -> Bool {
        guard let index = zoneIndex(for: name) else { return false }
        zones[index].replaceRecords(named: name, type: type, with: records)
        return true
    }

    /// Deletes a name and everything it owns (NXDOMAIN).
    @discardableResult
    func removeName(_ name: DomainName) -> Bool {
        guard let index = zoneIndex(for: name) else { return false }
        zones[index].removeName(name)
        return true
    }

    func add(_ records: [ResourceRecord]) {
        for record in records {
            if let index = zoneIndex(for: record.name) { zones[index].add(record) }
        }
    }
}
