import AresShim
import DNSModel
import SimKernel

/// Observes a run's events and builds its ``RunResults``: counts, first failure and recovery times,
/// availability over time, and the timeline of state changes.
///
/// The timeline holds changes, not every event: a record set changing, a resolver starting to cache a different
/// kind of answer, a resolver starting or stopping to serve stale data, a client fleet's lookups starting to fail
/// or recovering (one *failure episode* ends only after `episodeQuiet` without a failed lookup), and a fleet's
/// share of serving instances crossing a tenth (or reaching none or all). Fleets start in steady state (every
/// instance serving, see ``ClientFleet``).
///
/// Hot stored properties are `@exclusivity(unchecked)`: the recorder calls nothing that could observe it while it
/// accesses them, and it runs once per lookup.
final class RunRecorder: TraceObserver {
    private let spec: WorldSpec
    private var timeline: [TimelineEntry] = []

    private final class ClientState {
        @exclusivity(unchecked) var lookups = OutcomeCounts()
        /// Counts by the resolver that answered, in order of first answer (a client has a handful of resolvers).
        @exclusivity(unchecked) var byResolverIDs: [ComponentID] = []
        @exclusivity(unchecked) var byResolverCounts: [OutcomeCounts] = []
        @exclusivity(unchecked) var firstFailure: SimTime?
        @exclusivity(unchecked) var lastFailure: SimTime?
        @exclusivity(unchecked) var recovery: SimTime?
        /// The open failure episode: when it started, its latest failure outcome, failed lookups in it.
        @exclusivity(unchecked) var episode: (start: SimTime, outcome: LookupOutcome, failures: Int, key: CacheKey)?
        /// The first success after the episode's latest failure (the episode ends there if no failure follows soon).
        @exclusivity(unchecked) var candidateRecovery: (time: SimTime, via: String, causes: [Int])?
        @exclusivity(unchecked) var serving: Int
        @exclusivity(unchecked) var instances: Int
        @exclusivity(unchecked) var servingSince = SimTime.zero
        @exclusivity(unchecked) var downtime = SimDuration.zero
        @exclusivity(unchecked) var minAvailability = 1.0
        /// This client's entries in the recorder's scoped counts.
        @exclusivity(unchecked) var scoped: [Int] = []
        @exclusivity(unchecked) var opened = 0
        @exclusivity(unchecked) var failed = 0
        @exclusivity(unchecked) var series: [Double] = []
        @exclusivity(unchecked) var bucketAccumulated = 0.0

        init(instances: Int) {
            self.instances = instances
            // Fleets start in steady state: every instance holds its pooled connections.
            self.serving = instances
        }
    }

    private final class ResolverState {
        @exclusivity(unchecked) var answers = OutcomeCounts()
        @exclusivity(unchecked) var bySource = [Int](repeating: 0, count: AnswerSource.allCases.count)
        @exclusivity(unchecked) var upstreamFailures = 0
        @exclusivity(unchecked) var firstFailure: SimTime?
        @exclusivity(unchecked) var lastFailure: SimTime?
        @exclusivity(unchecked) var recovery: SimTime?
        @exclusivity(unchecked) var lastStored: [CacheKey: LookupOutcome] = [:]
        @exclusivity(unchecked) var servingStale: [CacheKey: Int] = [:]
        @exclusivity(unchecked) var upstreamFailing: Set<CacheKey> = []
        /// This resolver's entries in the recorder's scoped counts.
        @exclusivity(unchecked) var scoped: [Int] = []
    }

    @exclusivity(unchecked) private var clients = ComponentStates<ClientState>()
    @exclusivity(unchecked) private var resolvers = ComponentStates<ResolverState>()
    /// The narrowed counts expectations ask for (one name, a window), by component.
    @exclusivity(unchecked) private var scopedCounts: [ScopedCountKey: OutcomeCounts] = [:]
    /// The same scopes' counts in a flat list; each client and resolver state lists its entries. Folded
    /// into `scopedCounts` at the end.
    @exclusivity(unchecked) private var scopedByComponent: [(component: ComponentID, scope: LookupScope, counts: OutcomeCounts)] =
        []
    private let causes: CauseTracker
    private let bucket: SimDuration
    /// A failure episode ends at the first success followed by this long without a failed lookup.
    static let episodeQuiet = SimDuration.seconds(Int64(60))

