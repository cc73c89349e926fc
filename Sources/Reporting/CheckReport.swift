public import WorldModel

/// The outcome of checking one scenario file: its expectation verdicts, or why it could not run.
public struct ScenarioCheckResult: Sendable {
    /// The file as found (`Scenarios/classroom/01-empty-record.yaml`).
    public var path: String
    /// The scenario's `name`, when it loaded.
    public var name: String?
    /// The verdicts, in the order written (empty when the scenario did not run).
    public var expectations: [ExpectationResult]
    /// Why the scenario did not run (load or build errors), one diagnostic per line.
    public var error: String?
    /// Engine events the run processed (0 when it did not run).
    public var eventsProcessed: Int
    /// The comparison with the scenario's recorded timeline, when it keeps one.
    public var golden: GoldenTimeline?

    public init(
        path: String, name: String?, expectations: [ExpectationResult], error: String?, eventsProcessed: Int,
        golden: GoldenTimeline? = nil
    ) {
        self.path = path
        self.name = name
        self.expectations = expectations
        self.error = error
        self.eventsProcessed = eventsProcessed
        self.golden = golden
    }

    /// Ran, every expectation held, and the timeline matches its recording (if the scenario keeps one).
    public var passed: Bool { error == nil && expectations.allSatisfy(\.passed) && golden?.passed ?? true }
}

/// How a run's timeline compares with the scenario's recorded (golden) timeline.
public enum GoldenTimeline: Sendable, Hashable {
    /// Byte-identical to the recording at `path`.
    case matches(path: String)
    /// Different: `diff` is a unified diff from the recording to this run.
    case differs(path: String, diff: String)
    /// The scenario names a recording that does not exist yet.
    case missing(path: String)
    /// `--record` wrote the recording.
    case recorded(path: String)

    public var passed: Bool {
        switch self {
        case .matches, .recorded: true
        case .differs, .missing: false
        }
    }

    public var path: String {
        switch self {
        case .matches(let p), .differs(let p, _), .missing(let p), .recorded(let p): p
        }
    }

    /// One line for reports.
    public var summary: String {
        switch self {
        case .matches(let p): "timeline matches \(p)"
        case .differs(let p, _): "timeline differs from \(p) (diff below; re-record with --record if the change is intended)"
        case .missing(let p): "no recorded timeline at \(p); record it with: dnscascade check --record"
        case .recorded(let p): "timeline recorded to \(p)"
        }
    }
}

/// Renders the results of `dnscascade check`: a text table, JSON, or JUnit XML (one testcase per expectation).
///
/// ```swift
/// let text = CheckRenderer.text(results)
/// try AtomicFileWriter.write(CheckRenderer.junit(results), to: "check.xml")
/// ```
public enum CheckRenderer {
    /// One line per expectation (`PASS`/`FAIL`, scenario, component, check, measured, expected), then a total.
    public static func text(_ results: [ScenarioCheckResult]) -> String {
        var table = TextTable(
            ["result", "scenario", "component", "check", "measured", "expected"].map {
                TextTable.Column(title: $0, alignment: .left)
            })
        for result in results {
            if let error = result.error {
                table.append(["ERROR", TextTable.Cell(result.path), "-", TextTable.Cell(firstLine(error)), "-", "-"])
                continue
            }
            if let golden = result.golden {
                table.append(
                    [golden.passed ? "PASS" : "FAIL", result.path, "-", "golden timeline", golden.summary, "-"].map {
                        TextTable.Cell($0)
                    })
            }
            for e in result.expectations {
                table.append(
                    [
                        e.passed ? "PASS" : "FAIL", result.path, e.expectation.component.description, e.expectation.label,
                        e.measured, e.expected,
                    ].map { TextTable.Cell($0) })
            }
        }
        let failed = results.filter { !$0.passed }.count
        let expectations = results.reduce(0) { $0 + $1.expectations.count }
        let failedExpectations = results.reduce(0) { $0 + $1.expectations.filter { !$0.passed }.count }
        var out = table.render(color: false)
        for result in results {
            if case .differs(_, let diff) = result.golden { out += "\n" + diff }
        }
        out += "\n\(results.count) scenario\(results.count == 1 ? "" : "s"), \(expectations) expectations: "
        out += "\(expectations - failedExpectations) passed, \(failedExpectations) failed"
        let goldenFailures = results.filter { !($0.golden?.passed ?? true) }.count
        if goldenFailures > 0 {
            out += ", \(goldenFailures) golden timeline\(goldenFailures == 1 ? "" : "s") missing or different"
        }
        let errors = results.filter { $0.error != nil }.count
        if errors > 0 { out += ", \(errors) scenario\(errors == 1 ? "" : "s") could not run" }
        out += failed == 0 ? "\nPASS\n" : "\nFAIL\n"
        return out
    }

