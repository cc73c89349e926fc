import SimKernel
import Testing
import WorldModel

@Suite("Generated populations: distributions, cohorts, recovery by strategy, determinism")
struct PopulationTests {
    static let spec = AppPopulationSpec()

    static func generated(seed: UInt64) -> [GeneratedApp] {
        spec.generate(rng: RandomStreams(seed: seed).stream("apps").split("population"))
    }

    @Test("default distributions: drawn recovery times have medians in the published bands", arguments: [1, 2, 3] as [UInt64])
    func drawnMediansInBands(seed: UInt64) throws {
        let companies = Self.generated(seed: seed)
        #expect(companies.count == 3_900)
        let automated = companies.filter { $0.strategy.kind == .automated }.compactMap(\.strategy.timeToRecover)
        let manual = companies.filter { $0.strategy.kind == .manual }.compactMap(\.strategy.timeToRecover)
        let automatedMedian = try #require(lowerMedian(automated))
        let manualMedian = try #require(lowerMedian(manual))
        #expect(automatedMedian >= .minutes(5) && automatedMedian <= .minutes(15))
        #expect(manualMedian >= .minutes(20) && manualMedian <= .minutes(90))
        // The mix: 10 % / 25 % / 65 %, within sampling noise.
        #expect(abs(Double(automated.count) / 3_900 - 0.10) < 0.02)
        #expect(abs(Double(manual.count) / 3_900 - 0.25) < 0.03)
        // Times are whole minutes (the quantum), and users follow the log-normal's median.
        for company in companies {
            switch company.strategy {
            case .automatedFailover(let detection, let switchTime):
                #expect(detection.nanoseconds % 60_000_000_000 == 0 && switchTime >= .minutes(1))
            default: break
            }
        }
        let users = companies.map(\.users).sorted()
        #expect(users[users.count / 2] > 32_000 && users[users.count / 2] < 50_000)
    }

    @Test("a long DynamoDB outage: simulated median recovery by strategy is the drawn one, and cohorts are exact")
    func simulatedMediansFollowTheDraws() throws {
        var fixture = AppFleetFixture()
        fixture.population = AppPopulationSpec(count: 1_500)
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .hours(12))
        let run = try fixture.run(for: .hours(13))
        let population = try #require(run.results.population)
        let templates = AppPopulationSpec().templates
        let callsDynamo = run.fleet.generated.filter {
            templates[$0.template].paths.contains { $0.dependencies.contains("dynamodb") }
        }
        #expect(population.companiesAffected == callsDynamo.count)
        #expect(population.cohorts < 1_500 / 2)
        for kind in StrategyKind.allCases {
            let entry = try #require(population.byStrategy.first { $0.strategy == kind })
            let members = callsDynamo.filter { $0.strategy.kind == kind }
            #expect(entry.affected == members.count && entry.recovered == members.count)
            #expect(entry.companies == run.fleet.generated.filter { $0.strategy.kind == kind }.count)
            let expected: SimDuration? =
                kind == .none ? .hours(12) - .minutes(10) : lowerMedian(members.compactMap(\.strategy.timeToRecover))
            #expect(entry.medianTimeToRecover == expected)
            #expect(entry.medianTimeDown == expected)
        }
        #expect(population.users == run.fleet.generated.reduce(0) { $0 + $1.users })
    }

    @Test("same seed ⇒ identical results and events; a different seed ⇒ a different population")
    func determinism() throws {
        func run(seed: UInt64) throws -> AppFleetFixture.Run {
            var fixture = AppFleetFixture()
            fixture.seed = seed
            fixture.named = AppSpec.namedApps
            fixture.population = AppPopulationSpec(count: 800)
            fixture.health = ScriptedHealth([
                .init(dependency: "dynamodb", from: .zero + .minutes(5), until: .zero + .hours(3), rate: 0),
                .init(dependency: "nlb", from: .zero + .hours(2), until: .zero + .hours(5), rate: 0.7),
                .init(dependency: "ec2-launch", from: .zero + .hours(3), until: .zero + .hours(6), rate: 0),
            ])
            return try fixture.run(for: .hours(7))
        }
        let first = try run(seed: 42)
        let second = try run(seed: 42)
        #expect(first.results == second.results)
        #expect(first.events == second.events)
        #expect(first.fleet.generated == second.fleet.generated)
        #expect(first.results.totals.reports > 0)
        let other = try run(seed: 43)
        #expect(other.fleet.generated != first.fleet.generated)
        #expect(other.results.population != first.results.population)
        // Named apps draw nothing: they are the same under any seed.
        #expect(other.results.apps == first.results.apps)
    }

    @Test("adding companies leaves the existing ones as they were")
    func stableUnderGrowth() {
        let small = AppPopulationSpec(count: 100).generate(rng: RandomStream(seed: 9, label: "p"))
        let large = AppPopulationSpec(count: 200).generate(rng: RandomStream(seed: 9, label: "p"))
        #expect(Array(large.prefix(100)).map(\.users) == small.map(\.users))
        #expect(Array(large.prefix(100)).map(\.strategy) == small.map(\.strategy))
        #expect(small[0].name == "company-0001" && large[199].name == "company-0200")
    }

    @Test("a company's users are spread over its home country and the population's mix")
    func countrySpread() throws {
        let spec = AppPopulationSpec(count: 1)
        let company = GeneratedApp(
            index: 0, name: "c", users: 1_000, template: 0, strategy: .none, homeCountry: "DK")
        let app = spec.appSpec(for: company)
        let shares = Dictionary(uniqueKeysWithValues: app.usersByCountry.map { ($0.country, $0.share) })
        let mixDK = try #require(AppPopulationSpec.publishedCountryMix.first { $0.country == "DK" }).share
        #expect(abs(try #require(shares["DK"]) - (0.6 + 0.4 * mixDK)) < 1e-12)
        #expect(abs(app.usersByCountry.reduce(0) { $0 + $1.share } - 1) < 1e-12)
        #expect(app.paths == spec.templates[0].paths)
    }
}
