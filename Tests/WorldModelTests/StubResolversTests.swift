import AresShim
import DNSModel
import SimKernel
import Testing
import WorldModel

/// A lookup's state lives in a slot that is reused once the lookup has finished and none of its events is pending;
/// a resolver may answer after that (it keeps the reply address), and such a reply must reach nobody else.
@Suite struct StubResolversTests {
    /// A world whose resolver delays every reply by `latency`, with lookups every 100 ms on 4 instances and a stub that
    /// waits 200 ms, then 400 ms (one server, two tries).
    private func delayedReplies(latency: SimDuration) throws -> [LookupReport] {
        var fixture = WorldFixture()
        fixture.client.lookupInterval = .milliseconds(100)
        fixture.client.stub = StubResolverOptions(timeout: .milliseconds(200), tries: 2)
        fixture.faults = [
            WorldFixture.fault(
                .behaviour(.latency(latency), scope: nil, probability: 1), at: .seconds(10), until: .seconds(20),
                target: ComponentID(.resolver, "r1"))
        ]
        fixture.duration = .seconds(30)
        let (_, events) = try fixture.run()
        // Lookups that started and ended inside the fault.
        return events.lookups.filter { $0.started >= .zero + .seconds(10) && $0.finished < .zero + .seconds(20) }
    }

    @Test("the first attempt's late reply ends the lookup; the second attempt's reply, later still, changes nothing")
    func lateRepliesGoToTheirOwnLookup() throws {
        let rtt = ClientSpec(id: "x", instances: 1, endpoint: "kv", resolvers: ["r1"]).resolverRTT
        let lookups = try delayedReplies(latency: .milliseconds(450))
        #expect(lookups.count > 300)
        for report in lookups {
            // The first attempt's reply arrives at 450 ms + RTT, after the 200 ms timer sent the second attempt.
            #expect(report.outcome == .noError)
            #expect(report.queriesSent == 2)
            #expect(report.finished - report.started == .milliseconds(450) + rtt)
        }
    }

    @Test("replies later than both attempts time every lookup out, however many lookups start meanwhile")
    func repliesAfterTheLastAttemptNeverAnswerALaterLookup() throws {
        let lookups = try delayedReplies(latency: .milliseconds(900))
        #expect(lookups.count > 300)
        for report in lookups {
            #expect(report.outcome == .timeout)
            #expect(report.status == .timeout)
            #expect(report.queriesSent == 2)
            #expect(report.finished - report.started == .milliseconds(600))
            // No reply reached it: not its own (too late), nor one meant for an earlier lookup in its slot.
            #expect(report.resolver == nil)
        }
    }
}
