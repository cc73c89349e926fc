import DNSModel
public import SimKernel
public import WorldModel

/// Renders a run as JSON (schema version ``schemaVersion``; fields and their order in `docs/output-format.md`).
///
/// Every object's keys are written in a fixed, documented order with `schemaVersion` first; times appear as offset
/// nanoseconds, offset seconds and RFC 3339 in the scenario's zone.
///
/// ```swift
/// let json = JSONRenderer().render(results, expectations: verdicts)
/// let lines = JSONRenderer().renderNDJSON(results)   // one timeline entry per line
/// ```
public struct JSONRenderer: Sendable {
    /// The version of the JSON, NDJSON and CSV layouts. Bumped on any incompatible change.
    public static let schemaVersion = 1

    /// Indent the document (compact when `false`).
    public var pretty: Bool

    public init(pretty: Bool = true) { self.pretty = pretty }

    /// The whole report as one JSON document, ending in a newline.
    public func render(_ results: RunResults, expectations: [ExpectationResult]) -> String {
        document(results, expectations: expectations).serialized(pretty: pretty) + "\n"
    }

    /// One compact JSON object per timeline entry, one per line (NDJSON).
    public func renderNDJSON(_ results: RunResults) -> String {
        var out = ""
        for entry in results.timeline {
            let fields: [(String, JSONValue)] = [("schemaVersion", .int(Int64(JSONRenderer.schemaVersion)))]
            guard case .object(let rest) = JSONRenderer.timelineEntry(entry, clock: results.clock) else { continue }
            out += JSONValue.object(fields.map { JSONValue.Field($0.0, $0.1) } + rest).serialized(pretty: false) + "\n"
        }
        return out
    }

    /// The report as a JSON value (for callers that embed it).
    public func document(_ results: RunResults, expectations: [ExpectationResult]) -> JSONValue {
        let clock = results.clock
        var fields: [(String, JSONValue)] = [
            ("schemaVersion", .int(Int64(JSONRenderer.schemaVersion))),
            (
                "scenario",
                .object([
                    ("name", .string(results.scenarioName)),
                    ("seed", .uint(results.seed)),
                    ("start", JSONRenderer.time(.zero, clock: clock)),
                    ("end", JSONRenderer.time(.zero + results.duration, clock: clock)),
                    ("duration", JSONRenderer.duration(results.duration)),
                    (
                        "zone",
                        .object([
                            ("label", .string(clock.zoneLabel)),
                            ("utcOffsetSeconds", .int(Int64(clock.utcOffsetSeconds))),
                        ])
                    ),
                ])
            ),
            ("passed", .bool(expectations.allSatisfy(\.passed))),
            ("eventsProcessed", .int(Int64(results.eventsProcessed))),
            ("totalLookups", .int(Int64(results.totalLookups))),
            ("clients", .array(results.clients.map { JSONRenderer.client($0, clock: clock) })),
            ("resolvers", .array(results.resolvers.map { JSONRenderer.resolver($0, clock: clock) })),
            ("services", .array(results.services.map { JSONRenderer.service($0, clock: clock) })),
            ("impact", results.impact.map { JSONRenderer.impact($0, clock: clock) } ?? .null),
        ]
        // Full-scale mode only (absent otherwise, so other reports keep their exact shape).
        if let companies = results.companyInstances {
            fields.append(("companyInstances", JSONRenderer.companyInstances(companies, clock: clock)))
        }
        fields.append(("expectations", .array(expectations.map(JSONRenderer.expectation))))
        fields.append(("timeline", .array(results.timeline.map { JSONRenderer.timelineEntry($0, clock: clock) })))
        return .object(fields)
    }

    // MARK: - Pieces (each documented in docs/output-format.md)

    /// `{"offsetNanoseconds", "offsetSeconds", "rfc3339"}`
    static func time(_ t: SimTime, clock: ScenarioClock) -> JSONValue {
        .object([
            ("offsetNanoseconds", .int(t.nanoseconds)),
            ("offsetSeconds", .double(t.sinceStart.seconds)),
            ("rfc3339", .string(rfc3339(t, clock: clock))),
        ])
    }

    /// RFC 3339 in the scenario's zone, with a fraction of a second only when the instant has one
    /// (`2025-10-20T02:25:00-07:00`, `2025-10-20T02:25:00.25-07:00`).
    public static func rfc3339(_ t: SimTime, clock: ScenarioClock) -> String {
        let whole = clock.format(t, style: .rfc3339)
        var nanos = t.nanoseconds % 1_000_000_000
        if nanos < 0 { nanos += 1_000_000_000 }
        guard nanos != 0 else { return whole }
        var fraction = String(nanos)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        let offsetStart = whole.index(whole.endIndex, offsetBy: -clock.offsetText.count)
        return whole[..<offsetStart] + "." + fraction + whole[offsetStart...]
    }

