import DNSModel
import SimKernel

/// What a resolver sends back to a client query.
enum ResolverReply {
    /// A datagram (or TCP message) of DNS wire bytes.
    case bytes([UInt8])
    /// The same, with the ID given apart: the message is `body` with its first two bytes replaced by `id`. A cached
    /// reply is shared this way, so answering from the cache copies no bytes.
    case answer(body: [UInt8], id: UInt16)
    /// The port is closed: the client's socket reports connection refused.
    case portClosed
}

/// Where a resolver's replies go: the client that asked. `tag` and `overTCP` come back as the client passed them.
protocol ResolverReplySink: AnyObject {
    /// `reply` is consumed: a sink that keeps it takes it over without retaining its bytes.
    func resolverReplied(_ reply: consuming ResolverReply, tag: Int, overTCP: Bool)
}

/// The return address of one client query, and the extra latency a fault adds to the reply.
///
/// The sink is held without reference counting: sinks (a fleet's ``StubResolvers``) live as long as the world, as the
/// resolvers that keep reply addresses do, and a reply address is copied several times per query.
struct ReplyAddress {
    unowned(unsafe) let sink: any ResolverReplySink
    let tag: Int
    let overTCP: Bool
    /// Added by latency faults; the reply leaves this much later.
    var extra: SimDuration = .zero

    /// Sends `reply` back, after the extra latency if there is any.
    func send(_ reply: consuming ResolverReply, on simulator: Simulator) {
        if extra > .zero {
            simulator.schedule(after: extra) { [self, reply] in sink.resolverReplied(reply, tag: tag, overTCP: overTCP) }
        } else {
            sink.resolverReplied(consume reply, tag: tag, overTCP: overTCP)
        }
    }
}

/// A recursive (caching) resolver: positive and negative cache (RFC 2308), SERVFAIL cache, serve-stale
/// (RFC 8767), prefetch, upstream timeouts and retries, a query-rate capacity.
///
/// It asks the authority that holds the name's zone directly (referrals from the root are not modelled).
/// Concurrent queries for the same key share one upstream resolution.
///
/// Stored properties are `@exclusivity(unchecked)`: no access to one is held across a call that could reach it
/// again (waiters and replies run after the resolver's own accesses end), and the run-time checks cost more than
/// the lookups themselves.
final class RecursiveResolver {
    let id: ComponentID
    let spec: ResolverSpec
    @exclusivity(unchecked) var behaviours = ServerBehaviourSet()

    private let simulator: Simulator
    private let trace: TraceBus<WorldEvent>
    private let authorities: [AuthoritativeServer]
    @exclusivity(unchecked) private var rng: RandomStream
    @exclusivity(unchecked) private var cache: ResolverCache
    @exclusivity(unchecked) private var inflight: [CacheKey: Resolution] = [:]
    /// SERVFAIL cache (RFC 2308 §7.1) and the RFC 8767 failure-recheck timer, apart from the data cache,
    /// so that a failure never erases the data serve-stale needs.
    @exclusivity(unchecked) private var servfailUntil: [CacheKey: SimTime] = [:]
    @exclusivity(unchecked) private var recheckUntil: [CacheKey: SimTime] = [:]
    @exclusivity(unchecked) private var tokens: Double
    @exclusivity(unchecked) private var tokensAt: SimTime = .zero
    @exclusivity(unchecked) private var encoder = WireEncoder(capacity: 512)

    /// One upstream resolution and everyone waiting for it.
    private final class Resolution {
        var waiters: [(ResolutionResult) -> Void] = []
        var attempt = 0
        var timer: EventHandle?
        var finished = false
    }

    private enum ResolutionResult {
        case answer(ResolverCache.Entry)
        case failure(LookupOutcome)
    }

    init(
        spec: ResolverSpec, simulator: Simulator, trace: TraceBus<WorldEvent>, authorities: [AuthoritativeServer],
        rng: RandomStream
    ) {
        self.id = ComponentID(.resolver, spec.id)
        self.spec = spec
        self.simulator = simulator
        self.trace = trace
        self.authorities = authorities
        self.rng = rng
        self.cache = ResolverCache(maxStale: spec.serveStale?.maxStale ?? .zero)
        self.tokens = spec.capacityQPS ?? 0
    }

