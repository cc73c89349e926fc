import SimKernel
import Testing
import WorldModel

/// A propagation queue on its own simulator, recording completion times and `backlog` lines.
private final class PropagationRig {
    let simulator = Simulator()
    let trace = TraceBus<WorldEvent>()
    let queue: PropagationQueue
    /// (instance, time it got connectivity), in completion order.
    private(set) var completions: [(instance: Int, time: SimTime)] = []
    private(set) var lines: [(time: SimTime, detail: String)] = []

    init(spec: PropagationQueueSpec = PropagationQueueSpec()) {
        queue = PropagationQueue(
            id: ComponentID(.service, "network-manager"), spec: spec, simulator: simulator, trace: trace)
        trace.subscribe { [unowned self] time, event in
            if case .stateChanged(_, let kind, let detail) = event, kind == "backlog" { self.lines.append((time, detail)) }
        }
    }

    func submit(_ instance: Int) {
        queue.submit(instance: instance) { [unowned self] in self.completions.append((instance, self.simulator.now)) }
    }

    /// A burst of `count` instances submitted at the current instant.
    func burst(_ count: Int, from first: Int = 0) {
        for instance in first..<(first + count) { submit(instance) }
    }

    func run(until offset: SimDuration) { simulator.run(until: .zero + offset) }

    var rendered: String {
        (completions.map { "\($0.instance)@\($0.time.nanoseconds)" } + lines.map { "\($0.time.nanoseconds) \($0.detail)" })
            .joined(separator: "\n")
    }
}

@Suite("Propagation queue")
struct PropagationQueueTests {
    @Test("an idle queue gives connectivity after the normal delay plus one item's processing")
    func idleQueue() {
        let rig = PropagationRig()
        rig.run(until: .minutes(1))
        rig.submit(1)
        #expect(rig.queue.pending == 1)
        rig.run(until: .minutes(2))
        let spec = PropagationQueueSpec()
        #expect(rig.completions.count == 1)
        #expect(rig.completions.first?.time.sinceStart == .minutes(1) + spec.normalDelay + spec.processingTime(batch: 1))
        #expect(rig.queue.pending == 0)
        #expect(rig.queue.currentDelay == .zero)
        #expect(rig.queue.lastDelay == spec.normalDelay + spec.processingTime(batch: 1))
        #expect(rig.lines.isEmpty)
    }

    @Test("a burst far beyond the throughput waits about burst / throughput, in FIFO order, then drains")
    func burstDelay() {
        let rig = PropagationRig()
        // 30,000 instances at 20 per second: 1,500 s of work, 25 times the 1-minute threshold.
        rig.burst(30_000)
        #expect(rig.queue.backlog == 30_000)
        rig.run(until: .seconds(750))
        // Halfway: the oldest instance without connectivity has waited the whole 750 s, half the burst is left.
        #expect(rig.queue.currentDelay >= .seconds(740) && rig.queue.currentDelay <= .seconds(750))
        #expect(abs(rig.queue.pending - 15_000) <= 250)
        rig.run(until: .hours(1))
        #expect(rig.completions.count == 30_000)
        #expect(rig.completions.map(\.instance) == Array(0..<30_000))
        let last = rig.completions.last!.time.sinceStart.seconds
        #expect(abs(last - 1_500) / 1_500 < 0.01)
        #expect(abs(rig.queue.peakDelay.seconds - 1_500) / 1_500 < 0.01)
        #expect(rig.queue.pending == 0)
        #expect(rig.queue.currentDelay == .zero)
        #expect(rig.queue.peakBacklog == 30_000)
        // Lines at the crossings only: over 1 min, over 10 min, back to normal once drained.
        #expect(rig.lines.count == 3)
        #expect(rig.lines[0].detail.hasPrefix("propagation delay over 1m"))
        #expect(rig.lines[0].time >= .zero + .seconds(60) && rig.lines[0].time <= .zero + .seconds(75))
        #expect(rig.lines[1].detail.hasPrefix("propagation delay over 10m"))
        #expect(rig.lines[2].detail.hasPrefix("propagation back to normal"))
        #expect(rig.lines[2].time == rig.completions.last!.time)
    }

