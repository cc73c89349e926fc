import SimKernel

extension World {
    /// What the authoritative servers serve now (at ``Simulator/now``): zones and active behaviour faults.
    ///
    /// Run the world to an instant first (`world.run(until:)`, or from an event scheduled on ``simulator``
    /// while it runs) to read the zone state the model has produced by then: records the DNS management plane
    /// wrote, emptied or restored, and the faults in force.
    public func authoritySnapshot() -> AuthoritySnapshot {
        AuthoritySnapshot(
            time: simulator.now,
            servers: authorities.map { server in
                AuthoritySnapshot.Server(
                    id: server.id.name, zones: server.zones, processingTime: server.processingTime,
                    behaviours: server.behaviours)
            })
    }
}