    // MARK: Client side

    /// Handles a client query; replies to `address` (at most once) at the virtual time the answer leaves the resolver.
    /// `key` is the question's cache key (a client asks the same question every time, so it keeps the key).
    func receive(queryID: UInt16, question: Question, key: CacheKey, replyTo address: ReplyAddress) {
        precondition(key.name == question.name && key.type == question.type, "a cache key for another question")
        var address = address
        if !behaviours.isEmpty {
            let (extra, behaviour) = behaviours.decide(question.name, rng: &rng)
            address.extra = extra
            switch behaviour {
            case .none, .latency?:
                break
            case .truncate(tcpWorks: true)? where address.overTCP:
                break
            case let behaviour?:
                if let faultReply = faultReply(
                    behaviour, key: key, queryID: queryID, question: question, overTCP: address.overTCP)
                {
                    address.send(faultReply, on: simulator)
                }
                return
            }
        }
        if !admit() {
            answered(key, .refused, .overload)
            if spec.overload == .refuse {
                address.sink.resolverReplied(
                    .bytes(encode(queryID: queryID, question: question, rcode: .refused)), tag: address.tag,
                    overTCP: address.overTCP)
            }
            return
        }
        answer(key: key, queryID: queryID, question: question, respond: address)
    }

    private func answer(key: CacheKey, queryID: UInt16, question: Question, respond: ReplyAddress) {
        let now = simulator.now
        let stale: ResolverCache.Entry?
        switch cache.lookup(key, now: now) {
        case .fresh(let found, let remaining):
            // Unretained: nothing here changes the cache before the prefetch, which comes after the last use.
            let ttl = found._withUnsafeGuaranteedRef { entry in
                respond.send(reply(entry, ttl: remaining, queryID: queryID, question: question), on: simulator)
                answered(key, entry.summary.outcome, .cache)
                return entry.summary.ttl
            }
            if spec.prefetch, ttl > 0, UInt64(remaining) * 10 < UInt64(ttl), inflight[key] == nil {
                resolve(key)
            }
            return
        case .stale(let found, _):
            stale = found.takeUnretainedValue()
        case .miss:
            stale = nil
        }
        if let until = servfailUntil[key], now < until {
            if let stale, spec.serveStale != nil {
                respondStale(stale, key: key, queryID: queryID, question: question, respond: respond)
            } else {
                respond.send(.bytes(encode(queryID: queryID, question: question, rcode: .servFail)), on: simulator)
                answered(key, .servFail, .cache)
            }
            return
        }
        if let stale, let staleSpec = spec.serveStale {
            if let until = recheckUntil[key], now < until {
                respondStale(stale, key: key, queryID: queryID, question: question, respond: respond)
                return
            }
            // RFC 8767 §5: try to refresh; answer from stale data if the client response timer fires first
            // or the refresh fails.
            var done = false
            let timer = simulator.schedule(after: staleSpec.clientTimeout) { [weak self] in
                guard let self, !done else { return }
                done = true
                self.respondStale(stale, key: key, queryID: queryID, question: question, respond: respond)
            }
            resolve(key) { [weak self] result in
                guard let self, !done else { return }
                done = true
                self.simulator.cancel(timer)
                switch result {
                case .answer(let entry):
                    respond.send(
                        self.reply(entry, ttl: entry.summary.ttl, queryID: queryID, question: question),
                        on: self.simulator)
                    self.answered(key, entry.summary.outcome, .upstream)
                case .failure:
                    self.respondStale(stale, key: key, queryID: queryID, question: question, respond: respond)
                }
            }
            return
        }
        resolve(key) { [weak self] result in
            guard let self else { return }
            switch result {
            case .answer(let entry):
                respond.send(
                    self.reply(entry, ttl: entry.summary.ttl, queryID: queryID, question: question),
                    on: self.simulator)
                self.answered(key, entry.summary.outcome, .upstream)
            case .failure:
                respond.send(.bytes(self.encode(queryID: queryID, question: question, rcode: .servFail)), on: self.simulator)
                self.answered(key, .servFail, .upstream)
            }
        }
    }

