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
/// instance's own state (``InstanceState``: its random stream for query IDs and where rotation has got to) is kept
/// by the fleet with the rest of the instance and passed in. A lookup in flight is one ``Query`` object, which is
/// also the target of its events. Queries refer to the stub resolvers `unowned(unsafe)`, for the reason
/// ``ClientFleet`` gives.
final class StubResolvers {
    private let client: ComponentID
    private let options: StubResolverOptions
    /// The resolvers, in server order. Held strongly here, and reached through `servers` on the way of every query.
    private let resolvers: [RecursiveResolver]
    /// The same resolvers, called without reference counting (`Unmanaged`): a resolver's closures refer to it
    /// weakly, which moves its reference count to a side table where every retain and release takes a slow path.
    private let servers: [Server]
    private let question: Question
    private let key: CacheKey
    private let halfRTT: SimDuration
    private let simulator: Simulator
    private let trace: TraceBus<WorldEvent>
    private let memo: ClassificationMemo
    private let rotates: Bool
    /// Called once per lookup, when c-ares would call back: the instance, the result and the purpose given.
    var finished: (Int, LookupResult, LookupPurpose) -> Void = { _, _, _ in }

    /// One instance's stub state.
    struct InstanceState {
        /// Draws query IDs (and, at the start, the first server).
        var rng: RandomStream
        /// With `rotate` over several resolvers: the server the next lookup starts at.
        var nextRotation: Int32
    }

    /// Why an instance looks the name up, handed back with the result.
    enum LookupPurpose {
        /// A periodic lookup whose result nobody uses (it only loads the resolvers).
        case periodic
        /// Replacing a connection: `failures` attempts have failed so far; `retiring` is the index (into the
        /// endpoint's service addresses) of the aged connection this attempt replaces, or -1.
        case replace(failures: Int, retiring: Int)
    }

    /// One `ares_send` in flight. It is the resolvers' return address: the tag of a reply is the server index. It
    /// is also the target of its own engine events (no closure per event), told apart by the low two bits of the
    /// code: ``Event``.
    private final class Query: ResolverReplySink, EventTarget {
        /// Unowned without reference counting, like the events' captures of the stub resolvers (see
        /// ``StubResolvers``): a query lives only inside events of its world's simulator.
        unowned(unsafe) let owner: StubResolvers
        @exclusivity(unchecked) var machine: StubLookup
        let instance: Int
        let id: UInt16
        let started: SimTime
        let purpose: LookupPurpose
        @exclusivity(unchecked) var lastServer: Int?
        /// The attempt timer c-ares has armed: when it fires and its generation (0: none armed).
        @exclusivity(unchecked) var deadline = SimTime.zero
        @exclusivity(unchecked) var deadlineGeneration = 0
        /// The engine event standing for the armed timer, once scheduled, and the generation it was scheduled for.
        @exclusivity(unchecked) var timer: EventHandle?
        @exclusivity(unchecked) var timerGeneration = 0
        /// While a send is with the resolver: whether it replied at once, and when that reply arrives.
        @exclusivity(unchecked) var sending = false
        @exclusivity(unchecked) var immediateReplyAt: SimTime?

        /// A query's engine events; the code is `argument << 2 | kind`.
        enum Event: Int {
            /// The query reaches a resolver: the argument is `server << 1 | overTCP`.
            case arrival = 0
            /// A reply reaches the client: the argument is where it waits in ``StubResolvers`` (`parked`).
            case reply = 1
            /// The attempt timer fires: the argument is its generation.
            case timer = 2

            func code(_ argument: Int) -> Int { argument << 2 | rawValue }
        }

        init(owner: StubResolvers, machine: StubLookup, instance: Int, id: UInt16, started: SimTime, purpose: LookupPurpose) {
            self.owner = owner
            self.machine = machine
            self.instance = instance
            self.id = id
            self.started = started
            self.purpose = purpose
        }

        func resolverReplied(_ reply: ResolverReply, tag: Int, overTCP: Bool) {
            if sending { immediateReplyAt = owner.simulator.now + owner.halfRTT }
            let slot = owner.park(ParkedReply(reply: reply, server: tag, overTCP: overTCP))
            owner.simulator.schedule(after: owner.halfRTT, target: self, code: Event.reply.code(slot))
        }

        func fire(_ code: Int) {
            let argument = code >> 2
            switch Event(rawValue: code & 3) {
            case .arrival: owner.arrive(self, at: argument >> 1, overTCP: argument & 1 == 1)
            case .reply:
                let parked = owner.unpark(argument)
                owner.deliver(parked.reply, from: parked.server, overTCP: parked.overTCP, to: self)
            case .timer:
                guard !machine.isFinished else { return }
                owner.perform(machine.timerExpired(generation: argument), self)
            case nil: preconditionFailure("unknown query event code \(code)")
            }
        }
    }

    /// A resolver as a query reaches it: unretained, as `resolvers` keeps it alive.
    private struct Server {
        let resolver: Unmanaged<RecursiveResolver>
        let id: ComponentID
    }

    /// A reply on its way to a query, waiting for its arrival event.
    private struct ParkedReply {
        var reply: ResolverReply
        var server: Int
        var overTCP: Bool
    }

    /// Replies in flight, by the slot their arrival event carries; free slots are reused.
    @exclusivity(unchecked) private var parked: [ParkedReply?] = []
    @exclusivity(unchecked) private var freeParked: [Int] = []

    private func park(_ reply: ParkedReply) -> Int {
        if let slot = freeParked.popLast() {
            parked[slot] = reply
            return slot
        }
        parked.append(reply)
        return parked.count - 1
    }

