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
/// instance's own state (``InstanceState``: where its query IDs come from and where rotation has got to) is kept
/// by the fleet with the rest of the instance and passed in.
///
/// A lookup in flight is a ``Query`` value in a slot of `queries`, not an object: the stub resolvers are the target
/// of every query event (the code names the slot, ``Event``) and the return address of every resolver reply (the tag
/// names the slot, the query's generation in it and the server). A slot is reused once its query has finished and
/// none of its events is pending; a resolver may still answer it later (its reply address outlives the query), and
/// that reply, of an older generation, is delivered to nobody, as c-ares ignores an answer to a query it no longer
/// has. The stub resolvers are registered with the simulator
/// (``Simulator/register(_:)``), so that a lookup costs no allocation and its events no reference counting.
final class StubResolvers: EventTarget, ResolverReplySink {
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
    /// The stub resolvers as their events' target (registered with the simulator).
    private var me: RegisteredTarget!
    /// The fleet these stub resolvers serve, told of each lookup's end when c-ares would call back
    /// (``ClientFleet/stubFinished(_:_:_:)``). Unretained: the fleet owns the stub resolvers; and called through
    /// `Unmanaged`, as a closure (or any stored reference) would retain and release the fleet at every lookup.
    private var fleet: Unmanaged<ClientFleet>?

    /// One instance's stub state: 16 bytes, so that with its fleet's own stream an instance takes 48 bytes (a million
    /// instances are read at random, a cache line or two each).
    struct InstanceState {
        /// The SplitMix64 state query IDs are drawn from (seeded from the instance's stub stream, after the first
        /// server). A query ID changes nothing the model computes (the resolver echoes it, and a reply to an earlier
        /// query is matched by its slot and generation), so 8 bytes of state do instead of a 32-byte stream.
        var idState: UInt64
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

    /// One `ares_send`: in flight, or finished while some of its events are still pending.
    private struct Query {
        var machine: StubLookup
        let instance: Int
        let id: UInt16
        let started: SimTime
        let purpose: LookupPurpose
        /// The server of the last reply delivered (-1: none).
        var lastServer = -1
        /// The attempt timer c-ares has armed: when it fires and its generation (0: none armed).
        var deadline = SimTime.zero
        var deadlineGeneration = 0
        /// The engine event standing for the armed timer, once scheduled, and the generation it was scheduled for.
        var timer: EventHandle?
        var timerGeneration = 0
        /// While a send is with the resolver: whether it replied at once, and when that reply arrives.
        var sending = false
        var immediateReplyAt: SimTime?
        /// Engine events scheduled for this slot that have neither run nor been cancelled (replies to an earlier
        /// occupant included).
        var pendingEvents = 0
        /// Counts the slot's occupants: a reply for an earlier one is not this query's.
        var generation: UInt32 = 0
        /// Whether the slot is on the free list (`freeQuery`).
        var released = false
        /// The next free slot after this one on the free list (-1: none), while `released`.
        var nextFree = -1

        init(
            machine: consuming StubLookup, instance: Int, id: UInt16, started: SimTime, purpose: LookupPurpose,
            generation: UInt32, pendingEvents: Int
        ) {
            self.machine = machine
            self.instance = instance
            self.id = id
            self.started = started
            self.purpose = purpose
            self.generation = generation
            self.pendingEvents = pendingEvents
        }
    }

    /// A query's engine events. The code is `slot << 32 | argument << 2 | kind`: the query's slot in the high 32
    /// bits, the kind in the low two and its argument (below 2^30) between.
    private enum Event: Int {
        /// The query reaches a resolver: the argument is `server << 1 | overTCP`.
        case arrival = 0
        /// A reply reaches the client: the argument is where it waits (`parked`).
        case reply = 1
        /// The attempt timer fires: the argument is its generation.
        case timer = 2

        static let argumentLimit = 1 << 30

        func code(_ slot: Int, _ argument: Int) -> Int {
            precondition(argument < Event.argumentLimit, "a stub event argument out of range")
            return slot << 32 | argument << 2 | rawValue
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
        /// The generation of the query it answers.
        var generation: UInt32
    }

