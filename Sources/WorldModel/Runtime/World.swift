public import DNSModel
public import SimKernel

/// The simulated world built from a ``WorldSpec``: authorities, resolvers, client fleets, the injected faults
/// and operator actions, on one ``Simulator`` and one trace bus.
///
/// ```swift
/// let world = try World(spec: spec, classifier: AresResponseClassifier())
/// world.trace.subscribe { time, event in … }   // optional extra observers
/// let results = world.run()
/// ```
///
/// A world runs once. The classifier decides what a client makes of each reply (c-ares in production).
public final class World {
    public let spec: WorldSpec
    public let simulator: Simulator
    public let trace = TraceBus<WorldEvent>()

    private let streams: RandomStreams
    private let memo: ClassificationMemo
    var authorities: [AuthoritativeServer] = []
    private var resolvers: [RecursiveResolver] = []
    private var clients: [ClientFleet] = []
    private var planes: [DNSManagementPlane] = []
    var leaseManagers: [(binding: LeaseManagerBinding, manager: LeaseManager)] = []
    private var launches: [InstanceLaunches] = []
    private var appFleet: AppFleet?
    /// Full-scale mode: the generated companies' own instances, company by company.
    private var companyInstances: CompanyInstanceTracker?
    /// The request-serving capacity behind each endpoint, by endpoint id (created when a service needs it).
    var keyValueServices: [String: KeyValueService] = [:]
    private let recorder: RunRecorder
    /// Record sets changed by data faults, to put back when the fault ends.
    private var faultSnapshots: [String: [(authority: AuthoritativeServer, name: DomainName, records: [ResourceRecord])]] = [:]
    private var ran = false

    public init(spec: WorldSpec, classifier: any ResponseClassifier) throws(WorldBuildError) {
        try World.validate(spec)
        // Full-scale mode adds the population's instance fleet to the clients (see PopulationInstancesSpec).
        let layout = spec.populationInstanceLayout
        let sizeProblems = World.populationFleetProblems(layout)
        if !sizeProblems.isEmpty { throw WorldBuildError(sizeProblems) }
        let spec = spec.withPopulationInstances(layout: layout)
        self.spec = spec
        self.simulator = Simulator()
        self.streams = RandomStreams(seed: spec.seed)
        self.memo = ClassificationMemo(classifier: classifier)
        self.recorder = RunRecorder(spec: spec)
        for authority in spec.authorities {
            authorities.append(AuthoritativeServer(spec: authority, rng: streams.stream("authority/\(authority.id)")))
        }
        for plane in spec.managementPlanes {
            let server = authorities.first { $0.id == ComponentID(.authority, plane.authority) }!
            planes.append(
                DNSManagementPlane(
                    spec: plane, authority: server, simulator: simulator, trace: trace,
                    rng: streams.stream("automation/\(plane.id)")))
        }
        for resolver in spec.resolvers {
            resolvers.append(
                RecursiveResolver(
                    spec: resolver, simulator: simulator, trace: trace, authorities: authorities,
                    rng: streams.stream("resolver/\(resolver.id)")))
        }
        for client in spec.clients {
            let endpoint = spec.endpoints.first { $0.id == client.endpoint }!
            let chosen = client.resolvers.map { rid in resolvers.first { $0.spec.id == rid }! }
            clients.append(
                ClientFleet(
                    spec: client, endpoint: endpoint, resolvers: chosen, simulator: simulator, trace: trace, memo: memo,
                    streams: streams))
        }
        if let layout, let rule = spec.apps?.population?.instances,
            let fleet = clients.first(where: { $0.id == layout.fleet })
        {
            companyInstances = CompanyInstanceTracker(fleet: fleet, layout: layout, rule: rule, simulator: simulator)
        }
        for binding in spec.leaseManagers {
            let fleet = clients.first { $0.spec.id == binding.client }!
            let service = keyValueService(for: fleet.endpoint)
            let access = FleetKeyValueAccess(fleet: fleet, service: service, simulator: simulator)
            let manager = LeaseManager(
                id: binding.id, spec: binding.spec, kv: access, simulator: simulator, trace: trace,
                rng: streams.stream("service/\(binding.id)"))
            leaseManagers.append((binding, manager))
        }
        for binding in spec.launchServices {
            let leases = leaseManagers.first { $0.binding.id == binding.leaseManager }!.manager
            launches.append(
                InstanceLaunches(
                    id: binding.id, spec: binding.spec, leases: leases, simulator: simulator, trace: trace,
                    rng: streams.stream("service/\(binding.id)")))
        }
        if let apps = spec.apps {
            let health = WorldDependencyHealth()
            for (dependency, component) in apps.dependencies.sorted(by: { $0.key < $1.key }) {
                health.bind(dependency, to: healthSource(component))
            }
            do {
                appFleet = try AppFleet(
                    named: apps.named, population: apps.population, health: health, simulator: simulator, trace: trace,
                    rng: streams.stream("apps"))
            } catch {
                throw WorldBuildError(["apps: \(error)"])
            }
        }
        trace.subscribe(recorder)
    }

