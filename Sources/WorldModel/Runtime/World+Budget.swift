public import SimKernel

/// What one run may use: events processed and memory. Scenario key `limits: {events: N, memoryMB: M}`.
///
/// The memory budget is checked against an estimate before the world is built
/// (``WorldSpec/checkBudget(until:)``); the event budget is enforced by the engine while the world runs
/// (``Simulator/eventLimit``). Either way a world that is too big stops early with a message naming its biggest
/// parts, instead of running for hours or swapping.
///
/// ```swift
/// var spec = WorldSpec(name: "big", duration: .hours(24), …)
/// spec.limits = WorldLimits(events: 50_000_000, memoryMB: 2_048)
/// try spec.checkBudget()                      // WorldBudgetError if the estimate is over 2 GiB
/// let world = try World(spec: spec, classifier: classifier)
/// let results = try world.runWithinBudget()   // WorldBudgetError if the run needs more than 50 M events
/// ```
public struct WorldLimits: Hashable, Sendable {
    /// Events one run may process: 200 million, about ten minutes at the engine's speed (the US-EAST-1 replay
    /// takes 2 million).
    public static let defaultEvents = 200_000_000
    /// Estimated memory one world may need: 4 GiB.
    public static let defaultMemoryMB = 4_096

    /// The most events a run processes before it stops.
    public var events: Int
    /// The most memory, in MiB, the world is estimated to need before it is built.
    public var memoryMB: Int

    public init(events: Int = WorldLimits.defaultEvents, memoryMB: Int = WorldLimits.defaultMemoryMB) {
        self.events = events
        self.memoryMB = memoryMB
    }
}

/// An estimate, made from a ``WorldSpec`` before anything is built, of the events a run processes and the memory
/// its world holds, part by part.
///
/// The estimate is for a run without faults (steady state: connections age out and are replaced, leases are
/// renewed, launches happen); failures add retries, so it is a floor for events. Memory is dominated by per-entity
/// state (client instances and their pooled connections, lease items, live launch targets, apps) and is estimated
/// with per-entity sizes measured on this code (docs/reliability.md, "Budgets").
public struct WorldBudgetEstimate: Sendable, Hashable {
    /// One part of the world and what it needs.
    public struct Part: Sendable, Hashable, CustomStringConvertible {
        /// The component (`client/app`, `service/dwfm`, `service/apps`, `automation/kv-dns`).
        public var component: ComponentID
        /// What makes it big, in the scenario's terms (`100000 instances × 4 connections`).
        public var size: String
        /// Events its steady state generates over the run.
        public var events: Int
        /// Bytes its state needs.
        public var bytes: Int

        /// `client/app (100000 instances × 4 connections): about 12.0 M events, 310 MiB`.
        public var description: String {
            "\(component) (\(size)): about \(WorldBudgetEstimate.count(events)) events, \(WorldBudgetEstimate.mebibytes(bytes))"
        }
    }

    /// Every part with entities, in the order the spec lists them (clients, automation, lease managers, launches, apps).
    public var parts: [Part]
    /// The fixed cost of the process and an empty world, in bytes.
    public static let baseBytes = 64 << 20

    /// All parts' events.
    public var events: Int { parts.reduce(0) { $0.addingSaturated($1.events) } }
    /// All parts' bytes plus ``baseBytes``.
    public var bytes: Int { parts.reduce(Self.baseBytes) { $0.addingSaturated($1.bytes) } }
    /// ``bytes`` in MiB, rounded up.
    public var memoryMB: Int { bytes / (1 << 20) + (bytes % (1 << 20) == 0 ? 0 : 1) }

    /// The parts needing the most of `resource`, biggest first (ties in spec order), at most `count`.
    public func biggest(by resource: WorldBudgetError.Resource, count: Int = 3) -> [Part] {
        let indexed = parts.enumerated().filter { (resource == .memory ? $0.element.bytes : $0.element.events) > 0 }
        let sorted = indexed.sorted { a, b in
            let (x, y) = resource == .memory ? (a.element.bytes, b.element.bytes) : (a.element.events, b.element.events)
            return x != y ? x > y : a.offset < b.offset
        }
        return sorted.prefix(count).map(\.element)
    }

    static func count(_ value: Int) -> String {
        if value >= 1_000_000_000 { return tenths(value, 1_000_000_000) + " G" }
        if value >= 1_000_000 { return tenths(value, 1_000_000) + " M" }
        if value >= 1_000 { return tenths(value, 1_000) + " k" }
        return "\(value)"
    }

    static func mebibytes(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? tenths(bytes, 1 << 30) + " GiB" : "\(max(1, (bytes + (1 << 20) - 1) >> 20)) MiB"
    }

    private static func tenths(_ value: Int, _ unit: Int) -> String {
        let scaled = value / (unit / 10)
        return "\(scaled / 10).\(scaled % 10)"
    }
}

