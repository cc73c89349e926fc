public import SimKernel

/// A FIFO queue that propagates network configuration to new instances (Network-Manager-like): an instance has
/// connectivity only once its configuration has been processed and has reached its host.
///
/// The caller drives the launch rate by calling ``submit(instance:completion:)``; the completion runs, in virtual
/// time, when that instance has connectivity. `spec.workers` workers take the oldest waiting instances in batches
/// (see ``PropagationQueueSpec``; waiting instances are shared out evenly among idle workers), so a surge of
/// launches larger than the throughput builds a backlog and the delay stretches to about backlog / throughput
/// (plus one batch's processing and `normalDelay`), then drains. The queue publishes a `backlog` line
/// (`.stateChanged`) when the current delay crosses one of `spec.delayThresholds` and when it is back to normal —
/// never one per instance.
///
/// ```swift
/// let queue = PropagationQueue(
///     id: ComponentID(.service, "network-manager"), spec: PropagationQueueSpec(), simulator: sim, trace: trace)
/// queue.submit(instance: 7) { balancer.setTargetConnectivity(7, true) }
/// ```
///
/// Events: one to start processing per instant at which instances arrive at an idle worker, and two per batch
/// (processed, delivered); instances are not events of their own.
public final class PropagationQueue {
    /// This queue's component (normally of kind `.service`).
    public let id: ComponentID
    public let spec: PropagationQueueSpec

    /// Instances submitted so far.
    @exclusivity(unchecked) public private(set) var submitted = 0
    /// Instances that have connectivity (their completion has run).
    @exclusivity(unchecked) public private(set) var completed = 0
    /// The largest number of instances ever waiting for a worker.
    @exclusivity(unchecked) public private(set) var peakBacklog = 0
    /// The longest submit-to-connectivity delay of any instance so far.
    @exclusivity(unchecked) public private(set) var peakDelay = SimDuration.zero
    /// The submit-to-connectivity delay of the instance that most recently got connectivity.
    @exclusivity(unchecked) public private(set) var lastDelay = SimDuration.zero

    private let simulator: Simulator
    private let trace: TraceBus<WorldEvent>
    private let thresholds: [SimDuration]

    private struct Item {
        var instance: Int
        var submitted: SimTime
        var completion: () -> Void
    }

    /// Batches a worker holds or whose configuration is on its way to the hosts.
    private struct Batch {
        var number: UInt64
        var oldest: SimTime
        var count: Int
    }

    // Stored state skips Swift's dynamic exclusivity checks (`@exclusivity(unchecked)`): every access is short and none
    // is held across a call out (completions and the simulator).
    @exclusivity(unchecked) private var waiting = CompactingQueue<Item>()
    @exclusivity(unchecked) private var idleWorkers: Int
    @exclusivity(unchecked) private var outstanding: [Batch] = []
    @exclusivity(unchecked) private var nextBatch: UInt64 = 0
    @exclusivity(unchecked) private var dispatchScheduled = false
    @exclusivity(unchecked) private var level = 0
    @exclusivity(unchecked) private var episodePeakDelay = SimDuration.zero
    @exclusivity(unchecked) private var episodePeakBacklog = 0

    /// Creates an idle, empty queue. `spec` must have no ``PropagationQueueSpec/validationProblems``.
    public init(id: ComponentID, spec: PropagationQueueSpec, simulator: Simulator, trace: TraceBus<WorldEvent>) {
        precondition(spec.validationProblems.isEmpty, "invalid PropagationQueueSpec: \(spec.validationProblems)")
        self.id = id
        self.spec = spec
        self.simulator = simulator
        self.trace = trace
        self.thresholds = spec.delayThresholds.sorted()
        self.idleWorkers = spec.workers
    }

    /// Instances waiting for a worker.
    public var backlog: Int { waiting.count }

    /// Instances submitted that do not have connectivity yet (waiting, being processed, or on their way).
    public var pending: Int { backlog + outstanding.reduce(0) { $0 + $1.count } }

