import DNSModel
import SimKernel

@testable import WorldModel

/// A small world for the management plane alone: one authority serving `amazonaws.com.` (SOA, NS and the endpoint
/// name), one simulator, one plane. Tests inject a slowdown or a repair at virtual times and watch the record set.
struct ManagementPlaneFixture {
    static let endpoint = try! DomainName("dynamodb.us-east-1.amazonaws.com.")

    var spec = ManagementPlaneSpec(
        id: "ddb-dns", authority: "route53", name: ManagementPlaneFixture.endpoint,
        addressPool: (1...16).map { IPAddress.v4(IPv4Address(192, 0, 2, UInt8($0))) })
    var seed: UInt64 = 1
    var duration = SimDuration.hours(6)
    /// Slowdowns and other injections, applied at their virtual times.
    var actions: [(at: SimDuration, act: (DNSManagementPlane) -> Void)] = []

    /// A slowdown of enactor 0 from `at` (until `until`, if given).
    mutating func slowdown(
        at: SimDuration, until: SimDuration? = nil, extra: SimDuration, probability: Double, enactor: Int = 0
    ) {
        actions.append(
            (at, { $0.setEnactorSlowdown(enactor, extraLockAttemptTime: extra, lockFailureProbability: probability) }))
        if let until { actions.append((until, { $0.clearEnactorSlowdown(enactor) })) }
    }

    /// Builds and runs the fixture for `duration`.
    func run() throws -> Run {
        let run = try start()
        run.advance(to: .zero + duration)
        return run
    }

    /// Builds the fixture and starts the plane, without running any event.
    func start() throws -> Run {
        let zone = try Zone(
            origin: DomainName("amazonaws.com."),
            zoneText: """
                amazonaws.com. 900 IN SOA ns1.amazonaws.com. hostmaster.amazonaws.com. 1 7200 900 1209600 60
                amazonaws.com. 3600 IN NS ns1.amazonaws.com.
                ns1.amazonaws.com. 3600 IN A 198.51.100.53
                dynamodb.us-east-1.amazonaws.com. 60 IN A 198.51.100.10
                """)
        let streams = RandomStreams(seed: seed)
        let simulator = Simulator()
        let trace = TraceBus<WorldEvent>()
        let server = AuthoritativeServer(
            spec: AuthoritySpec(id: spec.authority, zones: [zone]), rng: streams.stream("authority/\(spec.authority)"))
        let plane = DNSManagementPlane(
            spec: spec, authority: server, simulator: simulator, trace: trace, rng: streams.stream("automation/\(spec.id)"))
        let run = Run(simulator: simulator, server: server, plane: plane)
        trace.subscribe { time, event in run.events.append((time, event)) }
        for action in actions { simulator.schedule(at: .zero + action.at) { action.act(plane) } }
        plane.start()
        run.observe()
        return run
    }

    /// A running fixture: steps the simulator one event at a time and watches what the authority answers.
    final class Run {
        let simulator: Simulator
        let server: AuthoritativeServer
        let plane: DNSManagementPlane
        var events: [(SimTime, WorldEvent)] = []
        /// When the authority's A set for the endpoint became empty / non-empty again, observed after every event.
        var emptied: [SimTime] = []
        var refilled: [SimTime] = []
        /// How many times the authority's A set for the endpoint changed content.
        var answerChanges = 0
        /// The distinct A sets the authority answered with, in first-seen order.
        var answerSets: [[ResourceRecord]] = []

        /// The last answer seen.
        private var current: [ResourceRecord] = []

        init(simulator: Simulator, server: AuthoritativeServer, plane: DNSManagementPlane) {
            self.simulator = simulator
            self.server = server
            self.plane = plane
            self.current = server.records(named: ManagementPlaneFixture.endpoint, type: .a)
        }

        // Pending events capture the plane, which holds the simulator: drop them so the fixture is freed.
        deinit { simulator.removeAllEvents() }

        var answered: [ResourceRecord] { server.records(named: ManagementPlaneFixture.endpoint, type: .a) }

        /// Runs every event up to `limit`, checking the authority after each one.
        func advance(to limit: SimTime) {
            while let next = simulator.nextEventTime, next <= limit {
                simulator.step()
                observe()
            }
            simulator.run(until: limit)
        }

        /// Compares the authority's answer with the last one seen (call after acting on the plane directly).
        func observe() {
            let now = answered
            guard now != current else { return }
            if now.isEmpty != current.isEmpty {
                if now.isEmpty { emptied.append(simulator.now) } else { refilled.append(simulator.now) }
            }
            current = now
            answerChanges += 1
            if !answerSets.contains(now) { answerSets.append(now) }
        }

        /// The `.recordSetChanged` events, as (time, record count, cause).
        var recordChanges: [(time: SimTime, count: Int, cause: String)] {
            events.compactMap { time, event in
                if case .recordSetChanged(_, _, _, let records, let cause) = event { return (time, records.count, cause) }
                return nil
            }
        }

        /// The `.stateChanged` events, as (time, kind, detail).
        var stateChanges: [(time: SimTime, kind: String, detail: String)] {
            events.compactMap { time, event in
                if case .stateChanged(_, let kind, let detail) = event { return (time, kind, detail) }
                return nil
            }
        }
    }
}
