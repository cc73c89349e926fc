import Foundation
public import Reporting
public import ScenarioLoader
import SimKernel
public import WorldModel

/// Runs one scenario with several seeds (Monte Carlo) and judges its expectations over all runs.
///
/// Run 1 uses the scenario's seed, the others seeds derived from it (``SeedSequence``). Runs go to up to `workers`
/// threads; every result is collected by run number, so the report is byte-identical whatever the number of workers.
/// Only run 1's full results are kept (for its timeline); of the others, only what the expectations and the summary
/// need, so memory does not grow with the number of runs.
///
/// ```swift
/// let study = try MonteCarlo(runs: 20).run(.file(path: "Scenarios/us-east-1-2025-10-20.yaml"))
/// print(study.expectations.map { "\($0.passed) \($0.measured)" })
/// ```
public struct MonteCarlo: Sendable {
    public var pipeline: ScenarioPipeline
    /// Number of runs (at least 1).
    public var runs: Int
    /// Threads to use (default: every active processor).
    public var workers: Int

    public init(pipeline: ScenarioPipeline = ScenarioPipeline(), runs: Int, workers: Int? = nil) {
        self.pipeline = pipeline
        self.runs = runs
        self.workers = workers ?? Self.defaultWorkers
    }

    /// Every active processor.
    public static var defaultWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Loads and validates the scenario once, then runs it `runs` times.
    public func run(_ input: ScenarioInput) throws(DNSCascadeError) -> MonteCarloReport {
        guard runs >= 1 else { throw .invalidOption("--runs must be at least 1, got \(runs)") }
        let scenario = try pipeline.load(input)
        _ = try pipeline.build(scenario)
        let seeds = SeedSequence(base: scenario.spec.seed).seeds(count: runs)
        let pipeline = self.pipeline
        let attempts = ParallelMap.map(count: runs, workers: workers) { index -> Result<RunOutcome, DNSCascadeError> in
            var seeded = scenario
            seeded.spec.seed = seeds[index]
            return Result { () throws(DNSCascadeError) in
                let results: RunResults
                do throws(DNSCascadeError) {
                    results = try pipeline.run(try pipeline.build(seeded))
                } catch {
                    throw error.located(seeded.sourcePath)
                }
                let report = pipeline.evaluate(results, of: seeded)
                return RunOutcome(
                    seed: seeds[index], summary: RunSummary(results, passed: report.passed),
                    measurements: seeded.spec.expectations.map { ExpectationEvaluator.measure($0, in: results) },
                    passed: report.passed, report: index == 0 ? report : nil)
            }
        }
        var outcomes: [RunOutcome] = []
        for attempt in attempts {
            switch attempt {
            case .success(let outcome): outcomes.append(outcome)
            case .failure(let error): throw error
            }
        }
        let clock = scenario.spec.clock
        let verdicts = scenario.spec.expectations.enumerated().map { index, expectation in
            ExpectationEvaluator.evaluate(expectation, measurements: outcomes.map { $0.measurements[index] }, clock: clock)
        }
        return MonteCarloReport(
            scenario: scenario, first: outcomes[0].report!, runs: outcomes.map(\.summary), expectations: verdicts)
    }

    /// One run's outcome while the study is being collected.
    struct RunOutcome: Sendable {
        var seed: UInt64
        var summary: RunSummary
        var measurements: [MeasuredValue?]
        var passed: Bool
        var report: RunReport?
    }
}

/// What a Monte Carlo study found: the verdicts over all runs, each run's key times, and run 1's full report.
public struct MonteCarloReport: Sendable {
    /// The scenario as loaded (run 1's seed).
    public var scenario: Scenario
    /// Run 1 (the scenario's own seed) in full.
    public var first: RunReport
    /// Each run's seed, verdict and key times, in run order.
    public var runs: [RunSummary]
    /// One verdict per expectation over all runs, in scenario order.
    public var expectations: [ExpectationResult]

    /// Whether every expectation held over the runs as it asks.
    public var passed: Bool { expectations.allSatisfy(\.passed) }

    /// The report in one of the study formats; byte-identical for the same scenario, seed and number of runs.
    public func render(_ format: ReportFormat = .text, color: Bool = false) -> String {
        MonteCarloRenderer(format: format, color: color).render(
            scenarioName: scenario.spec.name, clock: scenario.spec.clock, runs: runs, expectations: expectations)
    }
}
