public import DNSModel
public import SimKernel

/// What the world's authoritative servers serve at one instant: their zones and the behaviour faults active on
/// them, frozen, so that a live server can answer from it on any thread.
///
/// ```swift
/// let world = try World(spec: spec, classifier: AresResponseClassifier())
/// _ = world.run(until: SimTime.zero + .hours(2))
/// let snapshot = world.authoritySnapshot()
/// var rng = RandomStream(seed: 1, label: "live")
/// let reply = snapshot.respond(to: Question(name: name, type: .a), overTCP: false, rng: &rng)
/// ```
///
/// Answers come from the same code the simulation runs (`AuthoritativeServer.respond`), so a fault goes on
/// the wire exactly as the model decides it.
public struct AuthoritySnapshot: Sendable {
    /// One authoritative server.
    public struct Server: Sendable {
        public let id: String
        public let zones: [Zone]
        public let processingTime: SimDuration
        let behaviours: ServerBehaviourSet

        /// The keywords of the behaviour faults active on this server, in injection order (`servfail`, `latency`…).
        public var activeFaults: [String] { behaviours.active.map { "\($0.faultID): \($0.behaviour.keyword)" } }
    }

    /// The virtual time the snapshot was taken at.
    public let time: SimTime
    /// The servers, in scenario order.
    public let servers: [Server]

    init(time: SimTime, servers: [Server]) {
        self.time = time
        self.servers = servers
    }

    /// Whether any server has a behaviour fault in force (its replies may then vary from query to query).
    public var hasBehaviourFaults: Bool { servers.contains { !$0.behaviours.isEmpty } }

    /// The server whose zone is the closest enclosing one for `name` (the one a resolver would ask), if any.
    public func server(for name: DomainName) -> Int? {
        var best: (index: Int, depth: Int)?
        for (index, server) in servers.enumerated() {
            for zone in server.zones where name.isSubdomain(of: zone.origin) {
                let depth = zone.origin.labelCount
                if best == nil || depth > best!.depth { best = (index, depth) }
            }
        }
        return best?.index
    }

    /// What the responsible server does with `question`, and how long after arrival the reply leaves it.
    ///
    /// Names no server holds get REFUSED. `rng` is drawn from exactly as the simulated server draws from its own
    /// stream (one Bernoulli draw per active fault with probability below 1).
    public func respond(to question: Question, overTCP: Bool, rng: inout RandomStream) -> AuthorityResponse {
        guard let index = server(for: question.name) else {
            return AuthorityResponse(action: .rcode(.refused), delay: .zero, injectedDelay: .zero, behaviour: nil)
        }
        let server = servers[index]
        // The behaviour the server is about to choose (the same draws), so that garbage is told apart from silence.
        var probe = rng
        let behaviour = server.behaviours.decide(question.name, rng: &probe).behaviour
        let model = AuthoritativeServer(
            spec: AuthoritySpec(id: server.id, zones: server.zones, processingTime: server.processingTime), rng: rng)
        model.behaviours = server.behaviours
        let (reply, delay) = model.respond(to: question, overTCP: overTCP)
        rng = probe
        let action: AuthorityResponse.Action
        switch reply {
        case .answer(let answer): action = .answer(answer)
        case .rcode(let rcode): action = .rcode(rcode)
        case .none: action = behaviour == .garbage ? .garbage : .noReply
        case .truncated: action = .truncated
        case .malformed: action = .malformed
        case .portClosed: action = .portClosed
        }
        let injected = delay > server.processingTime ? delay - server.processingTime : .zero
        return AuthorityResponse(action: action, delay: delay, injectedDelay: injected, behaviour: behaviour)
    }
}

/// What an authoritative server does with one query (see ``AuthoritySnapshot/respond(to:overTCP:rng:)``).
public struct AuthorityResponse: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        /// An answer from zone data (NOERROR with records, NODATA or NXDOMAIN with the SOA).
        case answer(ZoneAnswer)
        /// An error RCODE forced by a fault (or REFUSED for a name outside every zone).
        case rcode(ResponseCode)
        /// No reply at all.
        case noReply
        /// Bytes the asker cannot match (c-ares drops them and times out).
        case garbage
        /// A UDP reply with TC set and no records (the asker retries over TCP).
        case truncated
        /// A NOERROR reply whose answer record is cut short (c-ares: `ARES_EBADRESP`).
        case malformed
        /// The port is closed (ICMP port unreachable; a TCP connection is reset).
        case portClosed
    }

    public var action: Action
    /// Time from the query's arrival to the reply leaving the server (processing time plus injected latency).
    public var delay: SimDuration
    /// The part of ``delay`` injected by latency faults (the rest is the server's modelled processing time).
    public var injectedDelay: SimDuration
    /// The behaviour fault that decided the reply, if any (latency alone is not one).
    public var behaviour: ServerBehaviour?
}

// `ServerBehaviourSet` holds only Sendable values (strings, enums, names, numbers); it is declared in another file.
extension ServerBehaviourSet: @unchecked Sendable {}
