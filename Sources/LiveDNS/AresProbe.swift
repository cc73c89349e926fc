internal import CAres
public import DNSModel
import Foundation

/// What a probe asks, of whom, how often, and with which c-ares channel settings.
public struct ProbeOptions: Sendable {
    /// The server's IPv4 or IPv6 address.
    public var host: String
    public var port: Int
    public var question: Question
    /// Lookups started per second; `nil`: one after another, each starting when the previous one ends.
    public var rate: Double?
    /// How long to keep starting lookups, in seconds (`nil` with `count`: until `count` lookups are done).
    public var duration: Double?
    /// How many lookups at most (`nil`: as many as `duration` allows).
    public var count: Int?
    /// `ARES_OPT_TIMEOUTMS`.
    public var timeoutMilliseconds: Int
    /// `ARES_OPT_TRIES`.
    public var tries: Int
    /// `ARES_FLAG_NOCHECKRESP`.
    public var noCheckResponse: Bool
    /// `ARES_FLAG_USEVC` (TCP only).
    public var useTCP: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 53, question: Question, rate: Double? = nil, duration: Double? = nil,
        count: Int? = nil, timeoutMilliseconds: Int = 5_000, tries: Int = 4, noCheckResponse: Bool = false,
        useTCP: Bool = false
    ) {
        self.host = host
        self.port = port
        self.question = question
        self.rate = rate
        self.duration = duration
        self.count = count
        self.timeoutMilliseconds = timeoutMilliseconds
        self.tries = tries
        self.noCheckResponse = noCheckResponse
        self.useTCP = useTCP
    }
}

/// One lookup as the application saw it.
public struct ProbeSample: Hashable, Sendable {
    /// The c-ares status after `ares_query`'s callback and, on success, `ares_parse_a_reply` / `_aaaa_reply`.
    public var status: AresStatus
    /// From `ares_query` to its callback, in nanoseconds (wall clock, monotonic).
    public var latencyNanoseconds: Int64
    /// c-ares's count of timeouts for this lookup.
    public var timeouts: Int
    /// The addresses, on success.
    public var addresses: [IPAddress]
}

/// Why a probe could not run.
public enum ProbeError: Error, Hashable, Sendable, CustomStringConvertible {
    case badServer(String)
    case aresFailed(String)

    public var description: String {
        switch self {
        case .badServer(let text): "bad server '\(text)': give an address and port, e.g. 127.0.0.1:5353"
        case .aresFailed(let text): "c-ares: \(text)"
        }
    }
}

/// A real c-ares 1.18 channel on real sockets, driven by `ares_getsock` + `poll` + `ares_process_fd`.
///
/// ```swift
/// let probe = try AresProbe(ProbeOptions(port: 5353, question: Question(name: name, type: .a), count: 10))
/// let report = probe.run()
/// print(report.render(.text))
/// ```
///
/// Not thread-safe (a c-ares channel is not): use it from one thread.
public final class AresProbe {
    public let options: ProbeOptions
    private var channel: OpaquePointer?

    public init(_ options: ProbeOptions) throws(ProbeError) {
        self.options = options
        guard AresLibraryGuard.initialized else { throw .aresFailed("ares_library_init failed") }
        var cOptions = ares_options()
        var flags: Int32 = ARES_FLAG_NOSEARCH
        if options.noCheckResponse { flags |= ARES_FLAG_NOCHECKRESP }
        if options.useTCP { flags |= ARES_FLAG_USEVC }
        cOptions.flags = flags
        cOptions.timeout = Int32(clamping: options.timeoutMilliseconds)
        cOptions.tries = Int32(clamping: max(1, options.tries))
        let mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_NOROTATE
        var created: OpaquePointer? = nil
        let status = ares_init_options(&created, &cOptions, mask)
        guard status == ARES_SUCCESS, let created else {
            throw .aresFailed(String(cString: ares_strerror(status)))
        }
        channel = created
        let address = options.host.contains(":") ? "[\(options.host)]" : options.host
        let serverStatus = ares_set_servers_ports_csv(created, "\(address):\(options.port)")
        guard serverStatus == ARES_SUCCESS else {
            throw .badServer("\(options.host):\(options.port)")
        }
    }

    deinit {
        if let channel { ares_destroy(channel) }
    }

    /// One lookup, to its end.
    public func lookup() -> ProbeSample {
        var samples: [ProbeSample] = []
        drive(count: 1, rate: nil, duration: nil) { samples.append($0) }
        return samples[0]
    }

    /// Runs the lookups the options ask for and summarises them.
    public func run() -> ProbeReport {
        var samples: [ProbeSample] = []
        let count = options.count ?? (options.duration == nil ? 1 : Int.max)
        let started = Self.now()
        drive(count: count, rate: options.rate, duration: options.duration) { samples.append($0) }
        return ProbeReport(options: options, samples: samples, elapsedNanoseconds: Self.now() - started)
    }

    // MARK: - The loop

