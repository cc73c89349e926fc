import DNSModel
import SimKernel
import Testing

@testable import WorldModel

/// The management plane as a mechanism: the empty record set must come from the enactor race, only when one
/// enactor falls far enough behind, and must then persist until an operator repairs it.
@Suite struct DNSManagementPlaneTests {
    /// A slowdown that keeps enactor 0 well within `cleanupThreshold` generations of the Planner.
    static let smallExtra = SimDuration.seconds(30)
    static let smallProbability = 0.2
    /// A slowdown that makes enactor 0 fall tens of generations behind.
    static let largeExtra = SimDuration.seconds(30)
    static let largeProbability = 0.98

    @Test(arguments: [UInt64(1), 2, 3])
    func healthyPlaneNeverEmptiesAndAdvances(seed: UInt64) throws {
        var fixture = ManagementPlaneFixture()
        fixture.seed = seed
        fixture.duration = .hours(8)
        let run = try fixture.run()
        let plane = run.plane

        #expect(run.emptied.isEmpty)
        #expect(!plane.isStuck)
        // One generation per planner period, and the enactors keep up with it.
        #expect(plane.latestGeneration == 1 + 8 * 60)
        #expect(plane.appliedGeneration >= plane.latestGeneration - 1)
        #expect(plane.enactorStates.allSatisfy { $0.applies > 100 && $0.maxGenerationsBehind <= 1 })
        // Clean-up keeps the store bounded: only the last cleanupThreshold-ish generations remain.
        #expect(plane.storedGenerations.count <= plane.spec.cleanupThreshold + 3)
        // The answer is the active plan: addressesPerPlan distinct pool addresses, recordTTL, rotating over time.
        let answered = run.answered
        #expect(answered.count == plane.spec.addressesPerPlan)
        #expect(answered.allSatisfy { $0.ttl == plane.spec.recordTTL })
        let addresses = answered.compactMap { record -> IPAddress? in
            if case .a(let v4) = record.data { return .v4(v4) }
            return nil
        }
        #expect(addresses == plane.effectiveAddresses)
        #expect(Set(plane.effectiveAddresses).isSubset(of: Set(plane.spec.addressPool)))
        #expect(run.answerChanges > 300)
        #expect(run.answerSets.count > 100)
        // Timeline discipline: routine applies publish nothing.
        #expect(run.recordChanges.isEmpty)
        #expect(run.stateChanges.isEmpty)
        // No busy loops: a few thousand events per virtual hour.
        #expect(run.simulator.processedEvents < 8 * 2_500)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func smallSlowdownNeverEmpties(seed: UInt64) throws {
        var fixture = ManagementPlaneFixture()
        fixture.seed = seed
        fixture.duration = .hours(12)
        fixture.slowdown(at: .hours(1), extra: Self.smallExtra, probability: Self.smallProbability)
        let run = try fixture.run()
        let plane = run.plane
        let slowed = plane.enactorStates[0]
        let healthy = plane.enactorStates[1...]

        // The slowdown bites: enactor 0 applies fewer plans than the others and lags further behind...
        #expect(healthy.allSatisfy { 5 * slowed.applies < 4 * $0.applies && $0.maxGenerationsBehind <= 1 })
        #expect(slowed.maxGenerationsBehind >= 2)
        // ...but never by more than cleanupThreshold generations, so its clean-up-prone plans stay stored.
        #expect(slowed.maxGenerationsBehind <= plane.spec.cleanupThreshold)
        #expect(run.emptied.isEmpty)
        #expect(!plane.isStuck)
        #expect(plane.appliedGeneration >= plane.latestGeneration - 1)
        #expect(run.stateChanges.isEmpty)
    }