    deinit {
        // Pending events capture the models, which hold the simulator: drop them so the whole world is freed.
        simulator.removeAllEvents()
    }

    /// Runs to the end of the scenario (or `until`, if earlier) and returns what was observed.
    public func run(until: SimTime? = nil) -> RunResults {
        precondition(!ran, "a World runs once")
        ran = true
        for plane in planes { plane.start() }
        for client in clients { client.start() }
        companyInstances?.start()
        for (_, manager) in leaseManagers { manager.start() }
        for launch in launches { launch.start() }
        appFleet?.start()
        for fault in spec.faults {
            simulator.schedule(at: fault.at) { [weak self] in self?.inject(fault) }
            if let end = fault.until {
                simulator.schedule(at: end) { [weak self] in self?.endFault(fault.id, cause: "fault \(fault.id) ends") }
            }
        }
        for action in spec.operatorActions {
            simulator.schedule(at: action.at) { [weak self] in self?.perform(action) }
        }
        // The event budget: the engine stops at it, and the results end where the run stopped (runWithinBudget throws).
        simulator.eventLimit = spec.limits.events
        let scheduledEnd = min(until ?? SimTime.zero + spec.duration, SimTime.zero + spec.duration)
        simulator.run(until: scheduledEnd)
        let end = simulator.stoppedAtEventLimit ? simulator.now : scheduledEnd
        var results = recorder.finish(at: end, eventsProcessed: simulator.processedEvents)
        results.services = leaseManagers.map { binding, manager in
            ServiceResults.from(
                id: manager.component, kind: "leaseManager", healthMeaning: "fraction of hosts holding a lease",
                threshold: binding.healthyFraction,
                samples: [(SimTime.zero, 1.0)] + manager.samples.filter { $0.time <= end }.map { ($0.time, $0.heldFraction) },
                end: end)
        }
        results.impact = appFleet?.results()
        results.companyInstances = companyInstances?.results()
        results.series = series(until: end)
        for launch in launches {
            let samples = launch.samples.filter { $0.time <= end }
            results.services.append(
                ServiceResults.from(
                    id: launch.id, kind: "launches",
                    healthMeaning: "launches getting a host and network state within \(launch.spec.healthyPropagationDelay)",
                    threshold: 0.99, samples: [(SimTime.zero, 1.0)] + samples.map { ($0.time, $0.launches) }, end: end))
            results.services.append(
                ServiceResults.from(
                    id: launch.balancer.id, kind: "healthCheckedBalancer", healthMeaning: "connections without errors",
                    threshold: 0.99, samples: [(SimTime.zero, 1.0)] + samples.map { ($0.time, $0.balancer) }, end: end))
        }
        return results
    }

