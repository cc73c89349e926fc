import SimKernel

extension LeaseManager {
    /// Where goodput stands, for publishing transitions only.
    enum GoodputState: Equatable {
        case healthy
        case collapsed(Cause)
    }

    /// Why goodput is low, judged from the last minute (when most of its finished work was lost).
    enum Cause: Equatable {
        case keyValueFailures
        case timeouts
        case noProgress
    }

    /// Goodput below this fraction of demand is a collapse.
    static let collapseFraction = 0.05
    /// Goodput back above this fraction of demand is a recovery.
    static let recoveryFraction = 0.5

    /// A snapshot now. Between the per-minute ``samples`` its last-minute counts cover the current minute so far.
    public var status: LeaseManagerStatus {
        LeaseManagerStatus(
            time: simulator.now, leasesHeld: leasesHeld, hosts: spec.hosts, goodputPerMinute: goodputPerMinute,
            demandPerMinute: demandPerMinute, queueLength: queueLength, backlogLength: backlogLength,
            busyWorkers: busyWorkers, completedLastMinute: minuteCompleted, wastedLastMinute: minuteWasted,
            failedLastMinute: minuteFailed)
    }

    /// Once a minute: update goodput, take a sample, publish transitions, start the next minute's counts.
    func observeMinute() {
        goodputWindow.append(minuteCompleted)
        let windowMinutes = max(1, Int((spec.renewalInterval.nanoseconds + 59_999_999_999) / 60_000_000_000))
        if goodputWindow.count > windowMinutes { goodputWindow.removeFirst(goodputWindow.count - windowMinutes) }
        goodputPerMinute = Double(goodputWindow.reduce(0, +)) / Double(goodputWindow.count)
        let snapshot = status
        samples.append(snapshot)
        publishLeaseTransition(snapshot)
        publishGoodputTransition(snapshot)
        minuteCompleted = 0
        minuteWasted = 0
        minuteFailed = 0
        simulator.schedule(after: .minutes(1)) { [weak self] in self?.observeMinute() }
    }

    private func publishLeaseTransition(_ snapshot: LeaseManagerStatus) {
        let decile = snapshot.leasesHeld * 10 / spec.hosts
        guard decile != heldDecile else { return }
        let verb = decile < heldDecile ? "lapsing" : "recovering"
        heldDecile = decile
        let percent = snapshot.leasesHeld * 100 / spec.hosts
        publish("lease", "leases \(verb): \(percent)% of hosts hold one (\(snapshot.leasesHeld) of \(spec.hosts))")
    }

    private func publishGoodputTransition(_ snapshot: LeaseManagerStatus) {
        let ratio = snapshot.goodputPerMinute / snapshot.demandPerMinute
        // A cause only when most of the last minute's finished work was lost, so a few failures during a recovery
        // do not read as one.
        let cause: Cause? =
            if minuteWasted + minuteFailed <= minuteCompleted {
                nil
            } else if minuteWasted >= minuteFailed {
                .timeouts
            } else {
                .keyValueFailures
            }
        let rates =
            "\(Int(snapshot.goodputPerMinute.rounded())) hosts/min in time, demand \(Int(snapshot.demandPerMinute.rounded()))/min"
        switch goodputState {
        case .healthy:
            guard ratio < Self.collapseFraction else { return }
            let now = cause ?? .noProgress
            goodputState = .collapsed(now)
            publish("goodput", "goodput collapsed (\(rates)): \(describe(now, snapshot))")
        case .collapsed(let previous):
            if ratio >= Self.recoveryFraction {
                goodputState = .healthy
                publish("goodput", "goodput recovered (\(rates))")
            } else if let cause, cause != previous {
                goodputState = .collapsed(cause)
                publish("goodput", "goodput still collapsed (\(rates)): \(describe(cause, snapshot))")
            }
        }
    }

    private func describe(_ cause: Cause, _ snapshot: LeaseManagerStatus) -> String {
        switch cause {
        case .keyValueFailures:
            return "work fails on key-value calls (\(snapshot.failedLastMinute) hosts in the last minute)"
        case .timeouts:
            return "work completes after its timeout and is queued again (\(snapshot.wastedLastMinute) hosts wasted "
                + "in the last minute, \(snapshot.queueLength) items queued)"
        case .noProgress:
            return "no work completed in the last minute (\(snapshot.queueLength) items queued)"
        }
    }

    func publish(_ kind: String, _ detail: @autoclosure () -> String) {
        guard trace.hasSubscribers else { return }
        trace.publish(.stateChanged(component: component, kind: kind, detail: detail()), at: simulator.now)
    }
}
