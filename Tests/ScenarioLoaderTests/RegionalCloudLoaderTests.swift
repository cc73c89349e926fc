import DNSModel
import Foundation
import ScenarioLoader
import SimKernel
import Testing
import WorldModel

/// The regional-cloud sections of a scenario: automation, lease managers, launches, apps, their faults, operator
/// actions and expectations — decoded values, and located errors for bad input.
@Suite("Regional cloud sections")
struct RegionalCloudLoaderTests {
    static let base = """
        # Regional cloud fixture.
        # Teaches: nothing; a loader test.
        schema: dnscascade/v1
        name: cloud
        duration: 6h
        world:
          authorities:
            - id: r53
              zones:
                - origin: example.
                  records: |
                    example. 900 IN SOA ns.example. h.example. 1 7200 900 1209600 900
                    kv.example. 60 IN A 192.0.2.1
          automation:
            - id: kv-dns
              authority: r53
              name: kv.example.
              addressPool: [192.0.2.1, 192.0.2.2, 192.0.2.3]
              addressesPerPlan: 2
              cleanupThreshold: 5
          resolvers: [{id: r1, cacheEvictionMean: 30m}]
          endpoints: [{id: kv, name: kv.example., addresses: [192.0.2.1, 192.0.2.2, 192.0.2.3], capacity: {capacityPerSecond: 5000}}]
          clients: [{id: svc, instances: 8, endpoint: kv, resolvers: [r1]}]
          leaseManagers: [{id: dwfm, client: svc, hosts: 1000, workers: 8, workTimeout: 5m}]
          launches: [{id: ec2, leaseManager: dwfm, launchesPerMinute: 30, propagation: {throughputPerSecond: 2}, balancer: {targets: 6}}]
          apps:
            named: none
            population: {count: 50, strategyMix: {automated: 0.5, manual: 0.5, none: 0}}
            dependencies: {dynamodb: client/svc, ec2-launch: service/ec2, nlb: service/ec2-nlb}
        faults:
          - {id: slow, at: 10m, until: 40m, target: automation/kv-dns, enactorSlowdown: {enactor: 1, extraLockAttemptTime: 30s, lockFailureProbability: 1}}
        operators:
          - {at: 2h, repairAutomation: kv-dns}
          - {at: 3h, throttleService: {service: dwfm, maxQueued: 16}}
          - {at: 3h, restartService: service/dwfm}
          - {at: 4h, disableFailover: ec2}
          - {at: 5h, enableFailover: ec2}
        expect:
          - {component: service/dwfm, recovery: absent}
          - {component: service/apps, medianRecovery: {strategy: manual, between: [20m, 90m]}}
          - {component: service/ec2-nlb, minAvailability: {atLeast: 0.5}}

        """

    static func load(_ text: String) throws -> Scenario {
        try ScenarioLoader().load(text: text, sourceName: "cloud.yaml")
    }

