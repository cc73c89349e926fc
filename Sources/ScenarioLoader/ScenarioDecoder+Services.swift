import DNSModel
import SimKernel
import WorldModel

extension ScenarioDecoder {
    static let leaseManagerKeys = [
        "id", "client", "hosts", "hostsPerItem", "leasePeriod", "renewalInterval", "workers", "renewCost", "establishCost",
        "workTimeout", "kvCallsPerItem", "renewalBatchItems", "sweepInterval", "healthyFraction",
    ]

    /// One `world.leaseManagers` entry: a DWFM-like lease manager reaching the key-value endpoint through a client fleet.
    func decodeLeaseManager(_ node: YAMLNode, _ path: KeyPath) -> LeaseManagerBinding? {
        let f = Fields(node, path, context, allowed: Self.leaseManagerKeys)
        let id = id(f)
        let client = f.require("client").flatMap { node -> String? in
            guard let text = context.identifier(node, path.key("client")) else { return nil }
            let name = text.hasPrefix("client/") ? String(text.dropFirst("client/".count)) : text
            let known = clients.map(\.id)
            guard known.contains(name) else {
                context.error(
                    node.mark, path.key("client"), "unknown client '\(name)'", suggestion: Suggestion.nearest(to: name, in: known)
                )
                return nil
            }
            return name
        }
        var spec = LeaseManagerSpec()
        let positive = { (node: YAMLNode, path: KeyPath) in context.duration(node, path, allowZero: false) }
        spec.hosts = f.read("hosts", spec.hosts) { context.int($0, $1, in: 1...100_000_000) }
        spec.hostsPerItem = f.read("hostsPerItem", spec.hostsPerItem) { context.int($0, $1, in: 1...1_000_000) }
        spec.leasePeriod = f.read("leasePeriod", spec.leasePeriod, positive)
        spec.renewalInterval = f.read("renewalInterval", spec.renewalInterval, positive)
        spec.workers = f.read("workers", spec.workers) { context.int($0, $1, in: 1...1_000_000) }
        spec.renewCost = f.read("renewCost", spec.renewCost, positive)
        spec.establishCost = f.read("establishCost", spec.establishCost, positive)
        spec.workTimeout = f.read("workTimeout", spec.workTimeout, positive)
        spec.kvCallsPerItem = f.read("kvCallsPerItem", spec.kvCallsPerItem) { context.int($0, $1, in: 0...1_000) }
        spec.renewalBatchItems = f.read("renewalBatchItems", spec.renewalBatchItems) { context.int($0, $1, in: 1...1_000_000) }
        spec.sweepInterval = f.read("sweepInterval", spec.sweepInterval, positive)
        let healthy = f.read("healthyFraction", 0.99) { context.double($0, $1, in: 0...1) }
        if f.isMapping, !context.hasErrors {
            for problem in spec.problems { context.error(node.mark, path, problem) }
        }
        guard f.isMapping, let id, let client, spec.problems.isEmpty else { return nil }
        return LeaseManagerBinding(id: id, client: client, spec: spec, healthyFraction: healthy)
    }

    /// An endpoint's `capacity` mapping: the key-value request-serving capacity behind its addresses.
    func decodeCapacity(_ node: YAMLNode, _ path: KeyPath) -> KeyValueServiceSpec? {
        let f = Fields(node, path, context, allowed: ["capacityPerSecond", "baseLatency", "maxQueueDelay"])
        var spec = KeyValueServiceSpec()
        spec.capacityPerSecond = f.read("capacityPerSecond", spec.capacityPerSecond) { context.double($0, $1, in: 1e-9...1e15) }
        spec.baseLatency = f.read("baseLatency", spec.baseLatency) { context.duration($0, $1, allowZero: true) }
        spec.maxQueueDelay = f.read("maxQueueDelay", spec.maxQueueDelay) { context.duration($0, $1, allowZero: true) }
        return f.isMapping ? spec : nil
    }