    /// A live health reading (0…1) of a component, for the apps' dependencies.
    private func healthSource(_ component: ComponentID) -> () -> Double {
        if let fleet = clients.first(where: { $0.id == component }) { return { fleet.availability } }
        if let manager = leaseManagers.first(where: { $0.manager.component == component })?.manager {
            return { manager.heldFraction }
        }
        if let launch = launches.first(where: { $0.id == component }) { return { launch.health } }
        if let launch = launches.first(where: { $0.balancer.id == component }) { return { launch.balancerHealth } }
        return { 1 }
    }

    private func keyValueService(for endpoint: EndpointSpec) -> KeyValueService {
        if let existing = keyValueServices[endpoint.id] { return existing }
        let service = KeyValueService(spec: endpoint.capacity, simulator: simulator)
        keyValueServices[endpoint.id] = service
        return service
    }

    private func leaseManager(_ id: String) -> LeaseManager? { leaseManagers.first { $0.binding.id == id }?.manager }

    // MARK: Faults

    private func authority(_ id: ComponentID) -> AuthoritativeServer? { authorities.first { $0.id == id } }
    private func resolver(_ id: ComponentID) -> RecursiveResolver? { resolvers.first { $0.id == id } }
    private func plane(_ id: ComponentID) -> DNSManagementPlane? { planes.first { $0.spec.component == id } }

    private func inject(_ fault: FaultSpec) {
        let now = simulator.now
        trace.publish(.faultStarted(id: fault.id, target: fault.target, detail: describe(fault.kind)), at: now)
        switch fault.kind {
        case .emptyRecords(let name, let type):
            guard let server = authority(fault.target) else { return }
            snapshot(fault.id, server, name)
            server.replaceRecords(named: name, type: type, with: [])
            recordsChanged(server, name, type, cause: "fault \(fault.id)")
        case .deleteName(let name):
            guard let server = authority(fault.target) else { return }
            snapshot(fault.id, server, name)
            let types = Set(server.records(ownedBy: name).map(\.type)).sorted()
            server.removeName(name)
            for type in types { recordsChanged(server, name, type, cause: "fault \(fault.id): name deleted") }
        case .replaceRecords(let name, let type, let records):
            guard let server = authority(fault.target) else { return }
            snapshot(fault.id, server, name)
            server.replaceRecords(named: name, type: type, with: records)
            recordsChanged(server, name, type, cause: "fault \(fault.id)")
        case .behaviour(let behaviour, let scope, let probability):
            if let server = authority(fault.target) {
                server.behaviours.add(faultID: fault.id, behaviour: behaviour, scope: scope, probability: probability)
            } else if let server = resolver(fault.target) {
                server.behaviours.add(faultID: fault.id, behaviour: behaviour, scope: scope, probability: probability)
            }
        case .enactorSlowdown(let enactor, let extra, let probability):
            plane(fault.target)?.setEnactorSlowdown(enactor, extraLockAttemptTime: extra, lockFailureProbability: probability)
        }
    }

    private func snapshot(_ faultID: String, _ server: AuthoritativeServer, _ name: DomainName) {
        faultSnapshots[faultID, default: []].append((server, name, server.records(ownedBy: name)))
    }

    private func endFault(_ id: String, cause: String) {
        guard let fault = spec.faults.first(where: { $0.id == id }) else { return }
        let now = simulator.now
        if let snapshots = faultSnapshots.removeValue(forKey: id) {
            for snapshot in snapshots.reversed() {
                let types = Set(snapshot.records.map(\.type)).sorted()
                for type in types {
                    snapshot.authority.replaceRecords(
                        named: snapshot.name, type: type, with: snapshot.records.filter { $0.type == type })
                    recordsChanged(snapshot.authority, snapshot.name, type, cause: cause)
                }
            }
        }
        authority(fault.target)?.behaviours.remove(faultID: id)
        resolver(fault.target)?.behaviours.remove(faultID: id)
        if case .enactorSlowdown(let enactor, _, _) = fault.kind { plane(fault.target)?.clearEnactorSlowdown(enactor) }
        trace.publish(.faultEnded(id: id, target: fault.target, detail: cause), at: now)
    }