    /// The queries, by slot, in a buffer of this class's own (an `Array` would check its uniqueness at each of the
    /// dozen accesses of a lookup): the first `queryCount` slots are initialized. Finished slots whose events have all
    /// run form a free list threaded through the slots (`freeQuery`, then each slot's `nextFree`), reused last in,
    /// first out.
    @exclusivity(unchecked) private var queries: UnsafeMutablePointer<Query>
    @exclusivity(unchecked) private var queryCount = 0
    @exclusivity(unchecked) private var queryCapacity = 16
    @exclusivity(unchecked) private var freeQuery = -1

    /// Replies in flight, by the slot their arrival event carries. Free slots are reused last in, first out, through a
    /// free list threaded through the slots like the queries' (`freeParked`, then each slot's `nextFree`).
    @exclusivity(unchecked) private var parked: [ParkedSlot] = []
    @exclusivity(unchecked) private var freeParked = -1

    private struct ParkedSlot {
        var reply: ParkedReply?
        var nextFree = -1
    }

    private func park(_ reply: consuming ParkedReply) -> Int {
        if freeParked >= 0 {
            let slot = freeParked
            freeParked = parked[slot].nextFree
            parked[slot].reply = consume reply
            return slot
        }
        parked.append(ParkedSlot(reply: consume reply))
        return parked.count - 1
    }

    private func unpark(_ slot: Int) -> ParkedReply {
        guard let reply = parked[slot].reply.take() else { preconditionFailure("no reply parked in slot \(slot)") }
        parked[slot].nextFree = freeParked
        freeParked = slot
        return reply
    }

    init(
        client: ComponentID, question: Question, options: StubResolverOptions, resolvers: [RecursiveResolver],
        rtt: SimDuration, simulator: Simulator, trace: TraceBus<WorldEvent>, memo: ClassificationMemo
    ) {
        precondition(resolvers.count < 1 << 16, "too many resolvers for the reply tags")
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
        self.queries = .allocate(capacity: queryCapacity)
        me = simulator.register(self)
    }

    deinit {
        queries.deinitialize(count: queryCount)
        queries.deallocate()
    }

    /// Connects the stub resolvers to the fleet they serve (once, by the fleet).
    func serve(_ fleet: ClientFleet) {
        precondition(self.fleet == nil, "stub resolvers serve one fleet")
        self.fleet = .passUnretained(fleet)
    }

    /// An instance's stub state from its stream: drawn from for the rotation start when there are several resolvers
    /// (c-ares picks a random first server), then once more for the seed of the query IDs.
    func instanceState(stream: RandomStream) -> InstanceState {
        var rng = stream
        let first = resolvers.count > 1 ? Int32(rng.below(UInt64(resolvers.count))) : 0
        return InstanceState(idState: rng.next(), nextRotation: first)
    }

    /// Instance `instance` (whose stub state is `state`) looks the fleet's name up; the fleet hears of the result
    /// once, when c-ares would call back.
    func lookup(instance: Int, state: inout InstanceState, purpose: LookupPurpose) {
        var first = 0
        if rotates {  // ARES_OPT_ROTATE: each query starts at the next server (ares_send.c)
            first = Int(state.nextRotation)
            state.nextRotation = Int32((first + 1) % resolvers.count)
        }
        let slot: Int
        var generation: UInt32 = 0
        var pendingEvents = 0
        if freeQuery >= 0 {
            slot = freeQuery
            freeQuery = queries[slot].nextFree
            // Replies to the earlier occupant may still arrive: they stay counted, under the earlier generation.
            generation = (queries[slot].generation &+ 1) & Self.generationMask
            pendingEvents = queries[slot].pendingEvents
            (queries + slot).deinitialize(count: 1)
        } else {
            if queryCount == queryCapacity { growQueries() }
            slot = queryCount
            queryCount += 1
        }
        // Built in its slot (a query is a few hundred bytes: built elsewhere, it would be copied in).
        (queries + slot).initialize(
            to: Query(
                machine: StubLookup(options: options, serverCount: resolvers.count, firstServer: first), instance: instance,
                id: UInt16(truncatingIfNeeded: RandomStream.splitMix(&state.idState)), started: simulator.now, purpose: purpose,
                generation: generation, pendingEvents: pendingEvents))
        perform(queries[slot].machine.start(), slot)
    }

