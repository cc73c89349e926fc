import Foundation
import Synchronization

/// A progress bar on stderr for runs that take longer than a second, drawn only when stderr is a terminal, and
/// erased when the run ends so it never mixes with the report.
final class ProgressBar: Sendable {
    private struct State {
        var shown = false
        var lastPercent = -1
    }

    private let start = ContinuousClock.now
    private let state = Mutex(State())

    /// A bar, or nil when stderr is not a terminal (pipes and CI logs stay clean).
    static func forTerminal() -> ProgressBar? { isatty(STDERR_FILENO) != 0 ? ProgressBar() : nil }

    /// Shows `fraction` (0…1) once the run has taken a second.
    func update(_ fraction: Double) {
        guard ContinuousClock.now - start >= .seconds(1) else { return }
        let percent = Int((min(1, max(0, fraction)) * 100).rounded(.down))
        state.withLock { state in
            guard percent != state.lastPercent else { return }
            state.lastPercent = percent
            state.shown = true
            let filled = percent * 30 / 100
            let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: 30 - filled)
            Console.err("\r[\(bar)] \(percent)% of virtual time")
        }
    }

    /// Erases the bar (if it was drawn).
    func finish() {
        state.withLock { state in
            if state.shown { Console.err("\r" + String(repeating: " ", count: 52) + "\r") }
            state.shown = false
        }
    }
}
