import Foundation
import ScenarioLoader
import SimKernel
import Testing
import WorldModel

/// `world.apps.population.instances` (full-scale mode): decoded values, defaults, and located errors.
@Suite("Population instances (full-scale mode)")
struct PopulationInstancesLoaderTests {
    static let base = """
        # Population instances fixture.
        # Teaches: nothing; a loader test.
        schema: dnscascade/v1
        name: instances
        duration: 1h
        world:
          authorities: [{id: ns1, zones: [{origin: example., records: "example. 3600 IN SOA ns1.example. h.example. 1 7200 900 1209600 300\\nkv.example. 60 IN A 192.0.2.10"}]}]
          resolvers: [{id: r1}]
          endpoints: [{id: kv, name: kv.example., addresses: [192.0.2.10]}]
          clients: [{id: svc, instances: 2, endpoint: kv, resolvers: [r1]}]
          apps:
            named: none
            population:
              count: 30
              instances:
                client: svc
                usersPerInstance: 20000
                min: 1
                max: 50
                pool: {maxConnectionAge: 20m}
            dependencies: {dynamodb: client/svc}
        expect:
          - {component: client/company-instances, minAvailability: {atLeast: 1}}

        """

    static func load(_ text: String, overrides: [String] = []) throws -> Scenario {
        try ScenarioLoader().load(text: text, sourceName: "instances.yaml", overrides: overrides)
    }

    static func diagnostics(_ text: String, overrides: [String] = []) -> [String] {
        do {
            _ = try load(text, overrides: overrides)
            return []
        } catch let error as ScenarioError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected error: \(error)"]
        }
    }

    @Test("the key decodes; pool keys not given keep the population defaults; the fleet is a known component")
    func decodes() throws {
        let spec = try Self.load(Self.base).spec
        let rule = try #require(spec.apps?.population?.instances)
        #expect(rule.client == "svc" && rule.usersPerInstance == 20_000 && rule.min == 1 && rule.max == 50)
        #expect(rule.pool.maxConnectionAge == .minutes(20))
        #expect(rule.pool.size == 1 && rule.pool.maxBackoff == .seconds(60))
        #expect(spec.populationInstancesFleetID == "company-instances")
        #expect(spec.expectations.first?.component == ComponentID(.client, "company-instances"))
        let expanded = spec.withPopulationInstances()
        let fleet = try #require(expanded.clients.last)
        #expect(fleet.id == "company-instances" && fleet.instances == spec.populationInstanceLayout?.totalInstances)
        #expect(fleet.pool.maxConnectionAge == .minutes(20) && fleet.resolvers == ["r1"])
    }

    /// The fixture without its `instances` key (and expecting on the template fleet instead).
    static var withoutInstances: String {
        let lines = base.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.firstIndex { $0.hasSuffix("instances:") }!
        let last = lines.firstIndex { $0.contains("pool: {maxConnectionAge: 20m}") }!
        return (lines[..<first] + lines[(last + 1)...]).joined(separator: "\n")
            .replacingOccurrences(of: "{component: client/company-instances", with: "{component: client/svc")
    }

    @Test("an empty mapping means the defaults, with the dynamodb dependency's fleet as template; --set adds it")
    func defaults() throws {
        let withoutKey = try Self.load(Self.withoutInstances)
        #expect(withoutKey.spec.apps?.population?.instances == nil)
        #expect(withoutKey.spec.populationInstancesFleetID == nil)
        let set = try Self.load(Self.withoutInstances, overrides: ["apps.population.instances={}"])
        #expect(set.spec.apps?.population?.instances == PopulationInstancesSpec())
        #expect(set.spec.populationInstancesTemplate?.id == "svc")
    }

    @Test(
        "bad values are rejected with file, line, column and the field's key path",
        arguments: [
            (
                "usersPerInstance: 20000", "usersPerInstance: 0",
                "instances.yaml:17:27: error: world.apps.population.instances.usersPerInstance: must be at least 1, found 0"
            ),
            ("min: 1\n", "min: 0\n", "world.apps.population.instances.min: must be at least 1, found 0"),
            ("max: 50", "max: 0", "world.apps.population.instances.max: must be at least 1, found 0"),
            ("min: 1\n", "min: 60\n", "instances.yaml:19:"),
            ("min: 1\n", "min: 60\n", "world.apps.population.instances.max: max (50) is below min (60)"),
            ("client: svc", "client: svd", "world.apps.population.instances.client: unknown client 'svd' (did you mean 'svc'?)"),
            ("max: 50", "maxx: 50", "unknown key 'maxx' (did you mean 'max'?)"),
            ("{maxConnectionAge: 20m}", "{maxConnectionAge: 0s}", "world.apps.population.instances.pool.maxConnectionAge"),
            ("usersPerInstance: 20000", "usersPerInstance: many", "usersPerInstance: expected an integer"),
            (
                "clients: [{id: svc,",
                "clients: [{id: company-instances, instances: 1, endpoint: kv, resolvers: [r1]}, {id: svc,",
                "world.apps.population.instances: the population's instances form the fleet client/company-instances"
            ),
            (
                "        client: svc\n", "",
                "",  // valid: the dynamodb dependency follows client/svc
            ),
        ] as [(String, String, String)])
    func rejects(original: String, replacement: String, expected: String) {
        #expect(Self.base.contains(original))
        let diagnostics = Self.diagnostics(Self.base.replacingOccurrences(of: original, with: replacement))
        if expected.isEmpty {
            #expect(diagnostics.isEmpty, "\(diagnostics)")
            return
        }
        #expect(diagnostics.contains { $0.contains(expected) }, "\(diagnostics)")
        #expect(diagnostics.allSatisfy { $0.hasPrefix("instances.yaml:") })
    }

    @Test("without a client and with dynamodb on a service, there is no fleet to copy")
    func needsATemplate() {
        let text = Self.base.replacingOccurrences(of: "        client: svc\n", with: "")
            .replacingOccurrences(of: "dependencies: {dynamodb: client/svc}", with: "dependencies: {}")
        let diagnostics = Self.diagnostics(text)
        #expect(
            diagnostics.contains {
                $0.contains("world.apps.population.instances.client: no client given, and dependencies.dynamodb does not follow")
            }, "\(diagnostics)")
    }
}