    /// Doubles the query buffer, moving the queries over.
    private func growQueries() {
        precondition(queryCapacity < 1 << 23, "too many lookups in flight for the reply tags")
        LargeArray.grow(&queries, moving: queryCount, to: queryCapacity * 2)
        queryCapacity *= 2
    }

    // MARK: Events

    func fire(_ code: Int) {
        let slot = code >> 32
        let argument = (code & 0xFFFF_FFFF) >> 2
        queries[slot].pendingEvents -= 1
        switch Event(rawValue: code & 3) {
        case .arrival: arrive(slot, at: argument >> 1, overTCP: argument & 1 == 1)
        case .reply:
            let parked = unpark(argument)
            if parked.generation == queries[slot].generation {
                deliver(parked.reply, from: parked.server, overTCP: parked.overTCP, to: slot)
            }
        case .timer:
            if !queries[slot].machine.isFinished { perform(queries[slot].machine.timerExpired(generation: argument), slot) }
        case nil: preconditionFailure("unknown query event code \(code)")
        }
        if queries[slot].pendingEvents == 0 && queries[slot].machine.isFinished && !queries[slot].released {
            queries[slot].released = true
            queries[slot].nextFree = freeQuery
            freeQuery = slot
        }
    }

    /// Schedules a query's timer event, which a reply may cancel, and counts it as pending.
    private func scheduleTimer(at time: SimTime, _ generation: Int, for slot: Int) -> EventHandle {
        queries[slot].pendingEvents += 1
        return simulator.schedule(at: time, target: me, code: Event.timer.code(slot, generation))
    }

    /// Posts a query event that always runs (an arrival, a reply: no slot in the engine, see
    /// ``Simulator/post(at:target:code:)``) and counts it as pending.
    private func post(at time: SimTime, _ event: Event, _ argument: Int, for slot: Int) {
        queries[slot].pendingEvents += 1
        simulator.post(at: time, target: me, code: event.code(slot, argument))
    }

    /// Cancels a query event that may already have run.
    private func cancel(_ handle: EventHandle, for slot: Int) {
        if simulator.cancel(handle) { queries[slot].pendingEvents -= 1 }
    }

    /// Query generations as reply tags carry them (24 bits: a reply would have to stay in flight while its slot is
    /// reused 16 million times to be taken for a later query's).
    private static let generationMask: UInt32 = 0xFF_FFFF

    /// The return address of the query in `slot` for a send to `server`.
    private func tag(_ slot: Int, _ server: Int) -> Int {
        slot << 40 | Int(queries[slot].generation) << 16 | server
    }

    /// A resolver's reply; the tag is `slot << 40 | generation << 16 | server`. A reply to an earlier occupant of the
    /// slot still arrives (an engine event, as it would have for the query it answers) and is then ignored.
    func resolverReplied(_ reply: consuming ResolverReply, tag: Int, overTCP: Bool) {
        let slot = tag >> 40
        let generation = UInt32(truncatingIfNeeded: tag >> 16) & Self.generationMask
        let arrival = simulator.now + halfRTT
        if queries[slot].sending && generation == queries[slot].generation { queries[slot].immediateReplyAt = arrival }
        let parkedAt = park(
            ParkedReply(reply: consume reply, server: tag & 0xFFFF, overTCP: overTCP, generation: generation))
        post(at: arrival, .reply, parkedAt, for: slot)
    }

    // MARK: c-ares actions

    private func perform(_ actions: StubActions, _ slot: Int) {
        // The two slots directly: iterating the collection would go through its generic witnesses.
        if let first = actions.first { perform(first, slot) }
        if let second = actions.second { perform(second, slot) }
    }

