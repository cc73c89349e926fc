internal import CAres
public import DNSModel
public import SimKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real c-ares 1.18 channel driven in virtual time over in-memory sockets ("c-ares in the loop").
///
/// ```swift
/// let loop = try AresLoopback(
///     options: StubResolverOptions(timeout: .milliseconds(20), tries: 2),
///     servers: [.init(udp: [.reply(after: .milliseconds(1)) { query in try! WireEncoder.encode(query.response(rcode: .nxDomain)) }])])
/// let result = loop.lookup(Question(name: try DomainName("kv.example."), type: .a))
/// result.status      // ARES_ENOTFOUND
/// ```
///
/// The channel is made with `ares_init_options` (`TIMEOUTMS`, `TRIES`, `ROTATE`/`NOROTATE`,
/// `FLAGS` with `NOCHECKRESP`/`IGNTC`/`USEVC`, `SOCK_STATE_CB`), its servers are fake addresses
/// (`192.0.2.53:53`, `192.0.2.54:53`, …, set with `ares_set_servers_ports_csv`), and
/// `ares_set_socket_functions` routes every socket call here: a datagram the channel sends becomes
/// a ``SimKernel/Simulator`` event at the scripted server, whose reply is delivered at its virtual
/// time by calling `ares_process_fd`. Descriptors start at 1 << 20, far above real ones.
///
/// **Time.** c-ares reads the real monotonic clock for its timeouts and has no hook for a virtual
/// one. The loop therefore runs every scripted event at once in real time, in virtual-time order, and
/// waits in real time only when the next thing due is one of c-ares's own timeouts (it sleeps until
/// `ares_timeout` reaches zero, then calls `ares_process_fd(ARES_SOCKET_BAD, ARES_SOCKET_BAD)`). Each
/// timeout the channel arms is mapped to virtual time as "now + `ares_timeout`, rounded up to the
/// millisecond". So c-ares runs its real retry state machine — attempts, doubling, server order,
/// TCP fallback, skip rules — and the cost of a lookup is the sum of its timeouts in real time: use
/// small timeouts (10–50 ms). ``lookup(_:deadline:)`` can also end a lookup with `ares_cancel` at a
/// virtual deadline (for a channel with a very large timeout), but ending every attempt that way
/// would lose exactly the retry-on-timeout behaviour this loop exists to check. If the process
/// stalls for longer than a scripted reply's lead over a timeout, or a call into c-ares takes over a
/// millisecond, ``Result/stalled`` says so and the run should be repeated with longer timeouts.
/// Because it waits on the real clock, this is a calibration tool for tests, never part of a
/// simulation's output.
///
/// **Lifetime.** The socket-functions struct is allocated once and outlives the channel; the C
/// callbacks capture nothing and reach this object through `Unmanaged` (unretained: the channel is
/// destroyed first thing in `deinit`); each query passes a box retained and the callback takes it
/// back retained, so `ares_destroy` (which calls pending callbacks with `ARES_EDESTRUCTION`) is safe.
/// Uses `ares_query`, never `ares_getaddrinfo` (which calls the real `getsockname`).
///
/// Not `Sendable`: a channel is not thread-safe; keep the object on one thread.
public final class AresLoopback {
    /// The channel's options.
    public let options: StubResolverOptions
    /// The scripted servers, in channel order.
    public private(set) var servers: [ServerScript]
    /// The servers' fake addresses (`192.0.2.53` …), port 53 for UDP and TCP.
    public let serverAddresses: [IPv4Address]

    private var channel: OpaquePointer?
    private let socketFunctions: UnsafeMutablePointer<ares_socket_functions>
    private var sockets: [Int32: FakeSocket] = [:]
    private var nextDescriptor: Int32 = 1 << 20
    private var simulator = Simulator()
    private var run = RunState()
    private var udpReceived: [Int]
    private var tcpReceived: [Int]

