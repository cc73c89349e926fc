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