    /// `{service, maxQueued}` of a `throttleService` action.
    func decodeThrottle(_ node: YAMLNode, _ path: KeyPath) -> OperatorAction? {
        let k = Fields(node, path, context, allowed: ["service", "maxQueued"])
        let service = k.require("service").flatMap { serviceReference($0, path.key("service")) }
        let maxQueued = k.require("maxQueued").flatMap { context.int($0, path.key("maxQueued"), in: 1...100_000_000) }
        guard k.isMapping, let service, let maxQueued else { return nil }
        return .throttleService(id: service, maxQueued: maxQueued)
    }

    /// The id of an existing internal service (`dwfm` or `service/dwfm`).
    func serviceReference(_ node: YAMLNode, _ path: KeyPath) -> String? {
        guard var text = context.string(node, path, what: "a service id") else { return nil }
        if text.hasPrefix("service/") { text.removeFirst("service/".count) }
        let known = leaseManagers.map(\.id)
        guard known.contains(text) else {
            context.error(node.mark, path, "unknown service '\(text)'", suggestion: Suggestion.nearest(to: text, in: known))
            return nil
        }
        return text
    }
}

extension ScenarioDecoder {
    static let launchKeys = [
        "id", "leaseManager", "launchesPerMinute", "retryInterval", "maxAttemptsPerMinute", "maxPending", "bootTime",
        "targetLifetime",
        "healthyPropagationDelay", "propagation", "balancer",
    ]

    /// One `world.launches` entry: launches needing leases, network propagation, and a health-checked balancer.
    func decodeLaunchService(_ node: YAMLNode, _ path: KeyPath) -> LaunchServiceBinding? {
        let f = Fields(node, path, context, allowed: Self.launchKeys)
        let id = id(f)
        let leaseManager = f.require("leaseManager").flatMap { serviceReference($0, path.key("leaseManager")) }
        var spec = LaunchServiceSpec()
        let positive = { (node: YAMLNode, path: KeyPath) in context.duration(node, path, allowZero: false) }
        spec.launchesPerMinute = f.read("launchesPerMinute", spec.launchesPerMinute) { context.double($0, $1, in: 0...1e9) }
        spec.retryInterval = f.read("retryInterval", spec.retryInterval, positive)
        spec.maxAttemptsPerMinute = f.read("maxAttemptsPerMinute", spec.maxAttemptsPerMinute) {
            context.double($0, $1, in: 1e-6...1e12)
        }
        spec.maxPending = f.read("maxPending", spec.maxPending) { context.int($0, $1, in: 0...100_000_000) }
        spec.bootTime = f.read("bootTime", spec.bootTime) { context.duration($0, $1, allowZero: true) }
        spec.targetLifetime = f.read("targetLifetime", spec.targetLifetime, positive)
        spec.healthyPropagationDelay = f.read("healthyPropagationDelay", spec.healthyPropagationDelay, positive)
        if let node = f.take("propagation") {
            let p = path.key("propagation")
            let k = Fields(node, p, context, allowed: ["workers", "throughputPerSecond", "batchSize", "normalDelay"])
            spec.propagation.workers = k.read("workers", spec.propagation.workers) { context.int($0, $1, in: 1...100_000) }
            spec.propagation.throughputPerSecond = k.read("throughputPerSecond", spec.propagation.throughputPerSecond) {
                context.double($0, $1, in: 1e-6...1e9)
            }
            spec.propagation.batchSize = k.read("batchSize", spec.propagation.batchSize) {
                context.int($0, $1, in: 1...1_000_000)
            }
            spec.propagation.normalDelay = k.read("normalDelay", spec.propagation.normalDelay) {
                context.duration($0, $1, allowZero: true)
            }
        }
        if let node = f.take("balancer") {
            let p = path.key("balancer")
            let k = Fields(
                node, p, context,
                allowed: [
                    "targets", "nodes", "checkInterval", "unhealthyThreshold", "healthyThreshold", "nodeProbes",
                    "failoverThreshold", "failoverEnabled", "offeredLoad", "newTargetsInService", "targetFailureRate",
                    "targetRepairTime", "failoverCoversTargets", "errorFloor",
                ])
            var b = spec.balancer
            b.targets = k.read("targets", b.targets) { context.int($0, $1, in: 1...1_000_000) }
            b.nodes = k.read("nodes", b.nodes) { context.int($0, $1, in: 1...1_000) }
            b.checkInterval = k.read("checkInterval", b.checkInterval, positive)
            b.unhealthyThreshold = k.read("unhealthyThreshold", b.unhealthyThreshold) { context.int($0, $1, in: 1...100) }
            b.healthyThreshold = k.read("healthyThreshold", b.healthyThreshold) { context.int($0, $1, in: 1...100) }
            b.nodeProbes = k.read("nodeProbes", b.nodeProbes) { context.int($0, $1, in: 1...1_000) }
            b.failoverThreshold = k.read("failoverThreshold", b.failoverThreshold) { context.double($0, $1, in: 0...1) }
            b.failoverEnabled = k.read("failoverEnabled", b.failoverEnabled) { context.bool($0, $1) }
            b.offeredLoad = k.read("offeredLoad", b.offeredLoad) { context.double($0, $1, in: 0...1e6) }
            b.newTargetsInService = k.read("newTargetsInService", b.newTargetsInService) { context.bool($0, $1) }
            b.targetFailureRate = k.read("targetFailureRate", b.targetFailureRate) { context.double($0, $1, in: 0...1e6) }
            b.targetRepairTime = k.read("targetRepairTime", b.targetRepairTime, positive)
            b.failoverCoversTargets = k.read("failoverCoversTargets", b.failoverCoversTargets) { context.bool($0, $1) }
            b.errorFloor = k.read("errorFloor", b.errorFloor) { context.double($0, $1, in: 0...0.999_999) }
            spec.balancer = b
        }
        if f.isMapping, !context.hasErrors {
            for problem in spec.problems { context.error(node.mark, path, problem) }
        }
        guard f.isMapping, let id, let leaseManager, spec.problems.isEmpty else { return nil }
        return LaunchServiceBinding(id: id, leaseManager: leaseManager, spec: spec)
    }

