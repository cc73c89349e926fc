public import SimKernel

/// What an app does when the region it runs in fails. After a completed failover or disaster recovery the app
/// serves from elsewhere and no longer depends on the region (it does not fail back during the run).
///
/// The strategy is a parameter; when (and whether) it triggers is decided by the app's own error rate in the run:
/// - ``automatedFailover(detectionDelay:switchTime:)``: health checks see the app's error rate at or above the
///   fleet's down threshold continuously for `detectionDelay` (a healthy tick resets them), then traffic is switched
///   away, which takes `switchTime` and cannot be called back.
/// - ``manualDisasterRecovery(detection:decision:execution:)``: people are paged `detection` after the first failure,
///   take `decision` to decide, and invoke DR only if the app is still failing at that moment (otherwise they stand
///   down and the next failure starts over); executing it takes `execution`.
/// - ``none``: the app waits for the region.
public enum ResilienceStrategy: Sendable, Hashable {
    case none
    case automatedFailover(detectionDelay: SimDuration, switchTime: SimDuration)
    case manualDisasterRecovery(detection: SimDuration, decision: SimDuration, execution: SimDuration)

    /// The strategy's kind, for grouping.
    public var kind: StrategyKind {
        switch self {
        case .none: .none
        case .automatedFailover: .automated
        case .manualDisasterRecovery: .manual
        }
    }

    /// The time from the first failure to serving elsewhere if the failure lasts: `detectionDelay + switchTime`, or
    /// `detection + decision + execution`; `nil` for ``none``.
    public var timeToRecover: SimDuration? {
        switch self {
        case .none: nil
        case .automatedFailover(let detection, let switchTime): detection + switchTime
        case .manualDisasterRecovery(let detection, let decision, let execution): detection + decision + execution
        }
    }

    /// Everything wrong with the strategy, one sentence each.
    public func validationErrors(prefix: String) -> [String] {
        switch self {
        case .none:
            return []
        case .automatedFailover(let detection, let switchTime):
            var problems: [String] = []
            if detection < .zero { problems.append("\(prefix): failover detectionDelay must not be negative") }
            if switchTime < .zero { problems.append("\(prefix): failover switchTime must not be negative") }
            return problems
        case .manualDisasterRecovery(let detection, let decision, let execution):
            var problems: [String] = []
            if detection < .zero { problems.append("\(prefix): DR detection must not be negative") }
            if decision < .zero { problems.append("\(prefix): DR decision must not be negative") }
            if execution < .zero { problems.append("\(prefix): DR execution must not be negative") }
            return problems
        }
    }
}

/// The three kinds of ``ResilienceStrategy``, in report order.
public enum StrategyKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case automated, manual, none

    public static func < (lhs: StrategyKind, rhs: StrategyKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