    /// Creates the channel. Throws ``AresLoopbackError`` if c-ares refuses the options or servers.
    public init(options: StubResolverOptions, servers: [ServerScript]) throws {
        precondition(!servers.isEmpty, "at least one server")
        precondition(options.timeout.nanoseconds % 1_000_000 == 0, "c-ares timeouts are whole milliseconds")
        self.options = options
        self.servers = servers
        self.serverAddresses = servers.indices.map { IPv4Address(192, 0, 2, UInt8(53 + $0)) }
        self.udpReceived = Array(repeating: 0, count: servers.count)
        self.tcpReceived = Array(repeating: 0, count: servers.count)
        socketFunctions = .allocate(capacity: 1)
        socketFunctions.initialize(
            to: ares_socket_functions(
                asocket: loopbackSocket, aclose: loopbackClose, aconnect: loopbackConnect,
                arecvfrom: loopbackReceive, asendv: loopbackSend))
        AresLibrary.ensureInitialized()

        let context = Unmanaged.passUnretained(self).toOpaque()
        var cOptions = ares_options()
        var flags: Int32 = 0
        if options.noCheckResponse { flags |= ARES_FLAG_NOCHECKRESP }
        if options.ignoreTruncation { flags |= ARES_FLAG_IGNTC }
        if options.useTCP { flags |= ARES_FLAG_USEVC }
        cOptions.flags = flags
        cOptions.timeout = Int32(options.timeout.nanoseconds / 1_000_000)
        cOptions.tries = Int32(options.tries)
        cOptions.sock_state_cb = loopbackSocketState
        cOptions.sock_state_cb_data = context
        let mask =
            ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB
            | (options.rotate ? ARES_OPT_ROTATE : ARES_OPT_NOROTATE)
        var created: OpaquePointer? = nil
        let status = ares_init_options(&created, &cOptions, mask)
        guard status == ARES_SUCCESS, let created else {
            socketFunctions.deinitialize(count: 1)
            socketFunctions.deallocate()
            throw AresLoopbackError.initFailed(AresStatus(code: status))
        }
        channel = created
        let csv = serverAddresses.map { "\($0):53" }.joined(separator: ",")
        let serverStatus = ares_set_servers_ports_csv(created, csv)
        guard serverStatus == ARES_SUCCESS else {
            throw AresLoopbackError.serversRejected(AresStatus(code: serverStatus))
        }
        ares_set_socket_functions(created, socketFunctions, context)
    }

    deinit {
        if let channel { ares_destroy(channel) }  // first: pending callbacks run (EDESTRUCTION) now
        channel = nil
        socketFunctions.deinitialize(count: 1)
        socketFunctions.deallocate()
    }

    /// Replaces the scripts (between lookups); the per-server query counters restart.
    public func setServers(_ scripts: [ServerScript]) {
        precondition(scripts.count == servers.count, "the channel's server list is fixed")
        servers = scripts
        udpReceived = Array(repeating: 0, count: servers.count)
        tcpReceived = Array(repeating: 0, count: servers.count)
    }

    /// Runs one `ares_query` for `question` (class IN) to its callback and reports what happened.
    ///
    /// With a `deadline`, the lookup is ended with `ares_cancel` when virtual time reaches it
    /// (`ARES_ECANCELLED`), without waiting for c-ares's own timeouts in real time: the way to give a
    /// channel with a very large timeout a virtual one (facts/c-ares.md).
    public func lookup(_ question: Question, deadline: SimDuration? = nil) -> Result {
        guard let channel else { preconditionFailure("channel destroyed") }
        simulator = Simulator()
        run = RunState()
        let box = QueryBox()
        box.loop = self
        let argument = Unmanaged.passRetained(box).toOpaque()
        callAres {
            ares_query(channel, question.name.description, 1, Int32(question.type.rawValue), loopbackQueryDone, argument)
        }
        let cancelAt = deadline.map { SimTime.zero + $0 }
        var guardCounter = 0
        while !box.done {
            guardCounter += 1
            if guardCounter > 1_000_000 { break }
            let next = simulator.nextEventTime
            let aresDue = run.deadline.map { aresDeadline in next.map { $0 > aresDeadline } ?? true } ?? false
            let upcoming = aresDue ? run.deadline : next
            if let cancelAt, upcoming.map({ $0 > cancelAt }) ?? true {
                simulator.run(until: cancelAt)
                callAres { ares_cancel(channel) }
                break
            }
            if aresDue, let aresDeadline = run.deadline {
                simulator.run(until: aresDeadline)
                waitForAresTimeout(box)
            } else if next != nil {
                simulator.step()
            } else {
                break  // nothing can happen any more (a bug in the script or the loop)
            }
        }
        var result = Result(
            status: AresStatus(code: box.status), callbackStatus: AresStatus(code: box.status), timeouts: box.timeouts,
            addresses: [], ttls: [], udpQueriesSent: run.udpSent, tcpQueriesSent: run.tcpSent, sends: run.sends,
            elapsed: box.finishedAt.sinceStart, stalled: run.stalled)
        if box.status == ARES_SUCCESS, let reply = box.reply {
            let parsed = AresParse.addresses(reply, type: question.type)
            result.status = parsed.status
            result.addresses = parsed.addresses
            result.ttls = parsed.ttls
        }
        return result
    }

