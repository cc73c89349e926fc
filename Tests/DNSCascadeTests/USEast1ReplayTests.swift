import DNSCascade
import Foundation
import Testing

/// The US-EAST-1 replay: its own expectations, and metamorphic checks — change one mechanism's parameter or one
/// operator action and the timeline moves the way the mechanism says (docs/outage-replay.md explains each).
@Suite("US-EAST-1 replay")
struct USEast1ReplayTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/us-east-1-2025-10-20.yaml").path

    static let text: String = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""

    /// The baseline run, shared by the tests that compare against it (computed once).
    static let baseline: Result<RunReport, DNSCascadeError> = Result { () throws(DNSCascadeError) in
        try ScenarioPipeline().run(.file(path: path))
    }

    /// Hours after the scenario start (23:00 PDT).
    static func at(_ hours: Int64, _ minutes: Int64 = 0) -> SimTime { SimTime.zero + .hours(hours) + .minutes(minutes) }

    static func run(_ text: String, overrides: [String] = [], until: SimDuration? = nil) throws -> RunReport {
        try ScenarioPipeline(options: RunOptions(overrides: overrides, until: until)).run(
            .text(text, sourceName: "us-east-1.yaml"))
    }

    static func dynamoRecovery(_ report: RunReport) -> SimTime? { report.client("in-region-services")?.recovery }

    /// The scenario text with one YAML block (from the line containing `marker` up to the next list item) removed.
    static func removingBlock(containing marker: String, from text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let hit = lines.firstIndex(where: { $0.contains(marker) }) else { return text }
        var start = hit
        while start > 0 && !lines[start].trimmingCharacters(in: .whitespaces).hasPrefix("- ") { start -= 1 }
        var end = hit + 1
        while end < lines.count && lines[end].hasPrefix("    ")
            && !lines[end].trimmingCharacters(in: .whitespaces).hasPrefix("- ")
        {
            end += 1
        }
        lines.removeSubrange(start..<end)
        return lines.joined(separator: "\n")
    }

    @Test("the replay meets its own expectations")
    func meetsItsExpectations() throws {
        let report = try Self.baseline.get()
        #expect(report.expectations.count >= 5)
        for failed in report.failedExpectations {
            Issue.record("\(failed.expectation.label): measured \(failed.measured), expected \(failed.expected)")
        }
        // The empty record set emerges from the race; nothing in the scenario empties it.
        #expect(!Self.text.contains("emptyRecords"))
        #expect(report.results.timeline.contains { $0.kind == "records" && $0.detail.contains("no records") })
        #expect(report.results.timeline.contains { $0.kind == "stuck" })
    }

    @Test("every state change has a recorded cause, earlier in time, and every chain ends at what was injected")
    func causesReachTheInjectedFaults() throws {
        let timeline = try Self.baseline.get().results.timeline
        for (index, entry) in timeline.enumerated() {
            let injected = entry.component.kind == .operator || entry.kind == "fault"
            #expect(injected || !entry.causes.isEmpty, "no cause: \(entry.component) \(entry.detail)")
            for cause in entry.causes { #expect(cause != index && timeline[cause].time <= entry.time) }
        }
        let report = try Self.baseline.get()
        let chain = try #require(
            CausalChain(
                report.results, component: ComponentID(.service, "app/snapchat"), at: SimTime.zero + report.scenario.spec.duration
            ))
        let root = report.results.timeline[chain.links.last!.entry]
        #expect(root.component.kind == .operator || root.kind == "fault")
    }

    @Test("repairing at 01:25 instead of 02:25 brings DynamoDB back about an hour earlier")
    func earlierRepair() throws {
        let base = try #require(Self.dynamoRecovery(try Self.baseline.get()))
        let early = try Self.run(
            Self.text.replacingOccurrences(
                of: "2025-10-20T02:25:00-07:00\n    repairAutomation", with: "2025-10-20T01:25:00-07:00\n    repairAutomation"),
            until: .hours(4))
        let recovery = try #require(Self.dynamoRecovery(early))
        let gained = base - recovery
        #expect(gained > .minutes(45) && gained < .minutes(75), "recovered \(gained) earlier")
    }

    @Test("doubling the negative TTL (SOA MINIMUM 900 → 1800 s) lengthens the recovery tail")
    func doubledNegativeTTL() throws {
        let base = try #require(Self.dynamoRecovery(try Self.baseline.get()))
        let soa = "1 7200 900 1209600 900"
        #expect(Self.text.contains(soa))
        let doubled = try Self.run(
            Self.text.replacingOccurrences(of: soa, with: "1 7200 900 1209600 1800")
                .replacingOccurrences(of: "us-east-1.amazonaws.com. 900 IN SOA", with: "us-east-1.amazonaws.com. 1800 IN SOA"),
            until: .hours(4))
        let recovery = try #require(Self.dynamoRecovery(doubled))
        #expect(recovery > base)
        // The tail after the 02:25 repair is bounded by the negative TTL.
        #expect(recovery <= Self.at(3, 25) + .minutes(30) + .minutes(2))
    }

    @Test("serve-stale at every resolver leaves DynamoDB's outage unchanged: the authority answered NODATA")
    func serveStaleEverywhere() throws {
        let base = try Self.baseline.get()
        let stale = try Self.run(Self.text, overrides: ["resolvers.*.serveStale=true"], until: .hours(4))
        for client in ["in-region-services", "java-backends", "on-premises"] {
            #expect(stale.client(client)?.firstFailure == base.client(client)?.firstFailure)
            #expect(stale.client(client)?.recovery == base.client(client)?.recovery)
        }
        #expect(stale.results.resolvers.allSatisfy { $0.staleAnswers == 0 })
    }

    @Test("a short contention (the enactor falls behind by fewer plans than the clean-up threshold) empties nothing")
    func shortContention() throws {
        let report = try Self.run(
            Self.text, overrides: ["faults.enactor-contention.until=2025-10-19T23:25:00-07:00"], until: .hours(4))
        #expect(report.results.clients.allSatisfy { $0.firstFailure == nil })
        #expect(!report.results.timeline.contains { $0.kind == "stuck" })
    }

    @Test("without the operator repair the automation stays stuck and DynamoDB does not recover")
    func noRepair() throws {
        let report = try Self.run(Self.removingBlock(containing: "repairAutomation", from: Self.text), until: .hours(7))
        #expect(report.client("in-region-services")?.firstFailure != nil)
        #expect(Self.dynamoRecovery(report) == nil)
    }

    @Test(
        "far fewer droplets, or a much longer work timeout: DWFM recovers without the 04:14 throttle",
        arguments: [
            "leaseManagers.dwfm.hosts=5000", "leaseManagers.dwfm.workTimeout=3h",
        ])
    func noCollapse(change: String) throws {
        let report = try Self.run(Self.text, overrides: [change], until: .hours(5) + .minutes(10))
        let dwfm = try #require(report.results.services.first)
        let recovery = try #require(dwfm.recovery)
        // Back within about one re-establishment pass after DynamoDB returns (~02:40), before any operator acted.
        #expect(recovery < Self.at(5, 14))
    }

    @Test("without the 04:14 throttle and restarts, DWFM is still collapsed at the end of the replay")
    func noThrottle() throws {
        let text = Self.removingBlock(
            containing: "restartService", from: Self.removingBlock(containing: "throttleService", from: Self.text))
        #expect(!text.contains("throttleService") && !text.contains("restartService"))
        let report = try Self.run(text)
        let dwfm = try #require(report.results.services.first)
        #expect(dwfm.firstFailure != nil)
        #expect(dwfm.recovery == nil)
        #expect((dwfm.healthSeries.last ?? 1) < 0.5)
    }
}

