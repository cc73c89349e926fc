import DNSCascade
import Foundation

/// `--speed N`: writes a text report with its timeline played back at N× virtual time — each line when its moment
/// comes — and everything else at once. The bytes written are the same as without `--speed`.
struct TimelineAnimation {
    var speed: Double

    /// Writes `text` (the rendered text report of `results`) to stdout, pacing the timeline's lines.
    func play(_ text: String, results: RunResults, color: Bool) {
        let renderer = TimelineRenderer(color: color)
        let timeline = renderer.render(results)
        guard !timeline.isEmpty, let range = text.range(of: timeline) else {
            Console.out(text)
            return
        }
        Console.out(String(text[..<range.lowerBound]))
        var previous = SimTime.zero
        var day: (Int, Int, Int)?
        for entry in results.timeline {
            let gap = Double((entry.time - previous).nanoseconds) / 1e9 / speed
            if gap > 0 { Thread.sleep(forTimeInterval: gap) }
            previous = entry.time
            let civil = results.clock.civilTime(entry.time)
            if day.map({ $0 != (civil.year, civil.month, civil.day) }) ?? true {
                Console.out(TimelineRenderer.dateHeader(entry.time, clock: results.clock) + "\n")
                day = (civil.year, civil.month, civil.day)
            }
            Console.out(renderer.line(for: entry, clock: results.clock) + "\n")
        }
        Console.out(String(text[range.upperBound...]))
    }
}
