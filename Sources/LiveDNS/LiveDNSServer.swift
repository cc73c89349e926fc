import Foundation
import NIOCore
import NIOPosix
public import SimKernel
import Synchronization

/// Answers one packet: the live server calls it for every UDP datagram and every TCP message.
public protocol LivePacketHandler: Sendable {
    /// The reply to `packet` (a DNS message without TCP length prefix). `context` belongs to the calling socket's
    /// thread: its random stream and answer cache are never shared.
    func respond(to packet: [UInt8], overTCP: Bool, context: inout LiveQueryContext) -> LiveReply
}

/// Per-socket state handed to a ``LivePacketHandler`` with every packet.
public struct LiveQueryContext {
    /// Draws for fault probabilities and garbage bytes.
    public var rng: RandomStream
    var answers = AnswerCache()

    public init(rng: RandomStream) { self.rng = rng }
}

/// Limits and addresses of a ``LiveDNSServer``.
public struct LiveServerConfiguration: Sendable {
    /// The address to listen on (`127.0.0.1` unless told otherwise; `::1`, `0.0.0.0` and others are accepted).
    public var host: String
    /// UDP and TCP port; `0` picks a free one (see ``LiveDNSServer/port``).
    public var port: Int
    /// Queries per second accepted from one source address (a token bucket with a one-second burst); `nil`: no limit.
    public var rateLimitPerSource: Double?
    /// Replies waiting out an injected delay, at most (more are dropped: memory stays bounded under a flood).
    public var maxDelayedReplies: Int
    /// Open TCP connections, at most (more are closed at once).
    public var maxTCPConnections: Int
    /// A TCP connection idle this long is closed.
    public var tcpIdleTimeout: Duration
    /// Event-loop threads (each gets its own UDP socket on the port, `SO_REUSEPORT`).
    public var threads: Int

    public init(
        host: String = "127.0.0.1", port: Int = 5353, rateLimitPerSource: Double? = nil, maxDelayedReplies: Int = 10_000,
        maxTCPConnections: Int = 256, tcpIdleTimeout: Duration = .seconds(10), threads: Int = 2
    ) {
        self.host = host
        self.port = port
        self.rateLimitPerSource = rateLimitPerSource
        self.maxDelayedReplies = maxDelayedReplies
        self.maxTCPConnections = maxTCPConnections
        self.tcpIdleTimeout = tcpIdleTimeout
        self.threads = threads
    }
}

/// Why a server could not start.
public enum LiveServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The listen address is not an IP address.
    case badAddress(String)
    /// Another process holds the port.
    case addressInUse(host: String, port: Int)
    /// Any other bind failure.
    case bindFailed(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .badAddress(let text): "'\(text)' is not an IP address to listen on (e.g. 127.0.0.1 or ::1)"
        case .addressInUse(let host, let port): "port \(port) on \(host) is already in use (choose another with --port)"
        case .bindFailed(let host, let port, let reason): "cannot listen on \(host) port \(port): \(reason)"
        }
    }
}

/// Counters of a running server (monotonic; read them at any time from any thread).
public final class LiveServerStats: Sendable {
    let udpQueries = Atomic<Int>(0)
    let tcpQueries = Atomic<Int>(0)
    let replies = Atomic<Int>(0)
    let rateLimited = Atomic<Int>(0)
    let overflowDropped = Atomic<Int>(0)
    let resets = Atomic<Int>(0)
    let tcpConnections = Atomic<Int>(0)

    init() {}

    /// The counters now.
    public var current: Counts {
        Counts(
            udpQueries: udpQueries.load(ordering: .relaxed), tcpQueries: tcpQueries.load(ordering: .relaxed),
            replies: replies.load(ordering: .relaxed), rateLimited: rateLimited.load(ordering: .relaxed),
            overflowDropped: overflowDropped.load(ordering: .relaxed), resets: resets.load(ordering: .relaxed))
    }

    /// A copy of the counters.
    public struct Counts: Hashable, Sendable {
        /// UDP datagrams received (before rate limiting).
        public var udpQueries: Int
        /// TCP messages received and not answered by a connection reset.
        public var tcpQueries: Int
        /// Replies sent.
        public var replies: Int
        /// Datagrams dropped by the per-source rate limit.
        public var rateLimited: Int
        /// Delayed replies dropped because too many were waiting.
        public var overflowDropped: Int
        /// TCP connections reset (a closed-port fault).
        public var resets: Int
    }
}

/// A DNS server on UDP and TCP (SwiftNIO) answering with a ``LivePacketHandler``.
///
/// ```swift
/// let server = try LiveDNSServer.start(LiveServerConfiguration(port: 0), handler: handler)
/// print(server.port)
/// server.shutdown()
/// ```
public final class LiveDNSServer: Sendable {
    /// The port the server listens on.
    public let port: Int
    /// The address it listens on.
    public let host: String
    /// Counters.
    public let stats: LiveServerStats

