import DNSModel

extension World {
    /// Checks the references and values a world needs to be built (the scenario loader reports the same
    /// problems with file locations; this protects worlds described in code).
    static func validate(_ spec: WorldSpec) throws(WorldBuildError) {
        var problems: [String] = []
        func unique(_ ids: [String], _ what: String) {
            var seen = Set<String>()
            for id in ids where !seen.insert(id).inserted { problems.append("duplicate \(what) id '\(id)'") }
        }
        unique(spec.authorities.map(\.id), "authority")
        unique(spec.resolvers.map(\.id), "resolver")
        unique(spec.endpoints.map(\.id), "endpoint")
        unique(spec.clients.map(\.id), "client")
        unique(spec.faults.map(\.id), "fault")
        unique(spec.managementPlanes.map(\.id), "automation")
        let authorityNames = Set(spec.authorities.map(\.id))
        for plane in spec.managementPlanes {
            problems += plane.validationErrors().map { "automation '\(plane.id)': \($0)" }
            if !authorityNames.contains(plane.authority) {
                problems.append("automation '\(plane.id)': unknown authority '\(plane.authority)'")
            } else if let authority = spec.authorities.first(where: { $0.id == plane.authority }),
                !authority.zones.contains(where: { plane.name.isSubdomain(of: $0.origin) })
            {
                problems.append("automation '\(plane.id)': authority '\(plane.authority)' has no zone for \(plane.name)")
            }
        }
        unique(spec.leaseManagers.map(\.id), "service")
        for binding in spec.leaseManagers {
            problems += binding.spec.problems.map { "service '\(binding.id)': \($0)" }
            if !spec.clients.contains(where: { $0.id == binding.client }) {
                problems.append("service '\(binding.id)': unknown client '\(binding.client)'")
            }
            if !(0...1).contains(binding.healthyFraction) {
                problems.append("service '\(binding.id)': healthyFraction must be in 0…1")
            }
        }
        // Lease managers and launch services (and their balancers) share the `service/` component namespace.
        unique(
            spec.leaseManagers.map(\.id) + spec.launchServices.flatMap { [$0.id, "\($0.id)-nlb", "\($0.id)-propagation"] }
                + (spec.apps == nil ? [] : ["apps"]), "service")
        for binding in spec.launchServices {
            problems += binding.spec.problems.map { "launch service '\(binding.id)': \($0)" }
            if !spec.leaseManagers.contains(where: { $0.id == binding.leaseManager }) {
                problems.append("launch service '\(binding.id)': unknown lease manager '\(binding.leaseManager)'")
            }
        }
        if let apps = spec.apps {
            let known =
                Set(spec.clients.map { ComponentID(.client, $0.id) }).union(
                    spec.leaseManagers.map { ComponentID(.service, $0.id) }
                )
                .union(spec.launchServices.flatMap { [ComponentID(.service, $0.id), ComponentID(.service, "\($0.id)-nlb")] })
            for (dependency, component) in apps.dependencies.sorted(by: { $0.key < $1.key }) where !known.contains(component) {
                problems.append("apps: dependency '\(dependency)' follows unknown component '\(component)'")
            }
        }
        problems += spec.populationInstancesProblems()
        for endpoint in spec.endpoints {
            problems += endpoint.capacity.problems.map { "endpoint '\(endpoint.id)': \($0)" }
        }
        let planesByComponent = Dictionary(uniqueKeysWithValues: spec.managementPlanes.map { ($0.component, $0) })
        if spec.duration <= .zero { problems.append("duration must be positive") }
        let resolverIDs = Set(spec.resolvers.map(\.id))
        for resolver in spec.resolvers where resolver.upstreamTries < 1 {
            problems.append("resolver '\(resolver.id)': upstreamTries must be at least 1")
        }
        for endpoint in spec.endpoints where endpoint.serviceAddresses.isEmpty {
            problems.append("endpoint '\(endpoint.id)' has no service addresses")
        }
        for endpoint in spec.endpoints where endpoint.serviceAddresses.count > EndpointSpec.maxServiceAddresses {
            problems.append(
                "endpoint '\(endpoint.id)' has \(endpoint.serviceAddresses.count) service addresses; at most "
                    + "\(EndpointSpec.maxServiceAddresses)")
        }
        for client in spec.clients {
            if !spec.endpoints.contains(where: { $0.id == client.endpoint }) {
                problems.append("client '\(client.id)': unknown endpoint '\(client.endpoint)'")
            }
            if client.resolvers.isEmpty { problems.append("client '\(client.id)' has no resolvers") }
            for rid in client.resolvers where !resolverIDs.contains(rid) {
                problems.append("client '\(client.id)': unknown resolver '\(rid)'")
            }
            if client.instances < 1 { problems.append("client '\(client.id)': instances must be at least 1") }
            if client.instances > ClientSpec.maxInstances {
                problems.append("client '\(client.id)': instances must be at most \(ClientSpec.maxInstances)")
            }
            if client.pool.size < 1 { problems.append("client '\(client.id)': pool size must be at least 1") }
            if client.stub.tries < 1 { problems.append("client '\(client.id)': stub tries must be at least 1") }
            if client.pool.maxConnectionAge <= .zero {
                problems.append("client '\(client.id)': maxConnectionAge must be positive")
            }
            if let interval = client.lookupInterval, interval <= .zero {
                problems.append("client '\(client.id)': lookupInterval must be positive")
            }
        }
        let authorityIDs = Set(spec.authorities.map { ComponentID(.authority, $0.id) })
        let resolverComponents = Set(spec.resolvers.map { ComponentID(.resolver, $0.id) })
        for fault in spec.faults {
            switch fault.kind {
            case .enactorSlowdown(let enactor, _, let probability):
                if let plane = planesByComponent[fault.target] {
                    if enactor < 0 || enactor >= plane.enactors {
                        problems.append("fault '\(fault.id)': enactor \(enactor) does not exist (0…\(plane.enactors - 1))")
                    }
                } else {
                    problems.append("fault '\(fault.id)': enactorSlowdown needs an automation target, not '\(fault.target)'")
                }
                if !(0...1).contains(probability) { problems.append("fault '\(fault.id)': probability must be in 0…1") }
            case .behaviour:
                if !authorityIDs.contains(fault.target) && !resolverComponents.contains(fault.target) {
                    problems.append("fault '\(fault.id)': unknown target '\(fault.target)'")
                }
            default:
                if !authorityIDs.contains(fault.target) {
                    problems.append("fault '\(fault.id)': a data fault needs an authority target, not '\(fault.target)'")
                }
            }
            if let until = fault.until, until <= fault.at { problems.append("fault '\(fault.id)': until must be after at") }
        }
        let faultIDs = Set(spec.faults.map(\.id))
        for action in spec.operatorActions {
            if case .endFault(let id) = action.action, !faultIDs.contains(id) {
                problems.append("operator action at \(action.at): unknown fault '\(id)'")
            }
            switch action.action {
            case .throttleService(let id, _), .restartService(let id), .unthrottleService(let id):
                if !spec.leaseManagers.contains(where: { $0.id == id }) {
                    problems.append("operator action at \(action.at): unknown service '\(id)'")
                }
            case .setAutomaticFailover(let id, _):
                if !spec.launchServices.contains(where: { $0.id == id }) {
                    problems.append("operator action at \(action.at): unknown launch service '\(id)'")
                }
            default: break
            }
            if case .repairAutomation(let id) = action.action, !spec.managementPlanes.contains(where: { $0.id == id }) {
                problems.append("operator action at \(action.at): unknown automation '\(id)'")
            }
        }
        if !problems.isEmpty { throw WorldBuildError(problems) }
    }

    /// Full-scale mode's fleet must fit the fleets' limit like any other; its size is known only once the population
    /// is drawn (``WorldSpec/populationInstanceLayout``), so this is checked apart from ``validate(_:)``.
    static func populationFleetProblems(_ layout: PopulationInstanceLayout?) -> [String] {
        guard let layout, layout.totalInstances > ClientSpec.maxInstances else { return [] }
        return [
            "apps: population instances: the companies need \(layout.totalInstances) instances in \(layout.fleet); a "
                + "fleet has at most \(ClientSpec.maxInstances) (lower max or raise usersPerInstance)"
        ]
    }
}