    @Test func largeSlowdownEmptiesTheRecordThroughTheRace() throws {
        var fixture = ManagementPlaneFixture()
        fixture.duration = .hours(6)
        fixture.slowdown(at: .hours(1), extra: Self.largeExtra, probability: Self.largeProbability)
        let run = try fixture.run()
        let plane = run.plane
        let threshold = plane.spec.cleanupThreshold

        // The record set empties once, after the slowdown begins.
        #expect(run.emptied.count == 1)
        #expect(run.refilled.isEmpty)
        let emptiedAt = try #require(run.emptied.first)
        #expect(emptiedAt > .zero + .hours(1))
        #expect(run.answered.isEmpty)
        // It is NODATA: the name stays, the A set is empty.
        let reply = plane.authority.respond(to: Question(name: ManagementPlaneFixture.endpoint, type: .a), overTCP: false)
        guard case .answer(let answer) = reply.reply else {
            Issue.record("expected a zone answer, got \(reply.reply)")
            return
        }
        #expect(answer.isNoData)

        // The race: enactor 0 applied a plan more than cleanupThreshold generations old, then another enactor's
        // clean-up deleted it while it was active.
        let stale = run.stateChanges.filter { $0.kind == "staleApply" }
        #expect(!stale.isEmpty)
        #expect(stale.allSatisfy { $0.detail.hasPrefix("enactor 0 ") && $0.time > .zero + .hours(1) })
        #expect(stale.contains { $0.time <= emptiedAt })
        #expect(plane.enactorStates[0].maxGenerationsBehind > threshold)
        #expect(plane.latestGeneration - plane.appliedGeneration > threshold)
        #expect(!plane.activePlanExists)
        #expect(!plane.storedGenerations.contains(plane.appliedGeneration))
        let change = try #require(run.recordChanges.first)
        #expect(run.recordChanges.count == 1)
        #expect(change.time == emptiedAt && change.count == 0)
        #expect(change.cause.hasPrefix("active plan \(plane.appliedGeneration) deleted by enactor "))
        #expect(!change.cause.hasPrefix("active plan \(plane.appliedGeneration) deleted by enactor 0"))
        #expect(change.cause.hasSuffix("'s clean-up"))

        // And the plane is stuck: every later transaction fails.
        #expect(plane.isStuck)
        let stuck = run.stateChanges.filter { $0.kind == "stuck" }
        #expect(stuck.count == 1)
        #expect(stuck.allSatisfy { $0.time >= emptiedAt })
    }

    @Test func stuckStatePersistsWithoutAnOperator() throws {
        var fixture = ManagementPlaneFixture()
        fixture.seed = 2
        fixture.duration = .hours(24)
        fixture.slowdown(at: .hours(1), until: .hours(3), extra: Self.largeExtra, probability: Self.largeProbability)
        let run = try fixture.start()
        run.advance(to: .zero + .hours(3))
        let emptiedAt = try #require(run.emptied.first)
        #expect(emptiedAt < .zero + .hours(3))
        let stuckGeneration = run.plane.appliedGeneration
        let failuresAtClear = run.plane.enactorStates.map(\.failedTransactions).reduce(0, +)

        run.advance(to: .zero + .hours(24))
        let plane = run.plane
        #expect(run.emptied.count == 1)
        #expect(run.refilled.isEmpty)
        #expect(run.answered.isEmpty)
        #expect(plane.isStuck)
        #expect(plane.appliedGeneration == stuckGeneration)
        #expect(plane.latestGeneration == 1 + 24 * 60)
        // Enactors keep trying (with backoff) and keep failing; the slowdown is long gone.
        let failures = plane.enactorStates.map(\.failedTransactions)
        #expect(failures.allSatisfy { $0 > 100 })
        #expect(failures.reduce(0, +) > failuresAtClear)
        #expect(plane.enactorStates.map(\.applies).reduce(0, +) > 0)
        // One timeline line each, however long it lasts.
        #expect(run.stateChanges.filter { $0.kind == "stuck" }.count == 1)
        #expect(run.recordChanges.count == 1)
        #expect(run.simulator.processedEvents < 24 * 2_500)
    }

    @Test func repairRestoresTheRecordAndEnactorsMoveOn() throws {
        var fixture = ManagementPlaneFixture()
        fixture.seed = 2
        fixture.slowdown(at: .hours(1), until: .hours(3), extra: Self.largeExtra, probability: Self.largeProbability)
        let run = try fixture.start()
        run.advance(to: .zero + .hours(4))
        let plane = run.plane
        #expect(plane.isStuck)
        #expect(run.answered.isEmpty)

        plane.repair(note: "restore from newest plan")
        run.observe()
        let repairedGeneration = plane.latestGeneration
        #expect(!plane.isStuck)
        #expect(plane.activePlanExists)
        #expect(plane.appliedGeneration == repairedGeneration)
        #expect(run.answered.count == plane.spec.addressesPerPlan)
        let restored = try #require(run.recordChanges.last)
        #expect(restored.time == .zero + .hours(4) && restored.count == plane.spec.addressesPerPlan)
        #expect(restored.cause == "plan \(repairedGeneration) restored by operator repair (restore from newest plan)")
        #expect(run.stateChanges.last?.kind == "repaired")

        let appliesAtRepair = plane.enactorStates.map(\.applies)
        run.advance(to: .zero + .hours(8))
        #expect(run.emptied.count == 1)
        #expect(run.refilled == [.zero + .hours(4)])
        #expect(!plane.isStuck)
        #expect(plane.appliedGeneration >= plane.latestGeneration - 1)
        #expect(plane.appliedGeneration > repairedGeneration + 200)
        for (index, enactor) in plane.enactorStates.enumerated() {
            #expect(enactor.applies > appliesAtRepair[index] + 50, "enactor \(index) made no progress after the repair")
        }
        #expect(!run.answered.isEmpty)
    }

