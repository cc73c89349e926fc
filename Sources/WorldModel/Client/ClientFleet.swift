import AresShim
import CPrefetch
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
///
/// The fleet is the target of its frequent events (age-outs, connections, retries, periodic lookups: ``Event``), so
/// they cost no closure; it is registered with the simulator (``Simulator/register(_:)``), so that they cost no
/// reference counting either. Its few closures capture it `unowned(unsafe)`, without reference counting: safe
/// because the fleet lives as long as its ``World``, events run only inside the world's simulator, and the world
/// drops every pending event (and registration) when it goes.
final class ClientFleet: EventTarget {
    let id: ComponentID
    let spec: ClientSpec
    let endpoint: EndpointSpec
    private let simulator: Simulator
    private let trace: TraceBus<WorldEvent>
    private let stubs: StubResolvers
    /// The fleet as its events' target (registered with the simulator).
    private var me: RegisteredTarget!
    private var serving = 0

    /// The instances (index = instance number), each a value in one buffer, in a cache line of its own: a fleet of a
    /// million costs tens of megabytes, not a million objects, and an event touches one instance's state in one line.
    /// A connection's address is an index into the endpoint's service addresses (connections only ever open to those).
    private let instances: CacheLineArray<Instance>
    /// Per instance, when the spec has an application cache (else empty).
    @exclusivity(unchecked) private var appCaches: [AppCache]

    /// One instance's state (48 bytes, ``instanceSize``, in a line of 64).
    private struct Instance {
        /// Draws connection ages, address choices and backoff.
        var rng: RandomStream
        var stub: StubResolvers.InstanceState
        var openConnections: Int32
    }

    /// The bytes of one instance's state (a million are read at random: tests keep it at 48), and the bytes it takes
    /// in the fleet's buffer (a cache line).
    static var instanceSize: Int { MemoryLayout<Instance>.stride }
    static var instanceSpacing: Int { CacheLineArray<Instance>.spacing }

    /// The fleet's engine events. A code is `arguments << 2 | kind`; the arguments are packed in fixed fields (the
    /// instance in the high 32 bits), which `init` checks the spec fits.
    private enum Event: Int {
        /// A connection reached its age: `instance << 32 | address`.
        case ageOut = 0
        /// A connection opened: `instance << 32 | address << 16 | (retiring + 1)`.
        case connected = 1
        /// A backoff ended: `instance << 32 | failures`.
        case retry = 2
        /// A periodic lookup is due: `instance`.
        case periodic = 3

        func code(_ instance: Int, _ low: Int = 0) -> Int { (instance << 32 | low) << 2 | rawValue }
    }

    func fire(_ code: Int) {
        let arguments = code >> 2
        let instance = arguments >> 32
        let low = arguments & 0xFFFF_FFFF
        switch Event(rawValue: code & 3)! {
        case .ageOut:
            replace(instance, failures: 0, retiring: low)
        case .connected:
            opened(instance, low >> 16, lifetime: age(instance))
            let retiring = (low & 0xFFFF) - 1
            if retiring >= 0 { retire(instance, retiring) }
        case .retry:
            replace(instance, failures: low)
        case .periodic:
            resolve(instance, purpose: .periodic)
            if let interval = spec.lookupInterval {
                simulator.post(after: interval, target: me, code: Event.periodic.code(instance))
            }
        }
    }

    /// Every event touches its instance (packed in the code's high bits): with a million instances a cache miss,
    /// which the prefetch started here (ahead of the event, see ``EventTarget/prepare(_:)``) hides.
    func prepare(_ code: Int) {
        cprefetch_read(instances.address(of: code >> 34))
    }

    init(
        spec: ClientSpec, endpoint: EndpointSpec, resolvers: [RecursiveResolver], simulator: Simulator,
        trace: TraceBus<WorldEvent>, memo: ClassificationMemo, streams: RandomStreams
    ) {
        // The fields of the event codes (the world's validation keeps specs well inside them).
        precondition(spec.instances <= ClientSpec.maxInstances, "too many instances for the event codes")
        precondition(
            endpoint.serviceAddresses.count <= EndpointSpec.maxServiceAddresses, "too many addresses for the event codes")
        let id = ComponentID(.client, spec.id)
        self.id = id
        self.spec = spec
        self.endpoint = endpoint
        self.simulator = simulator
        self.trace = trace
        let stubs = StubResolvers(
            client: id, question: Question(name: endpoint.name, type: spec.queryType), options: spec.stub,
            resolvers: resolvers, rtt: spec.resolverRTT, simulator: simulator, trace: trace, memo: memo)
        self.stubs = stubs
        // The streams of labels `client/ID/INDEX` and `client/ID/INDEX/stub`, hashed without making the strings.
        let prefix = RandomStream.Label("client/\(spec.id)/")
        self.instances = CacheLineArray(count: spec.instances) { index in
            let label = prefix.appending(index)
            return Instance(
                rng: streams.stream(label), stub: stubs.instanceState(stream: streams.stream(label.appending("/stub"))),
                openConnections: 0)
        }
        self.appCaches = spec.appCache.map { Array(repeating: AppCache(spec: $0), count: spec.instances) } ?? []
        stubs.serve(self)
        me = simulator.register(self)
    }

    /// Opens the steady-state pools and schedules the periodic lookups.
    func start() {
        for instance in 0..<spec.instances {
            for _ in 0..<spec.pool.size {
                let address = Int(instances[instance].rng.below(UInt64(endpoint.serviceAddresses.count)))
                let remaining = SimDuration(
                    nanoseconds: Int64(instances[instance].rng.below(UInt64(max(1, age(instance).nanoseconds)))))
                track(instance, address, lifetime: remaining)
            }
            if let interval = spec.lookupInterval {
                let phase = SimDuration(nanoseconds: Int64(instances[instance].rng.below(UInt64(interval.nanoseconds))))
                simulator.post(after: phase, target: me, code: Event.periodic.code(instance))
            }
        }
        serving = (0..<spec.instances).lazy.filter { self.instances[$0].openConnections > 0 }.count
        publishAvailability()
    }

