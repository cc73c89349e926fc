import DNSCascade
import Foundation
import Testing

/// A finished (or abandoned) world is freed with everything in it: the events still pending when a run ends capture
/// the models, which hold the simulator, so without `World.deinit` dropping them every run leaked its whole world
/// (found by the scenario-loader fuzzer under LeakSanitizer; a sweep or `check` of many runs grew without bound).
@Suite struct WorldLifetimeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(
        "a world and its simulator are freed after a run, a run stopped by the event budget, or no run",
        arguments: ["Scenarios/classroom/01-empty-record.yaml", "Tests/FuzzCorpus/scenario-loader/valid-regional-cloud.yaml"])
    func freed(file: String) throws {
        for mode in ["run", "budget", "none"] {
            let overrides = mode == "budget" ? ["limits.events=3000"] : []
            let scenario = try ScenarioLoader().load(path: Self.root.appendingPathComponent(file).path, overrides: overrides)
            weak var weakWorld: World?
            weak var weakSimulator: Simulator?
            do {
                let world = try World(spec: scenario.spec, classifier: SwiftResponseClassifier())
                weakWorld = world
                weakSimulator = world.simulator
                if mode != "none" { _ = world.run() }
                if mode != "none" { #expect(world.simulator.pendingEvents > 0, "\(file) \(mode): nothing was pending") }
            }
            #expect(weakWorld == nil, "\(file) \(mode)")
            #expect(weakSimulator == nil, "\(file) \(mode)")
        }
    }
}
