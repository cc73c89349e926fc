import SimKernel

extension AppFleet {
    /// One unit's tick: complete a due failover, evaluate the error rate, record down/up changes, advance the strategy.
    func step(_ unit: AppUnit, now: SimTime, rates: [Double], tickSeconds: Double) {
        if unit.completeFailover(at: now) {
            let kind = unit.strategyKind == .automated ? "failover-complete" : "dr-complete"
            let what = unit.strategyKind == .automated ? "failover" : "DR"
            publish(unit, kind, "\(what) complete: serving from another region, no longer depends on it", at: now)
        }
        unit.evaluate(rates: rates, tick: tickSeconds)
        unit.peakErrorRate = max(unit.peakErrorRate, unit.errorRate)
        let down = unit.errorRate >= settings.downThreshold
        if down, !unit.isDown {
            unit.episodes += 1
            unit.downSince = now
            if unit.firstFailure == nil { unit.firstFailure = now }
            publish(unit, "app-down", "down: \(percent(unit.errorRate)) of requests failing (\(failingPaths(unit)))", at: now)
        } else if !down, unit.isDown {
            let since = unit.downSince ?? now
            unit.downSince = nil
            unit.lastRecovery = now
            let how = unit.failedOver ? ", serving from another region" : ""
            publish(unit, "app-recovered", "recovered after \(now - since) down\(how)", at: now)
        }
        unit.isDown = down
        if !unit.failedOver { advanceStrategy(unit, down: down, now: now) }
    }

    private func advanceStrategy(_ unit: AppUnit, down: Bool, now: SimTime) {
        switch unit.spec.strategy {
        case .none:
            return
        case .automatedFailover(let detection, let switchTime):
            if case .watching = unit.phase, down { unit.phase = .detecting(since: now, fireAt: now + detection) }
            guard case .detecting(let since, let fireAt) = unit.phase else { return }
            if !down {
                unit.phase = .watching
            } else if now >= fireAt {
                unit.phase = .switching(until: fireAt + switchTime)
                publish(
                    unit, "failover-started",
                    "automated failover: failing for \(now - since), switching traffic away (takes \(switchTime))", at: now)
            }
        case .manualDisasterRecovery(let detection, let decision, let execution):
            if case .watching = unit.phase, down { unit.phase = .awaitingPage(pageAt: now + detection) }
            if case .awaitingPage(let pageAt) = unit.phase, now >= pageAt {
                unit.phase = .deciding(decideAt: pageAt + decision)
                publish(unit, "dr-paged", "on-call paged, deciding whether to invoke disaster recovery", at: now)
            }
            if case .deciding(let decideAt) = unit.phase, now >= decideAt {
                if down {
                    unit.phase = .executing(until: decideAt + execution)
                    publish(unit, "dr-invoked", "disaster recovery invoked (takes \(execution))", at: now)
                } else {
                    unit.phase = .watching
                    publish(unit, "dr-stood-down", "disaster recovery stood down: no longer failing", at: now)
                }
            }
        }
    }

    /// Publishes a named app's event (cohorts publish nothing individually).
    private func publish(_ unit: AppUnit, _ kind: String, _ detail: String, at time: SimTime) {
        guard let component = unit.component else { return }
        trace.publish(.stateChanged(component: component, kind: kind, detail: detail), at: time)
    }

    /// The population's `companies-down` event, when the count has moved enough.
    func publishPopulation(_ down: Int, at time: SimTime) {
        guard let component = populationComponent, let population = populationSpec else { return }
        let step = max(1, Int((Double(population.count) * settings.populationEventStep).rounded(.up)))
        let moved = abs(down - lastPublishedDown)
        guard moved > 0, (down == 0 || lastPublishedDown == 0 || moved >= step) else { return }
        lastPublishedDown = down
        var byStrategy: [String] = []
        for kind in StrategyKind.allCases {
            let count = cohorts.filter { $0.isDown && $0.strategyKind == kind }.reduce(0) { $0 + $1.members }
            byStrategy.append("\(kind.rawValue) \(count)")
        }
        trace.publish(
            .stateChanged(
                component: component, kind: "companies-down",
                detail: "\(down) of \(population.count) companies down (\(byStrategy.joined(separator: ", ")))"),
            at: time)
    }

    /// The paths failing for at least the down threshold of their requests, or all paths with any failure.
    private func failingPaths(_ unit: AppUnit) -> String {
        let errors = unit.pathDependencies.map { 1 - unit.pathSuccess($0) }
        var names = zip(unit.spec.paths, errors).filter { $0.1 >= settings.downThreshold }.map(\.0.name)
        if names.isEmpty { names = zip(unit.spec.paths, errors).filter { $0.1 > 0 }.map(\.0.name) }
        return names.joined(separator: ", ")
    }

    private func percent(_ rate: Double) -> String {
        let value = (rate * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
