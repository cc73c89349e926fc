import DNSCascade
import Testing

@Suite struct ScenarioPipelineTests {
    @Test func runsAWorldBuiltInCodeAndEvaluatesItsExpectations() throws {
        let report = try ScenarioPipeline().run(.spec(try TinyWorld.spec()))
        #expect(report.scenario.spec.name == "tiny-in-code")
        #expect(report.expectations.count == 1)
        let app = try #require(report.client("app"))
        #expect(report.client("client/app")?.id == app.id)
        #expect(app.lookups.count(.noData) > 0)
        let firstFailure = try #require(app.firstFailure)
        #expect(firstFailure >= SimTime.zero + .minutes(2))
        #expect(report.passed == report.expectations.allSatisfy(\.passed))
        #expect(report.passed)
        #expect(report.resolver("r1") != nil)
    }

    @Test func withoutTheFaultNothingFails() throws {
        let report = try ScenarioPipeline().run(.spec(try TinyWorld.spec(withFault: false)))
        let app = try #require(report.client("app"))
        #expect(app.firstFailure == nil)
        #expect(app.lookups.count(.noError) == app.totalLookups)
        #expect(!report.passed)
        #expect(report.failedExpectations.count == 1)
        #expect(ExitStatus(report) == .expectationFailed)
    }

    @Test func sameInputGivesByteIdenticalReports() throws {
        let pipeline = ScenarioPipeline()
        let a = try pipeline.run(.text(TinyWorld.yaml, sourceName: "tiny.yaml"))
        let b = try pipeline.run(.text(TinyWorld.yaml, sourceName: "tiny.yaml"))
        for format in ReportFormat.allCases { #expect(a.render(format) == b.render(format)) }
    }

    @Test func theSeedOptionReplacesTheScenarioSeed() throws {
        let report = try ScenarioPipeline(options: RunOptions(seed: 42)).run(.text(TinyWorld.yaml, sourceName: "tiny.yaml"))
        #expect(report.scenario.spec.seed == 42)
        #expect(report.results.seed == 42)
    }

    @Test func untilStopsTheRunEarly() throws {
        let options = RunOptions(until: .minutes(1))
        let report = try ScenarioPipeline(options: options).run(.spec(try TinyWorld.spec()))
        let app = try #require(report.client("app"))
        #expect(app.firstFailure == nil)
        #expect(report.results.timeline.allSatisfy { $0.time <= SimTime.zero + .minutes(1) })
    }

    @Test func overridesReachTheLoader() throws {
        let options = RunOptions(overrides: ["duration=20m"])
        let scenario = try ScenarioPipeline(options: options).load(.text(TinyWorld.yaml, sourceName: "tiny.yaml"))
        #expect(scenario.spec.duration == .minutes(20))
        #expect(scenario.headerComment.hasPrefix("Tiny: one empty record."))
    }

    @Test func loadErrorsCarryEveryDiagnosticWithItsLocation() {
        let broken = TinyWorld.yaml.replacing("duration: 10m", with: "duraton: 10m")
        #expect {
            try ScenarioPipeline().run(.text(broken, sourceName: "broken.yaml"))
        } throws: { error in
            guard case .scenario(let scenarioError) = error as? DNSCascadeError else { return false }
            let lines = (error as! DNSCascadeError).lines
            return !scenarioError.diagnostics.isEmpty && lines.count == scenarioError.diagnostics.count
                && lines.allSatisfy { $0.hasPrefix("broken.yaml:") } && lines.contains { $0.contains("duraton") }
        }
    }

    @Test func invalidOptionsAreRejected() throws {
        #expect(throws: DNSCascadeError.self) {
            try ScenarioPipeline(options: RunOptions(until: .zero)).run(.spec(try TinyWorld.spec()))
        }
        #expect(throws: DNSCascadeError.self) {
            try ScenarioPipeline(options: RunOptions(overrides: ["duration=5m"])).run(.spec(try TinyWorld.spec()))
        }
    }

    @Test func worldErrorsAreReported() throws {
        var spec = try TinyWorld.spec()
        spec.clients[0].resolvers = ["nowhere"]
        #expect {
            try ScenarioPipeline().run(.spec(spec))
        } throws: { error in
            guard case .world = error as? DNSCascadeError else { return false }
            return (error as! DNSCascadeError).description.contains("error:")
        }
    }
}
