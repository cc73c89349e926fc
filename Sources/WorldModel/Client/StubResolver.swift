import AresShim
import DNSModel
import SimKernel

/// The result of one lookup as the application sees it.
struct LookupResult {
    var outcome: LookupOutcome
    var status: AresStatus
    var addresses: [IPAddress]
}

/// The stub resolvers of one client fleet: c-ares 1.18's retry schedule (``StubLookup``) driven in virtual time
/// for each instance, talking to simulated resolvers whose replies are real DNS wire bytes, classified by c-ares.
///
/// Every instance of a fleet has the same channel options, resolvers and question, so they live here once; an
/// instance's own state is its random stream (query IDs, the first server) and, with `rotate`, where rotation has
/// got to, kept in flat arrays. A lookup in flight is one ``Query`` object.
final class StubResolvers {
    private let client: ComponentID
    private let options: StubResolverOptions
    private let resolvers: [RecursiveResolver]
    private let question: Question
    private let key: CacheKey
    private let halfRTT: SimDuration
    private let simulator: Simulator
    private let trace: TraceBus<WorldEvent>
    private let memo: ClassificationMemo
    /// Per instance: the stream that draws query IDs.
    @exclusivity(unchecked) private var rngs: [RandomStream]
    /// Per instance, with `rotate` over several resolvers: the server the next lookup starts at.
    @exclusivity(unchecked) private var nextRotation: [Int32]
    /// Called once per lookup, when c-ares would call back: the instance, the result and the purpose given.
    var finished: (Int, LookupResult, LookupPurpose) -> Void = { _, _, _ in }

    /// Why an instance looks the name up, handed back with the result.
    enum LookupPurpose {
        /// A periodic lookup whose result nobody uses (it only loads the resolvers).
        case periodic
        /// Replacing a connection: `failures` attempts have failed so far; `retiring` is the index (into the
        /// endpoint's service addresses) of the aged connection this attempt replaces, or -1.
        case replace(failures: Int, retiring: Int)
    }

    /// One `ares_send` in flight. It is the resolvers' return address: the tag of a reply is the server index.
    private final class Query: ResolverReplySink {
        unowned let owner: StubResolvers
        @exclusivity(unchecked) var machine: StubLookup
        let instance: Int
        let id: UInt16
        let started: SimTime
        let purpose: LookupPurpose
        @exclusivity(unchecked) var timer: EventHandle?
        @exclusivity(unchecked) var lastServer: Int?

        init(owner: StubResolvers, machine: StubLookup, instance: Int, id: UInt16, started: SimTime, purpose: LookupPurpose) {
            self.owner = owner
            self.machine = machine
            self.instance = instance
            self.id = id
            self.started = started
            self.purpose = purpose
        }

        func resolverReplied(_ reply: ResolverReply, tag: Int, overTCP: Bool) {
            owner.simulator.schedule(after: owner.halfRTT) { [self] in
                owner.deliver(reply, from: tag, overTCP: overTCP, to: self)
            }
        }
    }

    /// `streams(i)` is instance i's stream; it is drawn from once here (the rotation start) when there are
    /// several resolvers, as c-ares picks a random first server.
    init(
        client: ComponentID, instances: Int, question: Question, options: StubResolverOptions, resolvers: [RecursiveResolver],
        rtt: SimDuration, simulator: Simulator, trace: TraceBus<WorldEvent>, memo: ClassificationMemo,
        streams: (Int) -> RandomStream
    ) {
        self.client = client
        self.options = options
        self.resolvers = resolvers
        self.question = question
        self.key = CacheKey(name: question.name, type: question.type)
        self.halfRTT = SimDuration(nanoseconds: rtt.nanoseconds / 2)
        self.simulator = simulator
        self.trace = trace
        self.memo = memo
        var rngs: [RandomStream] = []
        rngs.reserveCapacity(instances)
        var rotation: [Int32] = []
        if options.rotate && resolvers.count > 1 { rotation.reserveCapacity(instances) }
        for index in 0..<instances {
            var rng = streams(index)
            let first = resolvers.count > 1 ? Int32(rng.below(UInt64(resolvers.count))) : 0
            if options.rotate && resolvers.count > 1 { rotation.append(first) }
            rngs.append(rng)
        }
        self.rngs = rngs
        self.nextRotation = rotation
    }

    /// Instance `instance` looks the fleet's name up; ``finished`` is called once, when c-ares would call back.
    func lookup(instance: Int, purpose: LookupPurpose) {
        var first = 0
        if !nextRotation.isEmpty {  // ARES_OPT_ROTATE: each query starts at the next server (ares_send.c)
            first = Int(nextRotation[instance])
            nextRotation[instance] = Int32((first + 1) % resolvers.count)
        }
        let machine = StubLookup(options: options, serverCount: resolvers.count, firstServer: first)
        let query = Query(
            owner: self, machine: machine, instance: instance, id: UInt16(truncatingIfNeeded: rngs[instance].next()),
            started: simulator.now, purpose: purpose)
        let actions = query.machine.start()
        perform(actions, query)
    }

    private func perform(_ actions: StubActions, _ query: Query) {
        // The two slots directly: iterating the collection would go through its generic witnesses.
        if let first = actions.first { perform(first, query) }
        if let second = actions.second { perform(second, query) }
    }

    private func perform(_ action: StubAction, _ query: Query) {
        switch action {
        case .send(let server, let overTCP):
            send(query, to: server, overTCP: overTCP)
        case .armTimer(let after, let generation):
            if let old = query.timer { simulator.cancel(old) }
            query.timer = simulator.schedule(after: after) { [unowned self] in
                guard !query.machine.isFinished else { return }
                self.perform(query.machine.timerExpired(generation: generation), query)
            }
        case .finish:
            if let timer = query.timer { simulator.cancel(timer) }
            finish(query, query.machine.result!)
        }
    }

    private func send(_ query: Query, to server: Int, overTCP: Bool) {
        let resolver = resolvers[server]
        // TCP costs a handshake round trip before the query.
        let outbound = overTCP ? halfRTT + halfRTT + halfRTT : halfRTT
        simulator.schedule(after: outbound) { [question] in
            resolver.receive(
                queryID: query.id, question: question, replyTo: ReplyAddress(sink: query, tag: server, overTCP: overTCP))
        }
    }

    private func deliver(_ reply: ResolverReply, from server: Int, overTCP: Bool, to query: Query) {
        guard !query.machine.isFinished else { return }
        query.lastServer = server
        switch reply {
        case .bytes(let bytes):
            let classification = memo.classify(bytes, query: question, queryID: query.id, overTCP: overTCP)
            perform(query.machine.receive(classification, from: server, overTCP: overTCP), query)
        case .portClosed:
            perform(query.machine.connectionRefused(server: server), query)
        }
    }

    private func finish(_ query: Query, _ result: StubResult) {
        let report = LookupReport(
            client: client, instance: query.instance, key: key, outcome: result.outcome, status: result.status,
            started: query.started, finished: simulator.now, queriesSent: result.queriesSent,
            resolver: query.lastServer.map { resolvers[$0].id }, fromAppCache: false)
        trace.publish(.lookupFinished(report), at: simulator.now)
        finished(
            query.instance,
            LookupResult(outcome: result.outcome, status: result.status, addresses: result.classification?.addresses ?? []),
            query.purpose)
    }
}