    /// Whether instance `index` holds at least one open connection to the endpoint.
    func hasConnection(_ index: Int) -> Bool {
        precondition(index >= 0 && index < spec.instances, "no instance \(index) in client \(spec.id)")
        return instances[index].openConnections > 0
    }

    var instanceCount: Int { spec.instances }

    /// Fraction of instances holding at least one open connection.
    var availability: Double { Double(serving) / Double(max(1, spec.instances)) }

    // MARK: Connections

    private func age(_ instance: Int) -> SimDuration {
        let jitter = spec.pool.ageJitter
        return spec.pool.maxConnectionAge.scaled(by: instances[instance].rng.uniform(1 - jitter, 1 + jitter))
    }

    /// Results of lookups through the stub: kept by the application cache, if any, then used.
    func stubFinished(_ instance: Int, _ result: LookupResult, _ purpose: StubResolvers.LookupPurpose) {
        if !appCaches.isEmpty { appCaches[instance].store(result, now: simulator.now) }
        lookupFinished(instance, result, purpose)
    }

    /// A new connection: announced, counted, and the instance serving again if it was its only one.
    private func opened(_ instance: Int, _ address: Int, lifetime: SimDuration) {
        trace.publish(
            .connection(client: id, instance: instance, change: .opened(endpoint.serviceAddresses[address])), at: simulator.now)
        track(instance, address, lifetime: lifetime)
        if instances[instance].openConnections == 1 { servingChanged(+1) }
    }

    /// Counts an open connection and schedules its age-out.
    private func track(_ instance: Int, _ address: Int, lifetime: SimDuration) {
        instances[instance].openConnections += 1
        simulator.post(after: lifetime, target: me, code: Event.ageOut.code(instance, address))
    }

    /// Closes the connection to service address `address` that reached its age.
    private func retire(_ instance: Int, _ address: Int) {
        instances[instance].openConnections -= 1
        trace.publish(
            .connection(client: id, instance: instance, change: .closedAged(endpoint.serviceAddresses[address])),
            at: simulator.now)
        if instances[instance].openConnections == 0 { servingChanged(-1) }
    }

    /// Looks the name up and connects, retrying with backoff until a connection opens. `retiring` is the aged
    /// connection this attempt replaces (-1: none), closed as soon as the first attempt ends either way.
    private func replace(_ instance: Int, failures: Int, retiring: Int = -1) {
        resolve(instance, purpose: .replace(failures: failures, retiring: retiring))
    }

    private func lookupFinished(_ instance: Int, _ result: LookupResult, _ purpose: StubResolvers.LookupPurpose) {
        guard case .replace(let failures, let retiring) = purpose else { return }
        guard result.outcome.isSuccess, !result.addresses.isEmpty else {
            if retiring >= 0 { retire(instance, retiring) }
            backoff(instance, failures: failures + 1)
            return
        }
        let address = result.addresses[Int(instances[instance].rng.below(UInt64(result.addresses.count)))]
        connect(instance, to: address, failures: failures, retiring: retiring)
    }

    private func connect(_ instance: Int, to address: IPAddress, failures: Int, retiring: Int) {
        if let service = endpoint.serviceAddresses.firstIndex(of: address) {
            simulator.post(
                after: endpoint.connectTime, target: me,
                code: Event.connected.code(instance, service << 16 | (retiring + 1)))
        } else {
            simulator.schedule(after: endpoint.connectTimeout) { [unowned(unsafe) self] in
                self.trace.publish(
                    .connection(client: self.id, instance: instance, change: .failed(address)), at: self.simulator.now)
                if retiring >= 0 { self.retire(instance, retiring) }
                self.backoff(instance, failures: failures + 1)
            }
        }
    }

    private func backoff(_ instance: Int, failures: Int) {
        let exponent = min(failures - 1, 30)
        let ceiling = min(spec.pool.maxBackoff, spec.pool.initialBackoff * (Int64(1) << Int64(exponent)))
        let delay = SimDuration(nanoseconds: Int64(instances[instance].rng.below(UInt64(max(1, ceiling.nanoseconds)) + 1)))
        precondition(failures < 1 << 31, "more than 2^31 failed attempts in a row")
        simulator.post(after: delay, target: me, code: Event.retry.code(instance, failures))
    }

    private func servingChanged(_ delta: Int) {
        serving += delta
        publishAvailability()
    }

    private func publishAvailability() {
        trace.publish(.availabilityChanged(client: id, serving: serving, instances: spec.instances), at: simulator.now)
    }

    // MARK: Lookups

    /// Looks the name up for `instance`: from its application cache if that holds an answer, else through its stub.
    private func resolve(_ instance: Int, purpose: StubResolvers.LookupPurpose) {
        let now = simulator.now
        if !appCaches.isEmpty, let cached = appCaches[instance].lookup(now: now) {
            let report = LookupReport(
                client: id, instance: instance, key: CacheKey(name: endpoint.name, type: spec.queryType),
                outcome: cached.outcome, status: cached.status, started: now, finished: now, queriesSent: 0, resolver: nil,
                fromAppCache: true)
            trace.publish(.lookupFinished(report), at: now)
            lookupFinished(instance, cached, purpose)
            return
        }
        // A copy, so that no access to `instances` is held while the stub runs.
        var stub = instances[instance].stub
        stubs.lookup(instance: instance, state: &stub, purpose: purpose)
        instances[instance].stub = stub
    }
}
