import DNSModel
import SimKernel
public import WorldModel

/// Renders the summary tables: clients, their lookups by outcome, c-ares status and resolver; resolvers; expectations.
///
/// Rows follow scenario order; outcome columns follow the vocabulary order of `LookupOutcome`, status columns the
/// c-ares status code, source columns `AnswerSource.allCases`. Only outcomes and statuses that occurred get a column.
///
/// ```swift
/// let text = SummaryRenderer().render(results, expectations: verdicts)
/// ```
public struct SummaryRenderer: Sendable {
    /// Colour PASS/FAIL and failure outcomes with ANSI codes.
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    /// Every section, separated by blank lines; each line ends in a newline.
    public func render(_ results: RunResults, expectations: [ExpectationResult]) -> String {
        var sections: [String] = []
        if !results.clients.isEmpty {
            sections.append("Clients\n" + clientTable(results).render(color: color))
            sections.append("Client lookups by outcome\n" + clientOutcomeTable(results).render(color: color))
            sections.append("Client lookups by c-ares status\n" + clientStatusTable(results).render(color: color))
            sections.append("Client lookups by resolver\n" + clientResolverTable(results).render(color: color))
        }
        if !results.resolvers.isEmpty {
            sections.append("Resolvers\n" + resolverTable(results).render(color: color))
            sections.append("Resolver answers by outcome\n" + resolverOutcomeTable(results).render(color: color))
        }
        if !results.services.isEmpty {
            sections.append("Services\n" + serviceTable(results).render(color: color))
        }
        if let impact = results.impact {
            sections.append(ImpactRenderer(color: color).render(impact, clock: results.clock))
        }
        if let companies = results.companyInstances {
            sections.append(companyInstances(companies, results))
        }
        sections.append(renderExpectations(expectations))
        return sections.joined(separator: "\n")
    }

    /// Full-scale mode: two lines on the companies' own instances (their fleet is in the client tables).
    func companyInstances(_ c: CompanyInstanceResults, _ results: RunResults) -> String {
        let style = ReportFormatting.timeStyle(for: results)
        let time = { (t: SimTime?) in t.map { results.clock.format($0, style: style) } ?? "-" }
        let peak = c.peakWithoutConnection
        let restored =
            if !c.companies.contains(where: { $0.firstDegraded != nil }) {
                "no company ever degraded"
            } else if let last = c.lastRestored {
                "every company restored by \(time(last))"
            } else {
                "not every company restored by the end"
            }
        return "Companies' own instances (full scale): \(c.totalInstances) instances of \(c.companies.count) companies in "
            + "\(c.fleet) (⌈users / \(c.rule.usersPerInstance)⌉, \(c.rule.min)…\(c.rule.max) each; "
            + "\(c.rule.pool.size) connection(s) aged out after \(c.rule.pool.maxConnectionAge))\n"
            + "  lost every connection: \(c.companiesThatLostAll) companies; first \(time(c.firstLostAll)), "
            + "peak \(peak.count) at \(time(peak.at)), "
            + restored + " (read every \(c.sampleInterval))\n"
    }

    /// The expectations section alone: a count line, then one row per expectation (or a note if there are none).
    public func renderExpectations(_ expectations: [ExpectationResult]) -> String {
        let failed = expectations.filter { !$0.passed }.count
        var out = "Expectations: \(expectations.count - failed) passed, \(failed) failed\n"
        guard !expectations.isEmpty else { return out }
        var table = TextTable([
            .init(title: "result", alignment: .left), .init(title: "component", alignment: .left),
            .init(title: "check", alignment: .left), .init(title: "measured", alignment: .left),
            .init(title: "expected", alignment: .left), .init(title: "source", alignment: .left),
        ])
        for result in expectations {
            table.append([
                result.passed ? TextTable.Cell("PASS", style: .green) : TextTable.Cell("FAIL", style: .red),
                .init(result.expectation.component.description), .init(label(of: result.expectation)),
                .init(result.measured), .init(result.expected),
                .init(result.passed ? "" : result.expectation.source),
            ])
        }
        out += table.render(color: color)
        return out
    }

    func label(of expectation: ExpectationSpec) -> String {
        expectation.label.isEmpty ? ReportFormatting.metricName(expectation.metric) : expectation.label
    }

    // MARK: - Clients

    func clientTable(_ results: RunResults) -> TextTable {
        let style = ReportFormatting.timeStyle(for: results)
        var table = TextTable([
            .init(title: "client", alignment: .left), .init(title: "instances", alignment: .right),
            .init(title: "lookups", alignment: .right), .init(title: "failed", alignment: .right),
            .init(title: "first failure", alignment: .left), .init(title: "recovery", alignment: .left),
            .init(title: "minutes down", alignment: .right), .init(title: "downtime", alignment: .right),
            .init(title: "min availability", alignment: .right), .init(title: "conns opened", alignment: .right),
            .init(title: "conns failed", alignment: .right),
        ])
        for client in results.clients {
            let down = client.firstFailure.flatMap { first in client.recovery.map { $0 - first } }
            table.append([
                .init(client.id.description), .init("\(client.instances)"), .init("\(client.totalLookups)"),
                count(client.failedLookups, failure: true),
                .init(client.firstFailure.map { results.clock.format($0, style: style) } ?? "-"),
                .init(client.recovery.map { results.clock.format($0, style: style) } ?? "-"),
                .init(down.map(ReportFormatting.minutes) ?? "-"),
                .init(ReportFormatting.duration(client.downtime)),
                .init(ReportFormatting.percent(client.minAvailability)),
                .init("\(client.connectionsOpened)"), count(client.connectionsFailed, failure: true),
            ])
        }
        return table
    }

