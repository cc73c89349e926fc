import Foundation
import SimKernel
import Testing
import WorldModel

@testable import Reporting

@Suite struct JSONRendererTests {
    func parse(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func parsesBackWithSchemaVersionFirstAndTheExpectedFields() throws {
        let text = JSONRenderer().render(Fixtures.results(), expectations: Fixtures.expectations)
        #expect(text.hasPrefix("{\n  \"schemaVersion\": 1,\n"))
        #expect(text.hasSuffix("}\n"))
        let json = try parse(text)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["passed"] as? Bool == false)
        #expect(json["eventsProcessed"] as? Int == 1234)
        let scenario = try #require(json["scenario"] as? [String: Any])
        #expect(scenario["name"] as? String == "tiny")
        #expect(scenario["seed"] as? Int == 7)
        let clients = try #require(json["clients"] as? [[String: Any]])
        #expect(clients.count == 1)
        let client = clients[0]
        #expect(client["id"] as? String == "client/app")
        let lookups = try #require(client["lookups"] as? [String: Any])
        #expect(lookups["total"] as? Int == 12)
        #expect((lookups["byOutcome"] as? [String: Int])?["NODATA"] == 3)
        #expect((lookups["byStatus"] as? [String: Int])?["ARES_ECONNREFUSED"] == 1)
        let recovery = try #require(client["recovery"] as? [String: Any])
        #expect(recovery["offsetNanoseconds"] as? Int == 420_500_000_000)
        #expect(recovery["offsetSeconds"] as? Double == 420.5)
        #expect(recovery["rfc3339"] as? String == "2000-01-01T00:07:00.5+00:00")
        #expect(client["minutesDown"] as? Double == 300.5 / 60)
        let resolvers = try #require(json["resolvers"] as? [[String: Any]])
        #expect(
            (resolvers[0]["bySource"] as? [String: Int]) == ["cache": 7, "upstream": 5, "stale": 0, "fault": 0, "overload": 0])
        #expect(resolvers[0]["recovery"] is NSNull)
        let expectations = try #require(json["expectations"] as? [[String: Any]])
        #expect(expectations.map { $0["passed"] as? Bool } == [true, false])
        #expect(expectations[1]["source"] as? String == "tiny.yaml:14:5")
        #expect(expectations[1]["metric"] as? String == "staleAnswers")
        let timeline = try #require(json["timeline"] as? [[String: Any]])
        #expect(timeline.count == 3)
        #expect(timeline[0]["kind"] as? String == "fault")
        #expect(timeline[0]["component"] as? String == "authority/ns1")
    }

    @Test func topLevelKeysAreInTheDocumentedOrder() {
        let document = JSONRenderer().document(Fixtures.results(), expectations: [])
        guard case .object(let fields) = document else {
            Issue.record("not an object")
            return
        }
        #expect(
            fields.map(\.key) == [
                "schemaVersion", "scenario", "passed", "eventsProcessed", "totalLookups", "clients", "resolvers",
                "services", "impact", "expectations", "timeline",
            ])
    }

    @Test func timesAreInTheScenarioZone() throws {
        let clock = ScenarioClock(startUnixSeconds: 1_760_942_880, utcOffsetSeconds: -25_200, zoneLabel: "PDT")
        let text = JSONRenderer(pretty: false).render(Fixtures.results(clock: clock), expectations: [])
        let json = try parse(text)
        let scenario = try #require(json["scenario"] as? [String: Any])
        #expect((scenario["start"] as? [String: Any])?["rfc3339"] as? String == "2025-10-19T23:48:00-07:00")
        #expect((scenario["zone"] as? [String: Any])?["utcOffsetSeconds"] as? Int == -25_200)
        #expect(!text.contains("\n  "))
    }

    @Test func ndjsonIsOneParsableObjectPerTimelineEntry() throws {
        let text = JSONRenderer().renderNDJSON(Fixtures.results())
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            #expect(line.hasPrefix("{\"schemaVersion\":1,\"time\":"))
            _ = try parse(String(line))
        }
    }

    @Test func stringsAreEscaped() {
        let value = JSONValue.string("a\"b\\c\nd\u{01}→")
        #expect(value.serialized() == "\"a\\\"b\\\\c\\nd\\u0001→\"")
        #expect(JSONValue.double(.nan).serialized() == "null")
    }
}
