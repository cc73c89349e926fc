import AresShim
import DNSModel
import SimKernel
import Testing
import WorldModel

@Suite("Determinism and classifier independence")
struct WorldDeterminismTests {
    static func fixture(seed: UInt64) -> WorldFixture {
        var fixture = WorldFixture()
        fixture.seed = seed
        fixture.client = ClientSpec(id: "app", instances: 20, endpoint: "kv", resolvers: ["r1"], pool: PoolSpec(size: 2))
        fixture.faults = [WorldFixture.fault(.emptyRecords(name: WorldFixture.kv, type: .a), at: .minutes(3), until: .minutes(9))]
        return fixture
    }

    static func render(_ events: [(SimTime, WorldEvent)]) -> String {
        events.map { "\($0.0.nanoseconds) \($0.1)" }.joined(separator: "\n")
    }

    @Test("the same seed gives a byte-identical event trace and timeline")
    func sameSeedSameTrace() throws {
        let (a, eventsA) = try Self.fixture(seed: 42).run()
        let (b, eventsB) = try Self.fixture(seed: 42).run()
        #expect(Self.render(eventsA) == Self.render(eventsB))
        #expect(a.timeline == b.timeline)
        #expect(a.eventsProcessed == b.eventsProcessed)
    }

    @Test("another seed changes the connection-age jitter, so the trace differs")
    func otherSeedOtherTrace() throws {
        let (_, eventsA) = try Self.fixture(seed: 42).run()
        let (_, eventsB) = try Self.fixture(seed: 43).run()
        #expect(Self.render(eventsA) != Self.render(eventsB))
    }

    @Test("the pure-Swift classifier and c-ares give the same run")
    func classifiersAgreeOnARun() throws {
        let (_, viaAres) = try Self.fixture(seed: 5).run(classifier: AresResponseClassifier())
        let (_, viaSwift) = try Self.fixture(seed: 5).run(classifier: SwiftResponseClassifier())
        #expect(Self.render(viaAres) == Self.render(viaSwift))
    }

    @Test("a world with a fault aimed at a missing server is rejected before it runs")
    func invalidSpecIsRejected() throws {
        var fixture = WorldFixture()
        fixture.faults = [
            WorldFixture.fault(
                .behaviour(.servfail, scope: nil, probability: 1), at: .minutes(1), target: ComponentID(.authority, "nope"))
        ]
        #expect(throws: WorldBuildError.self) { try World(spec: fixture.spec(), classifier: SwiftResponseClassifier()) }
    }
}