    /// The id of an existing launch service (`ec2` or `service/ec2`).
    func launchReference(_ node: YAMLNode, _ path: KeyPath) -> String? {
        guard var text = context.string(node, path, what: "a launch service id") else { return nil }
        if text.hasPrefix("service/") { text.removeFirst("service/".count) }
        let known = launchServices.map(\.id)
        guard known.contains(text) else {
            context.error(
                node.mark, path, "unknown launch service '\(text)'", suggestion: Suggestion.nearest(to: text, in: known))
            return nil
        }
        return text
    }
}

extension ScenarioDecoder {
    /// `world.apps`: `named` (`standard`: the ten named services of the facts file; `none`), `population` (a mapping:
    /// `count`, `strategyMix: {automated, manual, none}`; or `none`), `dependencies` (name → component).
    func decodeApps(_ node: YAMLNode, _ path: KeyPath) -> AppsBinding? {
        let f = Fields(node, path, context, allowed: ["named", "population", "dependencies"])
        var named: [AppSpec] = AppSpec.namedApps
        if let value = f.take("named") {
            switch value.plainText {
            case "standard": named = AppSpec.namedApps
            case "none": named = []
            default:
                context.error(
                    value.mark, path.key("named"),
                    "expected standard (the ten named services) or none, found \(value.plainText.map { "'\($0)'" } ?? value.kindDescription)"
                )
            }
        }
        var population: AppPopulationSpec? = AppPopulationSpec()
        var instancesNode: YAMLNode?
        if let value = f.take("population") {
            if value.plainText == "none" {
                population = nil
            } else {
                let p = path.key("population")
                let k = Fields(value, p, context, allowed: ["count", "strategyMix", "instances"])
                var spec = AppPopulationSpec()
                spec.count = k.read("count", spec.count) { context.int($0, $1, in: 0...10_000_000) }
                if let mix = k.take("strategyMix") {
                    let m = Fields(mix, p.key("strategyMix"), context, allowed: ["automated", "manual", "none"])
                    spec.strategyMix.automated = m.read("automated", spec.strategyMix.automated) {
                        context.double($0, $1, in: 0...1)
                    }
                    spec.strategyMix.manual = m.read("manual", spec.strategyMix.manual) { context.double($0, $1, in: 0...1) }
                    spec.strategyMix.none = m.read("none", spec.strategyMix.none) { context.double($0, $1, in: 0...1) }
                    let sum = spec.strategyMix.automated + spec.strategyMix.manual + spec.strategyMix.none
                    if abs(sum - 1) > 1e-9 {
                        context.error(mix.mark, p.key("strategyMix"), "the three shares must add up to 1, found \(sum)")
                    }
                }
                if let node = k.take("instances") {
                    spec.instances = decodePopulationInstances(node, p.key("instances"))
                    instancesNode = node
                }
                population = spec
            }
        }
        var dependencies: [String: ComponentID] = [:]
        if let value = f.require("dependencies"), case .mapping(let pairs) = value.content {
            for pair in pairs {
                guard let name = pair.key.scalarText else { continue }
                if let component = componentRef(pair.value, path.key("dependencies").key(name), kinds: [.client, .service]) {
                    dependencies[name] = component
                }
            }
        } else if let value = f.take("dependencies") {
            context.error(value.mark, path.key("dependencies"), "expected a mapping of dependency name to component")
        }
        if let population, let rule = population.instances, let id = population.instancesFleetID, let node = instancesNode {
            checkPopulationInstances(rule, fleetID: id, dependencies, node, path.key("population").key("instances"))
        }
        guard f.isMapping else { return nil }
        return AppsBinding(named: named, population: population, dependencies: dependencies)
    }