extension USEast1ReplayTests {
    static func nlb(_ report: RunReport) -> ServiceResults? { report.results.services.first { $0.id.name == "ec2-nlb" } }

    /// Mean health per minute over minutes `from..<to` after 23:00.
    static func meanHealth(_ service: ServiceResults, minutes: Range<Int>) -> Double {
        let slice = service.healthSeries[minutes.clamped(to: service.healthSeries.indices)]
        return slice.isEmpty ? 1 : slice.reduce(0, +) / Double(slice.count)
    }

    @Test("without the 14:09 re-enable, the failures health checks normally hide keep reaching NLB clients")
    func noFailoverReEnable() throws {
        let base = try #require(Self.nlb(try Self.baseline.get()))
        let text = Self.removingBlock(containing: "enableFailover: ec2", from: Self.text)
        #expect(!text.contains("enableFailover") && text.contains("disableFailover"))
        let nlb = try #require(Self.nlb(try Self.run(text)))
        #expect(base.recovery != nil)
        #expect(nlb.firstFailure == base.firstFailure)
        #expect(nlb.recovery == nil)
        // 15:00–16:00: still about the background failure share (≥ 1 %), where the baseline is clean again.
        #expect(Self.meanHealth(nlb, minutes: 960..<1020) < 0.99)
        #expect(Self.meanHealth(base, minutes: 960..<1020) >= 0.99)
    }

    @Test("without the 09:36 disable, the NLB errors end when the flapping does, hours before 14:09")
    func noFailoverDisable() throws {
        let base = try #require(Self.nlb(try Self.baseline.get()))
        let text = Self.removingBlock(containing: "disableFailover: ec2", from: Self.text)
        #expect(!text.contains("disableFailover") && text.contains("enableFailover"))
        let nlb = try #require(Self.nlb(try Self.run(text)))
        let recovery = try #require(nlb.recovery)
        let baseRecovery = try #require(base.recovery)
        // Failover stays on: failing targets leave service, so the errors end with the propagation backlog's flapping.
        #expect(recovery < Self.at(12))  // 11:00
        #expect(baseRecovery > Self.at(14, 39))  // 13:39
        // 10:30–14:00: clean without the disable; the background share of failing targets with it.
        #expect(Self.meanHealth(nlb, minutes: 690..<900) >= 0.995)
        #expect(Self.meanHealth(base, minutes: 690..<900) < 0.99)
    }
}
