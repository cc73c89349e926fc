import AresShim
import DNSModel
import SimKernel

/// The result of one lookup as the application sees it.
struct LookupResult {
    var outcome: LookupOutcome
    var status: AresStatus
    var addresses: [IPAddress]
}

/// A client instance's stub resolver: c-ares 1.18's retry schedule (``StubLookup``) driven in virtual time,
/// talking to simulated resolvers whose replies are real DNS wire bytes, classified by c-ares.
final class StubResolver {
    private let client: ComponentID
    private let instance: Int
    private let options: StubResolverOptions
    private let resolvers: [RecursiveResolver]
    private let halfRTT: SimDuration
    private let simulator: Simulator
    private let trace: TraceBus<WorldEvent>
    private let memo: ClassificationMemo
    private var rng: RandomStream
    private var nextRotation = 0

    /// One `ares_send` in flight.
    private final class Query {
        var machine: StubLookup
        let id: UInt16
        let question: Question
        let started: SimTime
        var timer: EventHandle?
        var lastServer: Int?
        let completion: (LookupResult) -> Void

        init(machine: StubLookup, id: UInt16, question: Question, started: SimTime, completion: @escaping (LookupResult) -> Void)
        {
            self.machine = machine
            self.id = id
            self.question = question
            self.started = started
            self.completion = completion
        }
    }

    init(
        client: ComponentID, instance: Int, options: StubResolverOptions, resolvers: [RecursiveResolver], rtt: SimDuration,
        simulator: Simulator, trace: TraceBus<WorldEvent>, memo: ClassificationMemo, rng: RandomStream
    ) {
        self.client = client
        self.instance = instance
        self.options = options
        self.resolvers = resolvers
        self.halfRTT = SimDuration(nanoseconds: rtt.nanoseconds / 2)
        self.simulator = simulator
        self.trace = trace
        self.memo = memo
        self.rng = rng
        self.nextRotation = resolvers.count > 1 ? Int(self.rng.below(UInt64(resolvers.count))) : 0
    }

    /// Looks a name up; calls `completion` once, when c-ares would call back.
    func lookup(_ question: Question, completion: @escaping (LookupResult) -> Void) {
        var first = 0
        if options.rotate {  // ARES_OPT_ROTATE: each query starts at the next server (ares_send.c)
            first = nextRotation
            nextRotation = (nextRotation + 1) % resolvers.count
        }
        let machine = StubLookup(options: options, serverCount: resolvers.count, firstServer: first)
        let query = Query(
            machine: machine, id: UInt16(truncatingIfNeeded: rng.next()), question: question, started: simulator.now,
            completion: completion)
        let actions = query.machine.start()
        perform(actions, query)
    }

    private func perform(_ actions: [StubAction], _ query: Query) {
        for action in actions {
            switch action {
            case .send(let server, let overTCP):
                send(query, to: server, overTCP: overTCP)
            case .armTimer(let after, let generation):
                if let old = query.timer { simulator.cancel(old) }
                query.timer = simulator.schedule(after: after) { [weak self] in
                    guard let self, !query.machine.isFinished else { return }
                    self.perform(query.machine.timerExpired(generation: generation), query)
                }
            case .finish(let result):
                if let timer = query.timer { simulator.cancel(timer) }
                finish(query, result)
            }
        }
    }

    private func send(_ query: Query, to server: Int, overTCP: Bool) {
        let resolver = resolvers[server]
        // TCP costs a handshake round trip before the query.
        let outbound = overTCP ? halfRTT + halfRTT + halfRTT : halfRTT
        simulator.schedule(after: outbound) { [weak self] in
            guard let self else { return }
            resolver.receive(queryID: query.id, question: query.question, overTCP: overTCP) { [weak self] reply in
                guard let self else { return }
                self.simulator.schedule(after: self.halfRTT) {
                    self.deliver(reply, from: server, overTCP: overTCP, to: query)
                }
            }
        }
    }

    private func deliver(_ reply: ResolverReply, from server: Int, overTCP: Bool, to query: Query) {
        guard !query.machine.isFinished else { return }
        query.lastServer = server
        switch reply {
        case .bytes(let bytes):
            let classification = memo.classify(bytes, query: query.question, queryID: query.id, overTCP: overTCP)
            perform(query.machine.receive(classification, from: server, overTCP: overTCP), query)
        case .portClosed:
            perform(query.machine.connectionRefused(server: server), query)
        }
    }

    private func finish(_ query: Query, _ result: StubResult) {
        let report = LookupReport(
            client: client, instance: instance, key: CacheKey(name: query.question.name, type: query.question.type),
            outcome: result.outcome, status: result.status, started: query.started, finished: simulator.now,
            queriesSent: result.queriesSent, resolver: query.lastServer.map { resolvers[$0].id }, fromAppCache: false)
        trace.publish(.lookupFinished(report), at: simulator.now)
        query.completion(
            LookupResult(outcome: result.outcome, status: result.status, addresses: result.classification?.addresses ?? []))
    }
}
