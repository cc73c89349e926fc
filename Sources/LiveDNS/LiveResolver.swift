import DNSModel
public import SimKernel
import Synchronization
public import WorldModel

/// `serve-dns --mode resolver`: a caching recursive resolver with one scenario resolver's settings, asking the
/// scenario's authorities (``LiveAuthority``) in process.
///
/// Positive answers are cached for their TTL clamped to `minTTL...maxTTL`; NXDOMAIN and NODATA for the SOA's
/// negative TTL (RFC 2308 §5) clamped to `maxNegativeTTL`; upstream failures for `servfailTTL`. Answers carry the
/// remaining TTL, so `dig` shows it counting down. With `serveStale`, expired data is served (TTL `replyTTL`) for
/// up to `maxStale` when a refresh fails or takes longer than `clientTimeout` (RFC 8767). Upstream attempts
/// follow `upstreamTries`, `upstreamTimeout` and `upstreamRTT`; the time they take (scenario time) delays the
/// reply by that time divided by the clock's speed.
///
/// The resolver's clock is the scenario clock when it runs; with frozen zones (`--at`) it is the frozen instant
/// plus the wall time since the server started.
public final class LiveResolver: LivePacketHandler {
    public let spec: ResolverSpec
    public let authority: LiveAuthority
    /// Scenario seconds per wall second for the resolver's own clock and upstream delays.
    public let speed: Double

    private struct Key: Hashable {
        var name: DomainName
        var type: RecordType
    }

    private struct Entry {
        var rcode: ResponseCode
        var answers: [ResourceRecord]
        var soa: ResourceRecord?
        var ttl: UInt32
        var storedAt: SimTime
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var servfailUntil: [Key: SimTime] = [:]
        var recheckUntil: [Key: SimTime] = [:]
    }

    /// Cached keys, at most (the cache is emptied when full: memory stays bounded).
    public static let maximumEntries = 100_000

    private let state = Mutex(State())
    private let startWall: Double
    private let startTime: SimTime
    private let clock: (@Sendable () -> SimTime)?

    /// A resolver with `spec`'s settings in front of `authority`. `clock` replaces the resolver's clock (tests).
    public init(spec: ResolverSpec, authority: LiveAuthority, speed: Double, clock: (@Sendable () -> SimTime)? = nil) {
        self.spec = spec
        self.authority = authority
        self.speed = speed
        self.startWall = LiveAuthority.wallSeconds()
        self.startTime = authority.now
        self.clock = clock
    }

    /// The resolver's clock.
    public var now: SimTime {
        if let clock { return clock() }
        if authority.speed > 0 { return authority.now }
        return startTime + .fractionalSeconds((LiveAuthority.wallSeconds() - startWall) * speed)
    }

    public func respond(to packet: [UInt8], overTCP: Bool, context: inout LiveQueryContext) -> LiveReply {
        guard packet.count >= 12, packet[2] & 0x80 == 0 else { return .none }
        let id = UInt16(packet[0]) << 8 | UInt16(packet[1])
        let rd = packet[2] & 0x01 != 0
        let opcode = (packet[2] >> 3) & 0x0F
        guard opcode == 0 else { return LiveReply(bytes: LiveResponder.bare(id: id, opcode: opcode, rd: rd, rcode: .notImp)) }
        guard let query = try? WireDecoder.decode(packet), query.questions.count == 1 else {
            return LiveReply(bytes: LiveResponder.bare(id: id, opcode: 0, rd: rd, rcode: .formErr))
        }
        let question = query.questions[0]
        let key = Key(name: question.name, type: question.type)
        let limit = overTCP ? 65535 : LiveResponder.udpLimit(query)
        let now = self.now
        let cached = state.withLock { state -> (fresh: Entry?, stale: Entry?, servfail: Bool, recheck: Bool) in
            guard let entry = state.entries[key] else {
                return (nil, nil, (state.servfailUntil[key].map { now < $0 }) ?? false, false)
            }
            let expires = entry.storedAt + .seconds(Int64(entry.ttl))
            if now < expires { return (entry, nil, false, false) }
            let staleLimit = expires + (spec.serveStale?.maxStale ?? .zero)
            let stale = spec.serveStale != nil && now < staleLimit ? entry : nil
            if stale == nil { state.entries[key] = nil }
            return (
                nil, stale, (state.servfailUntil[key].map { now < $0 }) ?? false,
                (state.recheckUntil[key].map { now < $0 }) ?? false
            )
        }
        if let fresh = cached.fresh {
            let remaining = UInt32(clamping: ((fresh.storedAt + .seconds(Int64(fresh.ttl))) - now).nanoseconds / 1_000_000_000)
            return LiveReply(bytes: encode(fresh, ttl: remaining, query: query, limit: limit))
        }
        if let stale = cached.stale, cached.servfail || cached.recheck {
            return LiveReply(bytes: encode(stale, ttl: spec.serveStale?.replyTTL ?? 30, query: query, limit: limit))
        }
        if cached.servfail {
            return LiveReply(bytes: encode(rcode: .servFail, query: query, limit: limit))
        }
        let (result, elapsed) = resolve(question, rng: &context.rng)
        let stored = now + elapsed
        state.withLock { state in
            if state.entries.count >= Self.maximumEntries {
                state.entries.removeAll(keepingCapacity: true)
                state.servfailUntil.removeAll(keepingCapacity: true)
                state.recheckUntil.removeAll(keepingCapacity: true)
            }
            switch result {
            case var entry?:
                entry.storedAt = stored
                state.entries[key] = entry
                state.servfailUntil[key] = nil
                state.recheckUntil[key] = nil
            case nil:
                if spec.servfailTTL > .zero { state.servfailUntil[key] = stored + spec.servfailTTL }
                if let stale = spec.serveStale { state.recheckUntil[key] = stored + stale.failureRecheck }
            }
        }
        if let stale = cached.stale, let staleSpec = spec.serveStale, result == nil || elapsed > staleSpec.clientTimeout {
            let wait = min(elapsed, staleSpec.clientTimeout)
            return LiveReply(bytes: encode(stale, ttl: staleSpec.replyTTL, query: query, limit: limit), delay: wall(wait))
        }
        guard let entry = result else {
            return LiveReply(bytes: encode(rcode: .servFail, query: query, limit: limit), delay: wall(elapsed))
        }
        return LiveReply(bytes: encode(entry, ttl: entry.ttl, query: query, limit: limit), delay: wall(elapsed))
    }

