import DNSModel
import SimKernel

/// DNS automation in virtual time: a Planner writing plan generations, Enactors applying them to an authoritative
/// server under a lock, and the clean-up of old plans (the DynamoDB DNS management plane of US-EAST-1).
///
/// What the authority answers for ``ManagementPlaneSpec/name`` follows the stored state: the active plan's
/// addresses while the plan the active-plan alias points at exists, and an empty record set (NODATA) otherwise.
/// Nothing here decides that the record empties: it empties only if one Enactor applies a plan so old that another
/// Enactor's clean-up deletes it while it is active. After that every transaction fails (the rollback record cannot
/// point at the deleted plan) until ``repair(note:)``.
///
/// ```swift
/// let plane = DNSManagementPlane(spec: spec, authority: server, simulator: sim, trace: trace, rng: rng)
/// plane.start()
/// sim.schedule(at: SimTime.zero + .hours(2)) {
///     plane.setEnactorSlowdown(0, extraLockAttemptTime: .seconds(20), lockFailureProbability: 0.97)
/// }
/// sim.run(until: SimTime.zero + .hours(6))
/// plane.isStuck   // decided by the race, not by the scenario
/// ```
///
/// Events: `.recordSetChanged` when the managed record set goes from non-empty to empty or back, or on repair
/// (every change is still written to the authority); `.stateChanged` on `automation/<id>` with kind `staleApply`,
/// `stuck` or `repaired`. Routine applies publish nothing.
final class DNSManagementPlane {
    /// One plan generation: the addresses it publishes, all with equal weight, in address order.
    struct Plan: Hashable {
        var generation: Int
        var addresses: [IPAddress]
    }

    /// The lock record: who holds it and until when.
    struct Lock {
        var holder: Int
        var expiry: SimTime
    }

    let spec: ManagementPlaneSpec
    let component: ComponentID
    let authority: AuthoritativeServer
    let simulator: Simulator
    let trace: TraceBus<WorldEvent>

    /// The record types the plane manages (A for IPv4 pool addresses, AAAA for IPv6 ones), in type order.
    let managedTypes: [RecordType]
    /// The pool without duplicates, in the order given.
    private let pool: [IPAddress]
    private var plannerRNG: RandomStream
    var enactorStates: [Enactor]

    /// The Planner's newest plan.
    private(set) var latestPlan: Plan?
    /// The plan trees written at the authority, by generation.
    var stored: [Int: Plan] = [:]
    /// The generation the active-plan alias points at.
    var activeGeneration: Int?
    /// The generation the rollback record points at.
    private(set) var rollbackGeneration: Int?
    var lock: Lock?
    /// Whether a transaction has failed because the active plan is gone, and no repair has happened since.
    private(set) var isStuck = false
    /// What the plane last wrote at the authority, per managed type.
    private var written: [RecordType: [ResourceRecord]] = [:]
    private var started = false

    /// A plane that writes `spec.name` at `authority`. The spec must be valid (``ManagementPlaneSpec/validationErrors()``).
    init(
        spec: ManagementPlaneSpec, authority: AuthoritativeServer, simulator: Simulator, trace: TraceBus<WorldEvent>,
        rng: RandomStream
    ) {
        let problems = spec.validationErrors()
        precondition(problems.isEmpty, "invalid management plane spec: \(problems.joined(separator: "; "))")
        self.spec = spec
        self.component = spec.component
        self.authority = authority
        self.simulator = simulator
        self.trace = trace
        var seen = Set<IPAddress>()
        self.pool = spec.addressPool.filter { seen.insert($0).inserted }
        var types: [RecordType] = []
        if pool.contains(where: { if case .v4 = $0 { true } else { false } }) { types.append(.a) }
        if pool.contains(where: { if case .v6 = $0 { true } else { false } }) { types.append(.aaaa) }
        self.managedTypes = types
        self.plannerRNG = rng.split("planner")
        self.enactorStates = (0..<spec.enactors).map { Enactor(rng: rng.split("enactor/\($0)")) }
    }

    // MARK: Read-only state

    /// The generation the active-plan alias points at (0 before ``start()``).
    var appliedGeneration: Int { activeGeneration ?? 0 }
    /// Whether the plan the active-plan alias points at still exists.
    var activePlanExists: Bool { activeGeneration.map { stored[$0] != nil } ?? false }
    /// The generations of the stored plan trees, ascending.
    var storedGenerations: [Int] { stored.keys.sorted() }
    /// The Planner's newest generation (0 before ``start()``).
    var latestGeneration: Int { latestPlan?.generation ?? 0 }
    /// What DNS answers for the endpoint: the active plan's addresses, or nothing when the active plan is gone.
    var effectiveAddresses: [IPAddress] {
        guard let active = activeGeneration, let plan = stored[active] else { return [] }
        return plan.addresses
    }
    /// The number of Enactors.
    var enactorCount: Int { enactorStates.count }

    // MARK: Running

    /// Installs generation 1 as the active plan (the automation was running before the scenario began), writes its
    /// records, and starts the Planner and the Enactors. Call once.
    func start() {
        precondition(!started, "a management plane starts once")
        started = true
        for type in managedTypes { written[type] = authority.records(named: spec.name, type: type) }
        let first = makePlan(generation: 1)
        latestPlan = first
        stored[1] = first
        activeGeneration = 1
        rollbackGeneration = 1
        refreshRecords(cause: "plan 1 active at start")
        simulator.schedule(after: spec.plannerPeriod) { [weak self] in self?.plannerTick() }
        for index in enactorStates.indices {
            // Enactors look for work at independent phases so that they do not poll in lockstep.
            let phase = enactorStates[index].rng.duration(.zero, spec.enactorPollInterval)
            simulator.schedule(after: phase) { [weak self] in self?.enactorWake(index) }
        }
    }