    static func optionalTime(_ t: SimTime?, clock: ScenarioClock) -> JSONValue {
        t.map { time($0, clock: clock) } ?? .null
    }

    /// `{"nanoseconds", "seconds", "text"}`
    static func duration(_ d: SimDuration) -> JSONValue {
        .object([
            ("nanoseconds", .int(d.nanoseconds)), ("seconds", .double(d.seconds)),
            ("text", .string(ReportFormatting.duration(d))),
        ])
    }

    /// `{"total", "byOutcome" (every outcome, vocabulary order), "byStatus" (statuses seen, by code)}`
    static func counts(_ c: OutcomeCounts) -> JSONValue {
        .object([
            ("total", .int(Int64(c.total))),
            ("byOutcome", .object(LookupOutcome.allCases.map { ($0.rfcName, .int(Int64(c.count($0)))) })),
            ("byStatus", .object(c.statuses.map { ($0.0.name, .int(Int64($0.1))) })),
        ])
    }

    static func client(_ c: ClientResults, clock: ScenarioClock) -> JSONValue {
        let down = c.firstFailure.flatMap { first in c.recovery.map { $0 - first } }
        return .object([
            ("id", .string(c.id.description)),
            ("instances", .int(Int64(c.instances))),
            ("lookups", counts(c.lookups)),
            ("failedLookups", .int(Int64(c.failedLookups))),
            ("firstFailure", optionalTime(c.firstFailure, clock: clock)),
            ("lastFailure", optionalTime(c.lastFailure, clock: clock)),
            ("recovery", optionalTime(c.recovery, clock: clock)),
            ("down", down.map(duration) ?? .null),
            ("minutesDown", down.map { .double($0.seconds / 60) } ?? .null),
            ("downtime", duration(c.downtime)),
            ("minAvailability", .double(c.minAvailability)),
            (
                "connections",
                .object([("opened", .int(Int64(c.connectionsOpened))), ("failed", .int(Int64(c.connectionsFailed)))])
            ),
            (
                "byResolver",
                .array(
                    c.lookupsByResolver.map { resolver, counts in
                        guard case .object(let fields) = JSONRenderer.counts(counts) else { return .null }
                        return .object([JSONValue.Field("resolver", .string(resolver.description))] + fields)
                    })
            ),
            (
                "availability",
                .object([("bucket", duration(c.bucket)), ("series", .array(c.availabilitySeries.map(JSONValue.double)))])
            ),
        ])
    }

    static func resolver(_ r: ResolverResults, clock: ScenarioClock) -> JSONValue {
        .object([
            ("id", .string(r.id.description)),
            ("fleet", .string(r.fleet)),
            ("answers", counts(r.answers)),
            ("bySource", .object(AnswerSource.allCases.map { ($0.rawValue, .int(Int64(r.bySource[$0] ?? 0))) })),
            ("upstreamFailures", .int(Int64(r.upstreamFailures))),
            ("firstFailure", optionalTime(r.firstFailure, clock: clock)),
            ("recovery", optionalTime(r.recovery, clock: clock)),
        ])
    }

    static func service(_ s: ServiceResults, clock: ScenarioClock) -> JSONValue {
        .object([
            ("id", .string(s.id.description)),
            ("kind", .string(s.kind)),
            ("health", .string(s.healthMeaning)),
            ("healthyThreshold", .double(s.healthyThreshold)),
            ("firstFailure", optionalTime(s.firstFailure, clock: clock)),
            ("recovery", optionalTime(s.recovery, clock: clock)),
            ("downtimeSeconds", .double(s.downtime.seconds)),
            ("minHealth", .double(s.minHealth)),
            ("healthPerMinute", .array(s.healthSeries.map { .double(($0 * 10_000).rounded() / 10_000) })),
        ])
    }

