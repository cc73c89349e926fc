import SimKernel
public import WorldModel

/// Renders the impact section: named apps, the generated companies by strategy, reports by country, and totals —
/// each simulated figure beside the published one (``ImpactResults/published``).
///
/// ```swift
/// if let impact = results.impact { print(ImpactRenderer().render(impact, clock: results.clock)) }
/// ```
public struct ImpactRenderer: Sendable {
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    public func render(_ impact: ImpactResults, clock: ScenarioClock) -> String {
        let published = ImpactResults.published
        var sections: [String] = []
        if !impact.apps.isEmpty {
            var table = TextTable(
                ["app", "strategy", "first failure", "recovery", "minutes down", "peak errors", "reports", "published"]
                    .enumerated()
                    .map { .init(title: $1, alignment: $0 >= 4 ? .right : .left) })
            for app in impact.apps {
                let figure = published.reportsByService.first { $0.key == app.name }
                table.append([
                    .init(app.name), .init(app.strategy.rawValue),
                    .init(app.firstFailure.map { clock.format($0) } ?? "-"),
                    .init(app.downAtEnd ? "down at end" : app.recovery.map { clock.format($0) } ?? "-"),
                    .init(ReportFormatting.fixed(app.minutesDown, decimals: 0)),
                    .init(ReportFormatting.percent(app.peakErrorRate)), .init(Self.count(app.reports)),
                    .init(figure.map { Self.count($0.value) + ($0.atLeast ? "+" : "") } ?? "-"),
                ])
            }
            sections.append(
                "Apps (reports: simulated Downdetector-style reports beside the published counts)\n" + table.render(color: color))
        }
        if let population = impact.population {
            var table = TextTable(
                ["strategy", "companies", "affected", "recovered", "median time to recover", "published band"].enumerated()
                    .map { .init(title: $1, alignment: ($0 >= 1 && $0 <= 3) ? .right : .left) })
            for row in population.byStrategy {
                let band = published.recoveryBands.first { $0.strategy == row.strategy }
                let bandText = band.map { b in
                    b.lower.map { "\(ReportFormatting.duration($0))–\(ReportFormatting.duration(b.upper))" }
                        ?? "up to \(ReportFormatting.duration(b.upper))"
                }
                table.append([
                    .init(row.strategy.rawValue), .init("\(row.companies)"), .init("\(row.affected)"), .init("\(row.recovered)"),
                    .init(row.medianTimeToRecover.map(ReportFormatting.duration) ?? "-"), .init(bandText ?? "-"),
                ])
            }
            sections.append(
                "Companies (\(population.companies) generated, \(population.companiesAffected) affected, "
                    + "\(population.companiesDownAtEnd) still down at the end; published: \(Self.count(published.companiesAffected))+)\n"
                    + table.render(color: color))
        }
        if !impact.reportsByCountry.isEmpty {
            var table = TextTable([
                .init(title: "country", alignment: .left), .init(title: "reports", alignment: .right),
                .init(title: "published", alignment: .right),
            ])
            for row in impact.reportsByCountry {
                let figure = published.reportsByCountry.first { $0.key == row.country }
                table.append([
                    .init(row.country), .init(Self.count(row.reports)),
                    .init(figure.map { Self.count($0.value) + ($0.atLeast ? "+" : "") } ?? "-"),
                ])
            }
            sections.append("Reports by country\n" + table.render(color: color))
        }
        let totals = impact.totals
        sections.append(
            "Impact totals: \(Self.count(totals.reports)) reports (published: \(Self.count(published.totalReports))+), "
                + "peak users affected \(Self.count(totals.peakUsersAffected)), \(totals.appsAffected) apps and companies affected, "
                + "\(Self.count(Int(totals.userHours.rounded()))) user-hours\n")
        return sections.joined(separator: "\n")
    }

    /// An integer with thousands separators (`3,000,000`), locale-independent.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