    private func respondStale(
        _ entry: ResolverCache.Entry, key: CacheKey, queryID: UInt16, question: Question, respond: ReplyAddress
    ) {
        let ttl = spec.serveStale?.replyTTL ?? 30
        respond.send(reply(entry, ttl: ttl, queryID: queryID, question: question), on: simulator)
        answered(key, entry.summary.outcome, .stale)
    }

    /// The reply a faulty resolver sends instead of an answer (`nil`: none at all).
    private func faultReply(
        _ behaviour: ServerBehaviour, key: CacheKey, queryID: UInt16, question: Question, overTCP: Bool
    ) -> ResolverReply? {
        switch behaviour {
        case .servfail: return faultAnswer(key, .servFail, queryID, question)
        case .refused: return faultAnswer(key, .refused, queryID, question)
        case .notimp: return faultAnswer(key, .notImp, queryID, question)
        case .formerr: return faultAnswer(key, .formErr, queryID, question)
        case .noAnswer, .latency:
            answered(key, .timeout, .fault)
            return nil
        case .portClosed:
            answered(key, .connectionRefused, .fault)
            return .portClosed
        case .garbage:
            answered(key, .timeout, .fault)
            var bytes: [UInt8] = []
            for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            return .bytes(bytes)
        case .truncate:
            if overTCP {  // TCP does not work either
                answered(key, .connectionRefused, .fault)
                return .portClosed
            }
            answered(key, .truncated, .fault)
            var message = Message.query(id: queryID, name: question.name, type: question.type).response(rcode: .noError)
            message.header.truncated = true
            return .bytes(encodeMessage(message))
        case .malformed:
            // A NOERROR reply whose one answer record is cut short (c-ares: ARES_EBADRESP).
            answered(key, .malformed, .fault)
            let data: RecordData =
                question.type == .aaaa ? .aaaa(IPv6Address(bytes: [UInt8](repeating: 0, count: 16))) : .a(IPv4Address(0, 0, 0, 0))
            let bytes = encode(
                queryID: queryID, question: question, rcode: .noError,
                answers: [ResourceRecord(name: question.name, ttl: 0, data: data)])
            return .bytes(Array(bytes.prefix(bytes.count - 3)))
        }
    }

    private func faultAnswer(_ key: CacheKey, _ rcode: ResponseCode, _ queryID: UInt16, _ question: Question) -> ResolverReply {
        answered(key, Self.outcome(of: rcode), .fault)
        return .bytes(encode(queryID: queryID, question: question, rcode: rcode))
    }