    private func drive(count: Int, rate: Double?, duration: Double?, _ finished: (ProbeSample) -> Void) {
        guard let channel else { return }
        let start = Self.now()
        let stopStarting = duration.map { start + Int64($0 * 1e9) }
        let interval = rate.map { Int64(1e9 / max($0, 1e-9)) }
        var started = 0
        var done: [ProbeSample] = []
        var pending = 0
        var nextStart = start
        let boxHandler: (ProbeSample) -> Void = { sample in done.append(sample) }
        let sink = SampleSink(boxHandler)
        while true {
            let now = Self.now()
            // Start what is due.
            while started < count, stopStarting.map({ now < $0 }) ?? true, nextStart <= now,
                interval != nil || pending == 0
            {
                startQuery(channel, sink: sink)
                started += 1
                pending += 1
                nextStart = interval.map { nextStart + $0 } ?? now
            }
            for sample in done { finished(sample) }
            pending -= done.count
            done.removeAll()
            let canStartMore = started < count && (stopStarting.map { Self.now() < $0 } ?? true)
            if pending == 0 && !canStartMore { break }
            if pending == 0 && interval == nil { continue }
            // Wait for sockets, the c-ares timeout, or the next start.
            var sockets = [ares_socket_t](repeating: ARES_SOCKET_BAD, count: Int(ARES_GETSOCK_MAXNUM))
            let bits = ares_getsock(channel, &sockets, ARES_GETSOCK_MAXNUM)
            var fds: [pollfd] = []
            for i in 0..<Int(ARES_GETSOCK_MAXNUM) {
                let readable = bits & (1 << i) != 0
                let writable = bits & (1 << (i + Int(ARES_GETSOCK_MAXNUM))) != 0
                if !readable && !writable { continue }
                var events: Int16 = 0
                if readable { events |= Int16(POLLIN) }
                if writable { events |= Int16(POLLOUT) }
                fds.append(pollfd(fd: sockets[i], events: events, revents: 0))
            }
            var waitNanoseconds: Int64 = 1_000_000_000
            var tv = timeval()
            if let timeout = ares_timeout(channel, nil, &tv) {
                waitNanoseconds = Int64(timeout.pointee.tv_sec) * 1_000_000_000 + Int64(timeout.pointee.tv_usec) * 1_000
            }
            if canStartMore, interval != nil { waitNanoseconds = min(waitNanoseconds, max(0, nextStart - Self.now())) }
            let waitMilliseconds = Int32(clamping: (waitNanoseconds + 999_999) / 1_000_000)
            let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), waitMilliseconds) }
            if ready > 0 {
                for fd in fds where fd.revents != 0 {
                    let read = fd.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 ? fd.fd : ARES_SOCKET_BAD
                    let write = fd.revents & Int16(POLLOUT) != 0 ? fd.fd : ARES_SOCKET_BAD
                    ares_process_fd(channel, read, write)
                }
            } else {
                ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD)
            }
        }
    }

    private func startQuery(_ channel: OpaquePointer, sink: SampleSink) {
        let box = QueryBox(type: options.question.type, startedAt: Self.now(), sink: sink)
        let argument = Unmanaged.passRetained(box).toOpaque()
        ares_query(
            channel, options.question.name.description, Int32(options.question.dnsClass.rawValue),
            Int32(options.question.type.rawValue), probeQueryDone, argument)
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// Where finished queries go (a class so that the C callback can reach it through the box).
private final class SampleSink {
    let deliver: (ProbeSample) -> Void
    init(_ deliver: @escaping (ProbeSample) -> Void) { self.deliver = deliver }
}

private final class QueryBox {
    let type: RecordType
    let startedAt: Int64
    let sink: SampleSink
    init(type: RecordType, startedAt: Int64, sink: SampleSink) {
        self.type = type
        self.startedAt = startedAt
        self.sink = sink
    }
}

private enum AresLibraryGuard {
    static let initialized: Bool = ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS
}

/// `ares_parse_a_reply` / `ares_parse_aaaa_reply`, as an application does after `ARES_SUCCESS`.
private func parseAddresses(_ reply: UnsafePointer<UInt8>, _ length: Int32, type: RecordType) -> (Int32, [IPAddress]) {
    if type == .a {
        var ttls = [ares_addrttl](repeating: ares_addrttl(), count: 64)
        var count: Int32 = 64
        let status = ares_parse_a_reply(reply, length, nil, &ttls, &count)
        guard status == ARES_SUCCESS else { return (status, []) }
        let addresses = ttls.prefix(Int(count)).map { entry -> IPAddress in
            let raw = UInt32(bigEndian: entry.ipaddr.s_addr)
            return .v4(IPv4Address(value: raw))
        }
        return (addresses.isEmpty ? ARES_ENODATA : status, addresses)
    }
    if type == .aaaa {
        var ttls = [ares_addr6ttl](repeating: ares_addr6ttl(), count: 64)
        var count: Int32 = 64
        let status = ares_parse_aaaa_reply(reply, length, nil, &ttls, &count)
        guard status == ARES_SUCCESS else { return (status, []) }
        let addresses = ttls.prefix(Int(count)).map { entry -> IPAddress in
            var copy = entry.ip6addr
            let bytes = withUnsafeBytes(of: &copy) { Array($0.prefix(16)) }
            return .v6(IPv6Address(bytes: bytes))
        }
        return (addresses.isEmpty ? ARES_ENODATA : status, addresses)
    }
    return (ARES_SUCCESS, [])
}

private let probeQueryDone: @convention(c) (UnsafeMutableRawPointer?, Int32, Int32, UnsafeMutablePointer<UInt8>?, Int32) -> Void =
    {
        argument, status, timeouts, reply, length in
        let box = Unmanaged<QueryBox>.fromOpaque(argument!).takeRetainedValue()
        let latency = AresProbe.now() - box.startedAt
        var finalStatus = status
        var addresses: [IPAddress] = []
        if status == ARES_SUCCESS, let reply, length > 0 {
            (finalStatus, addresses) = parseAddresses(reply, length, type: box.type)
        }
        box.sink.deliver(
            ProbeSample(
                status: AresStatus(code: finalStatus), latencyNanoseconds: latency, timeouts: Int(timeouts),
                addresses: addresses))
    }
