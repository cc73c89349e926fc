import AresShim
import DNSModel
import SimKernel
import WorldModel

/// A small world built in code: one authority serving `example.` (kv.example. A with `recordTTL`, an SOA whose
/// TTL and MINIMUM are given), one resolver, one client fleet looking kv.example. up. Tests change one parameter
/// and watch what the mechanisms make of it.
struct WorldFixture {
    var recordTTL: UInt32 = 60
    var soaTTL: UInt32 = 3600
    var soaMinimum: UInt32 = 300
    var resolver = ResolverSpec(id: "r1")
    var client = ClientSpec(id: "app", instances: 4, endpoint: "kv", resolvers: ["r1"], lookupInterval: .seconds(Int64(5)))
    var faults: [FaultSpec] = []
    var operatorActions: [OperatorActionSpec] = []
    var duration = SimDuration.minutes(30)
    var seed: UInt64 = 1

    static let kv = try! DomainName("kv.example.")
    static let authority = ComponentID(.authority, "ns1")

    func spec() throws -> WorldSpec {
        let zone = try Zone(
            origin: DomainName("example."),
            zoneText: """
                example. \(soaTTL) IN SOA ns1.example. hostmaster.example. 1 7200 900 1209600 \(soaMinimum)
                example. 3600 IN NS ns1.example.
                ns1.example. 3600 IN A 192.0.2.53
                kv.example. \(recordTTL) IN A 192.0.2.10
                """)
        return WorldSpec(
            name: "fixture", seed: seed, duration: duration, authorities: [AuthoritySpec(id: "ns1", zones: [zone])],
            resolvers: [resolver],
            endpoints: [EndpointSpec(id: "kv", name: WorldFixture.kv, serviceAddresses: [.v4(IPv4Address(192, 0, 2, 10))])],
            clients: [client], faults: faults, operatorActions: operatorActions)
    }

    /// Runs the world, returning its results and every event published, in order.
    func run(classifier: any ResponseClassifier = AresResponseClassifier()) throws -> (RunResults, [(SimTime, WorldEvent)]) {
        let world = try World(spec: spec(), classifier: classifier)
        var events: [(SimTime, WorldEvent)] = []
        world.trace.subscribe { time, event in events.append((time, event)) }
        return (world.run(), events)
    }

    /// A fault at `at` (until `until`) on the authority.
    static func fault(_ kind: FaultKind, at: SimDuration, until: SimDuration? = nil, target: ComponentID = authority) -> FaultSpec
    {
        FaultSpec(id: "f", at: .zero + at, until: until.map { .zero + $0 }, target: target, kind: kind)
    }
}

extension Array where Element == (SimTime, WorldEvent) {
    /// Cache entries the resolver stored, in order.
    var cacheStores: [CacheEntrySummary] {
        compactMap { _, event in
            if case .cacheStored(_, _, let entry, _) = event { return entry }
            return nil
        }
    }

    /// Client lookups, in order.
    var lookups: [LookupReport] {
        compactMap { _, event in
            if case .lookupFinished(let report) = event { return report }
            return nil
        }
    }

    /// Resolver answers, in order.
    var answers: [(time: SimTime, outcome: LookupOutcome, source: AnswerSource)] {
        compactMap { time, event in
            if case .resolverAnswered(_, _, let outcome, let source) = event { return (time, outcome, source) }
            return nil
        }
    }
}

extension SimDuration {
    static func s(_ seconds: Int64) -> SimDuration { .seconds(seconds) }
}
