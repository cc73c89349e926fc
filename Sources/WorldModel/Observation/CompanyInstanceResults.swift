public import SimKernel

/// Full-scale mode: how the generated companies' own app instances fared, company by company (sampled once per
/// ``sampleInterval`` from the fleet's connections).
///
/// A company *lost every connection* at a sample when none of its instances held an open connection to the endpoint,
/// and is *degraded* when some but not all did.
public struct CompanyInstanceResults: Sendable, Hashable {
    /// One company's instances.
    public struct Company: Sendable, Hashable {
        public var name: String
        /// Its instances in the fleet: `firstInstance ..< firstInstance + instances`.
        public var firstInstance: Int
        public var instances: Int
        /// The first sample at which some of its instances had no connection.
        public var firstDegraded: SimTime?
        /// The first sample at which none of its instances had a connection.
        public var lostAll: SimTime?
        /// The first sample with every instance connected again after its last degraded one (nil if never degraded, or
        /// still degraded at the end).
        public var restored: SimTime?
        /// Samples times the interval during which none of its instances had a connection.
        public var withoutConnection: SimDuration

        public init(name: String, firstInstance: Int, instances: Int) {
            self.name = name
            self.firstInstance = firstInstance
            self.instances = instances
            self.withoutConnection = .zero
        }
    }

    /// A change in the counts, at a sample.
    public struct Sample: Sendable, Hashable {
        public var time: SimTime
        /// Companies none of whose instances had a connection.
        public var withoutConnection: Int
        /// Companies some (not all) of whose instances had no connection.
        public var degraded: Int

        public init(time: SimTime, withoutConnection: Int, degraded: Int) {
            self.time = time
            self.withoutConnection = withoutConnection
            self.degraded = degraded
        }
    }

    /// The population's fleet (`client/company-instances`).
    public var fleet: ComponentID
    public var rule: PopulationInstancesSpec
    public var sampleInterval: SimDuration
    /// In company index order.
    public var companies: [Company]
    /// The counts at time zero and at every sample where they changed.
    public var series: [Sample]

    public init(
        fleet: ComponentID, rule: PopulationInstancesSpec, sampleInterval: SimDuration, companies: [Company],
        series: [Sample]
    ) {
        self.fleet = fleet
        self.rule = rule
        self.sampleInterval = sampleInterval
        self.companies = companies
        self.series = series
    }

    public var totalInstances: Int { companies.reduce(0) { $0 + $1.instances } }

    /// Companies that lost every connection at least once.
    public var companiesThatLostAll: Int { companies.filter { $0.lostAll != nil }.count }

    /// The earliest sample at which some company had lost every connection.
    public var firstLostAll: SimTime? { companies.compactMap(\.lostAll).min() }

    /// The most companies without a connection at one sample, and the first sample with that many.
    public var peakWithoutConnection: (count: Int, at: SimTime?) {
        var best = (count: 0, at: SimTime?.none)
        for sample in series where sample.withoutConnection > best.count { best = (sample.withoutConnection, sample.time) }
        return best
    }

    /// The latest restoration, when every company that was degraded has been restored by the end.
    public var lastRestored: SimTime? {
        let degraded = companies.filter { $0.firstDegraded != nil }
        guard !degraded.isEmpty, degraded.allSatisfy({ $0.restored != nil }) else { return nil }
        return degraded.compactMap(\.restored).max()
    }
}