    /// The Planner writes the next generation, then waits a period.
    private func plannerTick() {
        latestPlan = makePlan(generation: latestGeneration + 1)
        simulator.schedule(after: spec.plannerPeriod) { [weak self] in self?.plannerTick() }
    }

    /// `addressesPerPlan` distinct pool addresses (a partial Fisher–Yates shuffle on the Planner's stream), sorted.
    private func makePlan(generation: Int) -> Plan {
        var candidates = pool
        let count = min(spec.addressesPerPlan, candidates.count)
        for i in 0..<count {
            let j = i + Int(plannerRNG.below(UInt64(candidates.count - i)))
            candidates.swapAt(i, j)
        }
        return Plan(generation: generation, addresses: candidates[0..<count].sorted())
    }

    // MARK: Operator

    /// Manual repair: re-creates the Planner's newest plan, points the active-plan alias and the rollback record at
    /// it, writes its records and clears the stuck state; Enactors then continue with the next generation.
    func repair(note: String) {
        guard let newest = latestPlan else { return }
        let wasStuck = isStuck
        stored[newest.generation] = newest
        activeGeneration = newest.generation
        rollbackGeneration = newest.generation
        isStuck = false
        for index in enactorStates.indices { enactorStates[index].failures = 0 }
        let suffix = note.isEmpty ? "" : " (\(note))"
        refreshRecords(cause: "plan \(newest.generation) restored by operator repair\(suffix)", always: true)
        let state = wasStuck ? "stuck automation repaired" : "automation repaired"
        trace.publish(
            .stateChanged(
                component: component, kind: "repaired",
                detail: "\(state): plan \(newest.generation) re-created and made active\(suffix)"),
            at: simulator.now)
    }

    // MARK: Transaction outcome

    /// Commits an Enactor's transaction: writes the plan's records, points the alias at it and the rollback record
    /// at the previously active plan. Fails (returns the missing generation) when that plan no longer exists.
    func commitTransaction(_ plan: Plan, by index: Int) -> Int? {
        if let previous = activeGeneration, stored[previous] == nil { return previous }
        rollbackGeneration = activeGeneration ?? plan.generation
        stored[plan.generation] = plan
        activeGeneration = plan.generation
        let behind = latestGeneration - plan.generation
        if behind > spec.cleanupThreshold {
            trace.publish(
                .stateChanged(
                    component: component, kind: "staleApply",
                    detail:
                        "enactor \(index) applied plan \(plan.generation) while plan \(latestGeneration) is newest "
                        + "(\(behind) generations behind; the staleness check ran before it waited for the lock)"),
                at: simulator.now)
        }
        refreshRecords(cause: "plan \(plan.generation) applied by enactor \(index)")
        return nil
    }

    /// Marks the plane stuck (once) after a transaction failed because the active plan is gone.
    func transactionFailed(plan: Plan, missing: Int, by index: Int) {
        guard !isStuck else { return }
        isStuck = true
        trace.publish(
            .stateChanged(
                component: component, kind: "stuck",
                detail:
                    "enactor \(index) cannot apply plan \(plan.generation): active plan \(missing) no longer exists, "
                    + "so the rollback record cannot point at it; no enactor can make progress"),
            at: simulator.now)
    }

    /// Deletes the stored plans more than `cleanupThreshold` generations older than `generation`.
    func cleanUp(after generation: Int, by index: Int) {
        let cutoff = generation - spec.cleanupThreshold
        let doomed = stored.keys.filter { $0 < cutoff }.sorted()
        guard !doomed.isEmpty else { return }
        let active = activeGeneration
        let wasActive = active.map { stored[$0] != nil } ?? false
        for g in doomed { stored[g] = nil }
        if wasActive, let active, stored[active] == nil {
            refreshRecords(cause: "active plan \(active) deleted by enactor \(index)'s clean-up")
        }
    }

    // MARK: Records

    /// Writes the effective record sets to the authority where they changed; publishes `.recordSetChanged` when a
    /// set goes from non-empty to empty or back (or `always`, for repairs).
    private func refreshRecords(cause: String, always: Bool = false) {
        let addresses = effectiveAddresses
        for type in managedTypes {
            let records = addresses.compactMap { record(for: $0, type: type) }
            let old = written[type] ?? []
            guard records != old || always else { continue }
            authority.replaceRecords(named: spec.name, type: type, with: records)
            written[type] = records
            if always || old.isEmpty != records.isEmpty {
                trace.publish(
                    .recordSetChanged(authority: authority.id, name: spec.name, type: type, records: records, cause: cause),
                    at: simulator.now)
            }
        }
    }

    private func record(for address: IPAddress, type: RecordType) -> ResourceRecord? {
        switch address {
        case .v4(let v4) where type == .a: return ResourceRecord(name: spec.name, ttl: spec.recordTTL, data: .a(v4))
        case .v6(let v6) where type == .aaaa: return ResourceRecord(name: spec.name, ttl: spec.recordTTL, data: .aaaa(v6))
        default: return nil
        }
    }
}