    @Test("a launch rate above the throughput stretches the delay by (rate − throughput) × time / throughput")
    func rateAboveThroughput() {
        let rig = PropagationRig()
        // 30 launches per second for 10 minutes against 20 per second: 6,000 left over, so the last one waits
        // 6,000 / 20 = 300 s, plus its batch's processing (50 × 4 / 20 = 10 s) and the normal delay (2 s).
        for second in 0..<600 {
            rig.simulator.schedule(at: .zero + .seconds(Int64(second))) { rig.burst(30, from: second * 30) }
        }
        rig.run(until: .hours(1))
        #expect(rig.completions.count == 18_000)
        #expect(abs(rig.queue.peakDelay.seconds - 312) / 312 < 0.01)
        // The very last instance may travel in a smaller batch: between the bare backlog wait and the peak.
        #expect(rig.queue.lastDelay >= .seconds(300) && rig.queue.lastDelay <= rig.queue.peakDelay)
        #expect(abs(rig.completions.last!.time.sinceStart.seconds - 900) / 900 < 0.01)
        #expect(rig.lines.map { String($0.detail.prefix(26)) } == ["propagation delay over 1m:", "propagation back to normal"])
    }

    @Test("a launch rate below the throughput never builds a backlog")
    func rateBelowThroughput() {
        let rig = PropagationRig()
        for second in 0..<3_600 {
            rig.simulator.schedule(at: .zero + .seconds(Int64(second))) { rig.burst(15, from: second * 15) }
        }
        rig.run(until: .hours(2))
        #expect(rig.completions.count == 54_000)
        // Each second's 15 launches are shared out 4, 4, 4, 3 among the idle workers.
        let spec = PropagationQueueSpec()
        #expect(rig.queue.peakDelay == spec.normalDelay + spec.processingTime(batch: 4))
        #expect(rig.lines.isEmpty)
    }

    @Test("a surge of launches after a recovery keeps instances without connectivity for hours, then drains")
    func hoursLongBacklog() {
        var spec = PropagationQueueSpec()
        spec.throughputPerSecond = 10
        let rig = PropagationRig(spec: spec)
        rig.burst(100_000)
        rig.run(until: .hours(2))
        #expect(rig.queue.currentDelay == .hours(2))
        rig.run(until: .hours(4))
        // 100,000 / 10 per second = 10,000 s = 2h46m40s.
        #expect(abs(rig.queue.peakDelay.seconds - 10_000) / 10_000 < 0.01)
        #expect(rig.lines.map { String($0.detail.prefix(27)) }.count == 4)
        #expect(rig.lines[2].detail.hasPrefix("propagation delay over 1h"))
        #expect(rig.lines[3].detail.contains("peak delay 2h46m"))
        // Two events per batch of 50 plus one to start: instances are not events of their own.
        #expect(rig.simulator.processedEvents <= 2 * 100_000 / 50 + 10)
    }

    @Test("the same submissions give identical completion times and lines")
    func determinism() {
        func run() -> String {
            var spec = PropagationQueueSpec()
            spec.workers = 3
            spec.throughputPerSecond = 7
            spec.batchSize = 16
            let rig = PropagationRig(spec: spec)
            for minute in 0..<30 {
                rig.simulator.schedule(at: .zero + .minutes(Int64(minute))) {
                    rig.burst(minute % 7 == 0 ? 2_000 : 100, from: minute * 10_000)
                }
            }
            rig.run(until: .hours(3))
            return rig.rendered
        }
        let a = run()
        #expect(!a.isEmpty)
        #expect(a == run())
    }

    @Test("invalid parameters are reported, one sentence each")
    func validation() {
        #expect(PropagationQueueSpec().validationProblems.isEmpty)
        let spec = PropagationQueueSpec(workers: 0, throughputPerSecond: 0, batchSize: 1, delayThresholds: [.zero])
        #expect(spec.validationProblems.count == 3)
    }
}
