import DNSModel
import ScenarioLoader
import WorldModel

/// Events each accepted input may run (a few milliseconds of simulation).
private let eventsPerInput = 2_000
/// Generated companies an accepted input may build.
private let maxCompanies = 100

/// One libFuzzer input: scenario text → ``Scenario`` or ``ScenarioError`` → ``World`` or ``WorldBuildError``.
///
/// Any input may be rejected, but never with a crash, a hang or unbounded memory; every diagnostic must carry
/// a position (line and column ≥ 1). A loaded spec within the memory budget must build (the loader's validation and
/// the world's agree), and then runs for up to 2 000 events.
///
/// Exported as `LLVMFuzzerTestOneInput` too, which libFuzzer's own `main` (linked in, but not the entry point) names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let scenario: Scenario
    do {
        scenario = try ScenarioLoader().load(text: text, sourceName: "fuzz.yaml")
    } catch {
        precondition(!error.diagnostics.isEmpty, "a ScenarioError without diagnostics")
        for diagnostic in error.diagnostics {
            precondition(diagnostic.line >= 1 && diagnostic.column >= 1, "diagnostic without a position: \(diagnostic)")
            precondition(!diagnostic.message.isEmpty, "diagnostic without a message")
        }
        return 0
    }
    var spec = scenario.spec
    // Under AddressSanitizer memory costs about three times as much; libFuzzer's RSS limit is 2 GB.
    spec.limits.memoryMB = min(spec.limits.memoryMB, 256)
    do {
        try spec.checkBudget()
    } catch {
        return 0  // refused before anything is built, as `dnscascade` does
    }
    // Generating thousands of companies takes tens of seconds under AddressSanitizer and reaches no new code.
    if let population = spec.apps?.population, population.count > maxCompanies {
        spec.apps?.population?.count = maxCompanies
    }
    // A short run exercises the models with the fuzzed parameters; the event budget keeps it short.
    spec.limits.events = min(spec.limits.events, eventsPerInput)
    let world: World
    do {
        world = try World(spec: spec, classifier: SwiftResponseClassifier())
    } catch {
        preconditionFailure("the loader accepted a scenario the world rejects: \(error)")
    }
    _ = world.run()
    return 0
}