    private func unpark(_ slot: Int) -> ParkedReply {
        guard let reply = parked[slot].take() else { preconditionFailure("no reply parked in slot \(slot)") }
        freeParked.append(slot)
        return reply
    }

    init(
        client: ComponentID, question: Question, options: StubResolverOptions, resolvers: [RecursiveResolver],
        rtt: SimDuration, simulator: Simulator, trace: TraceBus<WorldEvent>, memo: ClassificationMemo
    ) {
        self.client = client
        self.options = options
        self.resolvers = resolvers
        self.servers = resolvers.map { Server(resolver: .passUnretained($0), id: $0.id) }
        self.question = question
        self.key = CacheKey(name: question.name, type: question.type)
        self.halfRTT = SimDuration(nanoseconds: rtt.nanoseconds / 2)
        self.simulator = simulator
        self.trace = trace
        self.memo = memo
        self.rotates = options.rotate && resolvers.count > 1
    }

    /// An instance's stub state from its stream, which is drawn from once (the rotation start) when there are
    /// several resolvers, as c-ares picks a random first server.
    func instanceState(stream: RandomStream) -> InstanceState {
        var rng = stream
        let first = resolvers.count > 1 ? Int32(rng.below(UInt64(resolvers.count))) : 0
        return InstanceState(rng: rng, nextRotation: first)
    }

    /// Instance `instance` (whose stub state is `state`) looks the fleet's name up; ``finished`` is called once,
    /// when c-ares would call back.
    func lookup(instance: Int, state: inout InstanceState, purpose: LookupPurpose) {
        var first = 0
        if rotates {  // ARES_OPT_ROTATE: each query starts at the next server (ares_send.c)
            first = Int(state.nextRotation)
            state.nextRotation = Int32((first + 1) % resolvers.count)
        }
        let machine = StubLookup(options: options, serverCount: resolvers.count, firstServer: first)
        let query = Query(
            owner: self, machine: machine, instance: instance, id: UInt16(truncatingIfNeeded: state.rng.next()),
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
            if let old = query.timer {
                simulator.cancel(old)
                query.timer = nil
            }
            query.deadline = simulator.now + after
            query.deadlineGeneration = generation
            // Every armed timer comes with a send; the timer's engine event is put off until the resolver has the
            // query (see `ensureTimer`), unless the timer could fire before that.
            if after <= halfRTT + halfRTT + halfRTT { ensureTimer(query) }
        case .finish:
            if let timer = query.timer { simulator.cancel(timer) }
            finish(query, query.machine.result!)
        }
    }

    private func send(_ query: Query, to server: Int, overTCP: Bool) {
        // TCP costs a handshake round trip before the query.
        let outbound = overTCP ? halfRTT + halfRTT + halfRTT : halfRTT
        simulator.schedule(
            after: outbound, target: query, code: Query.Event.arrival.code(server << 1 | (overTCP ? 1 : 0)))
    }

    /// The query reaches resolver `server`, which answers at once or later.
    private func arrive(_ query: Query, at server: Int, overTCP: Bool) {
        query.sending = true
        query.immediateReplyAt = nil
        servers[server].resolver._withUnsafeGuaranteedRef {
            $0.receive(
                queryID: query.id, question: question, replyTo: ReplyAddress(sink: query, tag: server, overTCP: overTCP))
        }
        query.sending = false
        // A reply on its way that arrives before the deadline will decide (and arm the timer if it must).
        if let arrival = query.immediateReplyAt, arrival < query.deadline { return }
        ensureTimer(query)
    }

    /// Schedules the engine event of the armed attempt timer if it is not scheduled yet.
    ///
    /// Scheduling it only when it may matter (no reply is known to arrive before it) saves an event, a closure and
    /// a cancellation for nearly every lookup; it fires at the same virtual time as if it had been scheduled when
    /// c-ares armed it. The rule that keeps this exact: the timer is scheduled no later than the first moment
    /// nothing else would wake the query before the deadline (the send's arrival at the resolver, or a reply that
    /// leaves the query waiting).
    private func ensureTimer(_ query: Query) {
        guard !query.machine.isFinished, query.deadlineGeneration > 0, query.timerGeneration != query.deadlineGeneration
        else { return }
        assert(query.deadline >= simulator.now, "an attempt timer was put off past its deadline")
        let generation = query.deadlineGeneration
        query.timerGeneration = generation
        query.timer = simulator.schedule(at: query.deadline, target: query, code: Query.Event.timer.code(generation))
    }

    private func deliver(_ reply: ResolverReply, from server: Int, overTCP: Bool, to query: Query) {
        guard !query.machine.isFinished else { return }
        query.lastServer = server
        switch reply {
        case .bytes(let bytes):
            let classification = memo.classify(bytes, query: question, queryID: query.id, overTCP: overTCP)
            perform(query.machine.receive(classification, from: server, overTCP: overTCP), query)
        case .answer(let body, let id):
            let classification = memo.classify(body: body, id: id, query: question, queryID: query.id, overTCP: overTCP)
            perform(query.machine.receive(classification, from: server, overTCP: overTCP), query)
        case .portClosed:
            perform(query.machine.connectionRefused(server: server), query)
        }
        ensureTimer(query)  // still waiting: the timer is what ends the wait now
    }

    private func finish(_ query: Query, _ result: StubResult) {
        let report = LookupReport(
            client: client, instance: query.instance, key: key, outcome: result.outcome, status: result.status,
            started: query.started, finished: simulator.now, queriesSent: result.queriesSent,
            resolver: query.lastServer.map { servers[$0].id }, fromAppCache: false)
        trace.publish(.lookupFinished(report), at: simulator.now)
        finished(
            query.instance,
            LookupResult(outcome: result.outcome, status: result.status, addresses: result.classification?.addresses ?? []),
            query.purpose)
    }
}