    init(spec: WorldSpec) {
        self.spec = spec
        self.causes = CauseTracker(spec: spec)
        // About 240 buckets over the run, in whole seconds.
        let seconds = max(1, (spec.duration.nanoseconds / 1_000_000_000 + 239) / 240)
        self.bucket = .seconds(seconds)
        for client in spec.clients { clients[ComponentID(.client, client.id)] = ClientState(instances: client.instances) }
        for resolver in spec.resolvers { resolvers[ComponentID(.resolver, resolver.id)] = ResolverState() }
        for expectation in spec.expectations where !expectation.scope.isAll {
            let key = ScopedCountKey(component: expectation.component, scope: expectation.scope)
            guard scopedCounts[key] == nil else { continue }
            scopedCounts[key] = OutcomeCounts()
            scopedByComponent.append((expectation.component, expectation.scope, OutcomeCounts()))
            clients[expectation.component]?.scoped.append(scopedByComponent.count - 1)
            resolvers[expectation.component]?.scoped.append(scopedByComponent.count - 1)
        }
    }

    /// The state of a client fleet (unretained, see ``ComponentStates``: states are set up once, before the run).
    private func clientState(_ id: ComponentID) -> Unmanaged<ClientState>? {
        clients.find(id)
    }

    /// The source's position in ``AnswerSource/allCases`` (declaration order), without hashing.
    private static func index(of source: AnswerSource) -> Int {
        switch source {
        case .cache: 0
        case .upstream: 1
        case .stale: 2
        case .fault: 3
        case .overload: 4
        }
    }

    /// The state of a resolver (unretained, like ``clientState(_:)``).
    private func resolverState(_ id: ComponentID) -> Unmanaged<ResolverState>? {
        resolvers.find(id)
    }

    /// Counts a lookup (answer) in every scope of the component that contains it (`scoped`: the component's
    /// entries in `scopedByComponent`).
    private func countScoped(_ scoped: [Int], _ name: DomainName, _ time: SimTime, _ outcome: LookupOutcome) {
        for index in scoped where scopedByComponent[index].scope.contains(name, at: time) {
            scopedByComponent[index].counts.add(outcome, status: nil)
        }
    }

    func observe(_ time: SimTime, _ event: WorldEvent) {
        switch event {
        case .faultStarted(let id, let target, let detail):
            let index = add(time, target, "fault", "fault \(id) injected: \(detail)")
            causes.wroteFault(index, id: id, target: target, started: true)
        case .faultEnded(let id, let target, let detail):
            let index = add(time, target, "fault", "fault \(id) ended (\(detail))", causes: causes.faultEndCause(id))
            causes.wroteFault(index, id: id, target: target, started: false)
        case .operatorAction(let detail):
            add(time, ComponentID(.operator, "operator"), "operator", detail)
        case .recordSetChanged(let authority, let name, let type, let records, let cause):
            let what =
                records.isEmpty
                ? "no records"
                : "\(records.count) record\(records.count == 1 ? "" : "s"): "
                    + records.map { "\($0.data.presentation) ttl \($0.ttl)" }.joined(separator: ", ")
            let index = add(
                time, authority, "records", "\(name) \(type) → \(what) [\(cause)]", causes: causes.recordsCause(authority))
            causes.wroteRecords(index, name: name)
        case .cacheStored(let resolver, let key, let entry, let previous):
            cacheStored(time, resolver, key, entry, previous)
        case .resolverAnswered(let resolver, let key, let outcome, let source):
            resolverState(resolver)?._withUnsafeGuaranteedRef { resolverAnswered(time, resolver, $0, key, outcome, source) }
        case .upstreamFailed(let resolver, let key, let reason):
            guard let state = resolverState(resolver)?.takeUnretainedValue() else { return }
            state.upstreamFailures += 1
            if state.upstreamFailing.insert(key).inserted {
                add(
                    time, resolver, "upstream", "\(key): upstream resolution failing (\(reason))",
                    causes: causes.resolverCause(resolver, key))
            }
        case .lookupFinished(let report):
            clientState(report.client)?._withUnsafeGuaranteedRef { lookupFinished(time, report, $0) }
        case .connection(let client, _, let change):
            guard let state = clientState(client)?.takeUnretainedValue() else { return }
            switch change {
            case .opened: state.opened += 1
            case .failed: state.failed += 1
            case .closedAged: break
            }
        case .availabilityChanged(let client, let serving, let instances):
            availabilityChanged(time, client, serving, instances)
        case .stateChanged(let component, let kind, let detail):
            add(time, component, kind, detail, causes: causes.serviceCause(component, at: time))
        }
    }

