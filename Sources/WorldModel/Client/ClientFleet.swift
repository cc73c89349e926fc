import AresShim
import DNSModel
import SimKernel

/// A fleet of client instances, each with a connection pool to one endpoint, a stub resolver and an optional
/// application cache.
///
/// Connections exist before the run starts (to service addresses, with ages spread over the maximum age), so the
/// fleet is in steady state at time zero. A connection that reaches its age is retired make-before-break: the
/// instance looks the endpoint's name up and connects to one of the returned addresses, and the old connection
/// closes when the new one opens or when that first attempt fails. A failed lookup or connection is retried after
/// an exponential backoff with full jitter. Open connections never need DNS: this is why a DNS failure
/// ramps up as connections age out instead of switching on.
final class ClientFleet {
    let id: ComponentID
    let spec: ClientSpec
    let endpoint: EndpointSpec
    private let question: Question
    private let simulator: Simulator
    private let trace: TraceBus<WorldEvent>
    private var instances: [Instance] = []
    private var serving = 0

    private final class Instance {
        let index: Int
        let stub: StubResolver
        var appCache: AppCache?
        var rng: RandomStream
        var openConnections = 0

        init(index: Int, stub: StubResolver, appCache: AppCache?, rng: RandomStream) {
            self.index = index
            self.stub = stub
            self.appCache = appCache
            self.rng = rng
        }
    }

    init(
        spec: ClientSpec, endpoint: EndpointSpec, resolvers: [RecursiveResolver], simulator: Simulator,
        trace: TraceBus<WorldEvent>, memo: ClassificationMemo, streams: RandomStreams
    ) {
        self.id = ComponentID(.client, spec.id)
        self.spec = spec
        self.endpoint = endpoint
        self.question = Question(name: endpoint.name, type: spec.queryType)
        self.simulator = simulator
        self.trace = trace
        for index in 0..<spec.instances {
            let label = "client/\(spec.id)/\(index)"
            let stub = StubResolver(
                client: id, instance: index, options: spec.stub, resolvers: resolvers, rtt: spec.resolverRTT,
                simulator: simulator, trace: trace, memo: memo, rng: streams.stream(label + "/stub"))
            instances.append(
                Instance(index: index, stub: stub, appCache: spec.appCache.map(AppCache.init), rng: streams.stream(label)))
        }
    }

    /// Opens the steady-state pools and schedules the periodic lookups.
    func start() {
        for instance in instances {
            for _ in 0..<spec.pool.size {
                let address = endpoint.serviceAddresses[Int(instance.rng.below(UInt64(endpoint.serviceAddresses.count)))]
                let remaining = SimDuration(nanoseconds: Int64(instance.rng.below(UInt64(max(1, age(instance).nanoseconds)))))
                track(instance, address, lifetime: remaining)
            }
            if let interval = spec.lookupInterval {
                let phase = SimDuration(nanoseconds: Int64(instance.rng.below(UInt64(interval.nanoseconds))))
                simulator.schedule(after: phase) { [weak self] in self?.periodicLookup(instance, every: interval) }
            }
        }
        serving = instances.filter { $0.openConnections > 0 }.count
        publishAvailability()
    }

    /// Whether instance `index` holds at least one open connection to the endpoint.
    func hasConnection(_ index: Int) -> Bool { instances[index].openConnections > 0 }

    var instanceCount: Int { instances.count }

    /// Fraction of instances holding at least one open connection.
    var availability: Double { Double(serving) / Double(max(1, instances.count)) }

    // MARK: Connections

    private func age(_ instance: Instance) -> SimDuration {
        let jitter = spec.pool.ageJitter
        return spec.pool.maxConnectionAge.scaled(by: instance.rng.uniform(1 - jitter, 1 + jitter))
    }

    /// A new connection: announced, counted, and the instance serving again if it was its only one.
    private func opened(_ instance: Instance, _ address: IPAddress, lifetime: SimDuration) {
        trace.publish(.connection(client: id, instance: instance.index, change: .opened(address)), at: simulator.now)
        track(instance, address, lifetime: lifetime)
        if instance.openConnections == 1 { servingChanged(+1) }
    }