    // MARK: - Driving c-ares

    /// Every call into c-ares goes through here: it notes whether the channel armed a new timeout.
    private func callAres(_ body: () -> Void) {
        run.armed = false
        let started = monotonicNanoseconds()
        body()
        if run.armed {
            run.deadline = remainingMilliseconds().map { simulator.now + .milliseconds($0 + 1) }
            // The mapping above is exact to the millisecond only if the call itself was quick.
            if monotonicNanoseconds() - started > 1_000_000 { run.stalled = true }
        }
        if run.finished { run.deadline = nil }
    }

    private func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Runs a scripted delivery on `descriptor`; flags a stall if c-ares's real deadline already passed.
    private func process(read: Int32, write: Int32) {
        guard let channel else { return }
        if let deadline = run.deadline, simulator.now < deadline, remainingMilliseconds() == 0 { run.stalled = true }
        callAres { ares_process_fd(channel, read, write) }
    }

    private func waitForAresTimeout(_ box: QueryBox) {
        guard let channel else { return }
        for _ in 0..<100_000 {
            if let remaining = remainingMilliseconds(), remaining > 0 {
                sleepMicroseconds(remaining * 1_000)
                continue
            }
            callAres { ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD) }
            if run.armed || box.done || run.finished { return }
            sleepMicroseconds(200)
        }
    }

    private func remainingMilliseconds() -> Int64? {
        guard let channel else { return nil }
        var buffer = timeval()
        guard let tv = ares_timeout(channel, nil, &buffer) else { return nil }
        return Int64(tv.pointee.tv_sec) * 1_000 + Int64(tv.pointee.tv_usec) / 1_000
    }

    private func sleepMicroseconds(_ micros: Int64) {
        var request = timespec(tv_sec: Int(micros / 1_000_000), tv_nsec: Int((micros % 1_000_000) * 1_000))
        var left = timespec()
        while nanosleep(&request, &left) != 0 { request = left }
    }

    // MARK: - Socket functions (called by c-ares)

    fileprivate func openSocket(type: Int32) -> Int32 {
        let descriptor = nextDescriptor
        nextDescriptor += 1
        sockets[descriptor] = FakeSocket(isTCP: type == socketStream)
        return descriptor
    }

    fileprivate func closeSocket(_ descriptor: Int32) -> Int32 {
        sockets[descriptor] = nil
        return 0
    }

    fileprivate func connectSocket(_ descriptor: Int32, address: UnsafePointer<sockaddr>?, length: UInt32) -> Int32 {
        guard var socket = sockets[descriptor], let address, length >= UInt32(MemoryLayout<sockaddr_in>.size),
            Int32(address.pointee.sa_family) == AF_INET
        else {
            errno = EINVAL
            return -1
        }
        let inet = UnsafeRawPointer(address).load(as: sockaddr_in.self)
        let host = UInt32(bigEndian: inet.sin_addr.s_addr)
        guard let server = serverAddresses.firstIndex(where: { $0.value == host }), UInt16(bigEndian: inet.sin_port) == 53
        else {
            errno = ENETUNREACH
            return -1
        }
        socket.server = server
        sockets[descriptor] = socket
        if socket.isTCP {
            errno = EINPROGRESS  // like a non-blocking connect; completes when c-ares wants to write
            return -1
        }
        return 0
    }

    fileprivate func socketState(_ descriptor: Int32, readable: Bool, writable: Bool) {
        guard writable, let socket = sockets[descriptor], socket.isTCP else { return }
        run.armed = true  // a TCP query was queued: ares__send_query armed a new timeout
        simulator.schedule(after: .zero) { [unowned self] in
            guard var socket = self.sockets[descriptor], let server = socket.server else { return }
            if !socket.connected && !socket.refused {
                if case .refuse = self.servers[server].tcpStep(self.tcpReceived[server]) {
                    socket.refused = true
                } else {
                    socket.connected = true
                }
                self.sockets[descriptor] = socket
            }
            self.process(read: ARES_SOCKET_BAD, write: descriptor)
        }
    }

    fileprivate func send(_ descriptor: Int32, vectors: UnsafePointer<iovec>?, count: Int32) -> Int {
        guard var socket = sockets[descriptor], let server = socket.server, let vectors else {
            errno = EBADF
            return -1
        }
        var bytes: [UInt8] = []
        for index in 0..<Int(count) {
            let vector = vectors[index]
            if let base = vector.iov_base, vector.iov_len > 0 {
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: base, count: vector.iov_len))
            }
        }
        if socket.isTCP {
            if socket.refused {
                errno = ECONNREFUSED
                return -1
            }
            guard socket.connected else {
                errno = EAGAIN
                return -1
            }
            socket.outbound.append(contentsOf: bytes)
            sockets[descriptor] = socket
            while let frame = takeFrame(descriptor) {
                serverReceivedTCP(frame, server: server, descriptor: descriptor)
            }
            return bytes.count
        }
        run.armed = true  // a UDP query always goes out inside ares__send_query, which arms a timeout
        run.udpSent += 1
        run.sends.append(Send(server: server, overTCP: false, at: simulator.now.sinceStart))
        let step = servers[server].udpStep(udpReceived[server])
        udpReceived[server] += 1
        switch step {
        case .silent:
            break
        case .portClosed(let delay):
            simulator.schedule(after: delay) { [unowned self] in
                guard self.sockets[descriptor] != nil else { return }
                self.sockets[descriptor]?.pendingError = ECONNREFUSED
                self.process(read: descriptor, write: ARES_SOCKET_BAD)
            }
        case .reply(let delay, let build):
            guard let query = try? WireDecoder.decode(bytes) else { break }
            let reply = build(query)
            simulator.schedule(after: delay) { [unowned self] in
                guard self.sockets[descriptor] != nil else { return }  // that socket is gone: the datagram is lost
                self.sockets[descriptor]?.datagrams.append(reply)
                self.process(read: descriptor, write: ARES_SOCKET_BAD)
            }
        }
        return bytes.count
    }

    fileprivate func receive(
        _ descriptor: Int32, into buffer: UnsafeMutableRawPointer?, capacity: Int,
        from address: UnsafeMutablePointer<sockaddr>?, addressLength: UnsafeMutablePointer<UInt32>?
    ) -> Int {
        guard var socket = sockets[descriptor], let server = socket.server, let buffer else {
            errno = EBADF
            return -1
        }
        if let error = socket.pendingError {
            socket.pendingError = nil
            sockets[descriptor] = socket
            errno = error
            return -1
        }
        if socket.isTCP {
            guard !socket.inbound.isEmpty else {
                errno = EAGAIN
                return -1
            }
            let count = min(capacity, socket.inbound.count)
            socket.inbound.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: count) }
            socket.inbound.removeFirst(count)
            sockets[descriptor] = socket
            return count
        }
        guard !socket.datagrams.isEmpty else {
            errno = EAGAIN
            return -1
        }
        let datagram = socket.datagrams.removeFirst()
        sockets[descriptor] = socket
        let count = min(capacity, datagram.count)
        datagram.withUnsafeBytes { if count > 0 { buffer.copyMemory(from: $0.baseAddress!, byteCount: count) } }
        if let address, let addressLength, addressLength.pointee >= UInt32(MemoryLayout<sockaddr_in>.size) {
            var from = sockaddr_in()
            from.sin_family = sa_family_t(AF_INET)
            from.sin_port = UInt16(53).bigEndian
            from.sin_addr.s_addr = serverAddresses[server].value.bigEndian
            UnsafeMutableRawPointer(address).storeBytes(of: from, as: sockaddr_in.self)
            addressLength.pointee = UInt32(MemoryLayout<sockaddr_in>.size)
        }
        return count
    }

    // MARK: - Scripted servers over TCP

    private func takeFrame(_ descriptor: Int32) -> [UInt8]? {
        guard let socket = sockets[descriptor], socket.outbound.count >= 2 else { return nil }
        let length = Int(socket.outbound[0]) << 8 | Int(socket.outbound[1])
        guard socket.outbound.count >= 2 + length else { return nil }
        let frame = Array(socket.outbound[2..<(2 + length)])
        sockets[descriptor]?.outbound.removeFirst(2 + length)
        return frame
    }

    private func serverReceivedTCP(_ frame: [UInt8], server: Int, descriptor: Int32) {
        run.tcpSent += 1
        run.sends.append(Send(server: server, overTCP: true, at: simulator.now.sinceStart))
        let step = servers[server].tcpStep(tcpReceived[server])
        tcpReceived[server] += 1
        guard case .reply(let delay, let build) = step, let query = try? WireDecoder.decode(frame) else { return }
        let reply = build(query)
        simulator.schedule(after: delay) { [unowned self] in
            guard self.sockets[descriptor] != nil else { return }
            self.sockets[descriptor]?.inbound.append(contentsOf: [UInt8(reply.count >> 8 & 0xFF), UInt8(reply.count & 0xFF)])
            self.sockets[descriptor]?.inbound.append(contentsOf: reply)
            // read_tcp_data reads the length word and the body in separate calls.
            var rounds = 0
            while let socket = self.sockets[descriptor], !socket.inbound.isEmpty, rounds < 8 {
                self.process(read: descriptor, write: ARES_SOCKET_BAD)
                rounds += 1
            }
        }
    }

    fileprivate func queryFinished() {
        run.finished = true
    }

    fileprivate var now: SimTime { simulator.now }
}