    @Test func sameSeedSameSequenceAndTheEmptyMomentFollowsTheSlowdown() throws {
        func changes(seed: UInt64, slowdownAt start: SimDuration) throws -> ManagementPlaneFixture.Run {
            var fixture = ManagementPlaneFixture()
            fixture.seed = seed
            fixture.duration = .hours(8)
            fixture.slowdown(at: start, extra: Self.largeExtra, probability: Self.largeProbability)
            return try fixture.run()
        }
        func summary(_ run: ManagementPlaneFixture.Run) -> [String] {
            run.events.map { time, event in "\(time.nanoseconds) \(event)" }
        }

        let first = try changes(seed: 1, slowdownAt: .hours(1))
        let again = try changes(seed: 1, slowdownAt: .hours(1))
        #expect(!first.events.isEmpty)
        #expect(summary(first) == summary(again))
        #expect(first.emptied == again.emptied)
        #expect(first.answerSets == again.answerSets)
        #expect(first.simulator.processedEvents == again.simulator.processedEvents)

        let later = try changes(seed: 1, slowdownAt: .hours(3))
        let early = try #require(first.emptied.first)
        let late = try #require(later.emptied.first)
        #expect(early > .zero + .hours(1))
        #expect(late > .zero + .hours(3))
        #expect(late > early)
        // Before the later slowdown begins, the two runs are the same run.
        #expect(
            later.answerSets.prefix(while: { !$0.isEmpty }).prefix(50)
                == first.answerSets.prefix(while: { !$0.isEmpty }).prefix(50))
    }

    @Test func pausedEnactorsFreezeTheAppliedGeneration() throws {
        var fixture = ManagementPlaneFixture()
        fixture.seed = 3
        let run = try fixture.start()
        run.advance(to: .zero + .hours(1))
        let plane = run.plane
        for index in 0..<plane.enactorCount { plane.setEnactorPaused(index, true) }
        // A transaction in progress finishes; then nothing is applied.
        run.advance(to: .zero + .hours(1) + .minutes(1))
        let frozen = plane.appliedGeneration
        let answered = run.answered
        run.advance(to: .zero + .hours(1) + .minutes(9))
        #expect(plane.appliedGeneration == frozen)
        #expect(run.answered == answered)
        #expect(plane.latestGeneration >= frozen + 7)

        for index in 0..<plane.enactorCount { plane.setEnactorPaused(index, false) }
        run.advance(to: .zero + .hours(1) + .minutes(12))
        #expect(plane.appliedGeneration >= plane.latestGeneration - 1)
        #expect(run.emptied.isEmpty)
    }

    @Test func specValidation() throws {
        let pool = (1...4).map { IPAddress.v4(IPv4Address(192, 0, 2, UInt8($0))) }
        let good = ManagementPlaneSpec(id: "p", authority: "ns1", name: ManagementPlaneFixture.endpoint, addressPool: pool)
        #expect(good.validationErrors().isEmpty)
        #expect(good.component == ComponentID(.automation, "p"))

        var bad = good
        bad.id = ""
        bad.addressPool = pool + [pool[0]]
        bad.addressesPerPlan = 5
        bad.plannerPeriod = .zero
        bad.enactors = 0
        bad.lockAttemptTime = .zero
        bad.lockLease = .seconds(5)
        bad.lockBackoffMax = .milliseconds(10)
        bad.cleanupThreshold = -1
        bad.cleanupDelay = .seconds(-1)
        bad.enactorPollInterval = .zero
        let problems = bad.validationErrors()
        for word in [
            "id", "duplicate", "addressesPerPlan", "plannerPeriod", "enactors", "lockAttemptTime", "lockLease",
            "lockBackoffMax", "cleanupThreshold", "cleanupDelay", "enactorPollInterval",
        ] {
            #expect(problems.contains { $0.contains(word) }, "no problem mentions \(word): \(problems)")
        }
        #expect(problems.count == 11)
        var empty = good
        empty.addressPool = []
        #expect(empty.validationErrors() == ["management plane 'p': addressPool must not be empty"])
    }
}