    /// Counts an open connection and schedules its age-out.
    private func track(_ instance: Instance, _ address: IPAddress, lifetime: SimDuration) {
        instance.openConnections += 1
        simulator.schedule(after: lifetime) { [weak self] in self?.aged(instance, address) }
    }

    private func aged(_ instance: Instance, _ address: IPAddress) {
        replace(instance, failures: 0, retiring: address)
    }

    /// Closes the connection to `address` that reached its age.
    private func retire(_ instance: Instance, _ address: IPAddress) {
        instance.openConnections -= 1
        trace.publish(.connection(client: id, instance: instance.index, change: .closedAged(address)), at: simulator.now)
        if instance.openConnections == 0 { servingChanged(-1) }
    }

    /// Looks the name up and connects, retrying with backoff until a connection opens. `retiring` is the aged
    /// connection this attempt replaces, closed as soon as the first attempt ends either way.
    private func replace(_ instance: Instance, failures: Int, retiring: IPAddress? = nil) {
        resolve(instance) { [weak self] result in
            guard let self else { return }
            guard result.outcome.isSuccess, !result.addresses.isEmpty else {
                if let retiring { self.retire(instance, retiring) }
                self.backoff(instance, failures: failures + 1)
                return
            }
            let address = result.addresses[Int(instance.rng.below(UInt64(result.addresses.count)))]
            self.connect(instance, to: address, failures: failures, retiring: retiring)
        }
    }

    private func connect(_ instance: Instance, to address: IPAddress, failures: Int, retiring: IPAddress?) {
        if endpoint.serviceAddresses.contains(address) {
            simulator.schedule(after: endpoint.connectTime) { [weak self] in
                guard let self else { return }
                self.opened(instance, address, lifetime: self.age(instance))
                if let retiring { self.retire(instance, retiring) }
            }
        } else {
            simulator.schedule(after: endpoint.connectTimeout) { [weak self] in
                guard let self else { return }
                self.trace.publish(
                    .connection(client: self.id, instance: instance.index, change: .failed(address)), at: self.simulator.now)
                if let retiring { self.retire(instance, retiring) }
                self.backoff(instance, failures: failures + 1)
            }
        }
    }

    private func backoff(_ instance: Instance, failures: Int) {
        let exponent = min(failures - 1, 30)
        let ceiling = min(spec.pool.maxBackoff, spec.pool.initialBackoff * (Int64(1) << Int64(exponent)))
        let delay = SimDuration(nanoseconds: Int64(instance.rng.below(UInt64(max(1, ceiling.nanoseconds)) + 1)))
        simulator.schedule(after: delay) { [weak self] in self?.replace(instance, failures: failures) }
    }

    private func servingChanged(_ delta: Int) {
        serving += delta
        publishAvailability()
    }

    private func publishAvailability() {
        trace.publish(.availabilityChanged(client: id, serving: serving, instances: spec.instances), at: simulator.now)
    }

    // MARK: Lookups

    private func periodicLookup(_ instance: Instance, every interval: SimDuration) {
        resolve(instance) { _ in }
        simulator.schedule(after: interval) { [weak self] in self?.periodicLookup(instance, every: interval) }
    }

    private func resolve(_ instance: Instance, completion: @escaping (LookupResult) -> Void) {
        let now = simulator.now
        if let cached = instance.appCache?.lookup(now: now) {
            let report = LookupReport(
                client: id, instance: instance.index, key: CacheKey(name: question.name, type: question.type),
                outcome: cached.outcome, status: cached.status, started: now, finished: now, queriesSent: 0, resolver: nil,
                fromAppCache: true)
            trace.publish(.lookupFinished(report), at: now)
            completion(cached)
            return
        }
        instance.stub.lookup(question) { [weak self] result in
            guard let self else { return }
            instance.appCache?.store(result, now: self.simulator.now)
            completion(result)
        }
    }
}
