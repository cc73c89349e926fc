import DNSModel
import SimKernel
public import WorldModel

/// Renders one CSV row per client (RFC 4180: comma-separated, CRLF-free `\n` line ends, fields quoted when needed).
///
/// Columns, in order: `client,instances,lookups,failed,first_failure,recovery,minutes_down,downtime_seconds,
/// min_availability,connections_opened,connections_failed`, then one column per outcome (RFC name, vocabulary order).
/// Times are RFC 3339 in the scenario's zone; absent values are empty fields.
///
/// ```swift
/// let csv = CSVRenderer().render(results)
/// ```
public struct CSVRenderer: Sendable {
    public init() {}

    public static var header: [String] {
        [
            "client", "instances", "lookups", "failed", "first_failure", "recovery", "minutes_down", "downtime_seconds",
            "min_availability", "connections_opened", "connections_failed",
        ] + LookupOutcome.allCases.map(\.rfcName)
    }

    public func render(_ results: RunResults) -> String {
        var out = CSVRenderer.header.map(CSVRenderer.field).joined(separator: ",") + "\n"
        let clock = results.clock
        for c in results.clients {
            let down = c.firstFailure.flatMap { first in c.recovery.map { $0 - first } }
            let row: [String] =
                [
                    c.id.description, "\(c.instances)", "\(c.totalLookups)", "\(c.failedLookups)",
                    c.firstFailure.map { clock.format($0, style: .rfc3339) } ?? "",
                    c.recovery.map { clock.format($0, style: .rfc3339) } ?? "",
                    down.map { "\($0.seconds / 60)" } ?? "", "\(c.downtime.seconds)", "\(c.minAvailability)",
                    "\(c.connectionsOpened)", "\(c.connectionsFailed)",
                ] + LookupOutcome.allCases.map { "\(c.lookups.count($0))" }
            out += row.map(CSVRenderer.field).joined(separator: ",") + "\n"
        }
        return out
    }

    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