    private let group: MultiThreadedEventLoopGroup
    private let channels: [any Channel]

    private init(port: Int, host: String, stats: LiveServerStats, group: MultiThreadedEventLoopGroup, channels: [any Channel]) {
        self.port = port
        self.host = host
        self.stats = stats
        self.group = group
        self.channels = channels
    }

    /// Binds TCP, then UDP on the same port (one UDP socket per thread), and starts answering.
    public static func start(
        _ configuration: LiveServerConfiguration, handler: any LivePacketHandler
    ) throws(LiveServerError) -> LiveDNSServer {
        let host = configuration.host
        do {
            _ = try SocketAddress(ipAddress: host, port: 0)
        } catch {
            throw .badAddress(host)
        }
        guard (0...65535).contains(configuration.port) else {
            throw .bindFailed(host: host, port: configuration.port, reason: "port must be 0...65535")
        }
        let threads = max(1, configuration.threads)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let stats = LiveServerStats()
        var channels: [any Channel] = []
        // Port 0: the kernel picks a TCP port, which may be taken for UDP; try a few.
        for attempt in 0..<8 {
            channels = []
            do {
                let tcp = try tcpBootstrap(group, configuration, handler, stats).bind(host: host, port: configuration.port).wait()
                channels.append(tcp)
                let port = tcp.localAddress?.port ?? configuration.port
                for _ in 0..<threads {
                    let udp = try udpBootstrap(group, configuration, handler, stats, reusePort: threads > 1)
                        .bind(host: host, port: port).wait()
                    channels.append(udp)
                }
                return LiveDNSServer(port: port, host: host, stats: stats, group: group, channels: channels)
            } catch {
                for channel in channels { try? channel.close().wait() }
                let inUse = (error as? IOError)?.errnoCode == EADDRINUSE
                if inUse && configuration.port == 0 && attempt < 7 { continue }
                try? group.syncShutdownGracefully()
                if inUse { throw .addressInUse(host: host, port: configuration.port) }
                throw .bindFailed(host: host, port: configuration.port, reason: "\(error)")
            }
        }
        try? group.syncShutdownGracefully()
        throw .addressInUse(host: host, port: configuration.port)
    }

    /// Closes the sockets and stops the threads. Safe to call more than once.
    public func shutdown() {
        for channel in channels { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
    }

    private static func udpBootstrap(
        _ group: MultiThreadedEventLoopGroup, _ configuration: LiveServerConfiguration, _ handler: any LivePacketHandler,
        _ stats: LiveServerStats, reusePort: Bool
    ) -> DatagramBootstrap {
        var bootstrap = DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: 16)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 16 * 4096))
            .channelOption(.maxMessagesPerRead, value: 16)
        if reusePort {
            bootstrap = bootstrap.channelOption(.socketOption(.init(rawValue: SO_REUSEPORT)), value: 1)
        }
        return bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    UDPQueryHandler(handler: handler, stats: stats, configuration: configuration))
            }
        }
    }

    private static func tcpBootstrap(
        _ group: MultiThreadedEventLoopGroup, _ configuration: LiveServerConfiguration, _ handler: any LivePacketHandler,
        _ stats: LiveServerStats
    ) -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let open = stats.tcpConnections.wrappingAdd(1, ordering: .relaxed).newValue
                    channel.closeFuture.whenComplete { _ in stats.tcpConnections.wrappingSubtract(1, ordering: .relaxed) }
                    if open > configuration.maxTCPConnections {
                        channel.close(promise: nil)
                        return
                    }
                    let idle = TimeAmount.nanoseconds(
                        Int64(configuration.tcpIdleTimeout.components.seconds) * 1_000_000_000
                            + configuration.tcpIdleTimeout.components.attoseconds / 1_000_000_000)
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(DNSFrameDecoder(), maximumBufferSize: 4 * 65_537))
                    try channel.pipeline.syncOperations.addHandler(
                        TCPQueryHandler(handler: handler, stats: stats, configuration: configuration))
                }
            }
    }
}

/// Splits a TCP stream into DNS messages (RFC 1035 §4.2.2: a two-byte length before each).
struct DNSFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        let frame = buffer.readSlice(length: Int(length))!
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }
}

/// A per-source token bucket (one-second burst), with a bounded table of sources.
struct SourceRateLimiter {
    let rate: Double
    private var buckets: [UInt64: (tokens: Double, at: Double)] = [:]
    static let maximumSources = 65_536

    init(rate: Double) { self.rate = rate }

