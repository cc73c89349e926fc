extension WorldSpec {
    /// Who depends on whom, as `(from, to)` pairs — `to` can fail because `from` did — in a fixed order: DNS
    /// automation → authority → resolvers → client fleets → lease managers → launches → their propagation queue →
    /// their balancer, and each app's (and the companies') declared dependencies. Used for causes in the timeline
    /// and for the report's dependency graph.
    public var dependencies: [(from: ComponentID, to: ComponentID)] {
        var edges: [(ComponentID, ComponentID)] = []
        for plane in managementPlanes { edges.append((plane.component, ComponentID(.authority, plane.authority))) }
        for authority in authorities {
            for resolver in resolvers {
                edges.append((ComponentID(.authority, authority.id), ComponentID(.resolver, resolver.id)))
            }
        }
        for client in clients {
            for resolver in client.resolvers { edges.append((ComponentID(.resolver, resolver), ComponentID(.client, client.id))) }
        }
        for binding in leaseManagers {
            edges.append((ComponentID(.client, binding.client), ComponentID(.service, binding.id)))
        }
        for binding in launchServices {
            let leases = ComponentID(.service, binding.leaseManager)
            let launches = ComponentID(.service, binding.id)
            let queue = ComponentID(.service, "\(binding.id)-propagation")
            let balancer = ComponentID(.service, "\(binding.id)-nlb")
            // The queue fills with the instances launched once leases come back.
            edges += [(leases, launches), (launches, queue), (leases, queue), (launches, balancer), (queue, balancer)]
        }
        if let apps {
            let dependents =
                apps.named.map { ComponentID(.service, "app/\($0.name)") }
                + [ComponentID(.service, "apps"), ComponentID(.service, "apps/company")]
            for dependency in apps.dependencies.values.sorted() {
                for app in dependents { edges.append((dependency, app)) }
            }
        }
        return edges
    }
}
