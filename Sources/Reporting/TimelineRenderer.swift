import DNSModel
public import SimKernel
public import WorldModel

/// Renders the timeline as text: one event per line in fixed columns, for reading and for diffing.
///
/// ```
/// ── 2025-10-20 ──
/// 02:25:00 PDT  authority/route53         dynamodb.us-east-1.amazonaws. A → 4 records (plan 146 restored)
/// ```
///
/// Each line is the time in the scenario's zone (``ScenarioClock/format(_:style:)`` `.time`), two spaces, the
/// component padded to ``componentWidth``, two spaces, the detail. A date line precedes the first event and every
/// event whose calendar day (in the scenario's zone) differs from the previous one.
///
/// ```swift
/// let text = TimelineRenderer().render(results)
/// ```
public struct TimelineRenderer: Sendable {
    /// The default width of the component column (longer ids push the detail right, on their line only).
    public static let defaultComponentWidth = 24

    public var componentWidth: Int
    /// Colour failure outcome names (`NXDOMAIN`, `SERVFAIL`, …) and fault lines with ANSI codes.
    public var color: Bool

    public init(componentWidth: Int = TimelineRenderer.defaultComponentWidth, color: Bool = false) {
        self.componentWidth = componentWidth
        self.color = color
    }

    /// The whole timeline of a run, every line ending in a newline; empty if nothing happened.
    public func render(_ results: RunResults) -> String {
        render(results.timeline, clock: results.clock)
    }

    /// The given entries, in the order given.
    public func render(_ entries: [TimelineEntry], clock: ScenarioClock) -> String {
        var out = ""
        var currentDay: (Int, Int, Int)? = nil
        for entry in entries {
            let civil = clock.civilTime(entry.time)
            let day = (civil.year, civil.month, civil.day)
            if currentDay.map({ $0 != day }) ?? true {
                out += TimelineRenderer.dateHeader(entry.time, clock: clock) + "\n"
                currentDay = day
            }
            out += line(for: entry, clock: clock) + "\n"
        }
        return out
    }

    /// One entry as one line, without the newline.
    public func line(for entry: TimelineEntry, clock: ScenarioClock) -> String {
        let component = entry.component.description
        let padding = String(repeating: " ", count: max(0, componentWidth - component.count))
        let detail = color ? TimelineRenderer.colorOutcomes(in: entry.detail) : entry.detail
        let name = entry.kind == "fault" ? ANSIStyle.yellow.apply(component, enabled: color) : component
        var text = "\(clock.format(entry.time, style: .time))  \(name)\(padding)  \(detail)"
        while text.last == " " { text.removeLast() }
        return text
    }

    /// `── 2025-10-20 ──`
    public static func dateHeader(_ time: SimTime, clock: ScenarioClock) -> String {
        let civil = clock.civilTime(time)
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "── \(civil.year)-\(pad(civil.month))-\(pad(civil.day)) ──"
    }

    /// Colours every whole-word failure outcome name (RFC spelling or `ARES_…` status other than `ARES_SUCCESS`) red.
    static func colorOutcomes(in text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            out += isFailureWord(word) ? ANSIStyle.red.apply(word, enabled: true) : word
            word = ""
        }
        for ch in text {
            if ch.isLetter || ch.isNumber || ch == "_" {
                word.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }

    static func isFailureWord(_ word: String) -> Bool {
        guard !word.isEmpty else { return false }
        if word.hasPrefix("ARES_E") { return true }
        if let outcome = LookupOutcome.allCases.first(where: { $0.rfcName == word }) { return !outcome.isSuccess }
        return false
    }
}