    private func perform(_ spec: OperatorActionSpec) {
        let now = simulator.now
        let note = spec.note.isEmpty ? "" : " — \(spec.note)"
        switch spec.action {
        case .endFault(let id):
            trace.publish(.operatorAction(detail: "ends fault \(id)\(note)"), at: now)
            endFault(id, cause: "operator")
        case .restoreRecords(let authorityID, let name, let type):
            trace.publish(.operatorAction(detail: "restores \(name) \(type) at authority/\(authorityID)\(note)"), at: now)
            guard let server = authority(ComponentID(.authority, authorityID)) else { return }
            server.replaceRecords(named: name, type: type, with: server.initialRecords(named: name, type: type))
            recordsChanged(server, name, type, cause: "operator")
        case .setRecords(let authorityID, let name, let type, let records):
            trace.publish(.operatorAction(detail: "sets \(name) \(type) at authority/\(authorityID)\(note)"), at: now)
            guard let server = authority(ComponentID(.authority, authorityID)) else { return }
            server.replaceRecords(named: name, type: type, with: records)
            recordsChanged(server, name, type, cause: "operator")
        case .flushCache(let resolverID, let name):
            trace.publish(
                .operatorAction(detail: "flushes resolver/\(resolverID) cache\(name.map { " for \($0)" } ?? "")\(note)"), at: now)
            resolver(ComponentID(.resolver, resolverID))?.flush(name)
        case .throttleService(let id, let maxQueued):
            trace.publish(.operatorAction(detail: "throttles service/\(id) to \(maxQueued) queued work units\(note)"), at: now)
            leaseManager(id)?.throttle(maxQueued: maxQueued)
        case .unthrottleService(let id):
            trace.publish(.operatorAction(detail: "lifts the throttle on service/\(id)\(note)"), at: now)
            leaseManager(id)?.clearThrottle()
        case .restartService(let id):
            trace.publish(.operatorAction(detail: "restarts service/\(id)'s hosts\(note)"), at: now)
            leaseManager(id)?.restartHosts()
        case .setAutomaticFailover(let id, let enabled):
            trace.publish(
                .operatorAction(
                    detail: "\(enabled ? "re-enables" : "disables") automatic failover of service/\(id)-nlb\(note)"), at: now)
            if let balancer = launches.first(where: { $0.id.name == id })?.balancer {
                if enabled { balancer.enableAutomaticFailover() } else { balancer.disableAutomaticFailover() }
            }
        case .repairAutomation(let id):
            trace.publish(.operatorAction(detail: "repairs automation/\(id) by hand\(note)"), at: now)
            plane(ComponentID(.automation, id))?.repair(note: spec.note.isEmpty ? "operator repair" : spec.note)
        }
    }

    private func recordsChanged(_ server: AuthoritativeServer, _ name: DomainName, _ type: RecordType, cause: String) {
        trace.publish(
            .recordSetChanged(
                authority: server.id, name: name, type: type, records: server.records(named: name, type: type), cause: cause),
            at: simulator.now)
    }

    private func describe(_ kind: FaultKind) -> String {
        switch kind {
        case .emptyRecords(let name, let type): "empty \(name) \(type)"
        case .deleteName(let name): "delete \(name)"
        case .replaceRecords(let name, let type, let records): "replace \(name) \(type) with \(records.count) record(s)"
        case .behaviour(let behaviour, let scope, let probability):
            "\(behaviourText(behaviour))\(scope.map { " for names under \($0)" } ?? "")"
                + (probability < 1 ? " (p=\(probability))" : "")
        case .enactorSlowdown(let enactor, let extra, let probability):
            "enactor \(enactor) slowed: lock attempts take \(extra) longer and fail with p=\(probability)"
        }
    }

    private func behaviourText(_ behaviour: ServerBehaviour) -> String {
        switch behaviour {
        case .latency(let d): "answers \(d) late"
        case .truncate(let tcpWorks): "truncates UDP answers (TCP \(tcpWorks ? "works" : "refused"))"
        case .noAnswer: "stops answering"
        case .portClosed: "port closed"
        default: "answers \(behaviour.keyword.uppercased())"
        }
    }
}
