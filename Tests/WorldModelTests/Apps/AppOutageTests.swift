import SimKernel
import Testing
import WorldModel

@Suite("Customer apps: who goes down, when, and how each strategy recovers")
struct AppOutageTests {
    @Test("healthy dependencies: nobody down, no reports, load at its normal level")
    func healthyDependencies() throws {
        var fixture = AppFleetFixture()
        fixture.named = AppSpec.namedApps
        fixture.population = AppPopulationSpec(count: 300)
        let run = try fixture.run(for: .hours(3))
        #expect(run.results.apps.count == 10)
        for app in run.results.apps {
            #expect(app.firstFailure == nil && app.recovery == nil && app.timeDown == .zero)
            #expect(app.peakErrorRate == 0 && app.reports == 0 && app.episodes == 0)
        }
        let population = try #require(run.results.population)
        #expect(population.companies == 300 && population.companiesAffected == 0 && population.reports == 0)
        #expect(run.results.usersAffected.count == 181)  // ticks at 0, 1 min, …, 180 min
        #expect(run.results.usersAffected.allSatisfy { $0.users == 0 && $0.appsDown == 0 })
        #expect(run.results.totals.reports == 0 && run.results.totals.appsAffected == 0)
        #expect(run.results.reportsByCountry.allSatisfy { $0.reports == 0 })
        #expect(run.events.isEmpty)
        #expect(run.fleet.dependencies == ["dynamodb", "ec2-launch", "nlb"])
        for dependency in run.fleet.dependencies {
            #expect(run.fleet.nominalLoad(of: dependency) > 0)
            #expect(run.fleet.offeredLoad(of: dependency) == run.fleet.nominalLoad(of: dependency))
        }
    }