/// Why an ``AresLoopback`` could not be created.
public enum AresLoopbackError: Error, Hashable, Sendable {
    /// `ares_init_options` failed.
    case initFailed(AresStatus)
    /// `ares_set_servers_ports_csv` failed.
    case serversRejected(AresStatus)
}

// MARK: - State

private struct FakeSocket {
    var isTCP: Bool
    var server: Int?
    var connected = false
    var refused = false
    var pendingError: Int32?
    var datagrams: [[UInt8]] = []
    var inbound: [UInt8] = []
    var outbound: [UInt8] = []

    init(isTCP: Bool) { self.isTCP = isTCP }
}

private struct RunState {
    var armed = false
    var finished = false
    var deadline: SimTime?
    var stalled = false
    var udpSent = 0
    var tcpSent = 0
    var sends: [AresLoopback.Send] = []
}

/// One `ares_query`'s outcome, passed to c-ares retained and taken back retained in the callback.
private final class QueryBox {
    var done = false
    var status: Int32 = -1
    var timeouts = 0
    var reply: [UInt8]?
    var finishedAt = SimTime.zero
    weak var loop: AresLoopback?
}

#if os(Linux)
    private let socketStream = Int32(SOCK_STREAM.rawValue)
#else
    private let socketStream = SOCK_STREAM
