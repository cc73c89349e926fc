import DNSCascade
import Synchronization
import Testing

/// Causes recorded in the timeline, the causal chain `explain` prints, and the narration of `replay --explain`.
@Suite("Explain")
struct ExplainTests {
    @Test(
        "every cause is an earlier entry, and only injected faults and operator actions have none",
        arguments: ClassroomScenarioTests.files)
    func causesPointBack(file: String) throws {
        let timeline = try ClassroomScenarioTests.run(file).results.timeline
        #expect(!timeline.isEmpty)
        for (index, entry) in timeline.enumerated() {
            for cause in entry.causes {
                #expect(cause != index && timeline[cause].time <= entry.time, "\(entry.detail) ← \(timeline[cause].detail)")
            }
            if entry.causes.isEmpty {
                #expect(
                    entry.component.kind == .operator || entry.kind == "fault", "no cause: \(entry.component) \(entry.detail)")
            }
        }
    }

    @Test("the chain behind a recovery runs back to the operator action that repaired the record, and moves with it")
    func recoveryChain() throws {
        for repair in ["23:15:00", "23:25:00"] {
            let report = try ClassroomScenarioTests.run(
                "01-empty-record.yaml", overrides: ["operators.0.at=2025-10-19T\(repair)-07:00"])
            let end = SimTime.zero + report.scenario.spec.duration
            let chain = try #require(CausalChain(report.results, component: ComponentID(.client, "app"), at: end))
            let links = chain.links.map { report.results.timeline[$0.entry] }
            #expect(links.first?.component == ComponentID(.client, "app"))
            let root = try #require(links.last)
            #expect(root.component.kind == .operator)
            #expect(report.results.clock.format(root.time).hasPrefix(repair))
            #expect(zip(links, links.dropFirst()).allSatisfy { $0.time >= $1.time })
            let text = report.explain(ComponentID(.client, "app"), at: end)
            #expect(text.contains("(injected)"))
        }
    }

    @Test("before its first change a component has no chain; --explain narrates causes under entries")
    func narration() throws {
        let report = try ClassroomScenarioTests.run("01-empty-record.yaml")
        #expect(CausalChain(report.results, component: ComponentID(.client, "app"), at: .zero) == nil)
        #expect(report.explain(ComponentID(.client, "app"), at: .zero).contains("no state change by then"))
        let narrated = report.render(.text, explain: true)
        #expect(narrated.contains("              because "))
        #expect(report.render(.text).contains("because ") == false)
    }
}

/// The progress callback a progress bar draws from.
@Suite("Progress")
struct ProgressTests {
    @Test("progress rises through the run's virtual time and does not change the run")
    func progress() throws {
        let seen = Mutex<[Double]>([])
        var pipeline = ScenarioPipeline()
        pipeline.progress = { fraction in seen.withLock { $0.append(fraction) } }
        let file = ClassroomScenarioTests.path("02-deleted-name.yaml")
        let withProgress = try pipeline.run(.file(path: file))
        let fractions = seen.withLock { $0 }
        #expect(fractions.count >= 2)
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(fractions.allSatisfy { $0 > 0 && $0 <= 1 })
        #expect(withProgress.render(.json) == (try ScenarioPipeline().run(.file(path: file))).render(.json))
    }
}
