import SimKernel

extension HealthCheckedBalancer {
    /// The time integral of ``errorRate`` since the balancer was created, in seconds: the mean error rate between
    /// two instants is the difference of two readings divided by the time between them.
    public var errorSeconds: Double {
        errorIntegral + errorRate * (simulator.now - lastAccounting).seconds
    }

    /// The error rate the current state gives: connections spread evenly over the nodes DNS answers with, then
    /// over each node's in-service targets (all its targets when none is in service). A connection fails on a
    /// target without connectivity, or for lack of capacity (one unit per connected in-service target) on its node.
    func computeErrorRate() -> Double {
        // Called at every change of state: no array is built and no node copied.
        var listed = 0
        for zone in nodes.indices where nodes[zone].inDNS { listed += 1 }
        let failOpen = listed == 0
        if failOpen { listed = nodes.count }
        let share = offeredLoad * Double(spec.targets) / Double(listed)
        var total = 0.0
        for zone in nodes.indices where failOpen || nodes[zone].inDNS {
            var serving = nodes[zone].inService
            var working = nodes[zone].inServiceWorking
            if serving == 0 {
                serving = nodes[zone].members.count
                working = nodes[zone].working
            }
            guard serving > 0 else {
                total += 1
                continue
            }
            let broken = Double(serving - working) / Double(serving)
            let carried = share * (1 - broken)
            let overload = carried > Double(working) ? 1 - Double(working) / carried : 0
            total += broken + (1 - broken) * overload
        }
        return min(1, max(0, total / Double(listed)))
    }

    /// Brings the error accounting up to now with the rate that held since the last change; call before any
    /// change of state. Closes every error window that has ended on the way.
    func settle() {
        let now = simulator.now
        while windowStart + spec.errorWindow <= now {
            let boundary = windowStart + spec.errorWindow
            accumulate(until: boundary)
            closeWindow(mean: windowIntegral / spec.errorWindow.seconds)
            windowIntegral = 0
            windowStart = boundary
        }
        accumulate(until: now)
    }

    /// Recomputes the error rate after a change of state and publishes `errors` lines when errors begin or end.
    func refresh() {
        let now = simulator.now
        errorRate = computeErrorRate()
        counters.peakErrorRate = max(counters.peakErrorRate, errorRate)
        let active = errorRate > spec.errorFloor
        if active {
            zeroSince = nil
        } else if zeroSince == nil {
            zeroSince = now
        }
        if !erroring && active {
            erroring = true
            episodePeakError = errorRate
            publish(
                "errors",
                "connection errors began: \(Self.percent(errorRate)) of new connections fail; "
                    + "\(nodesInDNS) of \(nodes.count) nodes in DNS, \(targetsInService) targets in service, "
                    + "\(targetCount - targetsWithConnectivity) without connectivity")
        } else if erroring {
            episodePeakError = max(episodePeakError, errorRate)
            if let quiet = zeroSince, now - quiet >= spec.errorWindow {
                erroring = false
                errorLevel = 0
                publish(
                    "errors",
                    "connection errors ended: none for \(Self.display(spec.errorWindow)); peak \(Self.percent(episodePeakError))")
            }
        }
    }

    private func accumulate(until time: SimTime) {
        let part = errorRate * (time - lastAccounting).seconds
        errorIntegral += part
        windowIntegral += part
        lastAccounting = time
    }

    /// Moves the error level up when a window's mean reaches a higher threshold, and down when it falls to half
    /// the current level's threshold.
    private func closeWindow(mean: Double) {
        guard erroring else { return }
        let thresholds = spec.errorThresholds.sorted()
        let target = thresholds.reduce(0) { $0 + (mean >= $1 ? 1 : 0) }
        let window = Self.display(spec.errorWindow)
        if target > errorLevel {
            errorLevel = target
            publish(
                "errors",
                "connection errors at \(Self.percent(thresholds[target - 1])) or more: mean \(Self.percent(mean)) "
                    + "over the last \(window); \(nodesInDNS) of \(nodes.count) nodes in DNS")
        } else if target < errorLevel && mean <= thresholds[errorLevel - 1] * 0.5 {
            errorLevel = target
            publish(
                "errors",
                "connection errors below \(Self.percent(thresholds[target])): mean \(Self.percent(mean)) "
                    + "over the last \(window); \(nodesInDNS) of \(nodes.count) nodes in DNS")
        }
    }

    /// A fraction as a percentage with one decimal (`12.5%`), by integer arithmetic so it prints the same everywhere.
    static func percent(_ fraction: Double) -> String {
        let tenths = Int((fraction * 1_000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
