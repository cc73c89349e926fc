import Foundation
import ScenarioLoader
import SimKernel
import Testing
import WorldModel

@Suite("Valid scenario files")
struct ScenarioLoaderTests {
    let scenario: Scenario

    init() throws {
        scenario = try ScenarioLoader().load(path: Fixtures.path("valid/complete.yaml"))
    }

    @Test("header, clock and duration")
    func header() {
        let spec = scenario.spec
        #expect(spec.name == "complete")
        #expect(spec.summary == "Every key the loader knows.")
        #expect(spec.seed == 7)
        // 2025-10-19T23:00:00-07:00 = 2025-10-20T06:00:00Z
        #expect(spec.clock == ScenarioClock(startUnixSeconds: 1_760_940_000, utcOffsetSeconds: -25_200, zoneLabel: "PDT"))
        #expect(spec.duration == .hours(2))
        #expect(
            scenario.headerComment
                == "complete — every section and most keys, for the loader's decoding test.\nTeaches: nothing; it is a test fixture."
        )
        #expect(scenario.sourcePath.hasSuffix("valid/complete.yaml"))
    }

    @Test("authorities and zones")
    func authorities() throws {
        let authority = try #require(scenario.spec.authorities.first)
        #expect(authority.id == "ns1")
        #expect(authority.processingTime == .microseconds(200))
        #expect(authority.zones.count == 1)
        #expect(authority.zones[0].origin.description == "example.")
        #expect(authority.zones[0].soa.ttl == 3600)
    }

    @Test("resolvers: every field, and defaults")
    func resolvers() throws {
        let r1 = scenario.spec.resolvers[0]
        #expect(r1.id == "r1")
        #expect(r1.fleet == "isp")
        #expect(r1.minTTL == 5 && r1.maxTTL == 600 && r1.maxNegativeTTL == 900)
        #expect(r1.servfailTTL == .seconds(Int64(5)))
        #expect(
            r1.serveStale
                == ServeStaleSpec(
                    maxStale: .hours(48), replyTTL: 10, clientTimeout: .milliseconds(1800), failureRecheck: .seconds(Int64(30))))
        #expect(r1.prefetch)
        #expect(r1.upstreamTimeout == .seconds(Int64(1)) && r1.upstreamTries == 2 && r1.upstreamRTT == .milliseconds(15))
        #expect(r1.capacityQPS == 5000)
        #expect(r1.overload == .refuse)
        let r2 = scenario.spec.resolvers[1]
        let defaults = ResolverSpec(id: "r2")
        #expect(r2.serveStale == ServeStaleSpec())
        #expect(r2.fleet == defaults.fleet && r2.maxTTL == defaults.maxTTL && r2.upstreamTries == defaults.upstreamTries)
        #expect(r2.capacityQPS == nil && r2.overload == .drop)
    }

    @Test("endpoints and clients")
    func clients() throws {
        let endpoint = scenario.spec.endpoints[0]
        #expect(endpoint.name.description == "kv.example.")
        #expect(endpoint.serviceAddresses.map(\.description) == ["192.0.2.10", "192.0.2.11"])
        #expect(endpoint.connectTime == .milliseconds(3) && endpoint.connectTimeout == .seconds(Int64(2)))
        let app = scenario.spec.clients[0]
        #expect(app.instances == 3 && app.endpoint == "kv" && app.resolvers == ["r1", "r2"])
        #expect(app.queryType.description == "A")
        #expect(app.stub.timeout == .seconds(Int64(2)) && app.stub.tries == 3 && app.stub.rotate && app.stub.noCheckResponse)
        #expect(!app.stub.ignoreTruncation && !app.stub.useTCP)
        #expect(app.resolverRTT == .milliseconds(2))
        #expect(app.appCache == AppCacheSpec())
        #expect(
            app.pool
                == PoolSpec(
                    size: 8, maxConnectionAge: .minutes(10), ageJitter: 0.1, initialBackoff: .milliseconds(500),
                    maxBackoff: .seconds(Int64(20))))
        #expect(app.lookupInterval == .seconds(Int64(30)))
        let batch = scenario.spec.clients[1]
        #expect(batch.instances == 1 && batch.appCache == nil && batch.lookupInterval == nil && batch.pool == PoolSpec())
    }

    @Test("faults: kinds, absolute until, targets")
    func faults() throws {
        let faults = scenario.spec.faults
        #expect(faults.map(\.id) == ["empty-kv", "wrong-kv", "slow-r1", "broken"])
        #expect(faults[0].at == SimTime.zero + .minutes(10))
        // 2025-10-20T00:30:00-07:00 is 1h30m after the start.
        #expect(faults[0].until == SimTime.zero + .minutes(90))
        #expect(faults[0].target == ComponentID(.authority, "ns1"))
        #expect(faults[0].kind.keyword == "emptyRecords")
        guard case .replaceRecords(let name, _, let records) = faults[1].kind else {
            Issue.record("expected replaceRecords")
            return
        }
        #expect(name.description == "kv.example.")
        #expect(records.map(\.description) == ["kv.example. 60 IN A 198.51.100.7"])
        guard case .behaviour(.latency(let delay), let scope, let probability) = faults[2].kind else {
            Issue.record("expected latency")
            return
        }
        #expect(delay == .seconds(Int64(2)) && scope?.description == "example." && probability == 0.5)
        #expect(faults[2].target == ComponentID(.resolver, "r1"))
        guard case .behaviour(.servfail, nil, 1.0) = faults[3].kind else {
            Issue.record("expected servfail with defaults")
            return
        }
    }

    @Test("operator actions")
    func operators() throws {
        let actions = scenario.spec.operatorActions
        #expect(actions.count == 4)
        #expect(actions[0].action == .endFault(id: "empty-kv"))
        #expect(actions[0].note == "operator restores the record")
        guard case .setRecords("ns1", _, _, let records) = actions[1].action else {
            Issue.record("expected setRecords")
            return
        }
        #expect(records.count == 1)
        guard case .flushCache("r1", let name) = actions[2].action else {
            Issue.record("expected flushCache")
            return
        }
        #expect(name?.description == "kv.example.")
        guard case .restoreRecords("ns1", _, _) = actions[3].action else {
            Issue.record("expected restoreRecords")
            return
        }
    }

    @Test("expectations: metrics, bounds, labels, sources")
    func expectations() throws {
        let e = scenario.spec.expectations
        #expect(e.count == 7)
        #expect(e[0].label == "first failure soon after the fault")
        #expect(e[0].bound == .timeBetween(SimTime.zero + .minutes(10), SimTime.zero + .minutes(12)))
        #expect(e[0].source.hasSuffix("complete.yaml:91:5"))
        #expect(e[1].metric == .lookups(.noData) && e[1].bound == .number(min: 1, max: nil))
        #expect(e[1].label == "lookups NODATA ≥ 1")
        #expect(e[2].metric == .fraction(.noError) && e[2].bound == .number(min: 0.5, max: 1))
        #expect(e[3].component == ComponentID(.resolver, "r2") && e[3].bound == .number(min: 0, max: 0))
        #expect(e[4].metric == .downtime && e[4].bound == .durationBetween(.zero, .minutes(10)))
        #expect(e[5].metric == .recovery && e[5].bound == .absent)
        #expect(e[6].metric == .minAvailability)
    }

    @Test("defaults: start, zone label, seed")
    func defaults() throws {
        let text = "schema: dnscascade/v1\nname: d\nduration: 30s\nworld: {}\n"
        let spec = try ScenarioLoader().load(text: text, sourceName: "d.yaml").spec
        #expect(spec.clock == .utc)
        #expect(spec.seed == 1)
        let offset = try ScenarioLoader().load(
            text: "schema: dnscascade/v1\nname: d\nstart: 2025-10-19T23:00:00-07:00\nend: 2025-10-20T01:00:00-07:00\nworld: {}\n",
            sourceName: "d.yaml"
        ).spec
        #expect(offset.clock.zoneLabel == "UTC-07:00")
        #expect(offset.duration == .hours(2))
    }

    @Test("loading is deterministic")
    func deterministic() throws {
        let again = try ScenarioLoader().load(path: Fixtures.path("valid/complete.yaml"))
        #expect(again.spec.expectations == scenario.spec.expectations)
        #expect(again.spec.faults.map(\.kind) == scenario.spec.faults.map(\.kind))
        #expect(again.spec.authorities.map(\.zones) == scenario.spec.authorities.map(\.zones))
        let broken = Fixtures.path("invalid/expect-unknown-metric.yaml")
        func messages() -> [String] {
            do {
                _ = try ScenarioLoader().load(path: broken)
                return []
            } catch {
                return error.diagnostics.map(\.description)
            }
        }
        #expect(messages() == messages())
        #expect(messages().count == 2)
    }

    @Test("the annotated example in docs/scenario-format.md loads")
    func documentedExample() throws {
        let doc = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/scenario-format.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\n# 01", options: .backwards))
        let body = text[start.upperBound...]
        let end = try #require(body.range(of: "```"))
        let yaml = "# 01" + body[..<end.lowerBound]
        let scenario = try ScenarioLoader().load(text: String(yaml), sourceName: "scenario-format.md")
        #expect(scenario.spec.name == "01-empty-record")
        #expect(scenario.spec.operatorActions[0].at == SimTime.zero + .hours(1))
        #expect(scenario.headerComment.hasPrefix("01 — the empty record"))
    }
}
