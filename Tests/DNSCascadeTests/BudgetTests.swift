import DNSCascade
import Foundation
import Testing

/// Run budgets (`limits:`): the memory estimate is checked before the world is built, the event budget is enforced
/// by the engine, and both name the part of the world that is too big.
@Suite("Budgets")
struct BudgetTests {
    static func path(_ file: String) -> String { ClassroomScenarioTests.path(file) }

    static func load(_ file: String, _ overrides: [String] = []) throws(ScenarioError) -> Scenario {
        try ScenarioLoader().load(path: path(file), overrides: overrides)
    }

    @Test(
        "the event estimate is within a factor of three of the events a fault-free run processes",
        arguments: ClassroomScenarioTests.files)
    func estimateTracksSteadyState(file: String) throws {
        // Without its faults and operator actions, a classroom world runs in steady state: what the estimate models.
        var scenario = try Self.load(file)
        scenario.spec.faults = []
        scenario.spec.operatorActions = []
        let estimate = scenario.spec.budgetEstimate()
        let world = try World(spec: scenario.spec, classifier: SwiftResponseClassifier())
        let actual = world.run().eventsProcessed
        #expect(
            estimate.events * 3 >= actual && estimate.events <= actual * 3, "\(file): estimated \(estimate.events), ran \(actual)"
        )
        #expect(estimate.memoryMB < 256, "\(file): \(estimate.memoryMB) MiB")
    }

    @Test("a world too big for the memory budget is refused before it is built, naming the biggest part")
    func memoryBudget() throws {
        let scenario = try Self.load(
            "01-empty-record.yaml", ["clients.app.instances=1000000", "clients.app.pool.size=1000", "limits={memoryMB: 2048}"])
        #expect(scenario.spec.limits.memoryMB == 2_048)
        do {
            try scenario.spec.checkBudget()
            Issue.record("a world of a billion connections passed the memory budget")
        } catch {
            #expect(error.resource == .memory)
            #expect(error.limit == 2_048)
            #expect(error.needed > 100_000)
            #expect(error.biggest.first?.component == ComponentID(.client, "app"))
            #expect(error.description.contains("more than the memory budget of 2048 MiB"))
            #expect(error.description.contains("biggest: client/app (1000000 instances × 1000 connections"))
        }
        // The same world with the default budget: still refused (a billion connections is more than 4 GiB).
        #expect(throws: WorldBudgetError.self) {
            try Self.load("01-empty-record.yaml", ["clients.app.instances=1000000", "clients.app.pool.size=1000"]).spec
                .checkBudget()
        }
        // And the scenario as shipped fits.
        try Self.load("01-empty-record.yaml").spec.checkBudget()
    }

    @Test("the event budget stops the run early with the time it reached and the parts that make the events")
    func eventBudget() throws {
        let scenario = try Self.load("01-empty-record.yaml", ["limits.events=5000"])
        let world = try World(spec: scenario.spec, classifier: SwiftResponseClassifier())
        do {
            _ = try world.runWithinBudget()
            Issue.record("a 5000-event budget did not stop a run of about 18000 events")
        } catch {
            #expect(error.resource == .events)
            #expect(error.needed == 5_000)
            #expect(world.simulator.processedEvents == 5_000)
            let stopped = try #require(error.stoppedAt)
            #expect(stopped > .zero && stopped < SimTime.zero + scenario.spec.duration)
            #expect(error.biggest.first?.component == ComponentID(.client, "app"))
            #expect(error.description.contains("after 5000 events, the event budget"))
        }
    }

    @Test("a run within its event budget is unchanged by it")
    func withinBudget() throws {
        let plain = try Self.load("01-empty-record.yaml")
        let budgeted = try Self.load("01-empty-record.yaml", ["limits.events=10000000"])
        let a = try World(spec: plain.spec, classifier: SwiftResponseClassifier()).runWithinBudget()
        let b = try World(spec: budgeted.spec, classifier: SwiftResponseClassifier()).runWithinBudget()
        #expect(a.eventsProcessed == b.eventsProcessed)
        #expect(a.timeline == b.timeline)
    }

    @Test("limits are validated like every other key")
    func limitsAreValidated() throws {
        for (value, fragment) in [
            ("{events: 0}", "must be at least 1"), ("{memoryMB: lots}", "expected an integer"),
            ("{event: 5}", "did you mean 'events'"), ("[1, 2]", "expected a mapping"),
        ] {
            do {
                _ = try Self.load("01-empty-record.yaml", ["limits=\(value)"])
                Issue.record("limits=\(value) was accepted")
            } catch {
                #expect(error.diagnostics.contains { $0.description.contains(fragment) }, "\(value): \(error.diagnostics)")
            }
        }
        #expect(try Self.load("01-empty-record.yaml").spec.limits == WorldLimits())
    }

    @Test("as a pipeline error the first line names the scenario file, the parts follow indented")
    func pipelineError() throws {
        let scenario = try Self.load("01-empty-record.yaml", ["clients.app.instances=1000000", "clients.app.pool.size=1000"])
        do {
            try scenario.spec.checkBudget()
            Issue.record("not refused")
        } catch {
            let lines = DNSCascadeError.budget(error, source: "big.yaml").lines
            #expect(lines.count == 2)
            #expect(lines[0].hasPrefix("big.yaml: error: the world is estimated to need "))
            #expect(
                lines[0].hasSuffix(
                    "MiB, more than the memory budget of 4096 MiB (raise limits.memoryMB, or make the parts below smaller)"))
            #expect(
                lines[1]
                    == "  biggest: client/app (1000000 instances × 1000 connections aged out every 5m): about 43.0 G events, 186.6 GiB"
            )
            #expect(DNSCascadeError.budget(error, source: "").lines[0].hasPrefix("error: the world"))
        }
    }
}
