import SimKernel

/// Carries a service's key-value calls over a client fleet's connections: caller `c` uses instance
/// `c % instances`; with an open connection the call reaches the endpoint's ``KeyValueService``, without one it
/// fails as unreachable (the instance cannot resolve or connect — a DNS failure reaches the service this way).
final class FleetKeyValueAccess: KeyValueAccess {
    private let fleet: ClientFleet
    private let service: KeyValueService
    private let simulator: Simulator

    init(fleet: ClientFleet, service: KeyValueService, simulator: Simulator) {
        self.fleet = fleet
        self.service = service
        self.simulator = simulator
    }

    func call(from caller: Int, cost: Double, completion: @escaping (KeyValueCallResult) -> Void) {
        guard fleet.hasConnection(caller % fleet.instanceCount) else {
            simulator.schedule(after: .milliseconds(1)) { completion(.unreachable) }
            return
        }
        service.handle(cost: cost, completion: completion)
    }
}
