import AresShim
import DNSModel
import Testing

@testable import WorldModel

/// Worlds built in code are checked against the limits of the model's event codes before anything runs.
@Suite("World validation: size limits")
struct WorldValidationLimitsTests {
    @Test("an endpoint with more service addresses than a connection event can name is refused")
    func tooManyServiceAddresses() throws {
        var spec = try WorldFixture().spec()
        spec.endpoints[0].serviceAddresses = (0...EndpointSpec.maxServiceAddresses).map {
            .v4(IPv4Address(value: 0x0A00_0000 | UInt32($0)))
        }
        let error = try #require(throws: WorldBuildError.self) { try World(spec: spec, classifier: AresResponseClassifier()) }
        #expect(error.problems == ["endpoint 'kv' has 32768 service addresses; at most 32767"])
        // One fewer is a valid world.
        spec.endpoints[0].serviceAddresses.removeLast()
        _ = try World(spec: spec, classifier: AresResponseClassifier())
    }

    @Test("a fleet with more instances than its event codes carry is refused")
    func tooManyInstances() throws {
        var fixture = WorldFixture()
        fixture.client.instances = ClientSpec.maxInstances + 1
        let error = try #require(throws: WorldBuildError.self) {
            try World(spec: try fixture.spec(), classifier: AresResponseClassifier())
        }
        #expect(error.problems.contains("client 'app': instances must be at most \(ClientSpec.maxInstances)"))
    }

    @Test("full scale: a population that needs more instances than a fleet carries is refused, one that fits is not")
    func populationFleetTooLarge() {
        let fleet = ComponentID(.client, "company-instances")
        let fits = PopulationInstanceLayout(
            fleet: fleet, names: ["a", "b"], firstInstance: [0, ClientSpec.maxInstances - 1],
            instances: [ClientSpec.maxInstances - 1, 1])
        #expect(World.populationFleetProblems(fits).isEmpty)
        #expect(World.populationFleetProblems(nil).isEmpty)
        let tooMany = PopulationInstanceLayout(
            fleet: fleet, names: ["a", "b"], firstInstance: [0, ClientSpec.maxInstances], instances: [ClientSpec.maxInstances, 1])
        let problems = World.populationFleetProblems(tooMany)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("\(ClientSpec.maxInstances + 1) instances in client/company-instances") == true)
    }
}
