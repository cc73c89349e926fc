import DNSCascade
import Foundation
import Testing

/// The lessons in `docs/classroom/`: every lesson scenario meets its `expect:` block and its recorded timeline, every
/// number an exercise quotes is what the tool computes, and each lesson's mechanism moves its outcome the way the
/// lesson says (metamorphic checks through `--set` overrides), so a lesson cannot go stale.
@Suite("Lesson scenarios")
struct LessonScenarioTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The scenarios written for the lessons (01–03 are tested by `ClassroomScenarioTests`).
    static let lessonFiles = [
        "04-ttl-and-caching.yaml", "05-serve-stale-limits.yaml", "06-retry-storm.yaml", "07-metastable-collapse.yaml",
    ]

    static func path(_ file: String) -> String {
        root.appendingPathComponent("Scenarios/classroom").appendingPathComponent(file).path
    }

    static func run(_ file: String, until: SimDuration? = nil, _ overrides: String...) throws -> RunReport {
        try ScenarioPipeline(options: RunOptions(overrides: overrides, until: until)).run(.file(path: path(file)))
    }

    // The unchanged runs, shared by the tests that compare variants with them.
    static let ttlBase = Result { try run("04-ttl-and-caching.yaml") }
    static let staleBase = Result { try run("05-serve-stale-limits.yaml") }
    static let stormBase = Result { try run("06-retry-storm.yaml") }
    static let collapseBase = Result { try run("07-metastable-collapse.yaml") }

    /// `h:m:s` after the scenario's start.
    static func at(_ hours: Int64, _ minutes: Int64, _ seconds: Int64 = 0) -> SimTime {
        SimTime.zero + .hours(hours) + .minutes(minutes) + .seconds(seconds)
    }

    /// Whole seconds since the start, as the timeline and the summary print them.
    static func second(_ time: SimTime?) -> Int64? { time.map { $0.nanoseconds / 1_000_000_000 } }

    /// The availability lines of one client fleet in the timeline, in time order.
    static func availability(_ report: RunReport, _ client: String) -> [TimelineEntry] {
        report.results.timeline.filter { $0.component.description == "client/\(client)" && $0.kind == "availability" }
    }

    static func upstreamAnswers(_ report: RunReport, _ resolver: String) throws -> Int {
        try #require(report.resolver(resolver)).bySource[.upstream] ?? 0
    }

    static func answers(_ report: RunReport, _ resolver: String) throws -> Int {
        try #require(report.resolver(resolver)).answers.total
    }

    // MARK: Every lesson scenario

    @Test("every lesson scenario meets its expectations and its recorded timeline", arguments: lessonFiles)
    func meetsExpectationsAndGolden(file: String) throws {
        let result = ScenarioCheck().check(Self.path(file))
        #expect(result.error == nil)
        #expect(result.expectations.count >= 4)
        for failed in result.expectations where !failed.passed {
            Issue.record("\(file): \(failed.expectation.label): measured \(failed.measured), expected \(failed.expected)")
        }
        let golden = try #require(result.golden)
        if case .differs(_, let diff) = golden { Issue.record("\(file): timeline differs from its recording:\n\(diff)") }
        #expect(golden.passed)
        let header = try String(contentsOfFile: Self.path(file), encoding: .utf8).split(separator: "\n")
            .prefix { $0.hasPrefix("#") }.joined(separator: "\n")
        #expect(header.contains("Teaches:"))
        #expect(header.contains("Try:"))
    }

    @Test("every scenario a lesson page names exists and is run by a test")
    func lessonPagesNameTestedScenarios() throws {
        let docs = Self.root.appendingPathComponent("docs/classroom")
        let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        #expect(pages.count >= 6)  // README + at least five lessons
        let tested = Set(Self.lessonFiles + ["01-empty-record.yaml", "02-deleted-name.yaml", "03-unreachable-authority.yaml"])
        var named = Set<String>()
        for page in pages {
            let text = try String(contentsOf: docs.appendingPathComponent(page), encoding: .utf8)
            var rest = Substring(text)
            while let range = rest.range(of: "Scenarios/classroom/") {
                let tail = rest[range.upperBound...]
                let name = String(tail.prefix { !$0.isWhitespace && $0 != "`" && $0 != ")" && $0 != "]" })
                if name.hasSuffix(".yaml") { named.insert(name) }
                rest = tail
            }
        }
        #expect(!named.isEmpty)
        for name in named.sorted() { #expect(tested.contains(name), "docs/classroom names \(name), which no test runs") }
        for file in Self.lessonFiles { #expect(named.contains(file), "no lesson page uses \(file)") }
    }

    // MARK: Lesson 1 — TTL and caching (04)

    @Test("lesson 1: the bad address reaches clients one TTL late and is served one TTL after the rollback")
    func ttlShiftsTheOutage() throws {
        let base = try Self.ttlBase.get()
        let changes = Self.availability(base, "app")
        // Quoted in docs/classroom/lesson-1-ttl-and-caching.md.
        #expect(Self.second(changes.first?.time) == Self.second(Self.at(0, 15, 21)))
        #expect(Self.second(changes.last?.time) == Self.second(Self.at(0, 25, 53)))
        #expect(changes.last?.detail.hasSuffix("40/40") == true)
        #expect(try Self.upstreamAnswers(base, "r1") == 9)
        #expect(try Self.answers(base, "r1") == 1516)
        // The bad record is published 10:11–10:21; the first failure is minutes after 10:11, the end minutes after 10:21.
        #expect(try #require(changes.first?.time) > Self.at(0, 12))
        #expect(try #require(changes.last?.time) > Self.at(0, 23))
    }

    @Test("lesson 1: clamping cached TTLs to 60 s moves the outage earlier and costs upstream queries")
    func ttlClampTradesFreshnessForLoad() throws {
        let base = try Self.ttlBase.get()
        let clamped = try Self.run("04-ttl-and-caching.yaml", "resolvers.r1.maxTTL=60")
        let b = Self.availability(base, "app")
        let c = Self.availability(clamped, "app")
        #expect(Self.second(c.first?.time) == Self.second(Self.at(0, 12, 1)))
        #expect(Self.second(c.last?.time) == Self.second(Self.at(0, 22, 10)))
        #expect(try #require(c.last?.time) + .minutes(2) < #require(b.last?.time))
        #expect(try #require(c.first?.time) + .minutes(2) < #require(b.first?.time))
        // Both end within 75 s of the 60 s clamp after the rollback (plus the 30 s app cache and a retry).
        #expect(try #require(c.last?.time) <= Self.at(0, 21) + .seconds(Int64(75)))
        let upstreamBase = try Self.upstreamAnswers(base, "r1")
        let upstreamClamped = try Self.upstreamAnswers(clamped, "r1")
        #expect(upstreamClamped == 39)
        #expect(upstreamClamped >= 3 * upstreamBase)
    }

    @Test("lesson 1: the application cache absorbs most queries; a quicker rollback shortens the outage")
    func appCacheAndRollback() throws {
        let base = try Self.ttlBase.get()
        let noAppCache = try Self.run("04-ttl-and-caching.yaml", "clients.app.appCache=none")
        #expect(try Self.answers(noAppCache, "r1") == 4021)
        #expect(try Self.answers(noAppCache, "r1") > 2 * Self.answers(base, "r1"))
        let quicker = try Self.run("04-ttl-and-caching.yaml", "faults.bad-deploy.until=16m")
        let end = try #require(Self.availability(quicker, "app").last?.time)
        #expect(Self.second(end) == Self.second(Self.at(0, 20, 50)))
        #expect(try end < #require(Self.availability(base, "app").last?.time))
        #expect(try #require(quicker.client("app")).downtime < #require(base.client("app")).downtime)
    }

    // MARK: Lesson 2 — negative caching (01, 02)

    @Test("lesson 2: doubling the negative TTL (450 s → 900 s) lengthens the tail after the 09:16 rollback")
    func negativeTTLDoubling() throws {
        let short = try Self.run("02-deleted-name.yaml", until: .minutes(30), "resolvers.r1.maxNegativeTTL=450")
        let long = try Self.run("02-deleted-name.yaml", until: .minutes(30), "resolvers.r1.maxNegativeTTL=900")
        let shortRecovery = try #require(short.client("web")?.recovery)
        let longRecovery = try #require(long.client("web")?.recovery)
        #expect(Self.second(shortRecovery) == Self.second(Self.at(0, 17, 30)))
        #expect(Self.second(longRecovery) == Self.second(Self.at(0, 25)))
        let rollback = Self.at(0, 16)
        #expect((longRecovery - rollback) > (shortRecovery - rollback) * 5)
        // Not proportional: with 300 s the entry refetched at 09:15 still holds NXDOMAIN until 09:20.
        let threeHundred = try Self.run("02-deleted-name.yaml", until: .minutes(30), "resolvers.r1.maxNegativeTTL=300")
        #expect(Self.second(threeHundred.client("web")?.recovery) == Self.second(Self.at(0, 20)))
        #expect(try #require(long.client("worker")).downtime > #require(short.client("worker")).downtime)
    }

    @Test("lesson 2: the resolver clamp only shortens: 60 s heals 01 at 23:15:39, 1200 s changes nothing")
    func negativeClampIsAnUpperBound() throws {
        let base = try Self.run("01-empty-record.yaml")
        let clamped = try Self.run("01-empty-record.yaml", "resolvers.r1.maxNegativeTTL=60")
        let above = try Self.run("01-empty-record.yaml", "resolvers.r1.maxNegativeTTL=1200")
        #expect(Self.second(base.client("app")?.recovery) == Self.second(Self.at(0, 20, 40)))
        #expect(Self.second(clamped.client("app")?.recovery) == Self.second(Self.at(0, 15, 39)))
        #expect(above.client("app")?.recovery == base.client("app")?.recovery)
        #expect(above.client("app")?.failedLookups == base.client("app")?.failedLookups)
        #expect(try #require(clamped.client("app")).failedLookups == 2907)
        #expect(try #require(clamped.client("app")).minAvailability == 0.08)
        #expect(try #require(base.client("app")).failedLookups == 6928)
    }

    @Test("lesson 2: the background refresher is what makes 02's worker notice first")
    func refresherNoticesFirst() throws {
        let base = try Self.run("02-deleted-name.yaml")
        let noRefresh = try Self.run("02-deleted-name.yaml", "clients.worker.lookupInterval=none")
        #expect(Self.second(base.client("worker")?.firstFailure) == Self.second(Self.at(0, 10, 2)))
        #expect(Self.second(noRefresh.client("worker")?.firstFailure) == Self.second(Self.at(0, 10, 3)))
        #expect(try #require(noRefresh.client("worker")).totalLookups == 1309)
        #expect(try #require(base.client("worker")).totalLookups == 4893)
        #expect(Self.second(base.client("web")?.recovery) == Self.second(Self.at(0, 20)))
        #expect(try #require(base.client("web")).minAvailability == 0.175)
    }

    // MARK: Lesson 3 — serve-stale (03, 05)

    @Test("lesson 3: a longer stale window hides the silent authority; it never changes the NXDOMAIN")
    func longerStaleWindow() throws {
        let base = try Self.staleBase.get()
        let long = try Self.run("05-serve-stale-limits.yaml", "resolvers.keep.serveStale={maxStale: 2h}")
        #expect(Self.second(base.client("shop")?.firstFailure) == Self.second(Self.at(0, 41, 42)))
        #expect(Self.second(base.client("shop")?.recovery) == Self.second(Self.at(1, 0)))
        #expect(Self.second(base.client("batch")?.firstFailure) == Self.second(Self.at(0, 13, 7)))
        #expect(try #require(base.resolver("keep")).staleAnswers == 198)
        #expect(try #require(base.resolver("busy")).staleAnswers == 12)
        #expect(try #require(long.client("shop")).firstFailure == nil)
        #expect(try #require(long.resolver("keep")).staleAnswers == 321)
        // The NXDOMAIN for api.b.example. is served the same with any stale window.
        let apiBase = try #require(base.client("api"))
        let apiLong = try #require(long.client("api"))
        #expect(apiLong.lookups.count(.nxDomain) == apiBase.lookups.count(.nxDomain))
        #expect(apiLong.lookups.count(.nxDomain) == 1582)
        #expect(apiLong.recovery == apiBase.recovery)
        #expect(Self.second(apiLong.recovery) == Self.second(Self.at(0, 31, 23)))
    }

    @Test("lesson 3: without serve-stale shop fails once its entry expires; without cache pressure batch lasts like shop")
    func serveStaleOffAndEviction() throws {
        let off = try Self.run("05-serve-stale-limits.yaml", "resolvers.*.serveStale=false")
        #expect(Self.second(off.client("shop")?.firstFailure) == Self.second(Self.at(0, 11, 48)))
        #expect(try #require(off.resolver("keep")).staleAnswers == 0)
        let noEviction = try Self.run("05-serve-stale-limits.yaml", "resolvers.busy.cacheEvictionMean=")
        let batch = try #require(noEviction.client("batch")?.firstFailure)
        #expect(Self.second(batch) == Self.second(Self.at(0, 41, 11)))
        let evicted = try #require(Self.staleBase.get().client("batch")?.firstFailure)
        #expect(evicted + .minutes(20) < batch)
    }

    @Test("lesson 3: 03 with a 10 min stale window lets fleet b fail at 14:20:24")
    func shortStaleWindowIn03() throws {
        let report = try Self.run(
            "03-unreachable-authority.yaml", until: .minutes(25), "resolvers.stale.serveStale={maxStale: 10m}")
        #expect(Self.second(report.client("b")?.firstFailure) == Self.second(Self.at(0, 20, 24)))
        #expect(try #require(report.resolver("stale")).staleAnswers == 200)
    }

    // MARK: Lesson 4 — retry storms (06)

    @Test("lesson 4: the storm multiplies the resolver's load ~90× and spills onto the bystander")
    func stormAmplifiesAndSpills() throws {
        let base = try Self.stormBase.get()
        let calm = try Self.run("06-retry-storm.yaml", "faults=[]")
        #expect(try Self.answers(base, "shared") == 37410)
        #expect(try Self.answers(calm, "shared") == 401)
        #expect(try Self.answers(base, "shared") > 50 * Self.answers(calm, "shared"))
        #expect(try #require(base.client("bystander")).failedLookups == 42)
        #expect(try #require(base.resolver("shared")).answers.count(.refused) == 31532)
        #expect(Self.second(base.client("bystander")?.firstFailure) == Self.second(Self.at(0, 6, 14)))
        #expect(Self.second(base.client("bystander")?.recovery) == Self.second(Self.at(0, 10)))
        #expect(Self.second(base.client("eager")?.recovery) == Self.second(Self.at(0, 10)))
        #expect(try #require(base.client("eager")).totalLookups == 9383)
        #expect(try #require(calm.client("bystander")).failedLookups == 0)
    }

    @Test("lesson 4: a 30 s backoff cap or a 10 s negative app cache bounds the load and spares the bystander")
    func backoffAndBudget() throws {
        let base = try Self.stormBase.get()
        let capped = try Self.run("06-retry-storm.yaml", "clients.eager.pool.maxBackoff=30s")
        let budget = try Self.run("06-retry-storm.yaml", "clients.eager.appCache={negativeTTL: 10s}")
        #expect(try Self.answers(capped, "shared") == 2276)
        #expect(try Self.answers(budget, "shared") == 901)
        for variant in [capped, budget] {
            #expect(try Self.answers(variant, "shared") * 10 < Self.answers(base, "shared"))
            #expect(try #require(variant.client("bystander")).failedLookups == 0)
            #expect(
                try #require(variant.resolver("shared")).answers.count(.refused) * 100
                    < #require(base.resolver("shared")).answers.count(.refused))
        }
        // The eager fleet itself is down just as long either way: retries do not bring the name back sooner.
        let downBase = try #require(base.client("eager")).downtime
        let downCapped = try #require(capped.client("eager")).downtime
        #expect(abs((downCapped - downBase).nanoseconds) < SimDuration.seconds(Int64(15)).nanoseconds)
    }

    @Test("lesson 4: fewer stub tries are not enough; dropping instead of refusing pushes back through timeouts")
    func triesAndDrop() throws {
        let base = try Self.stormBase.get()
        let oneTry = try Self.run("06-retry-storm.yaml", "clients.eager.stub.tries=1")
        #expect(try Self.answers(oneTry, "shared") == 9732)
        #expect(try Self.answers(oneTry, "shared") < Self.answers(base, "shared"))
        #expect(try #require(oneTry.client("bystander")).failedLookups == 19)
        let drop = try Self.run("06-retry-storm.yaml", "resolvers.shared.overload=drop")
        #expect(try Self.answers(drop, "shared") == 4829)
        #expect(try #require(drop.client("bystander")).failedLookups == 0)
        #expect(try #require(drop.client("eager")).lookups.count(.timeout) > 0)
        #expect(Self.second(drop.client("eager")?.recovery) == Self.second(Self.at(0, 10, 38)))
    }

    // MARK: Lesson 5 — metastable failure (07)

    @Test("lesson 5: without the operator the collapse outlives the trigger to the end of the run")
    func noOperatorNoRecovery() throws {
        let base = try Self.collapseBase.get()
        let leases = try #require(base.service("leases"))
        #expect(Self.second(leases.recovery) == Self.second(Self.at(2, 28)))
        let alone = try Self.run("07-metastable-collapse.yaml", "operators=[]")
        let stuck = try #require(alone.service("leases"))
        #expect(stuck.recovery == nil)
        #expect(try #require(stuck.healthSeries.last) < 0.2)
        #expect(try abs(#require(stuck.healthSeries.last) - 0.032) < 1e-9)
        // Restarting without a throttle, or throttling without dropping the queue, is not enough either.
        for late in ["operators.0.at=2h59m", "operators.1.at=2h59m"] {
            #expect(try #require(Self.run("07-metastable-collapse.yaml", late).service("leases")).recovery == nil)
        }
        // DNS itself is fine from 00:30 in both runs: the failure is sustained by the lease manager alone.
        #expect(alone.client("lease-kv")?.recovery == base.client("lease-kv")?.recovery)
    }

    @Test("lesson 5: the collapse vanishes when the numbers change — longer timeout, smaller fleet, shorter trigger")
    func numbersDecide() throws {
        let timeout = try #require(
            Self.run("07-metastable-collapse.yaml", "operators=[]", "leaseManagers.leases.workTimeout=1h").service("leases"))
        #expect(Self.second(timeout.recovery) == Self.second(Self.at(1, 30)))
        let small = try #require(
            Self.run("07-metastable-collapse.yaml", "operators=[]", "leaseManagers.leases.hosts=1000").service("leases"))
        #expect(Self.second(small.recovery) == Self.second(Self.at(0, 34)))
        let brief = try #require(
            Self.run("07-metastable-collapse.yaml", "operators=[]", "faults.kv-gone.until=18m").service("leases"))
        #expect(brief.firstFailure == nil)
        #expect(brief.minHealth == 1)
    }

    @Test("lesson 5: the throttle must fit the timeout — 64 queued units recover, 100 and 500 do not")
    func throttleThreshold() throws {
        let fits = try #require(
            Self.run("07-metastable-collapse.yaml", "operators.0.throttleService.maxQueued=64").service("leases"))
        #expect(Self.second(fits.recovery) == Self.second(Self.at(2, 30)))
        for loose in [100, 500] {
            let report = try Self.run("07-metastable-collapse.yaml", "operators.0.throttleService.maxQueued=\(loose)")
            #expect(try #require(report.service("leases")).recovery == nil)
        }
    }
}