    /// Asks the authority (as the model has it now) up to `upstreamTries` times; `nil` when every attempt failed.
    private func resolve(_ question: Question, rng: inout RandomStream) -> (Entry?, SimDuration) {
        let snapshot = authority.snapshot
        var elapsed = SimDuration.zero
        for _ in 0..<max(1, spec.upstreamTries) {
            var response = snapshot.respond(to: question, overTCP: false, rng: &rng)
            if case .truncated = response.action {
                elapsed = elapsed + spec.upstreamRTT + response.delay
                response = snapshot.respond(to: question, overTCP: true, rng: &rng)
                elapsed = elapsed + spec.upstreamRTT
            }
            let roundTrip = spec.upstreamRTT + response.delay
            if roundTrip > spec.upstreamTimeout {
                elapsed = elapsed + spec.upstreamTimeout
                continue
            }
            switch response.action {
            case .answer(let answer) where answer.rcode == .noError && !answer.answers.isEmpty:
                let original = answer.answers.map(\.ttl).min() ?? 0
                let ttl = min(max(original, spec.minTTL), spec.maxTTL)
                return (Entry(rcode: .noError, answers: answer.answers, soa: nil, ttl: ttl, storedAt: .zero), elapsed + roundTrip)
            case .answer(let answer) where answer.rcode == .noError || answer.rcode == .nxDomain:
                let soa = answer.authority.first { $0.type == .soa }
                let ttl = min(soa?.ttl ?? 0, spec.maxNegativeTTL)
                return (Entry(rcode: answer.rcode, answers: [], soa: soa, ttl: ttl, storedAt: .zero), elapsed + roundTrip)
            case .noReply, .garbage:
                elapsed = elapsed + spec.upstreamTimeout
            case .portClosed:
                elapsed = elapsed + spec.upstreamRTT
            default:
                elapsed = elapsed + roundTrip
            }
        }
        return (nil, elapsed)
    }

    private func wall(_ duration: SimDuration) -> SimDuration {
        speed <= 0 ? duration : .fractionalSeconds(duration.seconds / speed)
    }

    private func encode(_ entry: Entry, ttl: UInt32, query: Message, limit: Int) -> [UInt8] {
        let answers = entry.answers.map { ResourceRecord(name: $0.name, ttl: min($0.ttl, ttl), data: $0.data) }
        let authority = entry.soa.map { [ResourceRecord(name: $0.name, ttl: min($0.ttl, ttl), data: $0.data)] } ?? []
        let message = query.response(
            rcode: entry.rcode, answers: answers, authority: authority, authoritative: false, recursionAvailable: true)
        return LiveResponder.encode(message, limit: limit)
    }

    private func encode(rcode: ResponseCode, query: Message, limit: Int) -> [UInt8] {
        LiveResponder.encode(query.response(rcode: rcode, authoritative: false, recursionAvailable: true), limit: limit)
    }
}
