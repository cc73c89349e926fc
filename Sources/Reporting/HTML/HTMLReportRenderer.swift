import SimKernel
public import WorldModel

/// Renders one self-contained HTML page for a run (`dnscascade report`): the timeline, health over time per client
/// fleet and service (SVG), the dependency graph coloured by state with a time slider, the causal chain of a clicked
/// component at the slider's time, the expectations, and what-if results. No network fetches: the data, styles and
/// script are inline, so it works offline on a projector. Byte-identical for identical input.
///
/// Opening the page with `#selftest` makes its script move the slider and check that the graph's colours change,
/// writing `selftest: ok` (or what failed, and any script error) into the element `#selftest` — the test suite reads
/// it from a headless browser.
///
/// ```swift
/// let html = HTMLReportRenderer().render(spec: scenario.spec, results: results, expectations: verdicts)
/// ```
public struct HTMLReportRenderer: Sendable {
    public init() {}

    /// `comparison` and `variants`: what-if results to show (optional).
    public func render(
        spec: WorldSpec, results: RunResults, expectations: [ExpectationResult], comparison: OutcomeComparison? = nil,
        variants: [String] = []
    ) -> String {
        let graph = ReportGraph(spec: spec, results: results)
        let title = "\(results.scenarioName): seed \(results.seed)"
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title)) — DNSCascade</title>
            <style>\(Self.style)</style>
            <script>window.reportErrors = []; window.addEventListener("error", (e) => window.reportErrors.push(e.message));</script>
            </head>
            <body>
            <h1>\(Self.escape(results.scenarioName))</h1>
            <p class="sub">seed \(results.seed) · \(Self.escape(results.clock.format(.zero, style: .dateTime))) → \
            \(Self.escape(results.clock.format(SimTime.zero + results.duration, style: .dateTime))) · \
            \(results.eventsProcessed) events · \(results.totalLookups) lookups</p>
            <section id="controls">
            <label for="slider">Time <output id="now"></output></label>
            <input type="range" id="slider" min="0" max="\(Int(results.duration.nanoseconds / 1_000_000_000))" step="60" value="0">
            </section>
            <section id="graph-section"><h2>Dependency graph</h2>
            <p class="hint">Green: healthy · amber: degraded · red: failing · grey: no health measure. Click a component \
            for the chain of events behind its state at the slider's time.</p>
            \(graphSVG(graph))
            </section>
            <section id="chain-section"><h2>Why? <span id="chain-title">(click a component)</span></h2><ol id="chain"></ol></section>
            <section id="health-section"><h2>Health over time</h2>
            \(healthCharts(graph, results: results))
            </section>

            """
        if let comparison { page += whatIf(comparison, variants: variants) }
        page += expectationsTable(expectations)
        page += timelineList(results)
        page += """
            <pre id="selftest"></pre>
            <script type="application/json" id="data">\(data(graph, results: results))</script>
            <script>\(Self.script)</script>
            </body>
            </html>

            """
        return page
    }

    // MARK: - Sections

    static let layerNames = [
        "DNS automation", "authorities", "resolvers", "client fleets", "lease managers", "launches",
        "network and balancers", "apps",
    ]

    private func graphSVG(_ graph: ReportGraph) -> String {
        let layers = Dictionary(grouping: graph.nodes.indices, by: { graph.nodes[$0].layer })
        let columns = (layers.keys.max() ?? 0) + 1
        let rows = layers.values.map(\.count).max() ?? 1
        let width = 170 * columns + 40
        let height = 34 * rows + 60
        var position: [ComponentID: (x: Int, y: Int)] = [:]
        for (layer, members) in layers {
            for (row, index) in members.enumerated() {
                position[graph.nodes[index].id] = (20 + layer * 170, 40 + row * 34)
            }
        }
        var svg = "<svg id=\"graph\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\">\n"
        for layer in 0..<columns where layers[layer] != nil {
            let name = layer < Self.layerNames.count ? Self.layerNames[layer] : "layer \(layer)"
            svg += "<text class=\"layer\" x=\"\(20 + layer * 170)\" y=\"20\">\(Self.escape(name))</text>\n"
        }
        for edge in graph.edges {
            guard let a = position[edge.from], let b = position[edge.to] else { continue }
            svg += "<line class=\"edge\" x1=\"\(a.x + 140)\" y1=\"\(a.y + 12)\" x2=\"\(b.x)\" y2=\"\(b.y + 12)\"/>\n"
        }
        for (index, node) in graph.nodes.enumerated() {
            guard let p = position[node.id] else { continue }
            let label = node.id.description.count > 22 ? String(node.id.description.prefix(21)) + "…" : node.id.description
            svg +=
                "<g class=\"node\" data-node=\"\(index)\" tabindex=\"0\"><rect x=\"\(p.x)\" y=\"\(p.y)\" width=\"140\" height=\"24\" rx=\"5\"/>"
            svg +=
                "<text x=\"\(p.x + 6)\" y=\"\(p.y + 16)\">\(Self.escape(label))</text><title>\(Self.escape(node.id.description))</title></g>\n"
        }
        return svg + "</svg>"
    }

    private func healthCharts(_ graph: ReportGraph, results: RunResults) -> String {
        let total = max(1, Double(results.duration.nanoseconds) / 1e9)
        var out = ""
        for node in graph.nodes where node.layer >= 3 && node.layer < 7 && !node.health.isEmpty {
            var points: [String] = []
            for (index, sample) in node.health.enumerated() {
                let x = sample.seconds / total * 600
                let y = 4 + (1 - min(1, max(0, sample.value))) * 40
                if index > 0 {
                    points.append("\(Self.fixed(x)),\(Self.fixed(4 + (1 - min(1, max(0, node.health[index - 1].value))) * 40))")
                }
                points.append("\(Self.fixed(x)),\(Self.fixed(y))")
            }
            let last = node.health.last!.value
            points.append("600,\(Self.fixed(4 + (1 - min(1, max(0, last))) * 40))")
            out += "<div class=\"chart\"><span>\(Self.escape(node.id.description))</span>"
            out +=
                "<svg viewBox=\"0 0 600 48\" width=\"600\" height=\"48\"><rect class=\"frame\" x=\"0\" y=\"4\" width=\"600\" height=\"40\"/>"
            out +=
                "<polyline points=\"\(points.joined(separator: " "))\"/><line class=\"cursor\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"48\"/></svg></div>\n"
        }
        return out
    }

    private func whatIf(_ comparison: OutcomeComparison, variants: [String]) -> String {
        var out = "<section id=\"what-if\"><h2>What if</h2><ul>"
        for (index, variant) in variants.enumerated() {
            out += "<li><b>\(Self.escape(comparison.runs[index + 1]))</b>: <code>\(Self.escape(variant))</code></li>"
        }
        out += "</ul><table><tr><th>metric</th><th>unit</th>"
        out += comparison.runs.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>\n"
        for row in comparison.rows {
            out += "<tr><td>\(Self.escape(row.metric))</td><td>\(row.unit.rawValue)</td>"
            for (index, value) in row.values.enumerated() {
                let text = value.map(ComparisonRenderer.number) ?? "–"
                let differs = index > 0 && value != row.values[0]
                out += differs ? "<td class=\"differs\">\(text)</td>" : "<td>\(text)</td>"
            }
            out += "</tr>\n"
        }
        return out + "</table></section>\n"
    }

    private func expectationsTable(_ expectations: [ExpectationResult]) -> String {
        guard !expectations.isEmpty else { return "" }
        var out = "<section id=\"expectations\"><h2>Expectations</h2><table><tr><th></th><th>component</th><th>check</th>"
        out += "<th>measured</th><th>expected</th></tr>\n"
        for result in expectations {
            let verdict = result.passed ? "<td class=\"pass\">PASS</td>" : "<td class=\"fail\">FAIL</td>"
            out += "<tr>\(verdict)<td>\(Self.escape(result.expectation.component.description))</td>"
            out += "<td>\(Self.escape(result.expectation.label))</td><td>\(Self.escape(result.measured))</td>"
            out += "<td>\(Self.escape(result.expected))</td></tr>\n"
        }
        return out + "</table></section>\n"
    }

    private func timelineList(_ results: RunResults) -> String {
        var out = "<section id=\"timeline-section\"><h2>Timeline</h2><ol id=\"timeline\">\n"
        for (index, entry) in results.timeline.enumerated() {
            out += "<li data-t=\"\(entry.time.nanoseconds / 1_000_000_000)\" id=\"e\(index)\"><time>"
            out += "\(Self.escape(results.clock.format(entry.time)))</time> <b>\(Self.escape(entry.component.description))</b> "
            out += "\(Self.escape(entry.detail))</li>\n"
        }
        return out + "</ol></section>\n"
    }

    // MARK: - Data for the script

    private func data(_ graph: ReportGraph, results: RunResults) -> String {
        let value = JSONValue.object([
            ("start", .string(results.clock.format(.zero, style: .dateTime))),
            ("duration", .int(results.duration.nanoseconds / 1_000_000_000)),
            (
                "labels",
                .array(
                    stride(from: 0, through: Int(results.duration.nanoseconds / 1_000_000_000), by: 60).map {
                        .string(results.clock.format(SimTime.zero + .seconds(Int64($0)), style: .dateTime))
                    })
            ),
            (
                "nodes",
                .array(
                    graph.nodes.map { node in
                        .object([
                            ("id", .string(node.id.description)),
                            ("t", .array(node.health.map { .double($0.seconds) })),
                            ("h", .array(node.health.map { .double(($0.value * 1000).rounded() / 1000) })),
                        ])
                    })
            ),
            (
                "entries",
                .array(
                    results.timeline.map { entry in
                        .object([
                            ("t", .int(entry.time.nanoseconds / 1_000_000_000)),
                            ("c", .string(entry.component.description)),
                            ("causes", .array(entry.causes.map { .int(Int64($0)) })),
                        ])
                    })
            ),
        ])
        return value.serialized(pretty: false).replacingOccurrences(of: "</", with: "<\\/")
    }

    // MARK: - Helpers

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func fixed(_ value: Double) -> String { ReportFormatting.fixed(value, decimals: 1) }
}