    /// The diagnostics of a text that must not load.
    static func diagnostics(_ text: String) -> [String] {
        do {
            _ = try load(text)
            return []
        } catch let error as ScenarioError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected error: \(error)"]
        }
    }

    @Test("every section decodes into the world description")
    func decodes() throws {
        let spec = try Self.load(Self.base).spec
        let plane = try #require(spec.managementPlanes.first)
        #expect(plane.id == "kv-dns" && plane.authority == "r53" && plane.addressPool.count == 3)
        #expect(plane.addressesPerPlan == 2 && plane.cleanupThreshold == 5 && plane.enactors == 3)
        #expect(spec.resolvers[0].cacheEvictionMean == .minutes(30))
        #expect(spec.endpoints[0].capacity.capacityPerSecond == 5000)
        let dwfm = try #require(spec.leaseManagers.first)
        #expect(dwfm.client == "svc" && dwfm.spec.hosts == 1000 && dwfm.spec.workers == 8 && dwfm.spec.workTimeout == .minutes(5))
        let ec2 = try #require(spec.launchServices.first)
        #expect(ec2.leaseManager == "dwfm" && ec2.spec.launchesPerMinute == 30)
        #expect(ec2.spec.propagation.throughputPerSecond == 2 && ec2.spec.balancer.targets == 6)
        let apps = try #require(spec.apps)
        #expect(apps.named.isEmpty && apps.population?.count == 50)
        #expect(apps.dependencies["nlb"] == ComponentID(.service, "ec2-nlb"))
        #expect(
            spec.faults[0].kind
                == .enactorSlowdown(enactor: 1, extraLockAttemptTime: .seconds(Int64(30)), lockFailureProbability: 1))
        #expect(
            spec.operatorActions.map(\.action) == [
                .repairAutomation(id: "kv-dns"), .throttleService(id: "dwfm", maxQueued: 16), .restartService(id: "dwfm"),
                .setAutomaticFailover(id: "ec2", enabled: false), .setAutomaticFailover(id: "ec2", enabled: true),
            ])
        #expect(spec.expectations[1].metric == .medianRecovery(strategy: "manual"))
        #expect(spec.expectations[1].bound == .durationBetween(.minutes(20), .minutes(90)))
    }

    @Test(
        "bad regional-cloud input is rejected with file, line, column and key path",
        arguments: [
            (
                "addressesPerPlan: 2", "addressesPerPlan: 9",
                "cloud.yaml:19:25: error: world.automation[0].addressesPerPlan (id kv-dns): must be at most 3, found 9"
            ),
            ("authority: r53\n      name", "authority: r54\n      name", "unknown authority 'r54' (did you mean 'r53'?)"),
            ("enactor: 1,", "enactor: 3,", "faults[0].enactorSlowdown.enactor (id slow): must be at most 2, found 3"),
            ("target: automation/kv-dns", "target: authority/r53", "'enactorSlowdown' applies to automation"),
            ("client: svc, hosts", "client: svd, hosts", "unknown client 'svd' (did you mean 'svc'?)"),
            ("leaseManager: dwfm", "leaseManager: dwfn", "unknown service 'dwfn' (did you mean 'dwfm'?)"),
            ("repairAutomation: kv-dns", "repairAutomation: kv-dn", "unknown automation 'kv-dn' (did you mean 'kv-dns'?)"),
            ("disableFailover: ec2", "disableFailover: ec3", "unknown launch service 'ec3' (did you mean 'ec2'?)"),
            (
                "strategy: manual", "strategy: manuel",
                "expected one of automated, manual, none, found 'manuel' (did you mean 'manual'?)"
            ),
            ("none: 0}", "none: 0.2}", "the three shares must add up to 1"),
            ("nlb: service/ec2-nlb", "nlb: service/ec2-lb", "unknown service 'ec2-lb'"),
            ("workTimeout: 5m", "workTimeout: 0s", "leaseManagers[0].workTimeout (id dwfm)"),
            ("component: service/dwfm, recovery", "component: service/dwfm, staleAnswers: {atLeast: 1}, x", "unknown key"),
            (
                "component: service/ec2-nlb, minAvailability", "component: service/ec2-nlb, lookups",
                "'lookups' is measured for clients and resolvers"
            ),
        ])
    func rejects(original: String, replacement: String, expected: String) {
        #expect(Self.base.contains(original))
        let diagnostics = Self.diagnostics(Self.base.replacingOccurrences(of: original, with: replacement))
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.contains { $0.contains(expected) }, "\(diagnostics)")
        #expect(diagnostics.allSatisfy { $0.hasPrefix("cloud.yaml:") })
    }

    @Test("the world built from the fixture runs, and its automation publishes records")
    func runs() throws {
        let scenario = try Self.load(Self.base)
        let world = try World(spec: scenario.spec, classifier: SwiftResponseClassifier())
        let results = world.run(until: .zero + .hours(1))
        #expect(results.services.map(\.id.description) == ["service/dwfm", "service/ec2", "service/ec2-nlb"])
        #expect(results.impact?.population?.companies == 50)
    }
}
