import SimKernel

extension WorldSpec {
    /// The id of the population's instance fleet (`<namePrefix>-instances`) when full-scale mode is on, else `nil`.
    public var populationInstancesFleetID: String? { apps?.population?.instancesFleetID }

    /// The client fleet the population's instances copy (``PopulationInstancesSpec/client``, else the fleet the apps'
    /// `dynamodb` dependency follows); `nil` when there is none.
    public var populationInstancesTemplate: ClientSpec? {
        guard let apps, let rule = apps.population?.instances else { return nil }
        let name: String
        if let explicit = rule.client {
            name = explicit
        } else if let component = apps.dependencies[PopulationInstancesSpec.defaultDependency], component.kind == .client {
            name = component.name
        } else {
            return nil
        }
        return clients.first { $0.id == name }
    }

    /// Which instances belong to which company, drawn as the apps draw the population (same seed ⇒ same companies);
    /// `nil` when full-scale mode is off.
    public var populationInstanceLayout: PopulationInstanceLayout? {
        guard let population = apps?.population, let rule = population.instances, let id = populationInstancesFleetID
        else { return nil }
        let companies = population.generate(rng: RandomStreams(seed: seed).stream("apps").split("population"))
        return PopulationInstanceLayout(fleet: ComponentID(.client, id), companies: companies, rule: rule)
    }

    /// The world with the population's instance fleet appended to ``clients`` (full-scale mode), or unchanged. The
    /// fleet is the template fleet with the population's id, instance count and pool.
    public func withPopulationInstances() -> WorldSpec {
        withPopulationInstances(layout: populationInstanceLayout)
    }

    /// The same with the layout already drawn (drawing it generates the whole population).
    func withPopulationInstances(layout: PopulationInstanceLayout?) -> WorldSpec {
        guard let id = populationInstancesFleetID, !clients.contains(where: { $0.id == id }),
            let template = populationInstancesTemplate, let layout, let rule = apps?.population?.instances,
            layout.totalInstances > 0
        else { return self }
        var fleet = template
        fleet.id = id
        fleet.instances = layout.totalInstances
        fleet.pool = rule.pool
        var expanded = self
        expanded.clients.append(fleet)
        return expanded
    }

    /// What stops full-scale mode from being built, one sentence each (the loader reports the same with locations).
    func populationInstancesProblems() -> [String] {
        guard let id = populationInstancesFleetID, let rule = apps?.population?.instances else { return [] }
        var problems: [String] = []
        if clients.contains(where: { $0.id == id }) {
            problems.append("apps: population instances: a client fleet already has the id '\(id)'")
        }
        if populationInstancesTemplate == nil {
            problems.append(
                rule.client.map { "apps: population instances: unknown client '\($0)'" }
                    ?? "apps: population instances: no client given and the '\(PopulationInstancesSpec.defaultDependency)' "
                    + "dependency does not follow a client fleet")
        }
        return problems
    }
}
