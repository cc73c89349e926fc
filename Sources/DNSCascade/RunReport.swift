public import Reporting
public import ScenarioLoader
public import SimKernel
public import WorldModel

/// The outcome of one run: the scenario, everything observed, and the verdict on each expectation.
///
/// ```swift
/// let report = try ScenarioPipeline().run(.file(path: "Scenarios/classroom/01-empty-record.yaml"))
/// print(report.render(.text), terminator: "")
/// if !report.passed { print(report.failedExpectations.map(\.measured)) }
/// ```
public struct RunReport: Sendable {
    /// The scenario as run (after overrides and the seed option).
    public var scenario: Scenario
    public var results: RunResults
    /// One verdict per expectation, in scenario order.
    public var expectations: [ExpectationResult]

    public init(scenario: Scenario, results: RunResults, expectations: [ExpectationResult]) {
        self.scenario = scenario
        self.results = results
        self.expectations = expectations
    }

    /// Whether every expectation held (a scenario without expectations passes).
    public var passed: Bool { expectations.allSatisfy(\.passed) }

    /// The expectations that did not hold, in scenario order.
    public var failedExpectations: [ExpectationResult] { expectations.filter { !$0.passed } }

    /// The results of the client fleet with this id (`"app"` or `"client/app"`).
    public func client(_ id: String) -> ClientResults? {
        results.clients.first { $0.id.name == id || $0.id.description == id }
    }

    /// The results of the resolver with this id (`"r1"` or `"resolver/r1"`).
    public func resolver(_ id: String) -> ResolverResults? {
        results.resolvers.first { $0.id.name == id || $0.id.description == id }
    }

    /// The results of an internal service, by `service/<id>` or bare id (`dwfm`, `ec2-nlb`).
    public func service(_ id: String) -> ServiceResults? {
        let name = id.hasPrefix("service/") ? String(id.dropFirst("service/".count)) : id
        return results.services.first { $0.id.name == name }
    }

    /// The report in one of the output formats; byte-identical for identical runs.
    /// `explain` puts each timeline entry's causes under it (text format).
    public func render(_ format: ReportFormat = .text, color: Bool = false, explain: Bool = false) -> String {
        ReportRenderer(format: format, color: color, explain: explain).render(results, expectations: expectations)
    }

    /// One self-contained HTML page for this run (`dnscascade report`), with what-if results if given.
    public func html(whatIf: WhatIfReport? = nil) -> String {
        HTMLReportRenderer().render(
            spec: scenario.spec, results: results, expectations: expectations, comparison: whatIf?.comparison,
            variants: whatIf?.variants ?? [])
    }

    /// The causal chain behind a component's state at `time` (`dnscascade explain`), as an indented tree.
    public func explain(_ component: ComponentID, at time: SimTime, color: Bool = false) -> String {
        ExplainRenderer(color: color).render(results, component: component, at: time)
    }
}