    @Test("DynamoDB down from T1 to T2: login-on-DynamoDB apps fail at T1 and, without a strategy, recover at T2")
    func noStrategyWaitsForTheRegion() throws {
        var fixture = AppFleetFixture()
        fixture.named = [
            AppFleetFixture.app("kv", paths: [("login", ["dynamodb"], 0.4), ("browse", ["nlb"], 0.6)]),
            AppFleetFixture.app("lb-only", paths: [("browse", ["nlb"], 1)]),
        ]
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .minutes(70))
        let run = try fixture.run(for: .hours(2))
        let kv = run.app("kv")
        #expect(kv.firstFailure == .zero + .minutes(10))
        #expect(kv.recovery == .zero + .minutes(70))
        #expect(kv.timeDown == .minutes(60) && kv.episodes == 1 && !kv.downAtEnd)
        #expect(abs(kv.peakErrorRate - 0.4) < 1e-12)  // login fails for every attempt: its whole weight
        #expect(kv.failedOverAt == nil)
        let lbOnly = run.app("lb-only")
        #expect(lbOnly.firstFailure == nil && lbOnly.reports == 0)
        #expect(run.kinds(of: "service/app/kv") == ["T+10m app-down", "T+1h10m app-recovered"])
        #expect(run.events.first?.hasSuffix("down: 40% of requests failing (login)") == true)
    }

    @Test("a failure between ticks is seen at the next tick")
    func failureBetweenTicks() throws {
        var fixture = AppFleetFixture()
        fixture.named = [AppFleetFixture.app("kv")]
        fixture.health = .outage("dynamodb", from: .minutes(10) + .seconds(20), until: .minutes(30) + .seconds(20))
        let app = try fixture.run(for: .hours(1)).app("kv")
        #expect(app.firstFailure == .zero + .minutes(11))
        #expect(app.recovery == .zero + .minutes(31))
    }

    @Test("automated failover recovers detection + switch after the first failure, whatever T2")
    func automatedFailover() throws {
        for end in [SimDuration.hours(2), .hours(6)] {
            var fixture = AppFleetFixture()
            fixture.named = [
                AppFleetFixture.app("auto", strategy: .automatedFailover(detectionDelay: .minutes(3), switchTime: .minutes(5)))
            ]
            fixture.health = .outage("dynamodb", from: .minutes(10), until: end)
            let run = try fixture.run(for: .hours(8))
            let app = run.app("auto")
            #expect(app.firstFailure == .zero + .minutes(10))
            #expect(app.failedOverAt == .zero + .minutes(18))
            #expect(app.recovery == .zero + .minutes(18))
            #expect(app.timeToRecover == .minutes(8) && app.timeDown == .minutes(8) && app.episodes == 1)
            #expect(
                run.kinds(of: "service/app/auto") == [
                    "T+10m app-down", "T+13m failover-started", "T+18m failover-complete", "T+18m app-recovered",
                ])
            // Serving from elsewhere, it sends the region nothing.
            #expect(run.fleet.offeredLoad(of: "dynamodb") == 0)
        }
    }

    @Test("automated failover: a failure shorter than the detection delay resets the health checks")
    func shortFailureDoesNotFailOver() throws {
        var fixture = AppFleetFixture()
        fixture.named = [
            AppFleetFixture.app("auto", strategy: .automatedFailover(detectionDelay: .minutes(5), switchTime: .minutes(5)))
        ]
        fixture.health = ScriptedHealth([
            .init(dependency: "dynamodb", from: .zero + .minutes(10), until: .zero + .minutes(13), rate: 0),
            .init(dependency: "dynamodb", from: .zero + .minutes(20), until: .zero + .minutes(24), rate: 0),
        ])
        let app = try fixture.run(for: .hours(1)).app("auto")
        #expect(app.failedOverAt == nil)
        #expect(app.episodes == 2 && app.timeDown == .minutes(7))
        #expect(app.recovery == .zero + .minutes(24))
    }

    @Test("manual DR recovers after detection, decision and execution")
    func manualDisasterRecovery() throws {
        var fixture = AppFleetFixture()
        let strategy = ResilienceStrategy.manualDisasterRecovery(
            detection: .minutes(10), decision: .minutes(15), execution: .minutes(20))
        fixture.named = [AppFleetFixture.app("manual", strategy: strategy)]
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .hours(5))
        let run = try fixture.run(for: .hours(6))
        let app = run.app("manual")
        #expect(app.firstFailure == .zero + .minutes(10))
        #expect(app.recovery == .zero + .minutes(55) && app.failedOverAt == .zero + .minutes(55))
        #expect(app.timeToRecover == strategy.timeToRecover)
        #expect(
            run.kinds(of: "service/app/manual") == [
                "T+10m app-down", "T+20m dr-paged", "T+35m dr-invoked", "T+55m dr-complete", "T+55m app-recovered",
            ])
    }

    @Test("manual DR stands down when the region recovers before the decision")
    func manualDisasterRecoveryStandsDown() throws {
        var fixture = AppFleetFixture()
        fixture.named = [
            AppFleetFixture.app(
                "manual",
                strategy: .manualDisasterRecovery(detection: .minutes(10), decision: .minutes(15), execution: .minutes(20)))
        ]
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .minutes(30))
        let run = try fixture.run(for: .hours(2))
        let app = run.app("manual")
        #expect(app.recovery == .zero + .minutes(30) && app.failedOverAt == nil)
        #expect(
            run.kinds(of: "service/app/manual") == [
                "T+10m app-down", "T+20m dr-paged", "T+30m app-recovered", "T+35m dr-stood-down",
            ])
    }

    @Test("an app down at the end has no recovery; results can be taken mid-run without changing the end")
    func stillDownAtTheEnd() throws {
        var fixture = AppFleetFixture()
        fixture.named = [AppFleetFixture.app("kv")]
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .hours(10))
        let (fleet, simulator, _) = try fixture.build()
        fleet.start()
        simulator.run(until: .zero + .minutes(40) + .seconds(30))
        let middle = fleet.results()
        #expect(middle.apps[0].timeDown == .minutes(30) + .seconds(30))  // the half tick since the last one counts
        simulator.run(until: .zero + .hours(1))
        let end = fleet.results()
        let app = end.apps[0]
        #expect(app.downAtEnd && app.recovery == nil && app.timeToRecover == nil)
        #expect(app.timeDown == .minutes(50))
        let again = try fixture.run(for: .hours(1)).results
        #expect(again == end)
    }

    @Test("stop ends the ticks and the accounting at the stop")
    func stop() throws {
        var fixture = AppFleetFixture()
        fixture.named = [AppFleetFixture.app("kv")]
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .hours(10))
        let (fleet, simulator, _) = try fixture.build()
        fleet.start()
        simulator.run(until: .zero + .minutes(30))
        fleet.stop()
        #expect(simulator.pendingEvents == 0)
        simulator.run(until: .zero + .hours(1))
        let results = fleet.results()
        #expect(results.time == .zero + .minutes(30))
        #expect(results.apps[0].timeDown == .minutes(20) && results.usersAffected.count == 31)
    }

    @Test("the population announces how many companies are down")
    func populationEvents() throws {
        var fixture = AppFleetFixture()
        fixture.population = AppPopulationSpec(count: 400)
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .hours(3))
        let run = try fixture.run(for: .hours(4))
        let lines = run.events.filter { $0.contains(" service/apps/company companies-down ") }
        #expect(lines.first?.hasPrefix("T+10m ") == true)
        #expect(lines.last?.contains(" 0 of 400 companies down") == true)
        let population = try #require(run.results.population)
        // Every template except "elastic" calls DynamoDB.
        let calling = run.fleet.generated.filter { $0.template != 2 }.count
        #expect(population.companiesAffected == calling)
        #expect(population.companiesDownAtEnd == 0)
        #expect(run.results.usersAffected.contains { $0.appsDown == calling })
    }

    @Test("invalid specs are rejected with every problem listed")
    func invalidSpecs() {
        var bad = AppFleetFixture.app("bad", users: -1, paths: [("login", ["dynamodb"], -1)])
        bad.usersByCountry = []
        bad.retryPolicy.maxAttempts = 0
        var fixture = AppFleetFixture()
        fixture.named = [bad, AppFleetFixture.app("twice"), AppFleetFixture.app("twice")]
        fixture.population = AppPopulationSpec(count: -1)
        fixture.settings.downThreshold = 0
        #expect {
            try fixture.build()
        } throws: { error in
            let problems = (error as? AppFleetError)?.problems ?? []
            return problems.contains("app 'bad': users must not be negative")
                && problems.contains("app 'bad': usersByCountry must not be empty")
                && problems.contains("app 'bad': path 'login' weight must be ≥ 0")
                && problems.contains("app 'bad': retry maxAttempts must be at least 1")
                && problems.contains("app 'twice': duplicate name")
                && problems.contains("population 'company': count must not be negative")
                && problems.contains("apps: downThreshold must be in (0, 1]")
        }
    }
}
