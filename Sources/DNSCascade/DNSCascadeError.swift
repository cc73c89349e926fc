public import ScenarioLoader
public import WorldModel

/// Why a pipeline stage could not produce its output. ``description`` is the message for people, one problem a line.
public enum DNSCascadeError: Error, Sendable, CustomStringConvertible {
    /// The scenario file could not be read, parsed or validated (every diagnostic, `file:line:col: error: …`).
    case scenario(ScenarioError)
    /// The world description was rejected when the world was built.
    case world(WorldBuildError, source: String)
    /// A run option is invalid (e.g. `until` not after the start).
    case invalidOption(String)
    /// An output file (a recorded timeline) could not be written.
    case output(AtomicFileWriter.WriteError)
    /// A sweep's input or progress file is unusable; the message starts with the file (and line).
    case sweepFile(String)
    /// The world is too big for the run's budgets (`limits:` in the scenario): its estimated memory, checked before
    /// it is built, or the events its run processed. The message names the biggest parts.
    case budget(WorldBudgetError, source: String)

    /// The error with its source file named (budget errors found while running do not know it).
    func located(_ source: String) -> DNSCascadeError {
        if case .budget(let error, "") = self { return .budget(error, source: source) }
        return self
    }

    /// One line per problem.
    public var lines: [String] {
        switch self {
        case .scenario(let error): return error.diagnostics.map(\.description)
        case .world(let error, let source):
            return error.problems.map { source.isEmpty ? "error: \($0)" : "\(source): error: \($0)" }
        case .invalidOption(let message): return ["error: \(message)"]
        case .output(let error): return [error.description]
        case .sweepFile(let message): return [message]
        case .budget(let error, let source):
            return error.lines.enumerated().map { index, line in
                index > 0 ? line : source.isEmpty ? "error: \(line)" : "\(source): error: \(line)"
            }
        }
    }

    public var description: String { lines.joined(separator: "\n") }
}
