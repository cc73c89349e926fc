import SimKernel
public import WorldModel

/// The world's dependency graph for the HTML report: who depends on whom, in layers from the DNS automation down to
/// the customer apps, with each node's health over time where the run measured one.
public struct ReportGraph: Sendable {
    public struct Node: Sendable {
        public var id: ComponentID
        public var layer: Int
        /// Health (0…1) from each time (seconds from the start) to the next; empty when the component has no health
        /// measure (authorities, DNS automation): it is drawn neutral.
        public var health: [(seconds: Double, value: Double)]

    }

    public var nodes: [Node]
    /// `(from, to)`: `to` depends on `from`.
    public var edges: [(from: ComponentID, to: ComponentID)]

    /// The graph of a world and what one run measured of it.
    public init(spec: WorldSpec, results: RunResults) {
        var nodes: [Node] = []
        func seconds(_ t: SimTime) -> Double { Double(t.nanoseconds) / 1e9 }
        func interval(_ first: SimTime?, _ recovery: SimTime?) -> [(Double, Double)] {
            guard let first else { return [(0, 1)] }
            return [(0, 1), (seconds(first), 0)] + (recovery.map { [(seconds($0), 1)] } ?? [])
        }
        for plane in spec.managementPlanes {
            nodes.append(Node(id: plane.component, layer: 0, health: []))
        }
        for authority in spec.authorities {
            let id = ComponentID(.authority, authority.id)
            nodes.append(Node(id: id, layer: 1, health: []))
        }
        for resolver in results.resolvers {
            nodes.append(Node(id: resolver.id, layer: 2, health: interval(resolver.firstFailure, resolver.recovery)))
        }
        for client in results.clients {
            let bucket = Double(client.bucket.nanoseconds) / 1e9
            var health = client.availabilitySeries.enumerated().map { (Double($0.offset) * bucket, $0.element) }
            if health.isEmpty { health = [(0, 1)] }
            nodes.append(Node(id: client.id, layer: 3, health: health))
        }
        for service in results.services {
            let layer =
                switch service.kind {
                case "leaseManager": 4
                case "launches": 5
                default: 6
                }
            let health = zip(service.healthTimes, service.healthSeries).map { (seconds($0), $1) }
            nodes.append(Node(id: service.id, layer: layer, health: health.isEmpty ? [(0, 1)] : health))
        }
        for app in results.impact?.apps ?? [] {
            let id = ComponentID(.service, "app/\(app.name)")
            nodes.append(Node(id: id, layer: 7, health: interval(app.firstFailure, app.downAtEnd ? nil : app.recovery)))
        }
        let present = Set(nodes.map(\.id))
        self.nodes = nodes
        self.edges = spec.dependencies.filter { present.contains($0.from) && present.contains($0.to) }
    }
}
