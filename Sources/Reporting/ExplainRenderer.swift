public import SimKernel
public import WorldModel

/// Renders causes: a ``CausalChain`` as an indented tree (`dnscascade explain`), and the timeline with each entry's
/// direct cause under it (`replay --explain`).
///
/// ```
/// 23:46:42 PDT  client/in-region-services  lookups of dynamodb.us-east-1.amazonaws.com. A start failing: …
///   ← 23:46:42 PDT  resolver/vpc-5  dynamodb.us-east-1.amazonaws.com. A: caching NODATA for 900s …
///     ← 23:46:38 PDT  authority/route53  dynamodb.us-east-1.amazonaws.com. A → no records […]
/// ```
public struct ExplainRenderer: Sendable {
    public var color: Bool

    public init(color: Bool = false) { self.color = color }

    /// The chain behind `component` at `time`, or a line saying it had not changed by then.
    public func render(_ results: RunResults, component: ComponentID, at time: SimTime) -> String {
        let when = results.clock.format(time, style: .dateTime)
        guard let chain = CausalChain(results, component: component, at: time) else {
            return "\(component) at \(when): no state change by then (it is as it started: healthy)\n"
        }
        var out = "\(component) at \(when): its latest state change, and what caused it, back to what was injected\n\n"
        for link in chain.links {
            let indent = String(repeating: "  ", count: link.depth) + (link.depth == 0 ? "" : "← ")
            out += indent + describe(results.timeline[link.entry], clock: results.clock)
            out += link.shownAbove ? "  (see above)\n" : "\n"
        }
        return out
    }

    /// The timeline, each entry followed by its direct causes (`because …`).
    public func narrate(_ results: RunResults) -> String {
        let timeline = TimelineRenderer(color: color)
        var out = ""
        var day: (Int, Int, Int)?
        for entry in results.timeline {
            let civil = results.clock.civilTime(entry.time)
            if day.map({ $0 != (civil.year, civil.month, civil.day) }) ?? true {
                out += TimelineRenderer.dateHeader(entry.time, clock: results.clock) + "\n"
                day = (civil.year, civil.month, civil.day)
            }
            out += timeline.line(for: entry, clock: results.clock) + "\n"
            for cause in entry.causes {
                out += "              because " + describe(results.timeline[cause], clock: results.clock) + "\n"
            }
        }
        return out
    }

    /// `time  component  detail`, with `(injected)` on faults and operator actions.
    private func describe(_ entry: TimelineEntry, clock: ScenarioClock) -> String {
        let injected = entry.component.kind == .operator || (entry.kind == "fault" && entry.causes.isEmpty)
        let mark = injected ? ANSIStyle.yellow.apply(" (injected)", enabled: color) : ""
        return "\(clock.format(entry.time))  \(entry.component)  \(entry.detail)\(mark)"
    }
}