    func clientOutcomeTable(_ results: RunResults) -> TextTable {
        let outcomes = SummaryRenderer.outcomesUsed(results.clients.map(\.lookups))
        var table = TextTable(
            [.init(title: "client", alignment: .left), .init(title: "total", alignment: .right)]
                + outcomes.map { .init(title: $0.rfcName, alignment: .right) })
        for client in results.clients {
            table.append(
                [.init(client.id.description), .init("\(client.totalLookups)")]
                    + outcomes.map { count(client.lookups.count($0), failure: !$0.isSuccess) })
        }
        return table
    }

    func clientStatusTable(_ results: RunResults) -> TextTable {
        let statuses = SummaryRenderer.statusesUsed(results.clients.map(\.lookups))
        var table = TextTable(
            [.init(title: "client", alignment: .left)] + statuses.map { .init(title: $0.name, alignment: .right) })
        for client in results.clients {
            table.append(
                [.init(client.id.description)]
                    + statuses.map { count(client.lookups.byStatus[$0] ?? 0, failure: $0 != .success) })
        }
        return table
    }

    func clientResolverTable(_ results: RunResults) -> TextTable {
        let outcomes = SummaryRenderer.outcomesUsed(results.clients.flatMap { $0.lookupsByResolver.map(\.1) })
        var table = TextTable(
            [
                .init(title: "client", alignment: .left), .init(title: "resolver", alignment: .left),
                .init(title: "total", alignment: .right),
            ] + outcomes.map { .init(title: $0.rfcName, alignment: .right) })
        for client in results.clients {
            for (resolver, counts) in client.lookupsByResolver {
                table.append(
                    [.init(client.id.description), .init(resolver.description), .init("\(counts.total)")]
                        + outcomes.map { count(counts.count($0), failure: !$0.isSuccess) })
            }
        }
        return table
    }

    // MARK: - Resolvers

    func resolverTable(_ results: RunResults) -> TextTable {
        let style = ReportFormatting.timeStyle(for: results)
        var table = TextTable(
            [
                .init(title: "resolver", alignment: .left), .init(title: "fleet", alignment: .left),
                .init(title: "answers", alignment: .right),
            ] + AnswerSource.allCases.map { .init(title: $0.rawValue, alignment: .right) } + [
                .init(title: "upstream failures", alignment: .right), .init(title: "first failure", alignment: .left),
                .init(title: "recovery", alignment: .left),
            ])
        for resolver in results.resolvers {
            let sources: [TextTable.Cell] = AnswerSource.allCases.map { source in
                count(resolver.bySource[source] ?? 0, failure: source == .fault || source == .overload)
            }
            table.append(
                [.init(resolver.id.description), .init(resolver.fleet), .init("\(resolver.answers.total)")] + sources + [
                    count(resolver.upstreamFailures, failure: true),
                    .init(resolver.firstFailure.map { results.clock.format($0, style: style) } ?? "-"),
                    .init(resolver.recovery.map { results.clock.format($0, style: style) } ?? "-"),
                ])
        }
        return table
    }

    /// Internal services: what their health measures, when it fell below the threshold, when it came back, and the
    /// peak failing share (1 − lowest health: the peak error rate of a balancer, the share of hosts without a lease).
    func serviceTable(_ results: RunResults) -> TextTable {
        let style = ReportFormatting.timeStyle(for: results)
        var table = TextTable([
            .init(title: "service", alignment: .left), .init(title: "mechanism", alignment: .left),
            .init(title: "health", alignment: .left), .init(title: "first failure", alignment: .left),
            .init(title: "recovery", alignment: .left), .init(title: "minutes down", alignment: .right),
            .init(title: "min health", alignment: .right), .init(title: "peak failing", alignment: .right),
        ])
        for service in results.services {
            table.append([
                .init(service.id.description), .init(service.kind),
                .init("\(service.healthMeaning) ≥ \(ReportFormatting.percent(service.healthyThreshold))"),
                .init(service.firstFailure.map { results.clock.format($0, style: style) } ?? "-"),
                .init(service.recovery.map { results.clock.format($0, style: style) } ?? "-"),
                .init(service.firstFailure == nil ? "-" : ReportFormatting.minutes(service.downtime)),
                .init(ReportFormatting.percent(service.minHealth)),
                .init(ReportFormatting.percent(1 - service.minHealth)),
            ])
        }
        return table
    }

    func resolverOutcomeTable(_ results: RunResults) -> TextTable {
        let outcomes = SummaryRenderer.outcomesUsed(results.resolvers.map(\.answers))
        var table = TextTable(
            [.init(title: "resolver", alignment: .left), .init(title: "total", alignment: .right)]
                + outcomes.map { .init(title: $0.rfcName, alignment: .right) })
        for resolver in results.resolvers {
            table.append(
                [.init(resolver.id.description), .init("\(resolver.answers.total)")]
                    + outcomes.map { count(resolver.answers.count($0), failure: !$0.isSuccess) })
        }
        return table
    }

    // MARK: - Helpers

    private func count(_ n: Int, failure: Bool) -> TextTable.Cell {
        TextTable.Cell("\(n)", style: failure && n > 0 ? .red : nil)
    }

    /// Outcomes with a non-zero count in any of `counts`, in vocabulary order.
    static func outcomesUsed(_ counts: [OutcomeCounts]) -> [LookupOutcome] {
        LookupOutcome.allCases.filter { outcome in counts.contains { $0.count(outcome) > 0 } }
    }

    /// Statuses with a non-zero count in any of `counts`, by status code.
    static func statusesUsed(_ counts: [OutcomeCounts]) -> [AresStatus] {
        Set(counts.flatMap { $0.statuses.map(\.0) }).sorted()
    }
}
