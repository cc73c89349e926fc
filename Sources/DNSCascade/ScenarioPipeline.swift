import AresShim
public import DNSModel
public import ScenarioLoader
import SimKernel
public import WorldModel

/// Runs scenarios: load (with overrides) → build the world (with the c-ares classifier) → run → evaluate expectations.
///
/// Each stage is a method with a typed input and output, so callers (the `dnscascade` executable, tests, other
/// tools) can stop after any stage, or run them all with ``run(_:)``. Same input and options ⇒ identical report.
///
/// Running a scenario and asserting on its outcomes from Swift Testing, in your own package
/// (`.product(name: "DNSCascade", package: "DNSCascade")`):
///
/// ```swift
/// import DNSCascade
/// import Testing
///
/// @Test func appRidesOutAnEmptyRecord() throws {
///     let pipeline = ScenarioPipeline(options: RunOptions(overrides: ["clients.app.appCache.positiveTTL=10m"]))
///     let report = try pipeline.run(.file(path: "Scenarios/classroom/01-empty-record.yaml"))
///     #expect(report.passed, "\(report.render(.text))")
///     let app = try #require(report.client("app"))
///     #expect(app.lookups.count(.noData) == 0)
///     #expect(app.minAvailability == 1)
/// }
/// ```
///
/// A world can also be described in code: `try pipeline.run(.spec(WorldSpec(name: "mine", duration: .minutes(10), …)))`.
public struct ScenarioPipeline: Sendable {
    public var options: RunOptions
    /// Makes the classifier each world uses to read replies (c-ares by default; tests may substitute one).
    public var makeClassifier: @Sendable () -> any ResponseClassifier
    /// Told how far a run has got (0…1 of its virtual time), now and then while it runs (for a progress bar).
    public var progress: (@Sendable (Double) -> Void)?

    /// A pipeline with these options; `makeClassifier` defaults to c-ares (`AresResponseClassifier`).
    public init(options: RunOptions = RunOptions(), makeClassifier: (@Sendable () -> any ResponseClassifier)? = nil) {
        self.options = options
        // The world memoises classifications by reply content (`ClassificationMemo`), so c-ares need not memoise too.
        self.makeClassifier = makeClassifier ?? { AresResponseClassifier(memoizes: false) }
    }

    // MARK: - Stages

    /// Stage 1: reads and validates the scenario, applies the overrides and the seed option.
    public func load(_ input: ScenarioInput) throws(DNSCascadeError) -> Scenario {
        var scenario: Scenario
        do {
            switch input {
            case .file(let path):
                scenario = try ScenarioLoader().load(path: path, overrides: options.overrides)
            case .text(let text, let sourceName):
                scenario = try ScenarioLoader().load(text: text, sourceName: sourceName, overrides: options.overrides)
            case .spec(let spec):
                if !options.overrides.isEmpty {
                    throw DNSCascadeError.invalidOption("overrides (--set) apply only to scenario files")
                }
                scenario = Scenario(spec: spec, sourcePath: "", headerComment: spec.summary)
            }
        } catch let error as ScenarioError {
            throw .scenario(error)
        } catch let error as DNSCascadeError {
            throw error
        } catch {
            throw .invalidOption("\(error)")
        }
        if let seed = options.seed { scenario.spec.seed = seed }
        if options.fullScale {
            guard var apps = scenario.spec.apps, var population = apps.population else {
                throw .invalidOption("--full-scale needs a generated population of companies (world.apps.population)")
            }
            population.instances = population.instances ?? PopulationInstancesSpec()
            apps.population = population
            scenario.spec.apps = apps
        }
        if let events = options.maxEvents {
            guard events > 0 else { throw .invalidOption("the event budget must be at least 1, got \(events)") }
            scenario.spec.limits.events = events
        }
        if let memory = options.maxMemoryMB {
            guard memory > 0 else { throw .invalidOption("the memory budget must be at least 1 MiB, got \(memory)") }
            scenario.spec.limits.memoryMB = memory
        }
        if let until = options.until, until <= .zero {
            throw .invalidOption("until must be after the start of the run, got \(until)")
        }
        return scenario
    }

    /// Stage 2: builds the world (validating references and values the loader cannot see), unless it is estimated to
    /// need more memory than its budget (`limits.memoryMB`).
    public func build(_ scenario: Scenario) throws(DNSCascadeError) -> World {
        do {
            try scenario.spec.checkBudget(until: options.until)
        } catch {
            throw .budget(error, source: scenario.sourcePath)
        }
        do {
            return try World(spec: scenario.spec, classifier: makeClassifier())
        } catch {
            throw .world(error, source: scenario.sourcePath)
        }
    }

    /// Stage 3: runs the world to the scenario's end, or to ``RunOptions/until`` if earlier; a run that reaches its
    /// event budget (`limits.events`) stops there with an error naming the biggest parts of the world.
    public func run(_ world: World) throws(DNSCascadeError) -> RunResults {
        let until = options.until.map { SimTime.zero + $0 }
        if let progress {
            let end = Double(min(until.map { $0 - .zero } ?? world.spec.duration, world.spec.duration).nanoseconds)
            let events = EventCount()
            world.trace.subscribe { time, _ in
                events.count &+= 1
                if events.count & 0x3FFF == 0 { progress(min(1, Double(time.nanoseconds) / max(1, end))) }
            }
        }
        do {
            return try world.runWithinBudget(until: until)
        } catch {
            throw .budget(error, source: "")
        }
    }

    /// Events seen by the progress observer (a world runs on one thread).
    private final class EventCount {
        var count = 0
    }

    /// Stage 4: checks the scenario's expectations against the results.
    public func evaluate(_ results: RunResults, of scenario: Scenario) -> RunReport {
        RunReport(
            scenario: scenario, results: results,
            expectations: ExpectationEvaluator.evaluate(scenario.spec.expectations, in: results))
    }

    // MARK: - Whole pipelines

    /// Every stage: load, build, run, evaluate.
    public func run(_ input: ScenarioInput) throws(DNSCascadeError) -> RunReport {
        let scenario = try load(input)
        let world = try build(scenario)
        do {
            return evaluate(try run(world), of: scenario)
        } catch {
            throw error.located(scenario.sourcePath)
        }
    }

    /// Stages 1 and 2 only: the scenario loads and a world can be built from it. Nothing runs.
    @discardableResult
    public func validate(_ input: ScenarioInput) throws(DNSCascadeError) -> Scenario {
        let scenario = try load(input)
        _ = try build(scenario)
        return scenario
    }
}
