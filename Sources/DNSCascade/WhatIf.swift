import Foundation
public import Reporting
import ScenarioLoader
public import WorldModel

/// Runs a scenario as written and with what-if variants (`dnscascade compare --what-if …`), side by side.
///
/// A variant is one or more `path=value` overrides (the `--set` language, `*` selects every element), separated by
/// `;`. Every run uses the same seed, so differences come from the variant, not from chance. Runs go to up to
/// `workers` threads; the report does not depend on how many.
///
/// ```swift
/// let report = try WhatIf(variants: ["resolvers.*.serveStale=true"]).run(.file(path: "Scenarios/us-east-1-2025-10-20.yaml"))
/// print(report.render(.text), terminator: "")
/// ```
public struct WhatIf: Sendable {
    public var pipeline: ScenarioPipeline
    /// Each variant's overrides, `;`-separated.
    public var variants: [String]
    public var workers: Int

    public init(pipeline: ScenarioPipeline = ScenarioPipeline(), variants: [String], workers: Int? = nil) {
        self.pipeline = pipeline
        self.variants = variants
        self.workers = workers ?? MonteCarlo.defaultWorkers
    }

    /// A variant's overrides: the `;`-separated parts, trimmed, empty parts dropped.
    public static func overrides(of variant: String) -> [String] {
        variant.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Loads and checks every variant first (a bad one is an error before anything runs), then runs them all.
    public func run(_ input: ScenarioInput) throws(DNSCascadeError) -> WhatIfReport {
        guard !variants.isEmpty else { throw .invalidOption("compare needs at least one --what-if path=value") }
        var scenarios: [Scenario] = []
        var pipelines: [ScenarioPipeline] = []
        for variant in [""] + variants {
            let parts = Self.overrides(of: variant)
            if variant != "" && parts.isEmpty { throw .invalidOption("--what-if '\(variant)' has no path=value") }
            var variantPipeline = pipeline
            variantPipeline.options.overrides += parts
            let scenario = try variantPipeline.load(input)
            _ = try variantPipeline.build(scenario)
            scenarios.append(scenario)
            pipelines.append(variantPipeline)
        }
        let runs = Array(zip(pipelines, scenarios))
        let attempts = ParallelMap.map(count: runs.count, workers: workers) { index -> Result<RunReport, DNSCascadeError> in
            let (pipeline, scenario) = runs[index]
            return Result { () throws(DNSCascadeError) in
                do throws(DNSCascadeError) {
                    return pipeline.evaluate(try pipeline.run(try pipeline.build(scenario)), of: scenario)
                } catch {
                    throw error.located(scenario.sourcePath)
                }
            }
        }
        var reports: [RunReport] = []
        for attempt in attempts {
            switch attempt {
            case .success(let report): reports.append(report)
            case .failure(let error): throw error
            }
        }
        return WhatIfReport(variants: variants, reports: reports)
    }
}

/// A baseline and its what-if variants, run with the same seed.
public struct WhatIfReport: Sendable {
    /// The variants as given (without the baseline).
    public var variants: [String]
    /// The baseline's report, then each variant's.
    public var reports: [RunReport]
    /// The headline numbers side by side.
    public var comparison: OutcomeComparison

    public init(variants: [String], reports: [RunReport]) {
        self.variants = variants
        self.reports = reports
        let names = ["baseline"] + variants.indices.map { Self.columnName($0) }
        self.comparison = OutcomeComparison(names: names, results: reports.map(\.results))
    }

    /// `A`, `B`, … `Z`, `AA`, … for variant `index`.
    public static func columnName(_ index: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return index < 26 ? String(letters[index]) : columnName(index / 26 - 1) + String(letters[index % 26])
    }

    public func render(_ format: ReportFormat = .text, color: Bool = false) -> String {
        let title = "\(reports[0].scenario.spec.name), seed \(reports[0].results.seed)"
        return ComparisonRenderer(format: format, color: color).render(comparison, title: title, variants: variants)
    }
}