    /// The current propagation delay: how long the oldest instance without connectivity has waited so far
    /// (zero when every submitted instance has connectivity).
    public var currentDelay: SimDuration {
        var oldest = waiting.first?.submitted ?? SimTime.distantFuture
        for batch in outstanding where batch.oldest < oldest { oldest = batch.oldest }
        return oldest == .distantFuture ? .zero : simulator.now - oldest
    }

    /// Queues an instance; `completion` runs once, when the instance has connectivity.
    ///
    /// Instances submitted at the same instant are taken by workers together, in submission order.
    public func submit(instance: Int, completion: @escaping () -> Void) {
        waiting.append(Item(instance: instance, submitted: simulator.now, completion: completion))
        submitted += 1
        peakBacklog = max(peakBacklog, backlog)
        episodePeakBacklog = max(episodePeakBacklog, backlog)
        if idleWorkers > 0 && !dispatchScheduled {
            dispatchScheduled = true
            simulator.schedule(after: .zero) { [weak self] in
                guard let self else { return }
                self.dispatchScheduled = false
                self.dispatch()
                self.report()
            }
        }
        report()
    }

    // MARK: Workers

    /// Gives waiting instances to idle workers, oldest first, sharing them out evenly among the idle workers
    /// (at most `batchSize` each).
    private func dispatch() {
        while idleWorkers > 0 && backlog > 0 {
            let count = min(spec.batchSize, (backlog + idleWorkers - 1) / idleWorkers)
            let items = waiting.popFirst(count)
            idleWorkers -= 1
            let number = nextBatch
            nextBatch &+= 1
            outstanding.append(Batch(number: number, oldest: items[0].submitted, count: count))
            simulator.schedule(after: spec.processingTime(batch: count)) { [weak self] in
                self?.processed(number, items)
            }
        }
    }

    private func processed(_ number: UInt64, _ items: [Item]) {
        idleWorkers += 1
        dispatch()
        if spec.normalDelay == .zero {
            deliver(number, items)
        } else {
            simulator.schedule(after: spec.normalDelay) { [weak self] in self?.deliver(number, items) }
        }
        report()
    }

    private func deliver(_ number: UInt64, _ items: [Item]) {
        outstanding.removeAll { $0.number == number }
        let now = simulator.now
        peakDelay = max(peakDelay, now - items[0].submitted)
        episodePeakDelay = max(episodePeakDelay, now - items[0].submitted)
        lastDelay = now - items[items.count - 1].submitted
        for item in items {
            completed += 1
            item.completion()
        }
        report()
    }

    // MARK: Timeline

    /// Publishes a `backlog` line when the current delay moves to another threshold level.
    private func report() {
        let delay = currentDelay
        episodePeakDelay = max(episodePeakDelay, delay)
        let target = thresholds.reduce(0) { $0 + (delay > $1 ? 1 : 0) }
        if target > level {
            level = target
            publish(
                "propagation delay over \(Self.display(thresholds[target - 1])): \(backlog) instances waiting, "
                    + "\(pending) without connectivity")
        } else if target < level && delay <= thresholds[level - 1].scaled(by: 0.5) {
            level = target
            if target == 0 {
                publish(
                    "propagation back to normal: peak delay \(Self.display(episodePeakDelay)), "
                        + "peak backlog \(episodePeakBacklog), \(completed) instances propagated so far")
                episodePeakDelay = .zero
                episodePeakBacklog = backlog
            } else {
                publish(
                    "propagation delay down to \(Self.display(thresholds[target - 1]))–"
                        + "\(Self.display(thresholds[target])): \(backlog) instances waiting")
            }
        }
    }

    private func publish(_ detail: String) {
        trace.publish(.stateChanged(component: id, kind: "backlog", detail: detail), at: simulator.now)
    }

    /// A duration for people: whole seconds (rounded down), as `1h2m3s`.
    private static func display(_ duration: SimDuration) -> String {
        SimDuration.seconds(duration.wholeSeconds).description
    }
}
