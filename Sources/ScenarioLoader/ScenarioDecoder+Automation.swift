import DNSModel
import SimKernel
import WorldModel

extension ScenarioDecoder {
    static let automationKeys = [
        "id", "authority", "name", "recordTTL", "addressPool", "addressesPerPlan", "plannerPeriod", "enactors",
        "lockAttemptTime", "lockLease", "applyTime", "lockBackoffInitial", "lockBackoffMax", "cleanupThreshold",
        "cleanupDelay", "enactorPollInterval",
    ]

    /// One `world.automation` entry: a DNS management plane writing one endpoint's records to an authority.
    func decodeManagementPlane(_ node: YAMLNode, _ path: KeyPath) -> ManagementPlaneSpec? {
        let f = Fields(node, path, context, allowed: Self.automationKeys)
        let id = id(f)
        let authority = f.require("authority").flatMap { automationAuthority($0, path.key("authority")) }
        let name = f.require("name").flatMap {
            recordName($0, path.key("name"), authority: authority.map { ComponentID(.authority, $0) })
        }
        var addresses: [IPAddress] = []
        if let list = f.require("addressPool").flatMap({ context.list($0, path.key("addressPool")) }) {
            for (index, item) in list.enumerated() {
                if let address = context.ipAddress(item, path.key("addressPool").index(index)) { addresses.append(address) }
            }
            if list.isEmpty { context.error(f.keyMark("addressPool"), path.key("addressPool"), "needs at least one address") }
            if Set(addresses).count != addresses.count {
                context.error(f.keyMark("addressPool"), path.key("addressPool"), "has duplicate addresses")
            }
        }
        guard let name else { return nil }
        var spec = ManagementPlaneSpec(id: id ?? "", authority: authority ?? "", name: name, addressPool: addresses)
        spec.recordTTL = f.read("recordTTL", spec.recordTTL) { context.uint32($0, $1) }
        spec.addressesPerPlan = f.read("addressesPerPlan", spec.addressesPerPlan) {
            context.int($0, $1, in: 1...max(1, addresses.count))
        }
        spec.plannerPeriod = f.read("plannerPeriod", spec.plannerPeriod) { context.duration($0, $1, allowZero: false) }
        spec.enactors = f.read("enactors", spec.enactors) { context.int($0, $1, in: 1...64) }
        spec.lockAttemptTime = f.read("lockAttemptTime", spec.lockAttemptTime) { context.duration($0, $1, allowZero: false) }
        spec.lockLease = f.read("lockLease", spec.lockLease) { context.duration($0, $1, allowZero: false) }
        spec.applyTime = f.read("applyTime", spec.applyTime) { context.duration($0, $1, allowZero: false) }
        spec.lockBackoffInitial = f.read("lockBackoffInitial", spec.lockBackoffInitial) {
            context.duration($0, $1, allowZero: false)
        }
        spec.lockBackoffMax = f.read("lockBackoffMax", spec.lockBackoffMax) { context.duration($0, $1, allowZero: false) }
        spec.cleanupThreshold = f.read("cleanupThreshold", spec.cleanupThreshold) { context.int($0, $1, in: 0...1_000_000) }
        spec.cleanupDelay = f.read("cleanupDelay", spec.cleanupDelay) { context.duration($0, $1, allowZero: true) }
        spec.enactorPollInterval = f.read("enactorPollInterval", spec.enactorPollInterval) {
            context.duration($0, $1, allowZero: false)
        }
        if f.has("lockLease") || f.has("applyTime"), spec.lockLease <= spec.applyTime {
            context.error(
                f.keyMark(f.has("lockLease") ? "lockLease" : "applyTime"), path.key("lockLease"),
                "lockLease (\(spec.lockLease)) must be longer than applyTime (\(spec.applyTime))")
        }
        if f.has("lockBackoffMax"), spec.lockBackoffMax < spec.lockBackoffInitial {
            context.error(
                f.keyMark("lockBackoffMax"), path.key("lockBackoffMax"),
                "lockBackoffMax (\(spec.lockBackoffMax)) is shorter than lockBackoffInitial (\(spec.lockBackoffInitial))")
        }
        guard f.isMapping, id != nil, authority != nil, !addresses.isEmpty else { return nil }
        return spec
    }

    /// The authority an automation writes to: an existing authority id (`route53` or `authority/route53`).
    private func automationAuthority(_ node: YAMLNode, _ path: KeyPath) -> String? {
        guard var text = context.string(node, path, what: "an authority id") else { return nil }
        if text.hasPrefix("authority/") { text.removeFirst("authority/".count) }
        let known = authorities.map(\.id)
        guard known.contains(text) else {
            context.error(node.mark, path, "unknown authority '\(text)'", suggestion: Suggestion.nearest(to: text, in: known))
            return nil
        }
        return text
    }
}
