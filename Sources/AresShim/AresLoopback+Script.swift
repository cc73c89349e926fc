public import DNSModel
public import SimKernel

extension AresLoopback {
    /// Builds the reply bytes for a query the channel sent (decoded from its real wire bytes).
    public typealias ReplyBuilder = @Sendable (Message) -> [UInt8]

    /// What a scripted server does with one UDP query.
    public enum UDPStep: Sendable {
        /// Reply with these bytes after `after` (virtual time).
        case reply(after: SimDuration, ReplyBuilder)
        /// Never reply.
        case silent
        /// The port is closed: an ICMP port unreachable makes the client's socket fail with
        /// `ECONNREFUSED` after `after`.
        case portClosed(after: SimDuration)
    }

    /// What a scripted server does with one TCP query (or with the connection that would carry it).
    public enum TCPStep: Sendable {
        /// Accept the connection and reply with these bytes after `after`.
        case reply(after: SimDuration, ReplyBuilder)
        /// Accept the connection and the query; never reply.
        case silent
        /// Refuse the connection (RST): the client's write fails with `ECONNREFUSED`.
        case refuse
    }

    /// One fake server: its behaviour for the 1st, 2nd, … query it receives on each transport (the
    /// last step repeats). A TCP connect is accepted or refused by the step due next; a refusal does
    /// not consume it (no query arrived).
    public struct ServerScript: Sendable {
        public var udp: [UDPStep]
        public var tcp: [TCPStep]

        public init(udp: [UDPStep], tcp: [TCPStep] = [.refuse]) {
            precondition(!udp.isEmpty && !tcp.isEmpty, "a script needs at least one step per transport")
            self.udp = udp
            self.tcp = tcp
        }

        /// The step for the `index`-th (0-based) UDP query.
        public func udpStep(_ index: Int) -> UDPStep { udp[min(index, udp.count - 1)] }
        /// The step for the `index`-th (0-based) TCP query.
        public func tcpStep(_ index: Int) -> TCPStep { tcp[min(index, tcp.count - 1)] }
    }

    /// One query the channel sent.
    public struct Send: Hashable, Sendable {
        public var server: Int
        public var overTCP: Bool
        /// Virtual time since the lookup started.
        public var at: SimDuration

        public init(server: Int, overTCP: Bool, at: SimDuration) {
            self.server = server
            self.overTCP = overTCP
            self.at = at
        }
    }

    /// How a lookup on the real channel ended.
    public struct Result: Hashable, Sendable {
        /// The final status: the `ares_query` callback's, and when that is `ARES_SUCCESS`, the status of
        /// `ares_parse_a_reply` / `ares_parse_aaaa_reply` on the reply (as an application sees it).
        public var status: AresStatus
        /// The status the `ares_query` callback received.
        public var callbackStatus: AresStatus
        /// The `timeouts` count the callback received.
        public var timeouts: Int
        /// The addresses the parser returned, in reply order.
        public var addresses: [IPAddress]
        /// Their TTLs (`ares_addrttl.ttl`), in the same order.
        public var ttls: [Int32]
        /// UDP datagrams the channel sent.
        public var udpQueriesSent: Int
        /// DNS queries the channel wrote on an established TCP connection.
        public var tcpQueriesSent: Int
        /// Every query sent, in order.
        public var sends: [Send]
        /// Virtual time from `ares_query` to the callback (c-ares's own timeouts are real and
        /// measured to the millisecond, so this is exact to about 1 ms per timeout).
        public var elapsed: SimDuration
        /// `true` if real time ran so far ahead that c-ares may have timed out before a reply that
        /// was due earlier in virtual time; rerun with a longer timeout.
        public var stalled: Bool

        /// All queries sent, UDP and TCP.
        public var queriesSent: Int { udpQueriesSent + tcpQueriesSent }
    }
}