/// A world that needs more than its ``WorldLimits``: the message names the parts that make it big.
public struct WorldBudgetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which budget was exceeded.
    public enum Resource: String, Sendable, Hashable {
        case events, memory
    }

    /// Which budget was exceeded.
    public var resource: Resource
    /// The limit (events, or MiB).
    public var limit: Int
    /// What was needed: the estimate (MiB) for memory; for events, the events processed when the run stopped.
    public var needed: Int
    /// For the event budget: the virtual time at which the run stopped.
    public var stoppedAt: SimTime?
    /// The scenario's end, for the event budget's message.
    public var duration: SimDuration?
    /// The biggest parts by the exceeded resource (from the estimate).
    public var biggest: [WorldBudgetEstimate.Part]

    public init(
        resource: Resource, limit: Int, needed: Int, stoppedAt: SimTime? = nil, duration: SimDuration? = nil,
        biggest: [WorldBudgetEstimate.Part]
    ) {
        self.resource = resource
        self.limit = limit
        self.needed = needed
        self.stoppedAt = stoppedAt
        self.duration = duration
        self.biggest = biggest
    }

    /// One line per problem, then one per big part.
    public var lines: [String] {
        var lines: [String]
        switch resource {
        case .memory:
            lines = [
                "the world is estimated to need \(needed) MiB, more than the memory budget of \(limit) MiB"
                    + " (raise limits.memoryMB, or make the parts below smaller)"
            ]
        case .events:
            let when = stoppedAt.map { " \(SimDuration.seconds(($0 - SimTime.zero).nanoseconds / 1_000_000_000)) into" } ?? ""
            let of = duration.map { " its \($0)" } ?? ""
            lines = [
                "the run stopped\(when)\(of) after \(needed) events, the event budget"
                    + " (raise limits.events, shorten the run, or make the parts below smaller)"
            ]
        }
        lines += biggest.map { "  biggest: \($0)" }
        return lines
    }

    public var description: String { lines.joined(separator: "\n") }
}

extension WorldSpec {
    /// Estimates what a run of `until` (default: the whole scenario) needs, part by part. Cheap: arithmetic on
    /// the description, nothing is built.
    public func budgetEstimate(until: SimDuration? = nil) -> WorldBudgetEstimate {
        let run = min(until ?? duration, duration)
        let seconds = max(0, Double(run.nanoseconds) / 1e9)
        var parts: [WorldBudgetEstimate.Part] = []
        // Full-scale mode's instance fleet counts like any other (drawing the population is cheap).
        for client in withPopulationInstances().clients { parts.append(Self.estimate(client, seconds: seconds)) }
        for plane in managementPlanes { parts.append(Self.estimate(plane, seconds: seconds)) }
        for binding in leaseManagers { parts.append(Self.estimate(binding, seconds: seconds)) }
        for binding in launchServices { parts.append(Self.estimate(binding, seconds: seconds)) }
        if let apps { parts.append(Self.estimate(apps, seconds: seconds)) }
        return WorldBudgetEstimate(parts: parts)
    }

    /// Throws when the estimated memory is over ``limits`` (`memoryMB`). Call before building the world.
    public func checkBudget(until: SimDuration? = nil) throws(WorldBudgetError) {
        let estimate = budgetEstimate(until: until)
        if estimate.memoryMB > limits.memoryMB {
            throw WorldBudgetError(
                resource: .memory, limit: limits.memoryMB, needed: estimate.memoryMB,
                biggest: estimate.biggest(by: .memory))
        }
    }

    // MARK: Per-part estimates (sizes measured on this code; see docs/reliability.md)

    /// Bytes per client instance (its stub, random streams, app cache) and per pooled connection (a pending age-out),
    /// measured: about 300 and 185 (200 000 instances × 32 connections use 1.26 GB).
    static let bytesPerInstance = 400
    static let bytesPerConnection = 200
    /// Events per lookup-and-reconnect (age-out, stub query, resolver work, reply, connect), measured: about 3.5.
    static let eventsPerLookup = 3.5

    private static func estimate(_ client: ClientSpec, seconds: Double) -> WorldBudgetEstimate.Part {
        let instances = Double(client.instances)
        let connections = instances * Double(client.pool.size)
        let age = max(1e-9, Double(client.pool.maxConnectionAge.nanoseconds) / 1e9)
        var lookups = connections * seconds / age
        if let interval = client.lookupInterval {
            lookups += instances * seconds / max(1e-9, Double(interval.nanoseconds) / 1e9)
        }
        var size =
            "\(client.instances) instances × \(client.pool.size) connections aged out every \(client.pool.maxConnectionAge)"
        if let interval = client.lookupInterval { size += ", a lookup every \(interval)" }
        return WorldBudgetEstimate.Part(
            component: ComponentID(.client, client.id), size: size,
            events: saturated(lookups * eventsPerLookup + connections),
            bytes: saturated(instances * Double(bytesPerInstance) + connections * Double(bytesPerConnection)))
    }

