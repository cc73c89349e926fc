import AresShim
public import DNSModel

/// What a probe saw: lookups counted by c-ares status, and latency percentiles.
public struct ProbeReport: Sendable {
    public let options: ProbeOptions
    public let samples: [ProbeSample]
    /// Wall time from the first lookup started to the last one finished.
    public let elapsedNanoseconds: Int64

    public init(options: ProbeOptions, samples: [ProbeSample], elapsedNanoseconds: Int64) {
        self.options = options
        self.samples = samples
        self.elapsedNanoseconds = elapsedNanoseconds
    }

    /// Lookups per status, ordered by status code.
    public var countsByStatus: [(status: AresStatus, count: Int)] {
        var counts: [AresStatus: Int] = [:]
        for sample in samples { counts[sample.status, default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }

    /// The latency at percentile `p` (0...100, nearest rank), in nanoseconds; 0 without samples.
    public func latencyPercentile(_ p: Double) -> Int64 {
        Self.percentile(samples.map(\.latencyNanoseconds).sorted(), p)
    }

    static func percentile(_ sorted: [Int64], _ p: Double) -> Int64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The percentiles reported: p50, p90, p99, max.
    public static let percentiles: [(label: String, value: Double)] = [("p50", 50), ("p90", 90), ("p99", 99), ("max", 100)]

    /// Text (a table) or JSON (one object, stable key order).
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public func render(_ format: Format) -> String {
        let server = "\(options.host):\(options.port)"
        let sorted = samples.map(\.latencyNanoseconds).sorted()
        switch format {
        case .text:
            var out = "probe \(options.question.name) \(options.question.type) @\(server): \(samples.count) lookups"
            out += " in \(Self.milliseconds(elapsedNanoseconds)) ms"
            out += " (timeout \(options.timeoutMilliseconds) ms, tries \(options.tries)"
            out += options.noCheckResponse ? ", NOCHECKRESP)\n" : ")\n"
            for (status, count) in countsByStatus {
                let name = status.description.padding(toLength: 18, withPad: " ", startingAt: 0)
                out += "  \(name) \(String(count).leftPadded(8))  \(AresLibrary.message(for: status))\n"
            }
            out += "latency ms:"
            for (label, p) in Self.percentiles { out += "  \(label) \(Self.milliseconds(Self.percentile(sorted, p)))" }
            return out + "\n"
        case .json:
            var out = "{\"schemaVersion\":1,\"server\":\"\(server)\",\"name\":\"\(options.question.name)\","
            out += "\"type\":\"\(options.question.type)\",\"timeoutMs\":\(options.timeoutMilliseconds),"
            out += "\"tries\":\(options.tries),\"noCheckResponse\":\(options.noCheckResponse),"
            out += "\"lookups\":\(samples.count),\"elapsedMs\":\(Self.milliseconds(elapsedNanoseconds)),\"statuses\":{"
            out += countsByStatus.map { "\"\($0.status)\":\($0.count)" }.joined(separator: ",")
            out += "},\"latencyMs\":{"
            out += Self.percentiles.map { "\"\($0.label)\":\(Self.milliseconds(Self.percentile(sorted, $0.value)))" }
                .joined(separator: ",")
            return out + "}}\n"
        }
    }

    /// Milliseconds with three decimals.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let micros = (nanoseconds + 500) / 1_000
        let fraction = String(micros % 1_000)
        return "\(micros / 1_000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
