public import DNSModel
public import SimKernel

/// Something injected into the world at a time: a change to zone data, or a change in how a server answers.
///
/// A fault says what was done, never what follows from it.
public struct FaultSpec: Sendable {
    public var id: String
    /// When it is injected.
    public var at: SimTime
    /// When it ends by itself (`nil` = it lasts until an operator acts or the run ends). Ending a data fault restores
    /// the record sets it changed to what they were just before it.
    public var until: SimTime?
    /// The server it applies to (an authority or a resolver).
    public var target: ComponentID
    public var kind: FaultKind

    public init(id: String, at: SimTime, until: SimTime? = nil, target: ComponentID, kind: FaultKind) {
        self.id = id
        self.at = at
        self.until = until
        self.target = target
        self.kind = kind
    }
}

/// What a fault does.
public enum FaultKind: Sendable, Hashable {
    /// Empty a record set: the name stays, queries for the type get NODATA (authority only).
    case emptyRecords(name: DomainName, type: RecordType)
    /// Delete a name and all it owns: NXDOMAIN (authority only).
    case deleteName(name: DomainName)
    /// Replace a record set (wrong or stale addresses, changed TTLs) (authority only).
    case replaceRecords(name: DomainName, type: RecordType, records: [ResourceRecord])
    /// Change how the server answers queries for names under `scope` (`nil` = all names).
    case behaviour(ServerBehaviour, scope: DomainName?, probability: Double)
    /// Make one enactor of a DNS management plane fall behind (target `automation/<id>`): its lock attempts take
    /// `extraLockAttemptTime` longer and fail with `lockFailureProbability` (contention).
    case enactorSlowdown(enactor: Int, extraLockAttemptTime: SimDuration, lockFailureProbability: Double)

    /// The name of the kind as written in scenario files.
    public var keyword: String {
        switch self {
        case .emptyRecords: "emptyRecords"
        case .deleteName: "deleteName"
        case .replaceRecords: "replaceRecords"
        case .behaviour(let b, _, _): b.keyword
        case .enactorSlowdown: "enactorSlowdown"
        }
    }
}

/// How a faulty server answers (or does not).
public enum ServerBehaviour: Sendable, Hashable {
    /// RCODE SERVFAIL.
    case servfail
    /// RCODE REFUSED.
    case refused
    /// RCODE NOTIMP.
    case notimp
    /// RCODE FORMERR.
    case formerr
    /// No answer at all: the asker times out.
    case noAnswer
    /// Answers after this extra delay.
    case latency(SimDuration)
    /// Answers over UDP with TC set and no records; TCP answers normally when `tcpWorks`, else is refused.
    case truncate(tcpWorks: Bool)
    /// Answers with the answer section cut short (a malformed reply: c-ares reports EBADRESP).
    case malformed
    /// Replies that the asker cannot match (garbage bytes): silently dropped, so the asker times out.
    case garbage
    /// The port is closed: ICMP port unreachable / connection refused.
    case portClosed

    public var keyword: String {
        switch self {
        case .servfail: "servfail"
        case .refused: "refused"
        case .notimp: "notimp"
        case .formerr: "formerr"
        case .noAnswer: "noAnswer"
        case .latency: "latency"
        case .truncate: "truncate"
        case .malformed: "malformed"
        case .garbage: "garbage"
        case .portClosed: "portClosed"
        }
    }
}

/// An operator action at a time (the only way besides `until` that a fault is repaired).
public struct OperatorActionSpec: Sendable {
    public var at: SimTime
    public var action: OperatorAction
    /// Free text for the timeline (`restore DNS records from plan 146`).
    public var note: String

    public init(at: SimTime, action: OperatorAction, note: String = "") {
        self.at = at
        self.action = action
        self.note = note
    }
}

public enum OperatorAction: Sendable, Hashable {
    /// End a fault (data faults restore what they changed).
    case endFault(id: String)
    /// Put a record set at an authority back to its content at the start of the run.
    case restoreRecords(authority: String, name: DomainName, type: RecordType)
    /// Set a record set at an authority.
    case setRecords(authority: String, name: DomainName, type: RecordType, records: [ResourceRecord])
    /// Flush a resolver's cache, all of it or one name.
    case flushCache(resolver: String, name: DomainName?)
    /// Repair a stuck DNS management plane by hand: re-create the newest plan and point the active-plan alias
    /// and the rollback record at it.
    case repairAutomation(id: String)
    /// Admission control on an internal service: at most `maxQueued` work units queued or in service.
    case throttleService(id: String, maxQueued: Int)
    /// Restart an internal service's hosts: pending work is dropped (leases are kept).
    case restartService(id: String)
    /// Lift a throttle.
    case unthrottleService(id: String)
    /// Turn a launch service's load balancer's automatic health-check failover off (or back on).
    case setAutomaticFailover(id: String, enabled: Bool)
}
