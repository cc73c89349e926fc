import SimKernel
public import WorldModel

/// The output formats of a run report.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Heading, timeline, summary tables, verdict (for people).
    case text
    /// One JSON document (``JSONRenderer``).
    case json
    /// One JSON object per timeline entry.
    case ndjson
    /// One row per client.
    case csv
}

/// Renders a whole run report in one of the ``ReportFormat``s: a pure function of the results, byte-identical for
/// identical input.
///
/// ```swift
/// let text = ReportRenderer(format: .text).render(results, expectations: verdicts)
/// print(text, terminator: "")
/// ```
public struct ReportRenderer: Sendable {
    public var format: ReportFormat
    /// ANSI colour for the text format (ignored by machine formats).
    public var color: Bool
    /// In the text format, put each timeline entry's causes under it (``ExplainRenderer/narrate(_:)``).
    public var explain: Bool

    public init(format: ReportFormat = .text, color: Bool = false, explain: Bool = false) {
        self.format = format
        self.color = color
        self.explain = explain
    }

    /// The report; every line ends in a newline.
    public func render(_ results: RunResults, expectations: [ExpectationResult]) -> String {
        switch format {
        case .text: return renderText(results, expectations: expectations)
        case .json: return JSONRenderer().render(results, expectations: expectations)
        case .ndjson: return JSONRenderer().renderNDJSON(results)
        case .csv: return CSVRenderer().render(results)
        }
    }

    /// The text report:
    ///
    /// ```
    /// tiny: seed 1, 10m from 2000-01-01 00:00:00 UTC
    ///
    /// Timeline
    /// ── 2000-01-01 ──
    /// 00:02:00 UTC  authority/ns1             fault f started: …
    ///
    /// Clients
    /// …
    /// Expectations: 1 passed, 0 failed
    /// …
    ///
    /// PASS
    /// ```
    func renderText(_ results: RunResults, expectations: [ExpectationResult]) -> String {
        let start = results.clock.format(.zero, style: .dateTime)
        var out = "\(results.scenarioName): seed \(results.seed), \(ReportFormatting.duration(results.duration)) from \(start)\n"
        out += "\nTimeline\n"
        let timeline = explain ? ExplainRenderer(color: color).narrate(results) : TimelineRenderer(color: color).render(results)
        out += timeline.isEmpty ? "(no events)\n" : timeline
        out += "\n" + SummaryRenderer(color: color).render(results, expectations: expectations)
        out += "\n" + ReportFormatting.verdict(expectations, color: color) + "\n"
        return out
    }
}