#endif

// MARK: - C callbacks (capture nothing; state through the user-data pointer)

private func loop(_ data: UnsafeMutableRawPointer?) -> AresLoopback {
    Unmanaged<AresLoopback>.fromOpaque(data!).takeUnretainedValue()
}

private let loopbackSocket: @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> ares_socket_t = {
    _, type, _, data in loop(data).openSocket(type: type)
}

private let loopbackClose: @convention(c) (ares_socket_t, UnsafeMutableRawPointer?) -> Int32 = { descriptor, data in
    loop(data).closeSocket(descriptor)
}

private let loopbackConnect:
    @convention(c) (ares_socket_t, UnsafePointer<sockaddr>?, ares_socklen_t, UnsafeMutableRawPointer?) -> Int32 = {
        descriptor, address, length, data in
        loop(data).connectSocket(descriptor, address: address, length: UInt32(length))
    }

private let loopbackReceive:
    @convention(c) (
        ares_socket_t, UnsafeMutableRawPointer?, Int, Int32, UnsafeMutablePointer<sockaddr>?,
        UnsafeMutablePointer<ares_socklen_t>?, UnsafeMutableRawPointer?
    ) -> ares_ssize_t = { descriptor, buffer, capacity, _, address, addressLength, data in
        ares_ssize_t(
            loop(data).receive(
                descriptor, into: buffer, capacity: capacity, from: address, addressLength: addressLength))
    }

private let loopbackSend: @convention(c) (ares_socket_t, UnsafePointer<iovec>?, Int32, UnsafeMutableRawPointer?) -> ares_ssize_t =
    {
        descriptor, vectors, count, data in
        ares_ssize_t(loop(data).send(descriptor, vectors: vectors, count: count))
    }

private let loopbackSocketState: @convention(c) (UnsafeMutableRawPointer?, ares_socket_t, Int32, Int32) -> Void = {
    data, descriptor, readable, writable in
    loop(data).socketState(descriptor, readable: readable != 0, writable: writable != 0)
}

private let loopbackQueryDone:
    @convention(c) (UnsafeMutableRawPointer?, Int32, Int32, UnsafeMutablePointer<UInt8>?, Int32) -> Void = {
        argument, status, timeouts, reply, length in
        let box = Unmanaged<QueryBox>.fromOpaque(argument!).takeRetainedValue()
        box.done = true
        box.status = status
        box.timeouts = Int(timeouts)
        if let reply, length > 0 { box.reply = Array(UnsafeBufferPointer(start: reply, count: Int(length))) }
        if let owner = box.loop {
            owner.queryFinished()
            box.finishedAt = owner.now
        }
    }