    /// `{"schemaVersion":1,"passed":…,"scenarios":[{path,name,passed,error,expectations:[…]}]}`.
    public static func json(_ results: [ScenarioCheckResult]) -> String {
        let scenarios = results.map { r -> JSONValue in
            .object([
                ("path", .string(r.path)), ("name", .optional(r.name)), ("passed", .bool(r.passed)),
                ("error", .optional(r.error)), ("eventsProcessed", .int(Int64(r.eventsProcessed))),
                (
                    "golden",
                    r.golden.map { g -> JSONValue in
                        var fields: [(String, JSONValue)] = [("path", .string(g.path)), ("passed", .bool(g.passed))]
                        if case .differs(_, let diff) = g { fields.append(("diff", .string(diff))) }
                        return .object(fields)
                    } ?? .null
                ),
                ("expectations", .array(r.expectations.map(JSONRenderer.expectation))),
            ])
        }
        let document: JSONValue = .object([
            ("schemaVersion", .int(Int64(JSONRenderer.schemaVersion))), ("kind", .string("check")),
            ("passed", .bool(results.allSatisfy(\.passed))), ("scenarios", .array(scenarios)),
        ])
        return document.serialized(pretty: true) + "\n"
    }

    /// JUnit XML: one `<testsuite>` per scenario, one `<testcase>` per expectation; a scenario that could not run
    /// is one testcase with an `<error>`.
    public static func junit(_ results: [ScenarioCheckResult]) -> String {
        let tests = results.reduce(0) { $0 + max(1, $1.expectations.count + ($1.golden == nil ? 0 : 1)) }
        let failures = results.reduce(0) {
            $0 + $1.expectations.filter { !$0.passed }.count + ($1.golden.map { $0.passed ? 0 : 1 } ?? 0)
        }
        let errors = results.filter { $0.error != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"dnscascade check\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for r in results {
            let suite = escape(r.name ?? r.path)
            if let error = r.error {
                out += "  <testsuite name=\"\(suite)\" tests=\"1\" failures=\"0\" errors=\"1\" file=\"\(escape(r.path))\">\n"
                out += "    <testcase classname=\"\(suite)\" name=\"load\">\n"
                out += "      <error message=\"\(escape(firstLine(error)))\">\(escape(error))</error>\n"
                out += "    </testcase>\n  </testsuite>\n"
                continue
            }
            let failed = r.expectations.filter { !$0.passed }.count + (r.golden.map { $0.passed ? 0 : 1 } ?? 0)
            let count = r.expectations.count + (r.golden == nil ? 0 : 1)
            out += "  <testsuite name=\"\(suite)\" tests=\"\(count)\" failures=\"\(failed)\" errors=\"0\""
            out += " file=\"\(escape(r.path))\">\n"
            if let golden = r.golden {
                if golden.passed {
                    out += "    <testcase classname=\"\(suite)\" name=\"golden timeline\"/>\n"
                } else {
                    var body = golden.summary
                    if case .differs(_, let diff) = golden { body += "\n" + diff }
                    out += "    <testcase classname=\"\(suite)\" name=\"golden timeline\">\n"
                    out += "      <failure message=\"\(escape(golden.summary))\">\(escape(body))</failure>\n    </testcase>\n"
                }
            }
            for e in r.expectations {
                let name = escape("\(e.expectation.component): \(e.expectation.label)")
                if e.passed {
                    out += "    <testcase classname=\"\(suite)\" name=\"\(name)\"/>\n"
                } else {
                    let message = "measured \(e.measured), expected \(e.expected)"
                    out += "    <testcase classname=\"\(suite)\" name=\"\(name)\">\n"
                    out += "      <failure message=\"\(escape(message))\">\(escape(e.expectation.source)): \(escape(message))"
                    out += "</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// XML character escaping for attribute values and text.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            default:
                // XML 1.0 forbids most control characters even as references; drop them.
                if scalar.value < 0x20 && scalar != "\t" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}
