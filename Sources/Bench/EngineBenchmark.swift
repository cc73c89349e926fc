import HeapModule
import SimKernel

/// The hold model (pop one event, schedule one; the number pending stays constant), run on the project's
/// `Simulator` and on a bare swift-collections `Heap` of 24-byte events doing the same work in the same process.
///
/// Both draw the same hold times from the same generator and break ties by insertion order, so they process the same
/// events in the same order: ``Result/checksum`` (the sum of event times) is equal for both.
///
/// ```swift
/// let engine = EngineBenchmark.simulatorHold(pending: 1_000, events: 1_000_000)
/// let heap = EngineBenchmark.heapHold(pending: 1_000, events: 1_000_000)
/// print(engine.eventsPerSecond / heap.eventsPerSecond)
/// ```
public enum EngineBenchmark {
    /// One timed run.
    public struct Result: Sendable, Codable, Hashable {
        /// Events popped while the clock ran (the hold events plus the final drain of the pending ones).
        public var events: Int
        /// Wall time.
        public var seconds: Double
        /// The thread's CPU time (the same as `seconds` on an idle machine).
        public var cpuSeconds: Double
        /// Sum of the popped events' times (wrapping): equal for every implementation of the same run.
        public var checksum: Int64

        /// Events per CPU second.
        public var eventsPerSecond: Double { cpuSeconds > 0 ? Double(events) / cpuSeconds : 0 }
    }

    /// How the simulator side passes its actions.
    public enum ActionStyle: String, Sendable, Codable, CaseIterable {
        /// A new closure per event (`schedule(after:) { … }`), as the world model's components do: the engine's cost
        /// plus one closure allocation per event.
        case newClosure
        /// One stored closure rescheduled again and again (a SimPy-like process's resume callback): the engine's cost.
        case storedAction
    }

    /// The hold model on ``SimKernel/Simulator``: each event's action schedules its successor, `events` times; then
    /// the `pending` last events run out.
    public static func simulatorHold(
        pending: Int, events: Int, seed: UInt64 = 1, style: ActionStyle = .newClosure
    ) -> Result {
        let model = HoldModel(seed: seed, remaining: events, style: style)
        for _ in 0..<pending { model.scheduleNext() }
        let watch = Stopwatch()
        model.simulator.runToCompletion()
        let (seconds, cpu) = (watch.elapsedSeconds, watch.elapsedThreadCPUSeconds)
        return Result(events: model.simulator.processedEvents, seconds: seconds, cpuSeconds: cpu, checksum: model.checksum)
    }

    /// The same hold model as a bare `Heap` pop/push loop over `(time, sequence, payload)` events.
    public static func heapHold(pending: Int, events: Int, seed: UInt64 = 1) -> Result {
        var random = BenchRandom(seed: seed)
        var heap = Heap<HeapEvent>(minimumCapacity: pending)
        var sequence: UInt64 = 0
        var now: Int64 = 0
        for index in 0..<pending {
            heap.insert(HeapEvent(time: now + random.holdNanoseconds(), sequence: sequence, payload: index))
            sequence &+= 1
        }
        var checksum: Int64 = 0
        var popped = 0
        let watch = Stopwatch()
        for _ in 0..<events {
            let event = heap.removeMin()
            now = event.time
            checksum &+= now
            popped += 1
            heap.insert(HeapEvent(time: now + random.holdNanoseconds(), sequence: sequence, payload: event.payload))
            sequence &+= 1
        }
        while let event = heap.popMin() {
            checksum &+= event.time
            popped += 1
        }
        let (seconds, cpu) = (watch.elapsedSeconds, watch.elapsedThreadCPUSeconds)
        return Result(events: popped, seconds: seconds, cpuSeconds: cpu, checksum: checksum)
    }

    /// The fastest of several runs of each implementation.
    public struct Comparison: Sendable {
        public var newClosure: Result
        public var storedAction: Result
        public var heap: Result
    }

    /// Runs the heap and both simulator styles `repetitions` times, in turn so that contention hits all alike, and
    /// keeps each one's fastest run.
    public static func compare(pending: Int, events: Int, repetitions: Int) -> Comparison {
        func faster(_ a: Result?, _ b: Result) -> Result { a.map { $0.cpuSeconds <= b.cpuSeconds ? $0 : b } ?? b }
        var heap: Result?
        var newClosure: Result?
        var storedAction: Result?
        for _ in 0..<max(1, repetitions) {
            heap = faster(heap, heapHold(pending: pending, events: events))
            newClosure = faster(newClosure, simulatorHold(pending: pending, events: events, style: .newClosure))
            storedAction = faster(storedAction, simulatorHold(pending: pending, events: events, style: .storedAction))
        }
        return Comparison(newClosure: newClosure!, storedAction: storedAction!, heap: heap!)
    }

    /// A 24-byte event, as in the reference measurements (`facts/c-ares.md`).
    struct HeapEvent: Comparable {
        var time: Int64
        var sequence: UInt64
        var payload: Int

        static func < (lhs: HeapEvent, rhs: HeapEvent) -> Bool {
            lhs.time < rhs.time || (lhs.time == rhs.time && lhs.sequence < rhs.sequence)
        }

        static func == (lhs: HeapEvent, rhs: HeapEvent) -> Bool {
            lhs.time == rhs.time && lhs.sequence == rhs.sequence
        }
    }

    /// The simulator side: one object whose events reschedule themselves.
    ///
    /// Its own state skips dynamic exclusivity checks and its closures capture it without reference counting where
    /// that is safe, so that what is measured is the engine's cost (and, for ``ActionStyle/newClosure``, one closure
    /// allocation per event), not the bookkeeping of this little model. (An `[unowned(unsafe) self]` capture still
    /// retains and releases the model around each call; an unretained `Unmanaged` reference does not.)
    final class HoldModel {
        let simulator = Simulator()
        @exclusivity(unchecked) var random: BenchRandom
        @exclusivity(unchecked) var remaining: Int
        @exclusivity(unchecked) var checksum: Int64 = 0
        let style: ActionStyle
        // The model outlives every event it schedules (the run drains the queue before it returns).
        @exclusivity(unchecked) private var action: (() -> Void)?

        init(seed: UInt64, remaining: Int, style: ActionStyle) {
            self.random = BenchRandom(seed: seed)
            self.remaining = remaining
            self.style = style
            let model = Unmanaged.passUnretained(self)
            self.action = { model._withUnsafeGuaranteedRef { $0.fire() } }
        }

        func scheduleNext() {
            let delay = SimDuration.nanoseconds(random.holdNanoseconds())
            switch style {
            case .newClosure:
                let model = Unmanaged.passUnretained(self)
                simulator.schedule(after: delay) { model._withUnsafeGuaranteedRef { $0.fire() } }
            case .storedAction: simulator.schedule(after: delay, action!)
            }
        }

        func fire() {
            checksum &+= simulator.now.nanoseconds
            if remaining > 0 {
                remaining -= 1
                scheduleNext()
            }
        }
    }
}