    private func cacheStored(
        _ time: SimTime, _ resolver: ComponentID, _ key: CacheKey, _ entry: CacheEntrySummary, _ previous: CacheEntrySummary?
    ) {
        guard let state = resolverState(resolver)?.takeUnretainedValue() else { return }
        if state.upstreamFailing.remove(key) != nil {
            add(
                time, resolver, "upstream", "\(key): upstream resolution works again", causes: causes.resolverCause(resolver, key)
            )
        }
        let before = state.lastStored[key]
        state.lastStored[key] = entry.outcome
        guard before != entry.outcome, before != nil || !entry.outcome.isSuccess else { return }
        var detail = "\(key): caching \(entry.outcome)"
        if entry.outcome.isSuccess {
            detail += " (\(entry.recordCount) record\(entry.recordCount == 1 ? "" : "s"), TTL \(entry.ttl)s)"
        } else {
            detail += " for \(entry.ttl)s (negative TTL from SOA: \(entry.originalTTL)s)"
        }
        if let previous {
            detail +=
                "; previous \(previous.outcome) entry stored \(spec.clock.format(previous.storedAt)), expired "
                + spec.clock.format(previous.expiresAt)
        }
        let index = add(time, resolver, "cache", detail, causes: causes.resolverCause(resolver, key))
        causes.wroteCache(index, resolver: resolver, key: key)
    }

    private func resolverAnswered(
        _ time: SimTime, _ resolver: ComponentID, _ state: ResolverState, _ key: CacheKey, _ outcome: LookupOutcome,
        _ source: AnswerSource
    ) {
        state.answers.add(outcome, status: nil)
        if !state.scoped.isEmpty { countScoped(state.scoped, key.name, time, outcome) }
        state.bySource[Self.index(of: source)] += 1
        if outcome.isSuccess {
            if state.lastFailure != nil, state.recovery == nil { state.recovery = time }
        } else {
            if state.firstFailure == nil { state.firstFailure = time }
            state.lastFailure = time
            state.recovery = nil
        }
        if source == .stale {
            if state.servingStale[key] == nil {
                add(
                    time, resolver, "stale", "\(key): serving stale \(outcome) data (upstream unavailable)",
                    causes: causes.resolverCause(resolver, key))
            }
            state.servingStale[key, default: 0] += 1
        } else if !state.servingStale.isEmpty, let count = state.servingStale.removeValue(forKey: key) {
            add(
                time, resolver, "stale", "\(key): stopped serving stale data after \(count) stale answer\(count == 1 ? "" : "s")",
                causes: causes.resolverCause(resolver, key))
        }
    }

    private func lookupFinished(_ time: SimTime, _ report: LookupReport, _ state: ClientState) {
        state.lookups.add(report.outcome, status: report.status)
        if !state.scoped.isEmpty { countScoped(state.scoped, report.key.name, time, report.outcome) }
        if let resolver = report.resolver {
            // A loop over the IDs alone: searching an array of (ID, counts) pairs copied (and retained) each pair.
            var index = 0
            while index < state.byResolverIDs.count, state.byResolverIDs[index] != resolver { index += 1 }
            if index < state.byResolverIDs.count {
                state.byResolverCounts[index].add(report.outcome, status: report.status)
            } else {
                var counts = OutcomeCounts()
                counts.add(report.outcome, status: report.status)
                state.byResolverIDs.append(resolver)
                state.byResolverCounts.append(counts)
            }
        }
        // Texts are built only when a timeline line needs them: this runs once per lookup.
        func via() -> String {
            report.fromAppCache ? "from the app cache" : report.resolver.map { "via \($0)" } ?? "without a resolver"
        }
        if report.outcome.isSuccess {
            if state.episode != nil, state.candidateRecovery == nil {
                state.candidateRecovery = (time, via(), causes.lookupsCause(report.client, report.key, via: report.resolver))
            }
            return
        }
        if let candidate = state.candidateRecovery, time - candidate.time >= RunRecorder.episodeQuiet {
            closeEpisode(state, report.client)
        }
        state.candidateRecovery = nil
        if state.firstFailure == nil { state.firstFailure = time }
        state.lastFailure = time
        state.recovery = nil
        let what = { "\(report.outcome) (\(report.status)) \(via())" }
        if var episode = state.episode {
            episode.failures += 1
            if episode.outcome != report.outcome {
                episode.outcome = report.outcome
                add(
                    time, report.client, "lookups", "lookups of \(report.key) now fail with \(what())",
                    causes: causes.lookupsCause(report.client, report.key, via: report.resolver))
            }
            state.episode = episode
        } else {
            state.episode = (time, report.outcome, 1, report.key)
            add(
                time, report.client, "lookups", "lookups of \(report.key) start failing: \(what())",
                causes: causes.lookupsCause(report.client, report.key, via: report.resolver))
        }
    }

    /// Ends the open failure episode at its candidate recovery.
    private func closeEpisode(_ state: ClientState, _ client: ComponentID) {
        guard let episode = state.episode, let candidate = state.candidateRecovery else { return }
        state.recovery = candidate.time
        let plural = episode.failures == 1 ? "" : "s"
        add(
            candidate.time, client, "lookups",
            "lookups of \(episode.key) succeed again \(candidate.via) after \(episode.failures) failed lookup\(plural) since "
                + "\(spec.clock.format(episode.start)) (last \(spec.clock.format(state.lastFailure ?? episode.start)))",
            causes: candidate.causes)
        state.episode = nil
        state.candidateRecovery = nil
    }

