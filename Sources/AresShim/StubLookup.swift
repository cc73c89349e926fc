public import DNSModel
public import SimKernel

/// What the environment must do for a ``StubLookup``: the model performs no I/O and reads no clock.
public enum StubAction: Hashable, Sendable {
    /// Send the query to server `server` (an index into the channel's server list), over TCP or UDP.
    case send(server: Int, overTCP: Bool)
    /// (Re)arm the attempt timer: call ``StubLookup/timerExpired(generation:)`` with `generation`
    /// after `after`. A newer timer supersedes every older one (their generations are ignored).
    case armTimer(after: SimDuration, generation: Int)
    /// The lookup ended (its result is ``StubLookup/result``); no further action will follow.
    ///
    /// Every case's payload is plain data, so actions are copied without reference counting.
    case finish
}

/// The actions one ``StubLookup`` call returns: at most two (a send and its timer, or a finish), stored inline so
/// that driving a lookup allocates nothing.
///
/// ```swift
/// let actions = lookup.start()
/// actions == [.send(server: 0, overTCP: false), .armTimer(after: .milliseconds(200), generation: 1)]   // true
/// ```
public struct StubActions: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    /// The first action, if any.
    public private(set) var first: StubAction?
    /// The second action, if any (only after a first).
    public private(set) var second: StubAction?

    public init() {}

    /// At most two actions.
    public init(arrayLiteral elements: StubAction...) {
        precondition(elements.count <= 2, "a StubLookup step returns at most two actions")
        for element in elements { append(element) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { second != nil ? 2 : first != nil ? 1 : 0 }

    public subscript(position: Int) -> StubAction {
        switch position {
        case 0: first!
        case 1: second!
        default: preconditionFailure("StubActions index \(position) out of range")
        }
    }

    mutating func append(_ action: StubAction) {
        if first == nil {
            first = action
        } else {
            precondition(second == nil, "a StubLookup step returns at most two actions")
            second = action
        }
    }
}

/// A ``StubLookup``'s per-server state that does not fit in its inline words: the server sets beyond the first 64
/// servers (c-ares has no server limit) and the TCP connection generations. A lookup over at most 64 servers that
/// never uses TCP (nearly every one) has none, so it is copied and destroyed without reference counting. Shared
/// between copies until one of them changes it (copy on write): `state` is only mutated through a uniquely referenced
/// box, which is why the box can be `Sendable`.
final class StubLookupSpill: Hashable, @unchecked Sendable {
    struct State: Hashable {
        /// `skipped`, `udpOpen` and `tcpOpen` of servers 64 and up, by `server - 64`.
        var skipped: [Bool] = []
        var udpOpen: [Bool] = []
        var tcpOpen: [Bool] = []
        /// `server->tcp_connection_generation`: unique per connection; initialised non-zero per server
        /// (`ares__init_servers_state`: server i starts at i + 1). Empty until the lookup first uses TCP.
        var serverTCPGeneration: [Int] = []
        /// `query->server_info[i].tcp_connection_generation`: 0 until the query is sent on server i over TCP.
        /// Empty until the lookup first uses TCP.
        var queryTCPGeneration: [Int] = []
    }

    var state: State

    init(_ state: State = State()) { self.state = state }

    static func == (lhs: StubLookupSpill, rhs: StubLookupSpill) -> Bool { lhs.state == rhs.state }
    func hash(into hasher: inout Hasher) { hasher.combine(state) }

    /// Whether `server` (64 or more) is in one of the spilled sets.
    static func member(_ set: [Bool], _ server: Int) -> Bool { server - 64 < set.count && set[server - 64] }

    /// Puts `server` (64 or more) into one of the spilled sets or takes it out, growing the set as needed.
    static func set(_ set: inout [Bool], _ server: Int, _ value: Bool) {
        if set.count <= server - 64 { set += Array(repeating: false, count: server - 64 + 1 - set.count) }
        set[server - 64] = value
    }
}

/// How a ``StubLookup`` ended: the status the application sees and what was sent to get it.
public struct StubResult: Hashable, Sendable {
    /// The c-ares status delivered to the application's callback.
    public var status: AresStatus
    /// The same ending in the project's vocabulary: the accepted reply's outcome, or `.timeout` /
    /// `.connectionRefused` when the lookup ran out of attempts (`ARES_ETIMEOUT` / `ARES_ECONNREFUSED`).
    public var outcome: LookupOutcome
    /// The accepted reply's classification; `nil` when no reply was accepted.
    public var classification: ResponseClassification?
    /// UDP datagrams carrying the query that left the client.
    public var udpQueriesSent: Int
    /// Queries written on an established TCP connection (a refused connect sends none).
    public var tcpQueriesSent: Int

    public init(
        status: AresStatus, outcome: LookupOutcome, classification: ResponseClassification?, udpQueriesSent: Int,
        tcpQueriesSent: Int
    ) {
        self.status = status
        self.outcome = outcome
        self.classification = classification
        self.udpQueriesSent = udpQueriesSent
        self.tcpQueriesSent = tcpQueriesSent
    }

    /// All queries sent, UDP and TCP.
    public var queriesSent: Int { udpQueriesSent + tcpQueriesSent }
}

/// One `ares_send` of one question over `serverCount` servers, as c-ares 1.18 runs it: a state
/// machine that takes events (replies, refusals, timer expiries) and returns ``StubAction``s.
///
/// ```swift
/// var lookup = StubLookup(options: StubResolverOptions(timeout: .milliseconds(200), tries: 2), serverCount: 1)
/// var actions = lookup.start()                        // [.send(server: 0, overTCP: false), .armTimer(200ms, 1)]
/// actions = lookup.timerExpired(generation: 1)        // [.send(server: 0, ...), .armTimer(400ms, 2)]
/// actions = lookup.timerExpired(generation: 2)        // [.finish]: lookup.result is ARES_ETIMEOUT after 2 queries
/// ```
///
/// Every rule, with the c-ares 1.18.1 function it reproduces (`src/lib/ares_process.c` unless named):
///
/// - **Start** (`ares_send`, ares_send.c): the first attempt goes to `firstServer` (the channel's
///   `last_server`; with `ARES_OPT_ROTATE` c-ares advances it by one per lookup, so the caller passes
///   `lookupIndex % serverCount`, otherwise 0). Over TCP from the start iff `useTCP` (`ARES_FLAG_USEVC`).
///   `error_status` starts as `ARES_ECONNREFUSED`.
/// - **Each attempt** (`ares__send_query`): send to the current server and arm a timer of
///   `timeout << (try_count / nservers)` (see ``StubResolverOptions/attemptTimeout(attempt:serverCount:)``).
/// - **Timer expiry** (`process_timeouts`): `error_status = ARES_ETIMEOUT`, then `next_server`.
/// - **Next server** (`next_server`): `try_count += 1`; while `try_count < tries × nservers`, move to
///   `(server + 1) % nservers` and send there unless that server is marked skipped for this query, or
///   the query is on TCP and was already sent on that server's current TCP connection (so with
///   `useTCP` a silent server is not asked twice on one connection); otherwise keep moving. When the
///   attempts run out the lookup ends with `error_status`.
/// - **Reply** (`process_answer`; `read_udp_packets` / `read_tcp_data` deliver it): a classification
///   marked `dropped` (shorter than 12 bytes, unknown ID, question not echoed — the checks before the
///   query is found) changes nothing: the timer keeps running. Replies to earlier attempts are
///   accepted as long as the query lives and the socket they arrive on is open (c-ares keys queries
///   by ID only; one UDP socket per server is reused across attempts).
/// - **Truncation** (`process_answer`): a TC (or over-512-byte) UDP reply switches the query to TCP and
///   resends to the query's *current* server without consuming an attempt (the timer restarts with the
///   current attempt's timeout); a TC reply once on TCP is ignored. With `ignoreTruncation`
///   (`ARES_FLAG_IGNTC`) the reply is processed as it is — classify it with
///   ``AresResponseClassifier`` built with `ignoresTruncation: true`; a plain `.truncated`
///   classification is then taken as a reply without usable answers (`ARES_ENODATA`).
/// - **SERVFAIL / NOTIMP / REFUSED** without `noCheckResponse` (`process_answer`, `skip_server`):
///   the replying server is marked skipped for this query when `nservers > 1` (with one server it is
///   retried: "it's our only hope"), and `next_server` runs only if the reply came from the query's
///   current server. `error_status` is not changed, so a lookup that only ever sees these codes ends
///   `ARES_ECONNREFUSED`, and one that saw any timeout ends `ARES_ETIMEOUT`.
///   With `noCheckResponse` the reply is accepted: `ARES_ESERVFAIL` / `ARES_ENOTIMP` / `ARES_EREFUSED`.
/// - **Any other reply is accepted** (`end_query` with `ARES_SUCCESS`, then `qcallback` in ares_query.c
///   and the application's `ares_parse_a_reply`): the status is the classification's outcome mapped
///   by ``LookupOutcome/aresStatus(noCheckResponse:)`` (FORMERR → `ARES_EFORMERR` with no retry,
///   NXDOMAIN → `ARES_ENOTFOUND`, NODATA → `ARES_ENODATA`, cut-short answer → `ARES_EBADRESP`).
/// - **Connection refused** (`handle_error`, reached from `read_udp_packets` when `recvfrom` fails with
///   `ECONNREFUSED` after an ICMP port unreachable, or from `write_tcp_data` / `read_tcp_data` when a
///   TCP connect is refused): the server's sockets are closed (a new TCP connection generation), and
///   if the query's current attempt is on that server it is marked skipped (`nservers > 1`) and
///   `next_server` runs at once — with one server the query is simply resent, so a closed UDP port
///   costs `tries` datagrams in well under a millisecond and ends `ARES_ECONNREFUSED`. A refused TCP
///   connect sent no query, so it is not counted in ``StubResult/tcpQueriesSent``.
///
/// The model assumes the query is alone on its channel (c-ares closes every socket when its last
/// query ends, so each lookup starts with fresh connections) and that opening sockets never fails.
public struct StubLookup: Hashable, Sendable {
    /// The channel options.
    public let options: StubResolverOptions
    /// How many servers the channel has.
    public let serverCount: Int
    /// The server the first attempt goes to.
    public let firstServer: Int

    /// The server of the current attempt (`query->server`).
    public private(set) var currentServer: Int
    /// Attempts consumed so far (`query->try_count`).
    public private(set) var attempt = 0
    /// Whether the query has switched to TCP (`query->using_tcp`).
    public private(set) var usingTCP: Bool
    /// Timer expiries so far (`query->timeouts`).
    public private(set) var timeouts = 0
    /// The result, once finished (until ``takeResult()``).
    public private(set) var result: StubResult?
    /// Whether the lookup has ended (stored, so that reading it never copies the result).
    public private(set) var isFinished = false

    /// Moves the result out, leaving `result` empty: the owner of a finished lookup takes it once, without copying
    /// what it holds (the addresses).
    public mutating func takeResult() -> StubResult? {
        result.take()
    }

    private var errorStatus: AresStatus = .connRefused
    /// `skipped`, `udpOpen` and `tcpOpen` of the first 64 servers, one bit each; the rest are in `spill`.
    private var skippedBits: UInt64 = 0
    private var udpOpenBits: UInt64 = 0
    private var tcpOpenBits: UInt64 = 0
    /// Servers beyond the first 64 and TCP connection generations; `nil` until needed.
    private var spill: StubLookupSpill?
    private var channelGeneration: Int
    private var timerGeneration = 0
    private var started = false
    private var udpSent = 0
    private var tcpSent = 0

    /// A lookup over `serverCount` servers starting at `firstServer` (where rotation has got to).
    public init(options: StubResolverOptions, serverCount: Int, firstServer: Int = 0) {
        precondition(serverCount >= 1, "a c-ares channel needs at least one server")
        precondition((0..<serverCount).contains(firstServer), "firstServer out of range")
        precondition(options.tries >= 1, "tries must be at least 1")
        self.options = options
        self.serverCount = serverCount
        self.firstServer = firstServer
        self.currentServer = firstServer
        self.usingTCP = options.useTCP
        self.channelGeneration = serverCount
    }

    /// Sends the first attempt (`ares_send` → `ares__send_query`).
    public mutating func start() -> StubActions {
        guard !started else { return [] }
        started = true
        var actions = StubActions()
        sendQuery(&actions)
        return actions
    }

    /// A reply from `server`, classified; possibly late (to an earlier attempt).
    public mutating func receive(
        _ classification: consuming ResponseClassification, from server: Int, overTCP: Bool
    ) -> StubActions {
        guard started, !isFinished, (0..<serverCount).contains(server) else { return [] }
        // The socket it would arrive on must still be open (read_udp_packets / read_tcp_data).
        guard has(overTCP ? .tcpOpen : .udpOpen, server) else { return [] }
        var actions = StubActions()
        if classification.dropped || classification.outcome == .timeout || classification.outcome == .connectionRefused {
            return actions  // process_answer returned before finding the query
        }
        var outcome = classification.outcome
        if outcome == .truncated {
            if !overTCP && !options.ignoreTruncation {
                // process_answer: switch to TCP once and resend to the current server.
                if !usingTCP {
                    usingTCP = true
                    sendQuery(&actions)
                }
                return actions
            }
            outcome = .noData  // IGNTC (or TC over TCP): the reply is used as it is, with no answers
        }
        if !options.noCheckResponse && (outcome == .servFail || outcome == .notImp || outcome == .refused) {
            skipServer(server)
            if currentServer == server { nextServer(&actions) }
            return actions
        }
        // Moved, not copied, into the result: a copy would retain the addresses.
        classification.outcome = outcome
        finish(
            status: outcome.aresStatus(noCheckResponse: options.noCheckResponse), outcome: outcome,
            classification: consume classification, &actions)
        return actions
    }

    /// The server refused: ICMP port unreachable on UDP, or a TCP connect answered with RST (`handle_error`).
    public mutating func connectionRefused(server: Int) -> StubActions {
        guard started, !isFinished, (0..<serverCount).contains(server) else { return [] }
        var actions = StubActions()
        let currentAttemptHere = currentServer == server
        if currentAttemptHere && usingTCP && has(.tcpOpen, server) {
            tcpSent -= 1  // the connect failed: the queued TCP query never left
        }
        closeSockets(server)
        if currentAttemptHere {
            skipServer(server)
            nextServer(&actions)
        }
        return actions
    }

    /// The attempt timer armed with `generation` fired; stale generations are ignored (`process_timeouts`).
    public mutating func timerExpired(generation: Int) -> StubActions {
        guard started, !isFinished, generation == timerGeneration else { return [] }
        var actions = StubActions()
        errorStatus = .timeout
        timeouts += 1
        nextServer(&actions)
        return actions
    }

    // MARK: - c-ares internals

    /// `ares__send_query`.
    private mutating func sendQuery(_ actions: inout StubActions) {
        let server = currentServer
        if usingTCP {
            let spill = spillForWriting()
            if spill.state.serverTCPGeneration.isEmpty {  // the first TCP use: generations start as c-ares sets them
                spill.state.serverTCPGeneration = Array(1...serverCount)
                spill.state.queryTCPGeneration = Array(repeating: 0, count: serverCount)
            }
            if !has(.tcpOpen, server) {  // open_tcp_socket
                set(.tcpOpen, server, true)
                channelGeneration += 1
                spill.state.serverTCPGeneration[server] = channelGeneration
            }
            spill.state.queryTCPGeneration[server] = spill.state.serverTCPGeneration[server]
            tcpSent += 1
        } else {
            set(.udpOpen, server, true)  // open_udp_socket (one socket per server, reused)
            udpSent += 1
        }
        actions.append(.send(server: server, overTCP: usingTCP))
        timerGeneration += 1
        actions.append(
            .armTimer(
                after: options.attemptTimeout(attempt: attempt, serverCount: serverCount), generation: timerGeneration))
    }

    /// `next_server`.
    private mutating func nextServer(_ actions: inout StubActions) {
        attempt += 1
        while attempt < serverCount * options.tries {
            currentServer = (currentServer + 1) % serverCount
            let server = currentServer
            if !has(.skipped, server) && !alreadyOnCurrentConnection(server) {
                sendQuery(&actions)
                return
            }
            attempt += 1
        }
        finish(
            status: errorStatus, outcome: errorStatus == .timeout ? .timeout : .connectionRefused,
            classification: nil, &actions)
    }

    /// `skip_server`: only when there are other servers to use.
    private mutating func skipServer(_ server: Int) {
        if serverCount > 1 { set(.skipped, server, true) }
    }

    /// `ares__close_sockets`: closing a TCP connection starts a new connection generation.
    private mutating func closeSockets(_ server: Int) {
        if has(.tcpOpen, server) {
            set(.tcpOpen, server, false)
            channelGeneration += 1
            spillForWriting().state.serverTCPGeneration[server] = channelGeneration
        }
        set(.udpOpen, server, false)
    }

    /// Whether the query was already sent to `server` over its current TCP connection.
    private func alreadyOnCurrentConnection(_ server: Int) -> Bool {
        guard usingTCP, let spill, !spill.state.queryTCPGeneration.isEmpty else { return false }
        return spill.state.queryTCPGeneration[server] == spill.state.serverTCPGeneration[server]
    }

    /// The per-server flags c-ares keeps (`skip_server`, and which sockets are open).
    private enum ServerFlag { case skipped, udpOpen, tcpOpen }

    @inline(__always)
    private func has(_ flag: ServerFlag, _ server: Int) -> Bool {
        if server < 64 {
            let bits =
                switch flag {
                case .skipped: skippedBits
                case .udpOpen: udpOpenBits
                case .tcpOpen: tcpOpenBits
                }
            return bits & (1 << UInt64(server)) != 0
        }
        guard let spill else { return false }
        return switch flag {
        case .skipped: StubLookupSpill.member(spill.state.skipped, server)
        case .udpOpen: StubLookupSpill.member(spill.state.udpOpen, server)
        case .tcpOpen: StubLookupSpill.member(spill.state.tcpOpen, server)
        }
    }

    @inline(__always)
    private mutating func set(_ flag: ServerFlag, _ server: Int, _ value: Bool) {
        if server < 64 {
            let bit: UInt64 = 1 << UInt64(server)
            switch flag {
            case .skipped: skippedBits = value ? skippedBits | bit : skippedBits & ~bit
            case .udpOpen: udpOpenBits = value ? udpOpenBits | bit : udpOpenBits & ~bit
            case .tcpOpen: tcpOpenBits = value ? tcpOpenBits | bit : tcpOpenBits & ~bit
            }
            return
        }
        let spill = spillForWriting()
        switch flag {
        case .skipped: StubLookupSpill.set(&spill.state.skipped, server, value)
        case .udpOpen: StubLookupSpill.set(&spill.state.udpOpen, server, value)
        case .tcpOpen: StubLookupSpill.set(&spill.state.tcpOpen, server, value)
        }
    }

    /// The spilled state, created on first use and copied first if another copy of this lookup shares it.
    private mutating func spillForWriting() -> StubLookupSpill {
        if spill == nil {
            spill = StubLookupSpill()
        } else if !isKnownUniquelyReferenced(&spill) {
            spill = StubLookupSpill(spill!.state)
        }
        return spill!
    }

    /// `end_query`: the callback runs once; the timer is disarmed by bumping the generation.
    private mutating func finish(
        status: AresStatus, outcome: LookupOutcome, classification: consuming ResponseClassification?,
        _ actions: inout StubActions
    ) {
        timerGeneration += 1
        result = StubResult(
            status: status, outcome: outcome, classification: classification, udpQueriesSent: udpSent,
            tcpQueriesSent: tcpSent)
        isFinished = true
        actions.append(.finish)
    }
}