    private func perform(_ action: StubAction, _ slot: Int) {
        switch action {
        case .send(let server, let overTCP):
            // TCP costs a handshake round trip before the query.
            let outbound = overTCP ? halfRTT + halfRTT + halfRTT : halfRTT
            post(at: simulator.now + outbound, .arrival, server << 1 | (overTCP ? 1 : 0), for: slot)
        case .armTimer(let after, let generation):
            if let old = queries[slot].timer {
                cancel(old, for: slot)
                queries[slot].timer = nil
            }
            queries[slot].deadline = simulator.now + after
            queries[slot].deadlineGeneration = generation
            // Every armed timer comes with a send; the timer's engine event is put off until the resolver has the
            // query (see `ensureTimer`), unless the timer could fire before that.
            if after <= halfRTT + halfRTT + halfRTT { ensureTimer(slot) }
        case .finish:
            if let timer = queries[slot].timer { cancel(timer, for: slot) }
            finish(slot)
        }
    }

    /// The query reaches resolver `server`, which answers at once or later.
    private func arrive(_ slot: Int, at server: Int, overTCP: Bool) {
        queries[slot].sending = true
        queries[slot].immediateReplyAt = nil
        let id = queries[slot].id
        servers[server].resolver._withUnsafeGuaranteedRef {
            $0.receive(
                queryID: id, question: question, key: key,
                replyTo: ReplyAddress(sink: self, tag: tag(slot, server), overTCP: overTCP))
        }
        queries[slot].sending = false
        // A reply on its way that arrives before the deadline will decide (and arm the timer if it must).
        if let arrival = queries[slot].immediateReplyAt, arrival < queries[slot].deadline { return }
        ensureTimer(slot)
    }

    /// Schedules the engine event of the armed attempt timer if it is not scheduled yet.
    ///
    /// Scheduling it only when it may matter (no reply is known to arrive before it) saves an event and a
    /// cancellation for nearly every lookup; it fires at the same virtual time as if it had been scheduled when
    /// c-ares armed it. The rule that keeps this exact: the timer is scheduled no later than the first moment
    /// nothing else would wake the query before the deadline (the send's arrival at the resolver, or a reply that
    /// leaves the query waiting).
    private func ensureTimer(_ slot: Int) {
        let generation = queries[slot].deadlineGeneration
        guard !queries[slot].machine.isFinished, generation > 0, queries[slot].timerGeneration != generation else { return }
        assert(queries[slot].deadline >= simulator.now, "an attempt timer was put off past its deadline")
        queries[slot].timerGeneration = generation
        queries[slot].timer = scheduleTimer(at: queries[slot].deadline, generation, for: slot)
    }

    private func deliver(_ reply: ResolverReply, from server: Int, overTCP: Bool, to slot: Int) {
        guard !queries[slot].machine.isFinished else { return }
        queries[slot].lastServer = server
        let actions: StubActions
        switch reply {
        case .bytes(let bytes):
            let classification = memo.classify(bytes, query: question, queryID: queries[slot].id, overTCP: overTCP)
            actions = queries[slot].machine.receive(classification, from: server, overTCP: overTCP)
        case .answer(let body, let id):
            let classification = memo.classify(
                body: body, id: id, query: question, queryID: queries[slot].id, overTCP: overTCP)
            actions = queries[slot].machine.receive(classification, from: server, overTCP: overTCP)
        case .portClosed:
            actions = queries[slot].machine.connectionRefused(server: server)
        }
        perform(actions, slot)
        ensureTimer(slot)  // still waiting: the timer is what ends the wait now
    }

    private func finish(_ slot: Int) {
        let now = simulator.now
        // Field by field: a copy of the whole query would retain what its lookup holds.
        let (instance, started, purpose, lastServer) =
            (queries[slot].instance, queries[slot].started, queries[slot].purpose, queries[slot].lastServer)
        guard var result = queries[slot].machine.takeResult() else {
            preconditionFailure("a finished lookup without a result")
        }
        let report = LookupReport(
            client: client, instance: instance, key: key, outcome: result.outcome, status: result.status,
            started: started, finished: now, queriesSent: result.queriesSent,
            resolver: lastServer >= 0 ? servers[lastServer].id : nil, fromAppCache: false)
        trace.publish(.lookupFinished(consume report), at: now)
        let finished = LookupResult(
            outcome: result.outcome, status: result.status, addresses: result.classification.take()?.addresses ?? [])
        guard let fleet else { preconditionFailure("stub resolvers that serve no fleet") }
        fleet._withUnsafeGuaranteedRef { $0.stubFinished(instance, finished, purpose) }
    }
}
