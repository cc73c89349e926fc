import DNSCascade
import Foundation
import Testing

/// Full-scale mode (`apps.population.instances`, `--full-scale`): every generated company runs its own simulated app
/// instances in one fleet; their fates come from their own re-resolutions.
@Suite("Full-scale mode")
struct FullScaleTests {
    /// A small world: one authority whose record is emptied at 10 min and never restored, one resolver, a template
    /// fleet, and a population of 40 companies running 1–3 instances each.
    static func yaml(maxConnectionAge: String, fault: Bool = true, count: Int = 40) -> String {
        """
        # Full-scale fixture.
        # Teaches: nothing; a test of the population's own instances.
        schema: dnscascade/v1
        name: full-scale
        duration: 2h
        world:
          authorities: [{id: ns1, zones: [{origin: example., records: "example. 3600 IN SOA ns1.example. h.example. 1 7200 900 1209600 300\\nkv.example. 60 IN A 192.0.2.10"}]}]
          resolvers: [{id: r1}]
          endpoints: [{id: kv, name: kv.example., addresses: [192.0.2.10]}]
          clients: [{id: svc, instances: 2, endpoint: kv, resolvers: [r1], pool: {size: 4, maxConnectionAge: 5m}}]
          apps:
            named: none
            population:
              count: \(count)
              instances: {usersPerInstance: 40000, min: 1, max: 3, pool: {maxConnectionAge: \(maxConnectionAge)}}
            dependencies: {dynamodb: client/svc}
        faults: [\(fault ? "{id: f, at: 10m, target: authority/ns1, emptyRecords: {name: kv.example., type: A}}" : "")]

        """
    }

    static func run(_ text: String) throws -> RunReport {
        try ScenarioPipeline().run(.text(text, sourceName: "full-scale.yaml"))
    }

    static let replayPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/us-east-1-2025-10-20.yaml").path

    @Test("--full-scale gives the US-EAST-1 replay's 3,900 companies at least 100,000 instances, in one fleet")
    func replayHasAHundredThousandInstances() throws {
        let pipeline = ScenarioPipeline(options: RunOptions(fullScale: true))
        let scenario = try pipeline.load(.file(path: Self.replayPath))
        let layout = try #require(scenario.spec.populationInstanceLayout)
        #expect(layout.names.count == 3_900)
        #expect(layout.totalInstances >= 100_000)
        #expect(layout.instances.allSatisfy { (2...1_000).contains($0) })
        // Contiguous ranges in company order.
        for index in layout.firstInstance.indices.dropFirst() {
            #expect(layout.firstInstance[index] == layout.firstInstance[index - 1] + layout.instances[index - 1])
        }
        let world = try pipeline.build(scenario)
        let fleet = try #require(world.spec.clients.last)
        #expect(fleet.id == "company-instances" && fleet.instances == layout.totalInstances)
        // Copied from the fleet the apps' dynamodb dependency follows, with the population's pool.
        let template = try #require(world.spec.clients.first { $0.id == "in-region-services" })
        #expect(fleet.resolvers == template.resolvers && fleet.endpoint == template.endpoint && fleet.stub == template.stub)
        #expect(fleet.pool == PopulationInstancesSpec().pool)
        #expect(world.spec.clients.count == scenario.spec.clients.count + 1)
    }

    @Test("without the switch nothing is added: same clients, no company results")
    func offByDefault() throws {
        let scenario = try ScenarioPipeline().load(.file(path: Self.replayPath))
        #expect(scenario.spec.apps?.population?.instances == nil)
        #expect(scenario.spec.populationInstanceLayout == nil)
        #expect(scenario.spec.withPopulationInstances().clients.count == scenario.spec.clients.count)
        let tiny = try ScenarioPipeline().run(.spec(try TinyWorld.spec()))
        #expect(tiny.results.companyInstances == nil)
        #expect(!tiny.render(.json).contains("companyInstances"))
    }

    @Test("companies lose their connections as their instances re-resolve; longer-lived connections fail later")
    func reResolutionFailsTheInstances() throws {
        let short = try Self.run(Self.yaml(maxConnectionAge: "5m"))
        let long = try Self.run(Self.yaml(maxConnectionAge: "40m", count: 20))
        let shortCompanies = try #require(short.results.companyInstances)
        let longCompanies = try #require(long.results.companyInstances)
        let fault = SimTime.zero + .minutes(10)
        for (report, companies) in [(short, shortCompanies), (long, longCompanies)] {
            let fleet = try #require(report.client("company-instances"))
            #expect(fleet.instances == companies.totalInstances)
            // The instances failed through their own lookups: NODATA from the resolver after the fault.
            #expect(fleet.lookups.count(.noData) > 0)
            #expect(try #require(fleet.firstFailure) >= fault)
            #expect(fleet.minAvailability == 0)
            // Every company ends without a connection, and none before the record was emptied.
            #expect(companies.companiesThatLostAll == companies.companies.count)
            #expect(companies.companies.allSatisfy { ($0.lostAll ?? .zero) > fault })
        }
        // With 5-minute connections every company has lost them within one age (+ jitter, backoff, sampling);
        // with 40-minute connections the last company goes much later.
        let shortLast = try #require(shortCompanies.companies.compactMap(\.lostAll).max())
        let longLast = try #require(longCompanies.companies.compactMap(\.lostAll).max())
        #expect(shortLast <= fault + .minutes(8))
        #expect(longLast > shortLast + .minutes(10))
    }

    @Test("without a fault every instance keeps a connection: nothing is scripted")
    func noFaultNoLoss() throws {
        let report = try Self.run(Self.yaml(maxConnectionAge: "5m", fault: false))
        let companies = try #require(report.results.companyInstances)
        #expect(companies.companiesThatLostAll == 0 && companies.firstLostAll == nil)
        #expect(companies.companies.allSatisfy { $0.firstDegraded == nil })
        let fleet = try #require(report.client("company-instances"))
        #expect(fleet.totalLookups > 0 && fleet.firstFailure == nil && fleet.minAvailability == 1)
        let json = report.render(.json)
        #expect(json.contains("\"companyInstances\"") && json.contains("\"perCompany\""))
        #expect(report.render(.text).contains("Companies' own instances (full scale): \(companies.totalInstances) instances"))
    }

    @Test("the instance rule: users rounded up per instance, clamped")
    func rule() {
        let rule = PopulationInstancesSpec()
        #expect(rule.instances(forUsers: 100) == 2)
        #expect(rule.instances(forUsers: 40_000) == 5)
        #expect(rule.instances(forUsers: 40_001) == 6)
        #expect(rule.instances(forUsers: 100_000_000) == 1_000)
        #expect(PopulationInstancesSpec(usersPerInstance: 10, min: 1, max: 5).instances(forUsers: 0) == 1)
    }
}
