import DNSModel
import SimKernel

/// Links each timeline entry to the earlier entry that caused it, from what the recorder knows when it writes the
/// entry — never from what happens later:
///
/// - injected faults and operator actions have no cause (they are the inputs);
/// - a record set changes because of the latest thing that acted on its authority: a DNS automation entry, a fault on
///   the authority, or an operator action;
/// - a resolver caches an answer (or fails upstream) because of the latest record change of that name, or else the
///   latest event at any authority (an unreachable or failing server);
/// - a client's lookups fail or recover because of what the resolver that answered last cached for that name;
/// - a client's availability moves because of its latest lookup state change;
/// - a service changes state because of its latest upstream change (a lease manager's client fleet, launches' lease
///   manager, a balancer's launches and queue, an app's dependencies), a fault on the component itself, or an operator
///   action at that moment;
/// - a fault's end is caused by its start.
///
/// Indices are positions in the order entries were written; ``RunRecorder`` maps them to the final timeline order.
final class CauseTracker {
    private var latest: [ComponentID: Int] = [:]
    private var latestRecords: [DomainName: Int] = [:]
    private var latestCache: [ComponentID: [CacheKey: Int]] = [:]
    private var latestLookups: [ComponentID: Int] = [:]
    private var latestAuthority: Int?
    private var latestOperator: (time: SimTime, index: Int)?
    private var latestFault: [ComponentID: Int] = [:]
    private var faultStarts: [String: Int] = [:]
    /// Components whose changes can cause a component's changes.
    private let upstreams: [ComponentID: [ComponentID]]

    init(spec: WorldSpec) {
        var upstreams: [ComponentID: [ComponentID]] = [:]
        for edge in spec.dependencies { upstreams[edge.to, default: []].append(edge.from) }
        self.upstreams = upstreams
    }

    /// Records that entry `index` was written.
    func wrote(_ index: Int, _ entry: TimelineEntry) {
        latest[entry.component] = index
        switch entry.component.kind {
        case .authority: latestAuthority = index
        case .operator: latestOperator = (entry.time, index)
        default: break
        }
        if entry.kind == "lookups" { latestLookups[entry.component] = index }
    }

    /// Records that entry `index` is fault `id` starting (or ending) on `target`.
    func wroteFault(_ index: Int, id: String, target: ComponentID, started: Bool) {
        latestFault[target] = index
        if started { faultStarts[id] = index }
    }

    /// A fault's end is caused by its start (so chains reach back to the injection).
    func faultEndCause(_ id: String) -> [Int] { faultStarts[id].map { [$0] } ?? [] }

    func wroteRecords(_ index: Int, name: DomainName) { latestRecords[name] = index }
    func wroteCache(_ index: Int, resolver: ComponentID, key: CacheKey) { latestCache[resolver, default: [:]][key] = index }

    // MARK: - Causes

    /// A record set of `authority` changed.
    func recordsCause(_ authority: ComponentID) -> [Int] {
        let candidates = (upstreams[authority] ?? []).compactMap { latest[$0] } + [latest[authority], latestOperator?.index]
        return candidates.compactMap { $0 }.max().map { [$0] } ?? []
    }

    /// A resolver stored an answer for `key`, or its upstream for `key` fails or works again.
    func resolverCause(_ resolver: ComponentID, _ key: CacheKey) -> [Int] {
        if let records = latestRecords[key.name] { return [records] }
        return [latestAuthority, latest[resolver]].compactMap { $0 }.max().map { [$0] } ?? []
    }

    /// A client's lookups of `key` started failing, changed outcome, or (as a candidate) recovered, via `resolver`.
    func lookupsCause(_ client: ComponentID, _ key: CacheKey, via resolver: ComponentID?) -> [Int] {
        if let resolver {
            if let cached = latestCache[resolver]?[key] { return [cached] }
            if let any = latest[resolver] { return [any] }
        }
        return resolverCause(client, key)
    }

    /// A client's share of working instances crossed a tenth.
    func availabilityCause(_ client: ComponentID) -> [Int] { latestLookups[client].map { [$0] } ?? [] }

    /// A service, app or DNS automation changed state at `time`.
    func serviceCause(_ component: ComponentID, at time: SimTime) -> [Int] {
        var causes: [Int] = []
        if let upstream = (upstreams[component] ?? []).compactMap({ latest[$0] }).max() { causes.append(upstream) }
        if let fault = latestFault[component] { causes.append(fault) }
        if let action = latestOperator, action.time == time { causes.append(action.index) }
        return Array(Set(causes)).sorted()
    }
}