    /// The population's instance fleet id in full-scale mode (`company-instances`), once `apps` is decoded.
    var populationInstancesFleetID: String? { apps?.population?.instancesFleetID }

    /// `apps.population.instances` (full-scale mode): `client`, `usersPerInstance`, `min`, `max`, `pool`; `{}` = the
    /// defaults of ``PopulationInstancesSpec``.
    private func decodePopulationInstances(_ node: YAMLNode, _ path: KeyPath) -> PopulationInstancesSpec? {
        let f = Fields(node, path, context, allowed: ["client", "usersPerInstance", "min", "max", "pool"])
        var rule = PopulationInstancesSpec()
        if let value = f.take("client"), let name = context.identifier(value, path.key("client")) {
            if clients.contains(where: { $0.id == name }) {
                rule.client = name
            } else {
                context.error(
                    value.mark, path.key("client"), "unknown client '\(name)'",
                    suggestion: Suggestion.nearest(to: name, in: clients.map(\.id)))
            }
        }
        rule.usersPerInstance = f.read("usersPerInstance", rule.usersPerInstance) {
            context.int($0, $1, in: 1...1_000_000_000)
        }
        rule.min = f.read("min", rule.min) { context.int($0, $1, in: 1...1_000_000) }
        rule.max = f.read("max", rule.max) { context.int($0, $1, in: 1...1_000_000) }
        if rule.max < rule.min {
            context.error(
                f.keyMark(f.has("max") ? "max" : "min"), path.key("max"),
                "max (\(rule.max)) is below min (\(rule.min))")
        }
        if let pool = f.take("pool") { rule.pool = decodePool(pool, path.key("pool"), base: rule.pool) ?? rule.pool }
        return f.isMapping ? rule : nil
    }

    /// Full-scale mode needs a template fleet and a free id.
    private func checkPopulationInstances(
        _ rule: PopulationInstancesSpec, fleetID id: String, _ dependencies: [String: ComponentID], _ node: YAMLNode,
        _ path: KeyPath
    ) {
        let dependency = PopulationInstancesSpec.defaultDependency
        var clientWritten = false
        if case .mapping(let pairs) = node.content { clientWritten = pairs.contains { $0.key.scalarText == "client" } }
        if rule.client == nil, !clientWritten, dependencies[dependency]?.kind != .client {
            context.error(
                node.mark, path.key("client"),
                "no client given, and dependencies.\(dependency) does not follow a client fleet to copy")
        }
        if clients.contains(where: { $0.id == id }) {
            context.error(
                node.mark, path, "the population's instances form the fleet client/\(id), but world.clients already has that id")
        }
    }
}
