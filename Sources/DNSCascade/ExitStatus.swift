/// The process exit statuses of `dnscascade` (DESIGN §8), for the executable and for tools that wrap it.
public enum ExitStatus: Int32, Sendable {
    /// Everything ran and every expectation held.
    case ok = 0
    /// The run finished but at least one expectation failed.
    case expectationFailed = 1
    /// Bad arguments, or an input that cannot be read, loaded or validated, or an output that cannot be written.
    case usageOrInputError = 2

    /// The status for a finished run.
    public init(_ report: RunReport) { self = report.passed ? .ok : .expectationFailed }

    /// The status for a finished Monte Carlo study.
    public init(_ study: MonteCarloReport) { self = study.passed ? .ok : .expectationFailed }
}
