public import SimKernel

/// Full-scale mode: every generated company runs its own app instances, each a real simulated client of the
/// key-value endpoint (scenario key `apps.population.instances`).
///
/// All the population's instances form **one** client fleet, `client/<namePrefix>-instances`, in which company `i`
/// owns a contiguous range of instance indices (see ``PopulationInstanceLayout``). Each instance has its own c-ares
/// stub resolver and a connection pool to the endpoint, re-resolves when a connection ages out and retries with
/// backoff — the ``ClientFleet`` machinery of any `clients:` entry. The fleet copies every setting but the pool from
/// a template fleet (``client``); the pool is ``pool``.
///
/// **How many instances a company runs** [U] — no public figure exists:
/// `clamp(⌈users / usersPerInstance⌉, min, max)`. With the defaults (one instance per 8,000 active users, at least 2
/// for redundancy, at most 1,000) the default population of 3,900 companies (users log-normal, median 40,000, σ 2)
/// runs over 100,000 instances: 143,259 with the US-EAST-1 replay's seed (a median company 6, the largest 1,000).
///
/// **The pool** [U]: one pooled connection aged out after 10 minutes ± 20 % and a 60 s backoff cap — the longer of
/// the two connection ages and the backoff cap of the US-EAST-1 scenario's own fleets. One connection per instance
/// stands for the instance's pool (an instance fails when its connection ages out and cannot be replaced) and keeps
/// the cost at one re-resolution per instance per 10 minutes.
///
/// ```swift
/// var population = AppPopulationSpec()
/// population.instances = PopulationInstancesSpec(client: "in-region-services")
/// population.instances!.instances(forUsers: 40_000)   // 5
/// ```
public struct PopulationInstancesSpec: Sendable, Hashable {
    /// The client fleet whose endpoint, resolvers, stub options, application cache, resolver RTT and query type the
    /// instances copy; `nil` = the client fleet the apps' `dynamodb` dependency follows.
    public var client: String?
    /// Users per instance (rounded up). Default 8,000 [U].
    public var usersPerInstance: Int
    /// Instances per company at least (default 2 [U]) and at most (default 1,000 [U]).
    public var min: Int
    public var max: Int
    /// Each instance's connection pool. Default: 1 connection, 10 min ± 20 %, backoff 1 s doubling to 60 s [U].
    public var pool: PoolSpec

    /// The dependency whose client fleet is the default template.
    public static let defaultDependency = "dynamodb"

    public init(
        client: String? = nil, usersPerInstance: Int = 8_000, min: Int = 2, max: Int = 1_000,
        pool: PoolSpec = PoolSpec(size: 1, maxConnectionAge: .minutes(10), maxBackoff: .seconds(60))
    ) {
        self.client = client
        self.usersPerInstance = usersPerInstance
        self.min = min
        self.max = max
        self.pool = pool
    }

    /// The instances of a company with `users` users: `clamp(⌈users / usersPerInstance⌉, min, max)`.
    public func instances(forUsers users: Int) -> Int {
        let perUsers = users / usersPerInstance + (users % usersPerInstance == 0 ? 0 : 1)
        return Swift.min(max, Swift.max(min, perUsers))
    }

    /// Everything wrong with the values, one sentence each (references are checked by the world).
    public func validationErrors(prefix: String) -> [String] {
        var problems: [String] = []
        if usersPerInstance < 1 { problems.append("\(prefix): usersPerInstance must be at least 1") }
        if min < 1 { problems.append("\(prefix): min must be at least 1") }
        if max < min { problems.append("\(prefix): max must be at least min") }
        if pool.size < 1 { problems.append("\(prefix): pool size must be at least 1") }
        if pool.maxConnectionAge <= .zero { problems.append("\(prefix): maxConnectionAge must be positive") }
        if pool.initialBackoff <= .zero || pool.maxBackoff < pool.initialBackoff {
            problems.append("\(prefix): backoff must be positive, maxBackoff at least initialBackoff")
        }
        return problems
    }
}

/// Which instances of the population's fleet belong to which company: company `i` owns
/// `firstInstance[i] ..< firstInstance[i] + instances[i]`, in company order.
public struct PopulationInstanceLayout: Sendable, Hashable {
    /// The fleet (`client/<namePrefix>-instances`).
    public var fleet: ComponentID
    /// Company names, in index order.
    public var names: [String]
    /// The first instance index of each company.
    public var firstInstance: [Int]
    /// Each company's instance count.
    public var instances: [Int]

    public init(fleet: ComponentID, names: [String], firstInstance: [Int], instances: [Int]) {
        self.fleet = fleet
        self.names = names
        self.firstInstance = firstInstance
        self.instances = instances
    }

    /// All instances of the population.
    public var totalInstances: Int { instances.reduce(0, +) }

    /// Lays out `companies` with `rule`.
    public init(fleet: ComponentID, companies: [GeneratedApp], rule: PopulationInstancesSpec) {
        var first: [Int] = []
        var counts: [Int] = []
        var next = 0
        for company in companies {
            let count = rule.instances(forUsers: company.users)
            first.append(next)
            counts.append(count)
            next += count
        }
        self.init(fleet: fleet, names: companies.map(\.name), firstInstance: first, instances: counts)
    }
}
