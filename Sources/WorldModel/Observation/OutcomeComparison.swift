import SimKernel

/// The headline numbers of runs side by side — minutes down per component, peak load at each key-value endpoint,
/// users affected, reports — for comparing a baseline with what-if variants. Row order is fixed: clients, services,
/// named apps, company medians, endpoint peaks, impact totals.
public struct OutcomeComparison: Sendable, Hashable {
    /// One compared quantity, with one value per run (nil: not measured in that run).
    public struct Row: Sendable, Hashable {
        public enum Unit: String, Sendable, Hashable {
            case minutes
            case perSecond = "per second"
            case count
        }

        public var metric: String
        public var unit: Unit
        public var values: [Double?]

        public init(metric: String, unit: Unit, values: [Double?]) {
            self.metric = metric
            self.unit = unit
            self.values = values
        }

        /// Whether any run differs from the first (the baseline).
        public var differs: Bool { values.dropFirst().contains { $0 != values.first! } }
    }

    /// A name per run (`baseline`, then each variant's description).
    public var runs: [String]
    public var rows: [Row]

    public init(runs: [String], rows: [Row]) {
        self.runs = runs
        self.rows = rows
    }

    /// Compares runs of one scenario (the first is the baseline); rows come from the first run's components.
    public init(names: [String], results: [RunResults]) {
        precondition(names.count == results.count && !results.isEmpty, "one name per run")
        func minutes(_ d: SimDuration?) -> Double? { d.map { Double($0.nanoseconds) / 60e9 } }
        var rows: [Row] = []
        func add(_ metric: String, _ unit: Row.Unit, _ value: (RunResults) -> Double?) {
            rows.append(Row(metric: metric, unit: unit, values: results.map(value)))
        }
        let first = results[0]
        for client in first.clients {
            add("\(client.id) time with an instance down", .minutes) { r in
                minutes(r.clients.first { $0.id == client.id }?.downtime)
            }
        }
        for service in first.services {
            add("\(service.id) time down", .minutes) { r in minutes(r.services.first { $0.id == service.id }?.downtime) }
        }
        for app in first.impact?.apps ?? [] {
            add("app \(app.name) time down", .minutes) { r in minutes(r.impact?.apps.first { $0.name == app.name }?.timeDown) }
        }
        for group in first.impact?.population?.byStrategy ?? [] {
            add("companies (\(group.strategy.rawValue)) median recovery", .minutes) { r in
                minutes(r.impact?.population?.byStrategy.first { $0.strategy == group.strategy }?.medianTimeToRecover)
            }
        }
        for series in first.series where series.name == "requests" {
            add("\(series.component) peak requests", .perSecond) { r in
                r.series(series.component, "requests")?.peak(in: nil)?.value
            }
        }
        if first.impact != nil {
            add("users affected (peak)", .count) { r in r.impact.map { Double($0.totals.peakUsersAffected) } }
            add("reports", .count) { r in r.impact.map { Double($0.totals.reports) } }
        }
        self.init(runs: names, rows: rows)
    }
}