    mutating func admit(_ address: SocketAddress?, now: Double) -> Bool {
        let key = Self.key(address)
        if buckets.count >= Self.maximumSources, buckets[key] == nil { buckets.removeAll(keepingCapacity: true) }
        var bucket = buckets[key] ?? (tokens: rate, at: now)
        bucket.tokens = min(rate, bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        let admitted = bucket.tokens >= 1
        if admitted { bucket.tokens -= 1 }
        buckets[key] = bucket
        return admitted
    }

    /// The source address without its port.
    static func key(_ address: SocketAddress?) -> UInt64 {
        switch address {
        case .v4(let v4)?: return UInt64(v4.address.sin_addr.s_addr)
        case let other?: return RandomStream.fnv1a(other.ipAddress ?? "")
        case nil: return 0
        }
    }
}

final class UDPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let handler: any LivePacketHandler
    private let stats: LiveServerStats
    private let maxDelayed: Int
    private var limiter: SourceRateLimiter?
    private var queryContext: LiveQueryContext
    private var delayed = 0
    private var pendingFlush = false

    init(handler: any LivePacketHandler, stats: LiveServerStats, configuration: LiveServerConfiguration) {
        self.handler = handler
        self.stats = stats
        self.maxDelayed = configuration.maxDelayedReplies
        self.limiter = configuration.rateLimitPerSource.map { SourceRateLimiter(rate: $0) }
        self.queryContext = LiveQueryContext(
            rng: RandomStream(seed: UInt64(LiveAuthority.wallSeconds() * 1e9), label: "live/udp"))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        stats.udpQueries.wrappingAdd(1, ordering: .relaxed)
        if limiter != nil, !limiter!.admit(envelope.remoteAddress, now: LiveAuthority.wallSeconds()) {
            stats.rateLimited.wrappingAdd(1, ordering: .relaxed)
            return
        }
        let packet = Array(envelope.data.readableBytesView)
        let reply = handler.respond(to: packet, overTCP: false, context: &queryContext)
        guard let bytes = reply.bytes else { return }
        let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: bytes))
        if reply.delay > .zero {
            guard delayed < maxDelayed else {
                stats.overflowDropped.wrappingAdd(1, ordering: .relaxed)
                return
            }
            delayed += 1
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(reply.delay.nanoseconds)) {
                self.delayed -= 1
                self.stats.replies.wrappingAdd(1, ordering: .relaxed)
                context.writeAndFlush(self.wrapOutboundOut(out), promise: nil)
            }
            return
        }
        stats.replies.wrappingAdd(1, ordering: .relaxed)
        context.write(wrapOutboundOut(out), promise: nil)
        pendingFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if pendingFlush {
            pendingFlush = false
            context.flush()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors and oversized datagrams: keep serving.
    }
}

final class TCPQueryHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handler: any LivePacketHandler
    private let stats: LiveServerStats
    private let maxDelayed: Int
    private var queryContext: LiveQueryContext

    init(handler: any LivePacketHandler, stats: LiveServerStats, configuration: LiveServerConfiguration) {
        self.handler = handler
        self.stats = stats
        self.maxDelayed = configuration.maxDelayedReplies
        self.queryContext = LiveQueryContext(
            rng: RandomStream(seed: UInt64(LiveAuthority.wallSeconds() * 1e9), label: "live/tcp"))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = Array(unwrapInboundIn(data).readableBytesView)
        let reply = handler.respond(to: packet, overTCP: true, context: &queryContext)
        if reply.resetConnection {
            stats.resets.wrappingAdd(1, ordering: .relaxed)
            let channel = context.channel
            if let sockets = channel as? any SocketOptionProvider {
                sockets.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                channel.close(promise: nil)
            }
            return
        }
        stats.tcpQueries.wrappingAdd(1, ordering: .relaxed)
        guard let bytes = reply.bytes else { return }
        var out = context.channel.allocator.buffer(capacity: bytes.count + 2)
        out.writeInteger(UInt16(truncatingIfNeeded: bytes.count))
        out.writeBytes(bytes)
        if reply.delay > .zero {
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(reply.delay.nanoseconds)) {
                self.stats.replies.wrappingAdd(1, ordering: .relaxed)
                context.writeAndFlush(self.wrapOutboundOut(out), promise: nil)
            }
            return
        }
        stats.replies.wrappingAdd(1, ordering: .relaxed)
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Answers from the scenario's authorities as the model has them now (``LiveAuthority``).
public struct AuthoritativePacketHandler: LivePacketHandler {
    public let authority: LiveAuthority
    public let responder: LiveResponder

    public init(authority: LiveAuthority, responder: LiveResponder = LiveResponder()) {
        self.authority = authority
        self.responder = responder
    }

    public func respond(to packet: [UInt8], overTCP: Bool, context: inout LiveQueryContext) -> LiveReply {
        let (snapshot, generation) = authority.current
        return responder.respond(to: packet, overTCP: overTCP, snapshot: snapshot, generation: generation, context: &context)
    }
}
