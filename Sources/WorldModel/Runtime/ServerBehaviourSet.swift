import DNSModel
import SimKernel

/// The behaviour faults active on one server (authority or resolver), in the order they were injected.
///
/// For each query, `decide` draws each applicable fault's probability from the server's own stream:
/// latencies add up, and the first other behaviour that applies wins.
struct ServerBehaviourSet {
    struct Active {
        var faultID: String
        var behaviour: ServerBehaviour
        var scope: DomainName?
        var probability: Double
    }

    private(set) var active: [Active] = []

    var isEmpty: Bool { active.isEmpty }

    mutating func add(faultID: String, behaviour: ServerBehaviour, scope: DomainName?, probability: Double) {
        active.append(Active(faultID: faultID, behaviour: behaviour, scope: scope, probability: probability))
    }

    mutating func remove(faultID: String) {
        active.removeAll { $0.faultID == faultID }
    }

    /// What happens to a query for `name`: extra delay, and a behaviour other than latency if one applies.
    func decide(_ name: DomainName, rng: inout RandomStream) -> (delay: SimDuration, behaviour: ServerBehaviour?) {
        var delay = SimDuration.zero
        var chosen: ServerBehaviour?
        for fault in active {
            if let scope = fault.scope, !name.isSubdomain(of: scope) { continue }
            if fault.probability < 1, !rng.bernoulli(fault.probability) { continue }
            if case .latency(let extra) = fault.behaviour {
                delay = delay + extra
            } else if chosen == nil {
                chosen = fault.behaviour
            }
        }
        return (delay, chosen)
    }
}