    private func availabilityChanged(_ time: SimTime, _ client: ComponentID, _ serving: Int, _ instances: Int) {
        guard let state = clientState(client)?.takeUnretainedValue() else { return }
        account(state, until: time)
        let before = state.serving
        state.serving = serving
        state.minAvailability = min(state.minAvailability, Double(serving) / Double(max(1, instances)))
        let tenth = { (n: Int) in n == 0 ? -1 : n == instances ? 11 : n * 10 / max(1, instances) }
        if tenth(before) != tenth(serving) {
            // Coming back while lookups succeed again: caused by what made them succeed (the candidate recovery).
            let because = serving > before ? state.candidateRecovery?.causes : nil
            add(
                time, client, "availability", "instances with a working connection: \(serving)/\(instances)",
                causes: because ?? causes.availabilityCause(client))
        }
    }

    /// Adds the time since the last change to downtime and the availability series.
    private func account(_ state: ClientState, until time: SimTime) {
        var from = state.servingSince
        let fraction = Double(state.serving) / Double(max(1, state.instances))
        if state.serving < state.instances { state.downtime = state.downtime + (time - from) }
        while from < time {
            let bucketIndex = Int(from.nanoseconds / bucket.nanoseconds)
            let bucketEnd = SimTime(nanoseconds: Int64(bucketIndex + 1) * bucket.nanoseconds)
            let segmentEnd = min(bucketEnd, time)
            while state.series.count <= bucketIndex { state.series.append(0) }
            state.series[bucketIndex] += fraction * Double((segmentEnd - from).nanoseconds) / Double(bucket.nanoseconds)
            from = segmentEnd
        }
        state.servingSince = time
    }

    /// Writes a timeline entry (causes: indices in writing order) and returns its index in writing order.
    @discardableResult
    private func add(_ time: SimTime, _ component: ComponentID, _ kind: String, _ detail: String, causes: [Int] = []) -> Int {
        let entry = TimelineEntry(time: time, component: component, kind: kind, detail: detail, causes: causes)
        timeline.append(entry)
        self.causes.wrote(timeline.count - 1, entry)
        return timeline.count - 1
    }

    func finish(at end: SimTime, eventsProcessed: Int) -> RunResults {
        var clientResults: [ClientResults] = []
        for client in spec.clients {
            let id = ComponentID(.client, client.id)
            let state = clients[id]!
            // Succeeding since the candidate until the end: the episode is over.
            closeEpisode(state, id)
            account(state, until: end)
            let byResolver = client.resolvers.map { rid -> (ComponentID, OutcomeCounts) in
                let resolver = ComponentID(.resolver, rid)
                return (
                    resolver, state.byResolverIDs.firstIndex(of: resolver).map { state.byResolverCounts[$0] } ?? OutcomeCounts()
                )
            }
            clientResults.append(
                ClientResults(
                    id: id, instances: client.instances, lookups: state.lookups, firstFailure: state.firstFailure,
                    lastFailure: state.lastFailure, recovery: state.episode == nil ? state.recovery : nil,
                    downtime: state.downtime, minAvailability: state.minAvailability, connectionsOpened: state.opened,
                    connectionsFailed: state.failed, lookupsByResolver: byResolver, availabilitySeries: state.series,
                    bucket: bucket))
        }
        let resolverResults = spec.resolvers.map { resolver -> ResolverResults in
            let id = ComponentID(.resolver, resolver.id)
            let state = resolvers[id]!
            return ResolverResults(
                id: id, fleet: resolver.fleet, answers: state.answers,
                bySource: Dictionary(
                    uniqueKeysWithValues: zip(AnswerSource.allCases, state.bySource).filter { $0.1 > 0 }),
                upstreamFailures: state.upstreamFailures, firstFailure: state.firstFailure, recovery: state.recovery)
        }
        // Episode ends are written when they are known, after later entries: order by time, then by writing order.
        let order = timeline.indices.sorted { (timeline[$0].time, $0) < (timeline[$1].time, $1) }
        var position = [Int](repeating: 0, count: timeline.count)
        for (final, written) in order.enumerated() { position[written] = final }
        let ordered = order.map { written in
            var entry = timeline[written]
            entry.causes = entry.causes.map { position[$0] }
            return entry
        }
        var results = RunResults(
            scenarioName: spec.name, seed: spec.seed, clock: spec.clock, duration: end - .zero, timeline: ordered,
            clients: clientResults, resolvers: resolverResults, eventsProcessed: eventsProcessed)
        for entry in scopedByComponent {
            scopedCounts[ScopedCountKey(component: entry.component, scope: entry.scope)] = entry.counts
        }
        results.scopedCounts = scopedCounts
        return results
    }
}