    private static func estimate(_ plane: ManagementPlaneSpec, seconds: Double) -> WorldBudgetEstimate.Part {
        let enactors = Double(plane.enactors)
        let plans = seconds / max(1e-9, Double(plane.plannerPeriod.nanoseconds) / 1e9)
        let polls = enactors * seconds / max(1e-9, Double(plane.enactorPollInterval.nanoseconds) / 1e9)
        // Plans are kept until cleaned up: about cleanupThreshold generations, each with its addresses.
        let retained = Double(max(1, plane.cleanupThreshold) + 2) * Double(plane.addressesPerPlan + 4)
        return WorldBudgetEstimate.Part(
            component: ComponentID(.automation, plane.id),
            size: "\(plane.enactors) enactors, a plan every \(plane.plannerPeriod)",
            events: saturated(plans * (1 + enactors * 4) + polls),
            bytes: saturated(retained * 64 + Double(plane.addressPool.count) * 32))
    }

    private static func estimate(_ binding: LeaseManagerBinding, seconds: Double) -> WorldBudgetEstimate.Part {
        let spec = binding.spec
        let items = Double(spec.items)
        let sweeps = seconds / max(1e-9, Double(spec.sweepInterval.nanoseconds) / 1e9)
        let renewals = seconds / max(1e-9, Double(spec.renewalInterval.nanoseconds) / 1e9)
        let batches = (items / Double(max(1, spec.renewalBatchItems))).rounded(.up)
        let work = batches * renewals * Double(2 + 2 * max(0, spec.kvCallsPerItem))
        return WorldBudgetEstimate.Part(
            component: ComponentID(.service, binding.id),
            size: "\(spec.hosts) hosts in \(spec.items) items, renewed every \(spec.renewalInterval)",
            events: saturated(sweeps + work + seconds / 60),
            bytes: saturated(items * 96 + Double(max(0, spec.workers)) * 64))
    }

    private static func estimate(_ binding: LaunchServiceBinding, seconds: Double) -> WorldBudgetEstimate.Part {
        let spec = binding.spec
        let launches = spec.launchesPerMinute * seconds / 60
        let lifetime = Double(spec.targetLifetime.nanoseconds) / 1e9
        let live = min(launches, spec.launchesPerMinute * lifetime / 60) + Double(spec.balancer.targets)
        let rounds = seconds / max(1e-9, Double(spec.balancer.checkInterval.nanoseconds) / 1e9)
        let checks = rounds * Double(max(1, spec.balancer.nodes))
        return WorldBudgetEstimate.Part(
            component: ComponentID(.service, binding.id),
            size: "\(WorldBudgetEstimate.count(saturated(launches))) launches, about \(saturated(live)) live targets",
            events: saturated(launches * 6 + checks + seconds / 60),
            bytes: saturated(live * 256 + Double(max(0, spec.maxPending)) * 64))
    }

    /// Bytes per app (its paths, cohorts and strategy state), measured: about 740 for generated companies.
    static let bytesPerApp = 1_024

    private static func estimate(_ apps: AppsBinding, seconds: Double) -> WorldBudgetEstimate.Part {
        let count = apps.named.count + (apps.population?.count ?? 0)
        let ticks = seconds / 60
        return WorldBudgetEstimate.Part(
            component: ComponentID(.service, "apps"),
            size: "\(apps.named.count) named apps and \(apps.population?.count ?? 0) generated companies",
            events: saturated(ticks * 2),
            bytes: saturated(Double(count) * Double(bytesPerApp)))
    }

    private static func saturated(_ value: Double) -> Int {
        guard value.isFinite, value > 0 else { return value.isNaN || value <= 0 ? 0 : Int.max }
        return value >= Double(Int.max) ? Int.max : Int(value.rounded(.up))
    }
}

extension World {
    /// Runs like ``run(until:)``, but throws when the run reached the event budget (``WorldSpec/limits``) before its
    /// end, naming the parts of the world that generate the most events.
    public func runWithinBudget(until: SimTime? = nil) throws(WorldBudgetError) -> RunResults {
        let results = run(until: until)
        guard simulator.stoppedAtEventLimit else { return results }
        let estimate = spec.budgetEstimate(until: until.map { $0 - .zero })
        throw WorldBudgetError(
            resource: .events, limit: spec.limits.events, needed: simulator.processedEvents, stoppedAt: simulator.now,
            duration: spec.duration, biggest: estimate.biggest(by: .events))
    }
}

extension Int {
    fileprivate func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? Int.max : sum
    }
}