    static func impact(_ i: ImpactResults, clock: ScenarioClock) -> JSONValue {
        let apps = i.apps.map { a -> JSONValue in
            .object([
                ("name", .string(a.name)), ("strategy", .string(a.strategy.rawValue)), ("users", .int(Int64(a.users))),
                ("firstFailure", optionalTime(a.firstFailure, clock: clock)),
                ("recovery", optionalTime(a.recovery, clock: clock)),
                ("downAtEnd", .bool(a.downAtEnd)), ("minutesDown", .double(a.minutesDown)),
                ("peakErrorRate", .double(a.peakErrorRate)), ("reports", .int(Int64(a.reports))),
            ])
        }
        let population: JSONValue =
            i.population.map { p in
                .object([
                    ("companies", .int(Int64(p.companies))), ("affected", .int(Int64(p.companiesAffected))),
                    ("downAtEnd", .int(Int64(p.companiesDownAtEnd))), ("reports", .int(Int64(p.reports))),
                    (
                        "byStrategy",
                        .array(
                            p.byStrategy.map { s in
                                .object([
                                    ("strategy", .string(s.strategy.rawValue)), ("companies", .int(Int64(s.companies))),
                                    ("affected", .int(Int64(s.affected))), ("recovered", .int(Int64(s.recovered))),
                                    ("medianTimeToRecoverSeconds", s.medianTimeToRecover.map { .double($0.seconds) } ?? .null),
                                ])
                            })
                    ),
                ])
            } ?? .null
        return .object([
            ("apps", .array(apps)), ("population", population),
            (
                "reportsByCountry",
                .array(
                    i.reportsByCountry.map { .object([("country", .string($0.country)), ("reports", .int(Int64($0.reports)))]) })
            ),
            (
                "totals",
                .object([
                    ("reports", .int(Int64(i.totals.reports))), ("peakUsersAffected", .int(Int64(i.totals.peakUsersAffected))),
                    ("usersEverAffected", .int(Int64(i.totals.usersEverAffected))),
                    ("appsAffected", .int(Int64(i.totals.appsAffected))), ("userHours", .double(i.totals.userHours)),
                ])
            ),
            ("publishedSource", .string(ImpactResults.published.source)),
        ])
    }

    /// Full-scale mode: the companies' own instances (docs/output-format.md, `companyInstances`).
    static func companyInstances(_ c: CompanyInstanceResults, clock: ScenarioClock) -> JSONValue {
        let peak = c.peakWithoutConnection
        return .object([
            ("fleet", .string(c.fleet.description)),
            ("companies", .int(Int64(c.companies.count))),
            ("instances", .int(Int64(c.totalInstances))),
            (
                "rule",
                .object([
                    ("usersPerInstance", .int(Int64(c.rule.usersPerInstance))), ("min", .int(Int64(c.rule.min))),
                    ("max", .int(Int64(c.rule.max))), ("poolSize", .int(Int64(c.rule.pool.size))),
                    ("maxConnectionAge", duration(c.rule.pool.maxConnectionAge)),
                ])
            ),
            ("sampleInterval", duration(c.sampleInterval)),
            ("companiesThatLostAllConnections", .int(Int64(c.companiesThatLostAll))),
            ("firstLostAll", optionalTime(c.firstLostAll, clock: clock)),
            (
                "peakWithoutConnection",
                .object([("companies", .int(Int64(peak.count))), ("at", optionalTime(peak.at, clock: clock))])
            ),
            ("lastRestored", optionalTime(c.lastRestored, clock: clock)),
            (
                "series",
                .array(
                    c.series.map {
                        .object([
                            ("at", .string(rfc3339($0.time, clock: clock))),
                            ("withoutConnection", .int(Int64($0.withoutConnection))), ("degraded", .int(Int64($0.degraded))),
                        ])
                    })
            ),
            (
                "perCompany",
                .array(
                    c.companies.map {
                        .object([
                            ("name", .string($0.name)), ("firstInstance", .int(Int64($0.firstInstance))),
                            ("instances", .int(Int64($0.instances))),
                            ("firstDegraded", $0.firstDegraded.map { .string(rfc3339($0, clock: clock)) } ?? .null),
                            ("lostAll", $0.lostAll.map { .string(rfc3339($0, clock: clock)) } ?? .null),
                            ("restored", $0.restored.map { .string(rfc3339($0, clock: clock)) } ?? .null),
                            ("minutesWithoutConnection", .double($0.withoutConnection.seconds / 60)),
                        ])
                    })
            ),
        ])
    }

    static func expectation(_ e: ExpectationResult) -> JSONValue {
        .object([
            ("label", .string(e.expectation.label)),
            ("component", .string(e.expectation.component.description)),
            ("metric", .string(ReportFormatting.metricName(e.expectation.metric))),
            ("passed", .bool(e.passed)),
            ("measured", .string(e.measured)),
            ("expected", .string(e.expected)),
            ("source", .string(e.expectation.source)),
        ])
    }

    static func timelineEntry(_ e: TimelineEntry, clock: ScenarioClock) -> JSONValue {
        .object([
            ("time", time(e.time, clock: clock)),
            ("component", .string(e.component.description)),
            ("kind", .string(e.kind)),
            ("detail", .string(e.detail)),
            ("causes", .array(e.causes.map { .int(Int64($0)) })),
        ])
    }
}
