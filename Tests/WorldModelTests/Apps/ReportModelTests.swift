import SimKernel
import Testing
import WorldModel

@Suite("Downdetector-style reports: users × propensity × impact")
struct ReportModelTests {
    /// Reports of one app whose DynamoDB fails from minute 10 for `minutes`, run for two hours.
    static func reports(
        users: Int = 1_000_000, propensity: Double = 0.01, minutes: Int64 = 30,
        paths: [(String, [String], Double)] = [("login", ["dynamodb"], 1)]
    ) throws -> ImpactResults {
        var fixture = AppFleetFixture()
        fixture.named = [
            AppFleetFixture.app("app", users: users, paths: paths, reporting: ReportingSpec(propensity: propensity))
        ]
        fixture.health = .outage("dynamodb", from: .minutes(10), until: .minutes(10 + minutes))
        return try fixture.run(for: .hours(2)).results
    }

    /// The documented model: each tick at error rate e, a share e · tick / meanDelay of the reporters still to report do.
    static func expected(users: Double, propensity: Double, errorRate: Double, ticks: Int) -> Double {
        var remaining = propensity
        for _ in 0..<ticks { remaining *= 1 - errorRate * 60 / 1_800 }
        return users * (propensity - remaining)
    }

    @Test("an app failing for 30 one-minute ticks draws the reports the model predicts")
    func matchesTheModel() throws {
        let results = try Self.reports()
        let expected = Self.expected(users: 1_000_000, propensity: 0.01, errorRate: 1, ticks: 30)
        #expect(results.apps[0].reports == Int(expected.rounded()))
        #expect(results.apps[0].reports > 6_000 && results.apps[0].reports < 7_000)
        #expect(results.totals.reports == results.apps[0].reports)
        #expect(
            results.reportsByCountry == [
                CountryReports(country: "US", reports: Int((expected * 0.75).rounded())),
                CountryReports(country: "GB", reports: Int((expected * 0.25).rounded())),
            ])
        #expect(abs(results.apps[0].userHours - 500_000) < 1e-6)  // 1 M users × half an hour
    }

    @Test("reports are proportional to users and to propensity")
    func proportional() throws {
        let base = try Self.reports().apps[0].reports
        #expect(abs(try Self.reports(users: 2_000_000).apps[0].reports - 2 * base) <= 1)
        #expect(abs(try Self.reports(propensity: 0.02).apps[0].reports - 2 * base) <= 1)
        #expect(try Self.reports(propensity: 0).apps[0].reports == 0)
    }

    @Test("reports grow with the depth and the length of the impact, and saturate at users × propensity")
    func growWithImpact() throws {
        let base = try Self.reports().apps[0].reports
        let half = try Self.reports(paths: [("login", ["dynamodb"], 0.5), ("browse", ["nlb"], 0.5)]).apps[0].reports
        #expect(half == Int(Self.expected(users: 1_000_000, propensity: 0.01, errorRate: 0.5, ticks: 30).rounded()))
        #expect(half < base)
        let longer = try Self.reports(minutes: 60).apps[0].reports
        #expect(longer > base && longer < 2 * base)
        let veryLong = try Self.reports(minutes: 100).apps[0].reports
        #expect(veryLong > longer && veryLong <= 10_000)
    }

    @Test("named apps failing for the whole 15 hours reach their calibrated users × propensity: the published counts")
    func namedAppsSaturateAtPublished() throws {
        var fixture = AppFleetFixture()
        fixture.named = AppSpec.namedApps
        fixture.health = ScriptedHealth(
            ["dynamodb", "ec2-launch", "nlb"].map {
                .init(dependency: $0, from: .zero, until: .zero + .hours(15), rate: 0)
            })
        let results = try fixture.run(for: .hours(15)).results
        for published in ImpactResults.published.reportsByService {
            let app = try #require(results.apps.first { $0.name == published.key })
            #expect(abs(Double(app.reports - published.value)) <= 0.001 * Double(published.value))
        }
    }
}