    /// Token-bucket admission at `capacityQPS` with a one-second burst.
    private func admit() -> Bool {
        guard let rate = spec.capacityQPS else { return true }
        let now = simulator.now
        tokens = min(rate, tokens + (now - tokensAt).seconds * rate)
        tokensAt = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    private func answered(_ key: CacheKey, _ outcome: LookupOutcome, _ source: AnswerSource) {
        trace.publish(.resolverAnswered(resolver: id, key: key, outcome: outcome, source: source), at: simulator.now)
    }

    // MARK: Operator actions

    func flush(_ name: DomainName?) {
        if let name {
            for type in [RecordType.a, .aaaa, .cname, .txt, .ns, .soa] {
                let key = CacheKey(name: name, type: type)
                cache.remove(key)
                servfailUntil[key] = nil
                recheckUntil[key] = nil
            }
        } else {
            cache.removeAll()
            servfailUntil.removeAll()
            recheckUntil.removeAll()
        }
    }

    // MARK: Upstream

    private func authority(for name: DomainName) -> AuthoritativeServer? {
        var best: (server: AuthoritativeServer, depth: Int)?
        for server in authorities {
            guard let index = server.zoneIndex(for: name) else { continue }
            let depth = server.zones[index].origin.labels.count
            if best == nil || depth > best!.depth { best = (server, depth) }
        }
        return best?.server
    }

    /// Starts (or joins) the upstream resolution of `key`.
    private func resolve(_ key: CacheKey, then waiter: ((ResolutionResult) -> Void)? = nil) {
        if let running = inflight[key] {
            if let waiter { running.waiters.append(waiter) }
            return
        }
        let resolution = Resolution()
        if let waiter { resolution.waiters.append(waiter) }
        inflight[key] = resolution
        guard let server = authority(for: key.name) else {
            finish(key, resolution, .failure(.servFail))
            return
        }
        attempt(key, resolution, server, overTCP: false)
    }

    private func attempt(_ key: CacheKey, _ resolution: Resolution, _ server: AuthoritativeServer, overTCP: Bool) {
        resolution.attempt += 1
        let attemptNumber = resolution.attempt
        let halfRTT = SimDuration(nanoseconds: spec.upstreamRTT.nanoseconds / 2)
        if let old = resolution.timer { simulator.cancel(old) }
        resolution.timer = simulator.schedule(after: spec.upstreamTimeout) { [weak self] in
            self?.attemptFailed(key, resolution, server, attemptNumber, reason: .timeout)
        }
        let question = Question(name: key.name, type: key.type)
        simulator.schedule(after: halfRTT) { [weak self] in
            guard let self else { return }
            let (reply, delay) = server.respond(to: question, overTCP: overTCP)
            let back = delay + halfRTT + (overTCP ? self.spec.upstreamRTT : .zero)
            switch reply {
            case .none:
                return
            case .portClosed:
                self.simulator.schedule(after: halfRTT) {
                    self.attemptFailed(key, resolution, server, attemptNumber, reason: .connectionRefused)
                }
            case .malformed:
                self.simulator.schedule(after: back) {
                    self.attemptFailed(key, resolution, server, attemptNumber, reason: .malformed)
                }
            case .rcode(let rcode):
                self.simulator.schedule(after: back) {
                    self.attemptFailed(key, resolution, server, attemptNumber, reason: Self.outcome(of: rcode))
                }
            case .truncated:
                self.simulator.schedule(after: back) {
                    guard !resolution.finished, resolution.attempt == attemptNumber else { return }
                    resolution.attempt -= 1  // the TCP retry is part of the same attempt
                    self.attempt(key, resolution, server, overTCP: true)
                }
            case .answer(let zoneAnswer):
                self.simulator.schedule(after: back) {
                    guard !resolution.finished, resolution.attempt == attemptNumber else { return }
                    self.received(zoneAnswer, key, resolution, server, attemptNumber)
                }
            }
        }
    }

    private func received(
        _ zoneAnswer: ZoneAnswer, _ key: CacheKey, _ resolution: Resolution, _ server: AuthoritativeServer, _ attemptNumber: Int
    ) {
        let now = simulator.now
        switch zoneAnswer.rcode {
        case .noError where !zoneAnswer.answers.isEmpty:
            let original = zoneAnswer.answers.map(\.ttl).min() ?? 0
            let ttl = min(max(original, spec.minTTL), spec.maxTTL)
            let summary = CacheEntrySummary(
                outcome: .noError, recordCount: zoneAnswer.answers.count, ttl: ttl, originalTTL: original, storedAt: now)
            finish(key, resolution, .answer(ResolverCache.Entry(summary: summary, records: zoneAnswer.answers, soa: nil)))
        case .noError, .nxDomain:
            // RFC 2308 §5: the negative TTL is the TTL of the SOA in the authority section
            // (which the authority sets to min(SOA TTL, MINIMUM)).
            let soa = zoneAnswer.authority.first { $0.type == .soa }
            let original = soa?.ttl ?? 0
            let ttl = min(original, spec.maxNegativeTTL)
            let outcome: LookupOutcome = zoneAnswer.rcode == .nxDomain ? .nxDomain : .noData
            let summary = CacheEntrySummary(outcome: outcome, recordCount: 0, ttl: ttl, originalTTL: original, storedAt: now)
            finish(key, resolution, .answer(ResolverCache.Entry(summary: summary, records: [], soa: soa)))
        default:
            attemptFailed(key, resolution, server, attemptNumber, reason: Self.outcome(of: zoneAnswer.rcode))
        }
    }

    private func attemptFailed(
        _ key: CacheKey, _ resolution: Resolution, _ server: AuthoritativeServer, _ attemptNumber: Int, reason: LookupOutcome
    ) {
        guard !resolution.finished, resolution.attempt == attemptNumber else { return }
        if resolution.attempt < spec.upstreamTries {
            attempt(key, resolution, server, overTCP: false)
        } else {
            finish(key, resolution, .failure(reason))
        }
    }

    private func finish(_ key: CacheKey, _ resolution: Resolution, _ result: ResolutionResult) {
        resolution.finished = true
        if let timer = resolution.timer { simulator.cancel(timer) }
        inflight[key] = nil
        let now = simulator.now
        switch result {
        case .answer(let entry):
            if let mean = spec.cacheEvictionMean, mean > .zero {
                entry.evictAt = now + SimDuration.fractionalSeconds(rng.exponential(mean: mean.seconds))
            }
            let previous = cache.store(key, entry)
            servfailUntil[key] = nil
            recheckUntil[key] = nil
            trace.publish(.cacheStored(resolver: id, key: key, entry: entry.summary, previous: previous?.summary), at: now)
        case .failure(let reason):
            trace.publish(.upstreamFailed(resolver: id, key: key, reason: reason), at: now)
            if spec.servfailTTL > .zero { servfailUntil[key] = now + spec.servfailTTL }
            if let stale = spec.serveStale { recheckUntil[key] = now + stale.failureRecheck }
        }
        for waiter in resolution.waiters { waiter(result) }
    }

    // MARK: Wire

    /// The reply for a cached entry with its TTLs capped at `ttl`. Every entry answered from is stored (waiters of a
    /// resolution get the entry once it is) and keeps its reply as a template (for the latest question spelling), so
    /// an answer shares the template's bytes with the record TTLs capped and gives the ID apart
    /// (``ResolverReply/answer(body:id:)``) instead of encoding; the message is exactly what encoding would give.
    private func reply(_ entry: ResolverCache.Entry, ttl: UInt32, queryID: UInt16, question: Question) -> ResolverReply {
        if entry.template?.answers(question) != true {
            entry.template = ReplyTemplate(
                question: question, bytes: encodeAnswer(entry, ttl: .max, queryID: 0, question: question))
        }
        let body = entry.template!.reply(cappedAt: ttl)
        // Debug builds (and so the test suite) check every patched reply against a fresh encoding.
        assert(
            {
                var bytes = body
                bytes.withUnsafeMutableBytes { $0.storeBytes(of: queryID.bigEndian, toByteOffset: 0, as: UInt16.self) }
                return bytes == encodeAnswer(entry, ttl: ttl, queryID: queryID, question: question)
            }(), "reply template drifted")
        return .answer(body: body, id: queryID)
    }

    private func encodeAnswer(_ entry: ResolverCache.Entry, ttl: UInt32, queryID: UInt16, question: Question) -> [UInt8] {
        switch entry.summary.outcome {
        case .noError:
            let answers = entry.records.map { ResourceRecord(name: $0.name, ttl: min($0.ttl, ttl), data: $0.data) }
            return encode(queryID: queryID, question: question, rcode: .noError, answers: answers)
        default:
            let rcode: ResponseCode = entry.summary.outcome == .nxDomain ? .nxDomain : .noError
            let authority = entry.soa.map { [ResourceRecord(name: $0.name, ttl: min($0.ttl, ttl), data: $0.data)] } ?? []
            return encode(queryID: queryID, question: question, rcode: rcode, authority: authority)
        }
    }

    private func encode(
        queryID: UInt16, question: Question, rcode: ResponseCode, answers: [ResourceRecord] = [],
        authority: [ResourceRecord] = []
    ) -> [UInt8] {
        let message = Message.query(id: queryID, name: question.name, type: question.type)
            .response(rcode: rcode, answers: answers, authority: authority, recursionAvailable: true)
        return encodeMessage(message)
    }

    private func encodeMessage(_ message: Message) -> [UInt8] {
        do {
            let length = try encoder.encode(message)
            return encoder.withBytes { Array($0.prefix(length)) }
        } catch {
            preconditionFailure("encoding a resolver answer failed: \(error)")
        }
    }

    static func outcome(of rcode: ResponseCode) -> LookupOutcome {
        switch rcode {
        case .noError: .noError
        case .nxDomain: .nxDomain
        case .refused: .refused
        case .notImp: .notImp
        case .formErr: .formErr
        default: .servFail
        }
    }
}
