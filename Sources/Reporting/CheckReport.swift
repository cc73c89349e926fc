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

    public init(path: String, name: String?, expectations: [ExpectationResult], error: String?, eventsProcessed: Int) {
        self.path = path
        self.name = name
        self.expectations = expectations
        self.error = error
        self.eventsProcessed = eventsProcessed
    }

    /// Ran, and every expectation held.
    public var passed: Bool { error == nil && expectations.allSatisfy(\.passed) }
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
        out += "\n\(results.count) scenario\(results.count == 1 ? "" : "s"), \(expectations) expectations: "
        out += "\(expectations - failedExpectations) passed, \(failedExpectations) failed"
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
        let tests = results.reduce(0) { $0 + max(1, $1.expectations.count) }
        let failures = results.reduce(0) { $0 + $1.expectations.filter { !$0.passed }.count }
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
            let failed = r.expectations.filter { !$0.passed }.count
            out += "  <testsuite name=\"\(suite)\" tests=\"\(r.expectations.count)\" failures=\"\(failed)\" errors=\"0\""
            out += " file=\"\(escape(r.path))\">\n"
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
