import ScenarioLoader
import SimKernel
import Testing
import WorldModel

@Suite("--set overrides")
struct ScenarioLoaderOverrideTests {
    let path = Fixtures.path("valid/complete.yaml")

    func load(_ overrides: [String]) throws -> WorldSpec {
        try ScenarioLoader().load(path: path, overrides: overrides).spec
    }

    func diagnostics(_ overrides: [String]) -> [Diagnostic] {
        do {
            _ = try ScenarioLoader().load(path: path, overrides: overrides)
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test("a list element by id")
    func byID() throws {
        let spec = try load(["world.resolvers.r1.maxTTL=300"])
        #expect(spec.resolvers[0].maxTTL == 300)
        #expect(spec.resolvers[1].maxTTL == 86_400)
    }

    @Test("a list element by index")
    func byIndex() throws {
        let spec = try load(["world.resolvers.1.maxTTL=120"])
        #expect(spec.resolvers[0].maxTTL == 600)
        #expect(spec.resolvers[1].maxTTL == 120)
    }

    @Test("every element with *, and the leading world. left out")
    func wildcard() throws {
        let spec = try load(["resolvers.*.serveStale=false", "clients.*.pool.size=2"])
        #expect(spec.resolvers.allSatisfy { $0.serveStale == nil })
        #expect(spec.clients.allSatisfy { $0.pool.size == 2 })
    }

    @Test("flow values, added keys, top-level keys")
    func flowAndAdd() throws {
        let spec = try load(["resolvers.r2.serveStale={maxStale: 2d}", "resolvers.r2.prefetch=true", "seed=42", "duration=3h"])
        #expect(spec.resolvers[1].serveStale?.maxStale == .hours(48))
        #expect(spec.resolvers[1].prefetch)
        #expect(spec.seed == 42)
        #expect(spec.duration == .hours(3))
        let faults = try load(["faults.broken.at=20m"])
        #expect(faults.faults[3].at == SimTime.zero + .minutes(20))
    }

    @Test("a bad value is validated by the same decoder and names --set and the path")
    func badValue() {
        let found = diagnostics(["world.resolvers.r1.maxTTL=abc"])
        #expect(found.count == 1)
        #expect(found.first?.file == "--set world.resolvers.r1.maxTTL=abc")
        #expect(found.first?.keyPath == "world.resolvers[0].maxTTL")
        #expect(found.first?.message.contains("expected an integer") == true)
        #expect(
            found.first?.description
                == "--set world.resolvers.r1.maxTTL=abc: error: world.resolvers[0].maxTTL (id r1): expected an integer, found 'abc'"
        )
    }

    @Test("an added unknown key is reported with a suggestion")
    func unknownAddedKey() {
        let found = diagnostics(["resolvers.r1.maxTTLs=5"])
        #expect(found.count == 1)
        #expect(found.first?.isOverride == true)
        #expect(found.first?.suggestion == "maxTTL")
    }

    @Test(
        "a path that matches nothing is an error",
        arguments: [
            "world.resolvers.r9.maxTTL=1", "world.resolvers.7.maxTTL=1", "name.x=1", "=1", "novalue", "world..x=1",
        ])
    func matchesNothing(_ argument: String) {
        let found = diagnostics([argument])
        #expect(found.count == 1)
        #expect(found.first?.file == "--set \(argument)")
    }

    @Test("the file's own errors are still reported after overrides")
    func combined() {
        let found = diagnostics(["resolvers.r1.upstreamTries=0", "resolvers.r9.x=1"])
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.isOverride })
    }
}
